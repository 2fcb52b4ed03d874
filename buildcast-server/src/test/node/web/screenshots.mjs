// Takes the page's main states as screenshots into SHOTS_DIR (docs/screenshots via
// scripts/screenshots.sh), against a server at BASE_URL whose generators are the demo ones that
// script configures. Every state is waited for on the page, never for a fixed time.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { BASE, DATA_DIR, DESKTOP, generate, launch, newPage, PHONE, screenshot, waitForState } from "./harness.mjs";

function release(jobId, name) {
  writeFileSync(path.join(DATA_DIR, "jobs", jobId, name), "");
}

async function ready() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no server at ${BASE}`);
}

/** A picture without the moving parts (caret, pulsing badge). */
async function still(page) {
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.addStyleTag({ content: "* { caret-color: transparent !important; }" });
}

async function desktop(browser) {
  const page = await newPage(browser, { viewport: DESKTOP });
  await still(page);
  await generate(page, "site");
  await waitForState(page, "succeeded");
  await page.waitForSelector("#job-site:not([hidden])");
  await screenshot(page, "desktop-site-job");

  const { jobId } = await generate(page, "live");
  await page.waitForSelector('#basic-log .txt:text-is("tick 5")');
  await page.waitForSelector('.job-progress[aria-valuenow="50"]');
  await screenshot(page, "desktop-job-running");
  release(jobId, "go");
  release(jobId, "go2");
  await waitForState(page, "succeeded");

  await generate(page, "docs", { title: "Buildcast handbook" });
  await waitForState(page, "succeeded");
  await page.waitForSelector("#artifacts:not([hidden])");
  await screenshot(page, "desktop-job");

  await generate(page, "detail");
  await waitForState(page, "succeeded");
  await page.click("#job-details");
  await page.waitForFunction(() => window.buildcast.page.detail.state === "loaded");
  await page.fill("#detail-query", "needle");
  await page.waitForFunction(() => /^1 of \d+$/.test(document.getElementById("detail-matches").textContent));
  await screenshot(page, "desktop-detail");
  await page.click("#detail-close");

  await page.click("#nav-new");
  await page.waitForSelector("#recent-list li");
  await page.waitForSelector('#generator option[value="docs"]', { state: "attached" });
  await page.selectOption("#generator", "docs");
  await screenshot(page, "desktop-home");
  await page.context().close();
}

async function phone(browser) {
  const page = await newPage(browser, { viewport: PHONE });
  await still(page);
  await generate(page, "docs", { title: "Buildcast handbook" });
  await waitForState(page, "succeeded");
  await page.waitForSelector("#artifacts:not([hidden])");
  await screenshot(page, "phone-job");
  await page.click("#nav-new");
  await page.waitForSelector("#recent-list li");
  await page.waitForSelector('#generator option[value="docs"]', { state: "attached" });
  await page.selectOption("#generator", "docs");
  await screenshot(page, "phone-home");
  await page.context().close();
}

await ready();
const browser = await launch();
try {
  await desktop(browser);
  await phone(browser);
} finally {
  await browser.close();
}
process.exit(0);
