// What every browser check of booklet's web pages shares (tests/browser/axe.mjs for the
// catalogue, tests/browser/shop.mjs for the order shop): headless Chromium, axe-core
// (WCAG 2.2 A and AA rules, and axe's best practices), keyboard navigation (every control
// reached by Tab, in order, with a visible focus style, on screen), reflow at 320 CSS pixels
// (400% zoom of a 1280 px window) and the page's writing direction.

import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];
export const WIDE = { width: 1280, height: 900 };
export const NARROW = { width: 320, height: 640 };

// Read the test's JSON from stdin.
export async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

// Start Debian's Chromium (config.chromium), headless.
export function launch(config) {
  return chromium.launch({ executablePath: config.chromium, headless: true, args: FLAGS });
}

// Open a page in a context of its own (1280 px wide, reduced motion, and `options`); each
// script error on it is added to `errors`.
export async function newPage(browser, errors, options = {}) {
  const context = await browser.newContext({ viewport: WIDE, reducedMotion: "reduce", ...options });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
  return page;
}

// Run axe-core on the page as it is; return its violations.
export async function runAxe(page) {
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
  const selector = "a[href], input:not([type=hidden]), button, select, textarea, [tabindex]:not([tabindex='-1'])";
  const look = (el) => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
      s.color, s.textDecorationLine, s.borderBottomColor, s.transform].join("|");
  };
  const els = [...document.querySelectorAll(selector)].filter((el) => !el.closest("[hidden]")
    && getComputedStyle(el).visibility !== "hidden" && getComputedStyle(el).display !== "none");
  window.__looks = els.map((el, i) => { el.dataset.kb = String(i); return look(el); });
  window.__look = look;
  return els.map((el) => el.getAttribute("href") || el.id || el.name || el.textContent.trim().slice(0, 30));
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
export async function keyboard(page, focusShot = null) {
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

// How wide the page is against the window (wider: it scrolls sideways).
export function reflow(page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth }));
}

// The page's direction as laid out: <html>'s, and the side of <main> its first heading and
// first button stand on ('right' in a right-to-left page).
export function layout(page) {
  return page.evaluate(() => {
    const main = document.querySelector("main").getBoundingClientRect();
    const side = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return r.left - main.left < main.right - r.right ? "left" : "right";
    };
    const heading = document.querySelector("main h1");
    const range = document.createRange();
    if (heading) range.selectNodeContents(heading);
    return {
      direction: getComputedStyle(document.documentElement).direction,
      heading: heading ? side(range) : null,
      button: side(document.querySelector("main .button")),
    };
  });
}
