// Open each web page at 320 CSS pixels in headless Chromium and measure what is wider than the
// window: nothing may need sideways scrolling (WCAG 1.4.10 reflow), long web addresses included.
//
// Input on stdin, JSON: {"chromium": "/usr/bin/chromium", "pages": ["file:///...html", ...]}
// Output on stdout, JSON: {"pages": [{url, scrollWidth, width, wide: ["tag.class: text", ...]}]}
// Run by tests/test_overflow.py; install with: npm ci --prefix tests/browser

import { NARROW, launch, readStdin, reflow } from "./runner.mjs";

// The elements reaching past the window's left or right edge (the innermost, as the reader sees them).
function tooWide() {
  const width = document.documentElement.clientWidth;
  const out = (el) => { const r = el.getBoundingClientRect(); return r.right > width + 0.5 || r.left < -0.5; };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => out(el) && ![...el.children].some(out))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
}

const config = await readStdin();
const browser = await launch(config);
const pages = [];
try {
  const context = await browser.newContext({ viewport: NARROW, reducedMotion: "reduce" });
  const page = await context.newPage();
  for (const url of config.pages) {
    await page.goto(url, { waitUntil: "load" });
    await page.evaluate(async () => { await document.fonts.ready; });
    pages.push({ url, ...(await reflow(page)), wide: await page.evaluate(tooWide) });
  }
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ pages }));
