// Browser checks of a generated open-event site opened from file:// (no server): the page works
// with JavaScript off, nothing is wider than a phone, and site.js's filters, stars ("my schedule"),
// day tabs, click-to-load videos and share links behave (the last also as published on https,
// which the browser is shown by answering https://site.test/ from the folder). Usage: node web/open-event-site.mjs SITE_DIR
// Prints PASS/FAIL per check; exits 1 when one failed.

import { launch, PHONE, DESKTOP } from "./harness.mjs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readFile } from "node:fs/promises";

const site = process.argv[2];
const url = (file) => pathToFileURL(path.join(site, file)).href;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    console.log(`PASS ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await launch();
try {
  const remote = [];
  async function open(file, { viewport = DESKTOP, javaScriptEnabled = true } = {}) {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    await context.route(/^https?:/, (route) => { remote.push(route.request().url()); return route.abort(); });
    const page = await context.newPage();
    await page.goto(url(file), { waitUntil: "load" });
    return page;
  }

  await check("javascript off: every session listed, filters hidden, browse links shown", async () => {
    const page = await open("schedule.html", { javaScriptEnabled: false });
    const visible = await page.locator("li.session:visible").count();
    const all = await page.locator("li.session").count();
    expect(all > 0 && visible === all, `${visible} of ${all} sessions visible`);
    expect(!(await page.locator("form.filters").isVisible()), "filter form visible without script");
    expect(await page.locator(".browse a").first().isVisible(), "browse links hidden");
    await page.context().close();
  });

  await check("phone: no page is wider than the screen", async () => {
    for (const file of ["index.html", "schedule.html", "calendar.html", "speakers.html", "tracks.html", "rooms.html",
      "sessions/1000.html", "sessions/9001.html", "speakers/100.html"]) {
      const page = await open(file, { viewport: PHONE });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width <= PHONE.width, `${file} is ${width} px wide`);
      await page.context().close();
    }
  });

  await check("day tabs: one day at a time, a tab shows its day", async () => {
    const page = await open("schedule.html");
    expect(await page.locator("#day-2017-03-17").isVisible(), "first day hidden");
    expect(!(await page.locator("#day-2017-03-18").isVisible()), "second day shown with the first");
    await page.click("nav.days a[href='#day-2017-03-18']");
    expect(await page.locator("#day-2017-03-18").isVisible(), "second day not shown after its tab");
    expect(!(await page.locator("#day-2017-03-17").isVisible()), "first day still shown");
    await page.context().close();
  });

  await check("filters: text and room narrow the list across days", async () => {
    const page = await open("schedule.html");
    await page.fill("form.filters input[name=q]", "second day");
    const shown = await page.locator("li.session:visible a").allTextContents();
    expect(shown.length === 1 && shown[0] === "Second day talk", `shown: ${shown}`);
    await page.fill("form.filters input[name=q]", "");
    await page.selectOption("form.filters select[name=room]", "10");
    const inHallA = await page.locator("li.session:visible").evaluateAll((items) => items.map((i) => i.dataset.room));
    expect(inHallA.length >= 2 && inHallA.every((room) => room === "10"), `rooms shown: ${inHallA}`);
    expect((await page.locator("output[name=shown]").textContent()).includes("of"), "no count shown");
    await page.context().close();
  });

  await check("stars: kept in localStorage from file:// and shown as my schedule", async () => {
    const page = await open("schedule.html");
    await page.click("nav.days a[href='#day-2017-03-18']");
    await page.click("li.session[data-session='1001'] button.star");
    expect((await page.getAttribute("li.session[data-session='1001'] button.star", "aria-pressed")) === "true", "not pressed");
    await page.goto(url("schedule.html") + "#mine");
    await page.reload();
    const mine = await page.locator("li.session:visible").evaluateAll((items) => items.map((i) => i.dataset.session));
    expect(mine.length === 1 && mine[0] === "1001", `my schedule shows ${mine}`);
    const onSessionPage = await page.context().newPage();
    await onSessionPage.goto(url("sessions/1001.html"));
    expect((await onSessionPage.getAttribute("button.star", "aria-pressed")) === "true", "session page does not show the star");
    await page.context().close();
  });

  await check("video: no third-party request before the click, the player after it", async () => {
    remote.length = 0;
    const page = await open("sessions/9001.html");
    expect((await page.locator("iframe").count()) === 0, "iframe before click");
    expect(remote.every((u) => !u.includes("youtube")), `requests before click: ${remote}`);
    await page.click(".video button");
    const src = await page.getAttribute(".video iframe", "src");
    expect(src === "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", `iframe src ${src}`);
    await page.context().close();
  });

  await check("share links: hidden from a file, filled with the page's address on https", async () => {
    const local = await open("sessions/1000.html");
    expect(!(await local.locator("p.share").isVisible()), "share links shown on file://");
    await local.context().close();

    const context = await browser.newContext({ viewport: DESKTOP });
    await context.route(/^https?:/, async (route) => {
      const address = new URL(route.request().url());
      if (address.host !== "site.test") return route.abort();
      const body = await readFile(path.join(site, decodeURIComponent(address.pathname)));
      const type = address.pathname.endsWith(".js") ? "text/javascript" : address.pathname.endsWith(".css") ? "text/css" : "text/html";
      return route.fulfill({ status: 200, body, contentType: type });
    });
    const page = await context.newPage();
    await page.goto("https://site.test/sessions/1000.html#media", { waitUntil: "load" });
    await page.locator("p.share").waitFor({ state: "visible" });
    const href = await page.getAttribute("p.share a", "href");
    expect(href === "mailto:?subject=Opening&body=https%3A%2F%2Fsite.test%2Fsessions%2F1000.html", `first share link ${href}`);
    await context.close();
  });
} finally {
  await browser.close();
}
// why: harness.mjs listens on stdin for the JUnit side; exit explicitly rather than wait for its end
process.exit(failed ? 1 : 0);
