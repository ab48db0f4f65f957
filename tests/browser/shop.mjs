// The order shop in headless Chromium: a volunteer sets a password from their sign-in link,
// fills a basket, orders and sees the confirmation, all by keyboard (Tab to each control, type,
// Enter or Space); the team makes the print run with its button, downloads it, marks the
// order sent after confirming, and tries again an email the shop gave up on. On every page:
// axe-core (WCAG 2.2 A/AA and best practices) at 1280 and 320 CSS pixels (400% zoom of a
// 1280 px window), no sideways scrolling at 320 px, every control reached by Tab with a
// visible focus style, no failed request, no script error. The shop itself has no script:
// the browser context bypasses its CSP only so that axe can be injected.
//
// Input on stdin, JSON: {"chromium": path, "shots": dir, "base": "http://127.0.0.1:PORT",
//   "volunteer": {"link": url, "password": pw}, "team": {"link": url, "password": pw}}
// Output on stdout, JSON: {"pages": [...], "order": {"number", "heading", "banner", ...}}
// The checks themselves are the shared runner's (runner.mjs), as for the catalogue.
// Run by tests/test_shop_browser.py; install with: npm ci --prefix tests/browser

import path from "node:path";
import { NARROW, WIDE, keyboard, launch, newPage, readStdin, reflow, runAxe } from "./runner.mjs";

// Check the page the tab shows now, without changing it (a page after a POST is checked as it is).
async function check(page, name, shots, errors) {
  await page.evaluate(() => document.fonts.ready);
  await startAtTop(page); // Tab from the top, wherever focus was put (a banner takes it on arrival)
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

async function shopPage(browser, errors) {
  const page = await newPage(browser, errors, { bypassCSP: true });
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

// Press Tab until the control matching `selector` has focus (as a keyboard user would); fail if never.
async function tabTo(page, selector, limit = 120) {
  for (let n = 0; n < limit; n += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector} on ${page.url()}`);
}

// Tab to a field and type into it (what was there replaced).
async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.type(text);
}

// Tab to a button or link and press it with the key a keyboard user would, waiting for the next page.
async function press(page, selector, key = "Enter") {
  await tabTo(page, selector);
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

// Where focus is now: the id of the focused element (or its nearest ancestor with one), once the
// page has been drawn (the browser moves focus to an autofocus element then).
async function focusedId(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return page.evaluate(() => document.activeElement?.closest("[id]")?.id ?? null);
}

// Start the Tab order at the top of the page, as a page just opened without a focused element does.
async function startAtTop(page) {
  await page.evaluate(() => {
    const root = document.documentElement;
    root.setAttribute("tabindex", "-1");
    root.focus();
    root.removeAttribute("tabindex");
  });
}

const config = await readStdin();
const browser = await launch(config);
const pages = [];
const errors = [];
let order = null;
try {
  const page = await shopPage(browser, errors);
  await page.goto(`${config.base}/sign-in`, { waitUntil: "load" });
  pages.push(await check(page, "sign-in", config.shots, errors));
  await page.goto(config.volunteer.link, { waitUntil: "load" });
  pages.push(await check(page, "welcome", config.shots, errors));
  await startAtTop(page);
  await typeInto(page, "#password", config.volunteer.password);
  await typeInto(page, "#again", config.volunteer.password);
  await press(page, "main button[type=submit]");
  pages.push(await check(page, "booklets", config.shots, errors));
  // both boxes typed, then the button: both are added, and focus moves to the banner saying so
  await startAtTop(page);
  await typeInto(page, "#qty-TST-01-standard", "25");
  await typeInto(page, "#qty-TST-01-large-print", "3");
  await press(page, "#booklet-TST-01 button[type=submit]");
  const banner = { focused: await focusedId(page), text: (await page.textContent("#added")).replace(/\s+/g, " ").trim() };
  pages.push(await check(page, "added", config.shots, errors));
  await startAtTop(page);
  await press(page, "#added a[href='/basket']");
  pages.push(await check(page, "basket", config.shots, errors));
  // 25 changed to 30, then "Check out" (not "Save changes"): the order is for 30
  await startAtTop(page);
  await typeInto(page, "#qty-TST-01-standard", "30");
  await press(page, "main button[value=checkout]");
  pages.push(await check(page, "checkout", config.shots, errors));
  const lines = (await page.textContent(".order-lines")).replace(/\s+/g, " ").trim();
  await startAtTop(page);
  await typeInto(page, "#delivery_name", "Sister Lee");
  await typeInto(page, "#address", "");
  await typeInto(page, "#contact", "ring the ward");
  await press(page, "main button[type=submit]");
  const errorFocus = await focusedId(page);
  pages.push(await check(page, "checkout-errors", config.shots, errors));
  await startAtTop(page);
  await tabTo(page, "#address");
  await page.keyboard.type("Ward 7");
  await page.keyboard.press("Enter"); // a new line of the address, in the text area
  await page.keyboard.type("Royal Example Hospital");
  await page.keyboard.press("Enter");
  await page.keyboard.type("EX1 1AA");
  await typeInto(page, "#contact", "01234 567890");
  await press(page, "main button[type=submit]", "Space");
  pages.push(await check(page, "confirmation", config.shots, errors));
  order = { url: page.url(), heading: await page.textContent("h1"), banner, lines, errorFocus,
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
  // the team: make the print run with the button, wait for it, download it, mark the order sent
  const team = await shopPage(browser, errors);
  await choosePassword(team, config.team.link, config.team.password);
  await team.goto(`${config.base}/team/orders`, { waitUntil: "load" });
  pages.push(await check(team, "team", config.shots, errors));
  // the email the shop gave up on (the test put one there) is listed above the print runs
  order.unsent = (await team.textContent("#email-not-sent ~ table")).replace(/\s+/g, " ").trim();
  await startAtTop(team);
  await press(team, "form[action='/team/runs/make'] button");
  // no reload: the page's script asks how far the run is and says it in the polite live region
  order.making = { live: await team.getAttribute("#job", "aria-live"), text: (await team.textContent("#job")).trim() };
  pages.push(await check(team, "team-making", config.shots, errors));
  for (let n = 0; n < 480 && (await team.$("#job a[href$='files.zip']")) === null; n += 1) {
    if (await team.$("#job-title")) throw new Error(await team.textContent(".error-summary"));
    const said = await team.textContent("#job");
    if (/could not be made|was not made|shop stopped/.test(said)) throw new Error(said);
    await team.waitForTimeout(500);
  }
  order.made = { text: (await team.textContent("#job")).replace(/\s+/g, " ").trim() };
  await team.reload({ waitUntil: "load" });
  pages.push(await check(team, "team-made", config.shots, errors));
  const zip = await team.request.get(config.base + (await team.getAttribute("a[href$='files.zip']", "href")));
  order.zip = { status: zip.status(), type: zip.headers()["content-type"], size: (await zip.body()).length };
  await startAtTop(team);
  await press(team, "main table a[href^='/team/runs/']");
  pages.push(await check(team, "run", config.shots, errors));
  await startAtTop(team);
  await press(team, `a[href='/team/orders/${order.number}/dispatch']`);
  pages.push(await check(team, "dispatch", config.shots, errors));
  await startAtTop(team);
  await press(team, "main button[value=dispatch]");
  order.sent = { focused: await focusedId(team), text: (await team.textContent("#notice")).replace(/\s+/g, " ").trim() };
  pages.push(await check(team, "sent", config.shots, errors));
  // "Try again" on the email not sent: back in the queue, said in the banner that takes focus
  await team.goto(`${config.base}/team/orders`, { waitUntil: "load" });
  await startAtTop(team);
  await press(team, "main button[value=retry]");
  order.retried = { focused: await focusedId(team), text: (await team.textContent("#notice")).replace(/\s+/g, " ").trim() };
  pages.push(await check(team, "mail-again", config.shots, errors));
  order.forbidden = forbidden;
  process.stdout.write(JSON.stringify({ pages, order }, null, 1));
} finally {
  await browser.close();
}
