// booklet serve's problems page, as a writer meets it: a booklet's web page open in the
// browser, its source saved with a mistake, the page replaced by the problems (file, line,
// rule, fix) without touching the browser, then the source fixed and the page back again.
// axe-core runs on the problems page at 1280 and 320 px, and on the page it gave way to.
//
// Input on stdin, JSON: {"chromium": "/usr/bin/chromium", "url": "http://.../page.html",
//   "source": "/path/booklet.md", "broken": "text with the mistake", "fixed": "text without",
//   "heading": "a heading of the booklet's page", "shots": "/dir" (optional)}
// Output on stdout, JSON: {"before", "problems": {problems, violations, reflow}, "after": {...}}
// Run by tests/test_serve.py; install with: npm ci --prefix tests/browser

import { writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { NARROW, WIDE, launch, newPage, readStdin, reflow, runAxe } from "./runner.mjs";

const WAIT = 60000; // ms: a save, a load of the content, the web page and catalogue rewritten

// Save as editors do: a new file renamed over the old one.
function save(file, text) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.new`);
  writeFileSync(temporary, text, "utf8");
  renameSync(temporary, file);
}

async function axeAtBothWidths(page) {
  const wide = await runAxe(page);
  await page.setViewportSize(NARROW);
  const narrow = await runAxe(page);
  const fits = await reflow(page);
  await page.setViewportSize(WIDE);
  return { violations: [...wide, ...narrow.map((v) => ({ ...v, at: "320px" }))], reflow: fits };
}

const config = await readStdin();
const browser = await launch(config);
try {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(config.url, { waitUntil: "load" });
  const heading = page.getByRole("heading", { name: config.heading }).first();
  const before = await heading.isVisible();

  save(config.source, config.broken);
  const title = page.getByRole("heading", { level: 1, name: "This page cannot be made yet" });
  await title.waitFor({ timeout: WAIT }); // the page reloads itself: nobody presses F5
  const problems = await page.evaluate(() => [...document.querySelectorAll(".problem")].map((li) => ({
    file: li.querySelector(".problem-file")?.textContent ?? "",
    line: li.querySelector(".problem-line")?.textContent ?? "",
    message: li.querySelector(".problem-message")?.textContent ?? "",
    fix: li.querySelector(".problem-fix")?.textContent ?? "",
    rule: li.querySelector(".problem-rule code")?.textContent ?? "",
  })));
  const shown = await axeAtBothWidths(page);
  if (config.shots) await page.screenshot({ path: path.join(config.shots, "serve-problems.png"), fullPage: true });

  save(config.source, config.fixed);
  await heading.waitFor({ timeout: WAIT });
  const after = await axeAtBothWidths(page);
  after.gone = await title.count() === 0;
  if (config.shots) await page.screenshot({ path: path.join(config.shots, "serve-fixed.png") });
  await page.context().close();
  process.stdout.write(JSON.stringify({ before, problems: { problems, ...shown }, after, errors }, null, 1));
} finally {
  await browser.close();
}
