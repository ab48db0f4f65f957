// Check web pages in headless Chromium: axe-core (WCAG 2.2 A and AA rules, and axe's best
// practices), keyboard navigation (every link reached by Tab, in order, with a visible focus
// style), reflow at 320 CSS pixels (400% zoom of a 1280 px window), failed requests and
// script errors; take screenshots when asked.
//
// Input on stdin, JSON: {"chromium": "/usr/bin/chromium", "shots": "/dir",
//   "pages": [{"url": "http://...", "shot": "name" (optional), "filter": "word" (optional)}]}
// Output on stdout, JSON: {"pages": [{url, violations, keyboard, reflow, errors, filter}]}
// Run by tests/test_catalogue.py; install with: npm ci --prefix tests/browser

import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 640 };

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function runAxe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  }, TAGS);
}

// Mark every element that should take focus, and note how each looks unfocused.
function markFocusables() {
  const selector = "a[href], input, button, select, textarea, [tabindex]:not([tabindex='-1'])";
  const look = (el) => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
      s.color, s.textDecorationLine, s.borderBottomColor, s.transform].join("|");
  };
  const els = [...document.querySelectorAll(selector)].filter((el) => !el.closest("[hidden]")
    && getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).display !== "none");
  window.__looks = els.map((el, i) => { el.dataset.kb = String(i); return look(el); });
  window.__look = look;
  return els.map((el) => el.getAttribute("href") || el.id || el.tagName);
}

function focusState() {
  const el = document.activeElement;
  if (!el || el === document.body || el.dataset.kb === undefined) return null;
  const i = Number(el.dataset.kb);
  const r = el.getBoundingClientRect();
  return {
    index: i,
    visibleStyle: window.__look(el) !== window.__looks[i],
    onScreen: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
  };
}

// Tab through the page; with ``focusShot``, take a picture when the first big button has focus.
async function keyboard(page, focusShot) {
  const targets = await page.evaluate(markFocusables);
  const button = await page.evaluate(() => document.querySelector(".button, .tile")?.dataset.kb ?? null);
  const seen = [];
  const problems = [];
  for (let n = 0; n < targets.length + 2; n += 1) {
    await page.keyboard.press("Tab");
    const state = await page.evaluate(focusState);
    if (state === null || seen.includes(state.index)) break;
    if (seen.length && state.index < seen[seen.length - 1]) problems.push(`out of order: ${targets[state.index]}`);
    if (!state.visibleStyle) problems.push(`no visible focus style: ${targets[state.index]}`);
    if (!state.onScreen) problems.push(`focused but off screen: ${targets[state.index]}`);
    seen.push(state.index);
    if (focusShot && String(state.index) === button) await page.screenshot({ path: focusShot });
  }
  const missed = targets.filter((_, i) => !seen.includes(i));
  return { targets: targets.length, reached: seen.length, missed, problems, first: targets[seen[0]] ?? null };
}

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
  const context = await browser.newContext({ viewport: WIDE, reducedMotion: "reduce" });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
  // axe's own XHR for stylesheets it cannot read over file:// fails; the page makes no XHR.
  page.on("requestfailed", (r) => {
    if (r.resourceType() !== "xhr") errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(spec.url, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  const font = await page.evaluate(() => document.fonts.check("1rem 'Atkinson Hyperlegible'"));
  const wide = await runAxe(page);
  if (spec.shot) await page.screenshot({ path: path.join(shots, `${spec.shot}-1280.png`), fullPage: true });
  const keys = await keyboard(page, spec.shot ? path.join(shots, `${spec.shot}-focus.png`) : null);
  const filter = await tryFilter(page, spec.filter);
  await page.setViewportSize(NARROW);
  await page.reload({ waitUntil: "load" });
  const reflow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
  }));
  const narrow = await runAxe(page);
  if (spec.shot) await page.screenshot({ path: path.join(shots, `${spec.shot}-320.png`), fullPage: true });
  await context.close();
  return {
    url: spec.url, font, violations: [...wide, ...narrow.map((v) => ({ ...v, at: "320px" }))],
    keyboard: keys, reflow, errors, filter,
  };
}

const config = await readStdin();
const browser = await chromium.launch({ executablePath: config.chromium, headless: true, args: FLAGS });
try {
  const pages = [];
  for (const spec of config.pages) pages.push(await checkPage(browser, spec, config.shots));
  process.stdout.write(JSON.stringify({ pages }, null, 1));
} finally {
  await browser.close();
}
