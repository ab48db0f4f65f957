// Check the catalogue's pages in headless Chromium with the shared runner (runner.mjs):
// axe-core, keyboard navigation, reflow at 320 CSS pixels, the page's direction as laid out,
// failed requests and script errors, and that its fonts loaded; take screenshots when asked.
//
// Input on stdin, JSON: {"chromium": "/usr/bin/chromium", "shots": "/dir",
//   "pages": [{"url": "http://...", "shot": "name" (optional), "filter": "word" (optional),
//              "font": "a font family that must have loaded" (optional)}]}
// Output on stdout, JSON: {"pages": [{url, violations, keyboard, reflow, layout, errors, filter,
//   font (the font asked for loaded), loaded (the font families loaded)}]}
// Run by tests/test_catalogue.py and tests/test_catalogue_languages.py; install with:
// npm ci --prefix tests/browser

import path from "node:path";
import { NARROW, keyboard, launch, layout, newPage, readStdin, reflow, runAxe } from "./runner.mjs";

async function tryFilter(page, word) {
  const input = page.locator("#title-filter-input");
  if (!word || !(await input.isVisible())) return null;
  await input.fill(word);
  const result = await page.evaluate(() => ({
    status: document.getElementById("title-filter-status").textContent,
    visible: [...document.querySelectorAll(".booklet-card")].filter((c) => !c.hidden).length,
  }));
  await input.fill("");
  return result;
}

async function checkPage(browser, spec, shots) {
  const errors = [];
  const page = await newPage(browser, errors);
  // axe's own XHR for stylesheets it cannot read over file:// fails; the page makes no XHR.
  page.on("requestfailed", (r) => {
    if (r.resourceType() !== "xhr") errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(spec.url, { waitUntil: "load" });
  // fonts start loading when the page is laid out: wait for two frames, then for the fonts
  await page.evaluate(async () => {
    for (let i = 0; i < 2; i += 1) await new Promise((r) => requestAnimationFrame(r));
    await document.fonts.ready;
  });
  const family = spec.font || "Atkinson Hyperlegible";
  const loaded = await page.evaluate(() => [...document.fonts]
    .filter((face) => face.status === "loaded").map((face) => face.family.replace(/"/g, "")));
  const font = loaded.includes(family);
  const wide = await runAxe(page);
  const sides = await layout(page);
  if (spec.shot) await page.screenshot({ path: path.join(shots, `${spec.shot}-1280.png`), fullPage: true });
  const keys = await keyboard(page, spec.shot ? path.join(shots, `${spec.shot}-focus.png`) : null);
  const filter = await tryFilter(page, spec.filter);
  await page.setViewportSize(NARROW);
  await page.reload({ waitUntil: "load" });
  const fits = await reflow(page);
  const narrow = await runAxe(page);
  if (spec.shot) await page.screenshot({ path: path.join(shots, `${spec.shot}-320.png`), fullPage: true });
  await page.context().close();
  return {
    url: spec.url, font, loaded, violations: [...wide, ...narrow.map((v) => ({ ...v, at: "320px" }))],
    keyboard: keys, reflow: fits, layout: sides, errors, filter,
  };
}

const config = await readStdin();
const browser = await launch(config);
try {
  const pages = [];
  for (const spec of config.pages) pages.push(await checkPage(browser, spec, config.shots));
  process.stdout.write(JSON.stringify({ pages }, null, 1));
} finally {
  await browser.close();
}
