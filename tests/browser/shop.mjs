// The order shop in headless Chromium: a volunteer sets a password from their sign-in link,
// fills a basket, orders and sees the confirmation; the team opens its page. On every page:
// axe-core (WCAG 2.2 A/AA and best practices) at 1280 and 320 CSS pixels (400% zoom of a
// 1280 px window), no sideways scrolling at 320 px, every control reached by Tab with a
// visible focus style, no failed request, no script error. The shop itself has no script:
// the browser context bypasses its CSP only so that axe can be injected.
//
// Input on stdin, JSON: {"chromium": path, "shots": dir, "base": "http://127.0.0.1:PORT",
//   "volunteer": {"link": url, "password": pw}, "team": {"link": url, "password": pw}}
// Output on stdout, JSON: {"pages": [...], "order": {"number", "heading"}}
// The checks themselves are the shared runner's (runner.mjs), as for the catalogue.
// Run by tests/test_shop_browser.py; install with: npm ci --prefix tests/browser

import path from "node:path";
import { NARROW, WIDE, keyboard, launch, readStdin, reflow, runAxe } from "./runner.mjs";

// Check the page the tab shows now, without changing it (a page after a POST is checked as it is).
async function check(page, name, shots, errors) {
  await page.evaluate(() => document.fonts.ready);
  const wide = await runAxe(page);
  await page.screenshot({ path: path.join(shots, `shop-${name}-1280.png`), fullPage: true });
  const keys = await keyboard(page);
  await page.setViewportSize(NARROW);
  const fits = await reflow(page);
  const narrow = await runAxe(page);
  await page.screenshot({ path: path.join(shots, `shop-${name}-320.png`), fullPage: true });
  await page.setViewportSize(WIDE);
  await page.evaluate(() => document.activeElement?.blur());
  const found = { name, url: page.url(), violations: [...wide, ...narrow.map((v) => ({ ...v, at: "320px" }))],
    keyboard: keys, reflow: fits, errors: [...errors] };
  errors.length = 0;
  return found;
}

async function newPage(browser, errors) {
  const context = await browser.newContext({ viewport: WIDE, reducedMotion: "reduce", bypassCSP: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    // 400 is the answer to a form with a problem: the page checked below shows it
    if (r.status() >= 400 && !(r.status() === 400 && r.request().method() === "POST")) {
      errors.push(`HTTP ${r.status()}: ${r.url()}`);
    }
  });
  return page;
}

async function choosePassword(page, link, password) {
  await page.goto(link, { waitUntil: "load" });
  await page.fill("#password", password);
  await page.fill("#again", password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].button")]);
}

const config = await readStdin();
const browser = await launch(config);
const pages = [];
const errors = [];
let order = null;
try {
  const page = await newPage(browser, errors);
  await page.goto(`${config.base}/sign-in`, { waitUntil: "load" });
  pages.push(await check(page, "sign-in", config.shots, errors));
  await page.goto(config.volunteer.link, { waitUntil: "load" });
  pages.push(await check(page, "welcome", config.shots, errors));
  await choosePassword(page, config.volunteer.link, config.volunteer.password);
  pages.push(await check(page, "booklets", config.shots, errors));
  await page.fill("#qty-TST-01-standard", "12");
  await page.fill("#qty-TST-01-large-print", "3");
  await Promise.all([page.waitForNavigation(), page.click("#booklet-TST-01 button[type=submit]")]);
  await page.goto(`${config.base}/basket`, { waitUntil: "load" });
  pages.push(await check(page, "basket", config.shots, errors));
  await Promise.all([page.waitForNavigation(), page.click("a.button[href='/checkout']")]);
  pages.push(await check(page, "checkout", config.shots, errors));
  await page.fill("#delivery_name", "Sister Lee");
  await page.fill("#contact", "ring the ward");
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  pages.push(await check(page, "checkout-errors", config.shots, errors));
  await page.fill("#address", "Ward 7\nRoyal Example Hospital\nEX1 1AA");
  await page.fill("#contact", "01234 567890");
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  pages.push(await check(page, "confirmation", config.shots, errors));
  order = { url: page.url(), heading: await page.textContent("h1"),
    number: await page.textContent(".confirmation-number strong") };
  await page.goto(`${config.base}/orders`, { waitUntil: "load" });
  pages.push(await check(page, "orders", config.shots, errors));
  await page.goto(`${config.base}/team/orders`, { waitUntil: "load" }).catch(() => null);
  const forbidden = await page.textContent("h1");
  errors.length = 0; // the 403 just asked for
  pages.push(await check(page, "forbidden", config.shots, errors));
  await page.goto(`${config.base}/orders/999999`, { waitUntil: "load" });
  errors.length = 0; // the 404 just asked for
  pages.push(await check(page, "not-found", config.shots, errors));
  await page.goto(config.volunteer.link, { waitUntil: "load" });
  errors.length = 0; // a link used already: 404
  pages.push(await check(page, "link-used", config.shots, errors));
  const team = await newPage(browser, errors);
  await choosePassword(team, config.team.link, config.team.password);
  await team.goto(`${config.base}/team/orders`, { waitUntil: "load" });
  pages.push(await check(team, "team", config.shots, errors));
  order.forbidden = forbidden;
  process.stdout.write(JSON.stringify({ pages, order }, null, 1));
} finally {
  await browser.close();
}
