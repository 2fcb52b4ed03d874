// Screenshots of a generated docs site for docs/docs-site.md: the site opened from file://, light
// theme on a desktop, dark theme with the search open on a phone. Run by docs/screenshots/run-docs-site.
//   node docs-site.mjs SITE_DIR OUT_DIR
import { createRequire } from "node:module";
import path from "node:path";

// why createRequire: playwright-core is installed with the test clients, not next to this script
const { chromium } = createRequire(path.join(process.env.TEST_NODE_MODULES, "x.js"))("playwright-core");

const [siteDir, outDir] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const url = (p) => "file://" + path.resolve(siteDir, p);
  const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await desktop.goto(url("guide/install.html"));
  await desktop.screenshot({ path: path.join(outDir, "docs-site-desktop.png") });
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, colorScheme: "dark" })).newPage();
  await phone.goto(url("index.html"));
  await phone.fill("#search", "install");
  await phone.screenshot({ path: path.join(outDir, "docs-site-phone.png") });
} finally {
  await browser.close();
}
