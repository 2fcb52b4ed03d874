// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core (which never
// downloads a browser of its own), a screenshot when a scenario fails, a line protocol to ask the
// JUnit side for things only the server can do, and figures printed for the test output.

import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { createInterface } from "node:readline";
import path from "node:path";

export const BASE = process.env.BASE_URL;
export const DATA_DIR = process.env.DATA_DIR;
export const SHOTS = process.env.SHOTS_DIR ?? "target/web-screenshots";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// the folders of the files scenarios choose (up to 96 MB each), removed however the process ends
const tempDirs = [];
process.on("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temp folder, removed when this process exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export const DESKTOP = { width: 1366, height: 850 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--enable-precise-memory-info"],
  });
}

/** A browser context whose pages may read and write the clipboard, with console echo. */
export async function newPage(browser, { viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });
  const page = await context.newPage();
  // why a minute: a wait's bound only decides how long a failure takes to show; the 30 s default
  // made scenarios fail on a machine busy enough to take longer than ours
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") console.log(`[console ${m.type()}] ${m.text()}`);
  });
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot: ${file}`);
  return file;
}

export function figure(name, value) {
  console.log(`FIGURE ${name} = ${value}`);
}

// --- asking the JUnit side (it reads "ASK ..." lines on our stdout and answers on our stdin)

const answers = [];
let waiting = null;
const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  if (waiting) {
    const w = waiting;
    waiting = null;
    w(line);
  } else {
    answers.push(line);
  }
});

export function ask(request) {
  console.log(`ASK ${request}`);
  if (answers.length) return Promise.resolve(answers.shift());
  return new Promise((resolve) => { waiting = resolve; });
}

// --- page helpers

/** The basic log lines the page holds, as {seq, level, text}. */
export function basicLines(page) {
  return page.evaluate(() => {
    const log = window.buildcast.page.log;
    const out = [];
    for (let i = 0; i < log.count; i++) {
      out.push({ seq: log.seqs.get(i), level: ["notice", "warning", "error", "group", "endgroup", "system", "detail"][log.levels.get(i)], text: log.texts.get(i) });
    }
    return out;
  });
}

export function jobIdOf(page) {
  return new URL(page.url()).pathname.split("/").pop();
}

export async function waitForState(page, state, timeout = 60_000) {
  await page.waitForSelector(`#job-state[data-state="${state}"]`, { timeout });
}

/** Starts a job from the start page like a user: choose the generator, fill params, Generate. */
export async function generate(page, generator, params = {}) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector(`#generator option[value="${generator}"]`, { state: "attached" });
  await page.selectOption("#generator", generator);
  for (const [name, value] of Object.entries(params)) await page.fill(`#param-${name}`, value);
  await page.click("#generate");
  await page.waitForURL(/\/jobs\/[A-Za-z0-9_-]+/);
  return { jobId: jobIdOf(page), token: await page.evaluate(() => window.buildcast.page.token) };
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/**
 * Runs axe-core (injected into the page) against the page as it is now; fails listing every
 * violation with the elements it found it on.
 */
export async function assertAccessible(page, what) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join("; ")}`).join("\n    ")}`);
  });
  if (violations.length) throw new Error(`axe-core found ${violations.length} violations on ${what}:\n  ${violations.join("\n  ")}`);
}

export const SIZES = { desktop: DESKTOP, phone: PHONE };

/**
 * Runs the named scenarios from a module of scenario functions; exits non-zero on a failure. A
 * name "scenario@phone" or "scenario@desktop" runs it at that screen size: its pages open with
 * that viewport, and it gets {size, viewport}.
 */
export async function run(scenarios) {
  const names = process.argv.slice(2);
  const browser = await launch();
  let failed = 0;
  for (const name of names) {
    const [base, size] = name.split("@");
    const scenario = scenarios[base];
    if (!scenario) throw new Error(`unknown scenario ${name}`);
    const viewport = SIZES[size ?? "desktop"];
    if (!viewport) throw new Error(`unknown size in ${name}`);
    const pages = [];
    const t0 = Date.now();
    try {
      const open = async (opts = {}) => { const p = await newPage(browser, { viewport, ...opts }); pages.push(p); return p; };
      await scenario({ browser, open, size: size ?? "desktop", viewport });
      console.log(`PASS ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.stack ?? e}`);
      for (const [i, p] of pages.entries()) {
        try {
          await screenshot(p, `failure-${name.replace("@", "-")}-${i}`);
        } catch {
          // the page may be gone
        }
      }
    } finally {
      for (const p of pages) await p.context().close().catch(() => {});
    }
  }
  await browser.close();
  input.close();
  console.log(`${names.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
