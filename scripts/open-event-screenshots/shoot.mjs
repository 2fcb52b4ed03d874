// Screenshots of a generated open-event site, desktop (1366×850) and phone (390×844), opened from
// file:// in Debian's Chromium. Also prints each page's width on the phone: wider than 390 px means
// something does not wrap.  Usage: node shoot.mjs SITE_DIR OUT_DIR
import { createRequire } from "node:module";
import path from "node:path";
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [siteDir, outDir] = process.argv.slice(2);
const sessions = fs.readdirSync(path.join(siteDir, "sessions")).filter((f) => f.endsWith(".html")).sort();
const speakers = fs.readdirSync(path.join(siteDir, "speakers")).filter((f) => f.endsWith(".html")).sort();
const pages = ["index.html", "schedule.html", "calendar.html", "speakers.html", "tracks.html",
  "sessions/" + sessions[0], "speakers/" + speakers[0]];
const GREY = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#b8bcc4"/></svg>';
const viewports = { desktop: { width: 1366, height: 850 }, phone: { width: 390, height: 844 } };

fs.mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
let overflow = 0;
try {
  for (const [name, viewport] of Object.entries(viewports)) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    // why: screenshots must not depend on the network; remote images (linked, not copied, by the
    // generator) are drawn as a grey square instead of a broken-image icon
    await context.route(/^https?:/, (route) => route.request().resourceType() === "image"
      ? route.fulfill({ contentType: "image/svg+xml", body: GREY })
      : route.abort());
    const page = await context.newPage();
    for (const file of pages) {
      await page.goto(pathToFileURL(path.resolve(siteDir, file)).href, { waitUntil: "load" });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      const shot = path.join(outDir, `${name}-${file.replace(/[\/.]/g, "-").replace(/-html$/, "")}.png`);
      await page.screenshot({ path: shot, fullPage: false });
      const wide = width > viewport.width;
      if (wide) overflow++;
      console.log(`${name} ${file}: page width ${width} px${wide ? "  <-- wider than the screen" : ""} -> ${path.relative(process.cwd(), shot)}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.exitCode = overflow ? 1 : 0;
