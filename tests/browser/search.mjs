// The catalogue's search box, as a clinic's nurse uses it: type a word, see which booklets
// are left and what the status line says, by keyboard (Tab to the box, then type), with
// axe-core at 1280 and 320 px while a search is shown.
//
// Input on stdin, JSON: {"chromium": "/usr/bin/chromium", "url": "http://.../index.html",
//   "queries": ["bowel", ...]}
// Output on stdout, JSON: {"results": [{query, status, titles}], "focusedBox", "violations",
//   "reflow", "errors"}
// Run by tests/test_catalogue.py; install with: npm ci --prefix tests/browser

import { NARROW, launch, newPage, readStdin, reflow, runAxe } from "./runner.mjs";

const config = await readStdin();
const browser = await launch(config);
try {
  const errors = [];
  const page = await newPage(browser, errors);
  await page.goto(config.url, { waitUntil: "load" });
  const box = page.getByRole("searchbox", { name: "Find a booklet" });
  let focusedBox = false;
  for (let n = 0; n < 60 && !focusedBox; n += 1) { // by keyboard: Tab until the box has focus
    await page.keyboard.press("Tab");
    focusedBox = await box.evaluate((el) => el === document.activeElement);
  }
  const results = [];
  for (const query of config.queries) {
    await box.fill("");
    await page.keyboard.type(query);
    results.push(await page.evaluate((q) => ({
      query: q,
      status: document.getElementById("title-filter-status").textContent,
      titles: [...document.querySelectorAll(".booklet-card")].filter((c) => !c.closest("[hidden]"))
        .map((c) => c.querySelector(".card-title").textContent.trim()),
    }), query));
  }
  const wide = await runAxe(page);
  await page.setViewportSize(NARROW);
  const narrow = await runAxe(page);
  const fits = await reflow(page);
  await page.context().close();
  process.stdout.write(JSON.stringify({
    results, focusedBox, violations: [...wide, ...narrow.map((v) => ({ ...v, at: "320px" }))], reflow: fits, errors,
  }, null, 1));
} finally {
  await browser.close();
}
