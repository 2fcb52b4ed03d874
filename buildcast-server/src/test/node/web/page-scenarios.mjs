// Browser scenarios for the page at "/", run by WebPageIT (one scenario per JUnit test):
// node web/page-scenarios.mjs <scenario>... against BASE_URL.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ask, BASE, basicLines, DATA_DIR, generate, PHONE, run, screenshot, tempDir, waitForState } from "./harness.mjs";

const ESC = /\x1b\[[0-?]*[ -/]*[@-~]/g;

function release(jobId, name) {
  writeFileSync(path.join(DATA_DIR, "jobs", jobId, name), "");
}

async function serverLog(page, jobId, token) {
  const response = await page.request.get(`${BASE}/api/jobs/${jobId}/log?token=${encodeURIComponent(token)}`);
  assert.equal(response.status(), 200);
  return response.text();
}

/** The job's log as the server stamped it: {seq, ts, level, text} per line (NDJSON). */
async function serverLogLines(page, jobId, token) {
  const response = await page.request.get(`${BASE}/api/jobs/${jobId}/log?format=ndjson&token=${encodeURIComponent(token)}`);
  assert.equal(response.status(), 200);
  return logLines(await response.text()).map((line) => JSON.parse(line));
}

function logLines(text) {
  return text.replace(/\n$/, "").split("\n");
}

/** Every basic line the page holds is the server's line with that seq, in order, once. */
function assertMatchesServer(lines, serverText) {
  const server = logLines(serverText);
  let last = 0;
  for (const line of lines) {
    assert.ok(line.seq > last, `seq ${line.seq} after ${last}`);
    last = line.seq;
    assert.equal(line.text, server[line.seq - 1], `text of line ${line.seq}`);
  }
}

async function texts(page) {
  return (await basicLines(page)).filter((l) => l.level !== "endgroup").map((l) => l.text);
}

async function waitForText(page, text, timeout = 30_000) {
  await page.waitForFunction((t) => {
    const log = window.buildcast?.page?.log;
    if (!log) return false;
    for (let i = log.count - 1; i >= 0; i--) if (log.texts.get(i) === t) return true;
    return false;
  }, text, { timeout });
}

async function clipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent("download"), click()]);
  return readFileSync(await dl.path(), "utf8");
}

export const scenarios = {
  /** Start page → generate with a parameter → follow to the end: status, steps, problems, ANSI, artifacts, recent jobs. */
  async generate({ open }) {
    const page = await open();
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#generator option[value="steps"]', { state: "attached" });
    assert.equal(await page.inputValue("#generator"), "open-event-site", "open-event-site is preselected");
    assert.ok(await page.isDisabled("#generate"), "a generator with input waits for its upload");
    assert.ok(await page.isVisible("#input-file"));
    await page.selectOption("#generator", "steps");
    assert.ok(await page.isHidden("#input-field"));
    assert.ok(await page.isEnabled("#generate"));
    assert.equal(await page.textContent('label[for="param-title"]'), "Shown in the last line");
    await page.fill("#param-title", "My <b>site</b>");
    await page.click("#generate");
    await page.waitForURL(/\/jobs\//);
    const { jobId, token } = await page.evaluate(() => ({ jobId: window.buildcast.page.jobId, token: window.buildcast.page.token }));
    await waitForState(page, "succeeded");

    const lines = await basicLines(page);
    assert.deepEqual(lines.map((l) => l.level), ["system", "system", "notice", "group", "notice", "endgroup", "group", "notice",
      "warning", "endgroup", "group", "error", "endgroup", "notice", "system"]);
    assertMatchesServer(lines, await serverLog(page, jobId, token));
    assert.equal(lines.at(-2).text, "title is My <b>site</b>");
    // the parameter is text on the page, never markup
    assert.equal(await page.locator("#basic-log b").count(), 0);
    assert.ok(await page.locator("#basic-log .txt", { hasText: "title is My <b>site</b>" }).isVisible());

    assert.equal(await page.getAttribute(".job-progress", "aria-valuenow"), "100");
    assert.equal(await page.textContent("#job-percentage"), "100%");
    assert.equal(await page.textContent("#job-exit"), "Exit code 0");
    assert.match(await page.textContent("#job-elapsed"), /\d/);

    // steps with their durations: the time between the server's stamps of the step's group and
    // endgroup lines. why not "at least the 0.3 s it slept": a server short of CPU stamps the
    // group line late, when it reads it, so the wall-clock sleep is no bound on the stamps
    const groups = page.locator("#basic-log .line.lvl-group");
    assert.equal(await groups.count(), 3);
    const installDuration = await groups.first().locator(".dur").textContent();
    const stamped = await serverLogLines(page, jobId, token);
    const installStart = stamped.findIndex((l) => l.level === "group" && l.text === "Install");
    const installEnd = stamped.findIndex((l, i) => i > installStart && l.level === "endgroup");
    assert.ok(installStart >= 0 && installEnd > installStart, "the Install step's group and endgroup lines");
    const stampedMs = stamped[installEnd].ts - stamped[installStart].ts;
    assert.ok(stampedMs >= 0, `Install stamped ${stampedMs} ms`);
    assert.equal(installDuration, `${(stampedMs / 1000).toFixed(1)}s`);
    // folding a step hides its lines, unfolding shows them again
    assert.ok(await page.locator("#basic-log .txt", { hasText: "installed 20 packages" }).isVisible());
    await groups.first().locator("button.fold").click();
    assert.equal(await groups.first().locator("button.fold").getAttribute("aria-expanded"), "false");
    assert.equal(await page.locator("#basic-log .txt", { hasText: "installed 20 packages" }).count(), 0);
    await groups.first().locator("button.fold").click();
    assert.ok(await page.locator("#basic-log .txt", { hasText: "installed 20 packages" }).isVisible());

    // ANSI colours rendered, escape codes never shown
    assert.equal(await page.textContent("#basic-log span.fg2"), "compiled");
    assert.equal(await page.textContent("#basic-log span.b.fg3"), "care");
    const shown = await page.textContent("#basic-log");
    assert.ok(!shown.includes("\x1b") && !shown.includes("[32m"), "no raw escape codes");

    // warnings and errors highlighted and listed, each linking to its line
    const warning = lines.find((l) => l.level === "warning");
    const error = lines.find((l) => l.level === "error");
    assert.ok(await page.locator(`#basic-log .line.lvl-warning[data-seq="${warning.seq}"]`).isVisible());
    assert.ok(await page.locator(`#basic-log .line.lvl-error[data-seq="${error.seq}"]`).isVisible());
    assert.match(await page.textContent("#annotations-title"), /1 error, 1 warning/);
    await page.click(`#annotations-list a[href="#L${error.seq}"]`);
    await page.waitForSelector(`#basic-log .line.selected[data-seq="${error.seq}"]`);
    assert.equal(new URL(page.url()).hash, `#L${error.seq}`);

    // timestamps on demand
    assert.equal(await page.locator("#basic-log .ts").count(), 0);
    await page.check("#job-timestamps");
    assert.match(await page.locator("#basic-log .ts").first().textContent(), /^\d\d:\d\d:\d\d\.\d{3}$/);

    // artifacts with sizes and downloads
    await page.waitForSelector("#artifacts:not([hidden])");
    const items = page.locator("#artifacts-list li");
    assert.equal(await items.count(), 2);
    assert.match(await items.nth(0).textContent(), /result\.txt\s+26 B/);
    assert.match(await items.nth(1).textContent(), /site\/index\.html/);
    const body = await download(page, () => items.nth(0).locator("a").click());
    assert.equal(body, "artifact body\nsecond line\n");
    await screenshot(page, "desktop-job");

    // the job is in this browser's recent jobs
    await page.click("#nav-new");
    await page.waitForSelector(`#recent-list a[href="/jobs/${jobId}"]`);
    assert.equal(await page.textContent("#recent-list .badge"), "succeeded");
    await screenshot(page, "desktop-home");
  },

  /** Lines appear live, in order, while the job runs; the detailed dialog follows too, across a dropped connection. */
  async live({ open }) {
    const page = await open();
    const { jobId, token } = await generate(page, "live");
    await waitForText(page, "tick 5");
    await waitForState(page, "running");
    assert.equal(await page.textContent("#job-connection"), "● live");
    assert.ok(!(await texts(page)).includes("tick 6"));
    // why a wait: the status event carrying the progress and the batch carrying "tick 5" are sent
    // separately, and either may arrive first
    await page.waitForSelector('.job-progress[aria-valuenow="50"]');

    // the detailed dialog gets the log so far, then live lines from its own watcher
    await page.click("#job-details");
    await page.waitForFunction(() => window.buildcast.page.detail.state === "loaded" && window.buildcast.page.detail.live);
    assert.equal(await ask(`drop ${jobId}`), "dropped");
    await page.waitForSelector('#job-connection[data-state="reconnecting"]', { timeout: 60_000 });
    release(jobId, "go"); // ticks 6-10 and their detail lines are written while both watchers are away
    await waitForText(page, "tick 10");
    await page.waitForFunction(() => {
      const s = window.buildcast.page.detail.store;
      return s.get(s.count - 1) === "detail after tick 10";
    });
    release(jobId, "go2");
    await waitForState(page, "succeeded");
    await page.waitForFunction(() => window.buildcast.page.detail.store.get(window.buildcast.page.detail.store.count - 1).startsWith("Job finished"));
    const detail = await page.evaluate(() => {
      const s = window.buildcast.page.detail.store;
      return Array.from({ length: s.count }, (_, i) => s.get(i));
    });
    const ticks = (await texts(page)).filter((t) => t.startsWith("tick"));
    assert.deepEqual(ticks, Array.from({ length: 11 }, (_, i) => `tick ${i + 1}`));
    assert.deepEqual(detail, logLines(await serverLog(page, jobId, token)), "the dialog holds every line once");
  },

  /** Cancel from the page: the job stops, says why, and the button goes away. */
  async cancel({ open }) {
    const page = await open();
    await generate(page, "live");
    await waitForText(page, "tick 5");
    await page.click("#job-cancel");
    await page.click("#cancel-confirm");
    await waitForState(page, "cancelled");
    assert.ok(await page.isHidden("#job-cancel"));
    const lines = await basicLines(page);
    assert.match(lines.at(-1).text, /cancel/i);
    assert.equal(lines.at(-1).level, "error");
    // a cancel is the user's choice: its line is shown neutral and counted as no problem
    await page.waitForSelector(`#basic-log .line.lvl-cancelled[data-seq="${lines.at(-1).seq}"]`);
    assert.ok(await page.isHidden("#annotations"));
  },

  /** The detailed log: every line, search with a true count, copy and download. */
  async detail({ open }) {
    const page = await open();
    const { jobId, token } = await generate(page, "detail");
    await waitForState(page, "succeeded");
    const server = await serverLog(page, jobId, token);
    const serverLines = logLines(server);

    await page.focus("#job-details");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#detail-dialog[open]");
    assert.equal(await page.evaluate(() => document.activeElement.id), "detail-query", "focus moves into the dialog");
    await page.waitForFunction(() => window.buildcast.page.detail.state === "loaded");
    assert.equal(await page.evaluate(() => window.buildcast.page.detail.store.count), serverLines.length);
    assert.match(await page.textContent("#detail-progress"), new RegExp(`${serverLines.length.toLocaleString("en-US")} lines`));
    // rendered as text with colours, never raw codes; a virtual list renders only what is in view
    const rendered = await page.locator("#detail-log .line").count();
    assert.ok(rendered > 10 && rendered < 200, `${rendered} rows in the DOM`);
    assert.ok(!(await page.textContent("#detail-log")).includes("\x1b"));

    // search: the true count over the whole log
    const plain = server.replace(ESC, "");
    const expected = plain.toLowerCase().split("needle").length - 1;
    assert.equal(expected, 300);
    await page.fill("#detail-query", "needle");
    await page.waitForFunction(() => /^1 of 300$/.test(document.getElementById("detail-matches").textContent));
    // the match is split by colour codes: both pieces are the current match
    assert.equal((await page.locator("#detail-log mark.current").allTextContents()).join(""), "needle");
    await page.click("#detail-next");
    assert.equal(await page.textContent("#detail-matches"), "2 of 300");
    await page.click("#detail-prev");
    await page.click("#detail-prev");
    assert.equal(await page.textContent("#detail-matches"), "300 of 300");
    await page.waitForSelector('#detail-log .line:has(mark.current) .txt:text-matches("^line 3000 ")');
    await page.focus("#detail-query");
    await page.keyboard.press("Enter");
    assert.equal(await page.textContent("#detail-matches"), "1 of 300");
    await screenshot(page, "desktop-detail");

    // copy: the whole log as plain text, line breaks kept, even though few rows are rendered
    await page.click("#detail-copy");
    await page.waitForFunction(() => document.getElementById("toast").textContent.startsWith("Copied"));
    const copied = await clipboard(page);
    assert.equal(copied, plain);
    assert.ok(copied.includes("tabs\tand underline and unicode: café ✓\n"));

    // download: the HTTP log route, byte for byte
    const downloaded = await download(page, () => page.click("#detail-download"));
    assert.equal(downloaded, server);

    // Escape closes the dialog and gives focus back
    await page.focus("#detail-log");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.getElementById("detail-dialog").open);
    assert.equal(await page.evaluate(() => document.activeElement.id), "job-details");
  },

  /** #L links select and scroll to a line, in another browser too; reload keeps the job. */
  async links({ open }) {
    const first = await open();
    const { jobId, token } = await generate(first, "steps");
    await waitForState(first, "succeeded");
    const lines = await basicLines(first);
    const warning = lines.find((l) => l.level === "warning");
    const serverLines = logLines(await serverLog(first, jobId, token));
    const detailSeq = serverLines.indexOf("install detail 5") + 1;

    // the share link carries the token; copying it uses the clipboard
    await first.click("#job-share");
    const shared = await clipboard(first);
    assert.equal(shared, `${BASE}/jobs/${jobId}#token=${token}`);

    // another browser, nothing stored: a line link with the token
    const other = await open();
    await other.goto(`${BASE}/jobs/${jobId}#L${warning.seq}&token=${token}`);
    await other.waitForSelector(`#basic-log .line.selected[data-seq="${warning.seq}"]`);
    await waitForState(other, "succeeded");
    assert.equal(new URL(other.url()).hash, `#L${warning.seq}`, "the token leaves the address bar");
    await other.reload();
    await other.waitForSelector(`#basic-log .line.selected[data-seq="${warning.seq}"]`);
    await waitForState(other, "succeeded");

    // a detail line opens the detailed log there
    await other.goto(`${BASE}/jobs/${jobId}#L${detailSeq}`);
    await other.waitForSelector("#detail-dialog[open]");
    await other.waitForSelector(`#detail-log .line.selected a.ln:text-is("${detailSeq}")`);
    assert.equal(await other.textContent("#detail-log .line.selected .txt"), "install detail 5");
    await other.keyboard.press("Escape");

    // clicking a line number links it
    await other.click(`#basic-log .line[data-seq="${lines[1].seq}"] a.ln`);
    await other.waitForSelector(`#basic-log .line.selected[data-seq="${lines[1].seq}"]`);
    assert.equal(new URL(other.url()).hash, `#L${lines[1].seq}`);

    // a wrong token: refused with a reason, then the right one works
    const third = await open();
    await third.goto(`${BASE}/jobs/${jobId}#token=wrong`);
    await waitForState(third, "no access");
    await third.waitForSelector("#token-form:not([hidden])");
    await third.fill("#token-input", token);
    await third.click("#token-form button");
    await waitForState(third, "succeeded");
  },

  /** Dropped connection: a visible reconnecting state, then every line exactly once; auto-scroll pauses and resumes. */
  async reconnect({ open }) {
    const page = await open();
    const { jobId, token } = await generate(page, "ticker");
    await waitForText(page, "tick 60");
    const atBottom = () => page.evaluate(() => {
      const h = document.getElementById("basic-log");
      return h.scrollHeight - h.scrollTop - h.clientHeight < 12;
    });
    assert.ok(await page.evaluate(() => document.getElementById("basic-log").scrollHeight > document.getElementById("basic-log").clientHeight + 200));
    assert.ok(await atBottom(), "follows new lines");

    // the user scrolls up: following pauses
    await page.hover("#basic-log");
    await page.mouse.wheel(0, -600);
    await page.waitForSelector("#log-follow:not([hidden])");
    const pausedAt = await page.evaluate(() => document.getElementById("basic-log").scrollTop);

    assert.equal(await ask(`drop ${jobId}`), "dropped");
    await page.waitForSelector('#job-connection[data-state="reconnecting"]', { timeout: 60_000 });
    assert.match(await page.textContent("#job-connection"), /reconnecting/i);
    await screenshot(page, "desktop-reconnecting");
    release(jobId, "go"); // lines 61-120 are written while the page is away
    await page.waitForSelector('#job-connection[data-state="live"]', { timeout: 60_000 });
    await waitForText(page, "tick 120");
    assert.equal(await page.evaluate(() => document.getElementById("basic-log").scrollTop), pausedAt, "stays where the user is");

    // back to the bottom: following resumes
    await page.click("#log-follow");
    assert.ok(await atBottom());
    release(jobId, "go2");
    await waitForState(page, "succeeded");
    // why a wait on the condition: the page scrolls on its next frame after the last lines
    await page.waitForFunction(() => {
      const h = document.getElementById("basic-log");
      return h.scrollHeight - h.scrollTop - h.clientHeight < 12;
    }, null, { timeout: 60_000 });

    const lines = await basicLines(page);
    const ticks = lines.filter((l) => l.text.startsWith("tick")).map((l) => l.text);
    assert.deepEqual(ticks, Array.from({ length: 121 }, (_, i) => `tick ${i + 1}`), "every line once, in order");
    assertMatchesServer(lines, await serverLog(page, jobId, token));
  },

  /** Upload with a progress bar from the server's upload.progress, then generate with it; cancel a second upload. */
  async upload({ open }) {
    const dir = tempDir("buildcast-upload-");
    const small = path.join(dir, "input.bin");
    const bytes = randomBytes(6 * 1024 * 1024 + 123);
    writeFileSync(small, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");

    const page = await open();
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#generator option[value="upload"]', { state: "attached" });
    await page.selectOption("#generator", "upload");
    assert.ok(await page.isVisible("#input-file"));
    assert.ok(await page.isDisabled("#generate"));
    const watchProgress = () => page.evaluate(() => {
      window.progressSeen = [];
      const bar = document.querySelector("#upload .progress");
      new MutationObserver(() => window.progressSeen.push(Number(bar.getAttribute("aria-valuenow"))))
        .observe(bar, { attributes: true, attributeFilter: ["aria-valuenow"] });
    });
    await watchProgress();
    await page.setInputFiles("#input-file", small);
    await page.waitForSelector('#upload[data-state="done"]', { timeout: 60_000 });
    const seen = await page.evaluate(() => window.progressSeen);
    assert.equal(seen.at(-1), 100);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `progress only grows: ${seen}`);
    assert.match(await page.textContent("#upload-figures"), /^100% · 6\.0 MiB of 6\.0 MiB$/);
    assert.ok(await page.isEnabled("#generate"));
    await page.click("#generate");
    await page.waitForURL(/\/jobs\//);
    await waitForState(page, "succeeded");
    assert.ok((await texts(page)).includes(`input ${bytes.length} bytes sha256 ${sha256}`), "the job got the file");

    // a big upload shows its progress and can be cancelled
    const big = path.join(dir, "big.bin");
    writeFileSync(big, "");
    truncateSync(big, 256 * 1024 * 1024);
    await page.click("#nav-new");
    await page.waitForSelector('#generator option[value="upload"]', { state: "attached" });
    await page.selectOption("#generator", "upload");
    await watchProgress();
    // why stepped: on a fast machine the whole file could arrive before the click, leaving nothing
    // to cancel. The test holds the chunks' sends and lets one more through per poll until the
    // figures show a speed and the time left; what is held when it cancels is then failed
    await page.evaluate(() => {
      const socket = window.buildcast.page.socket;
      const send = socket.emitWithAck.bind(socket);
      window.heldChunks = [];
      socket.emitWithAck = (event, payload) => event !== "upload.chunk" ? send(event, payload)
        : new Promise((resolve, reject) => window.heldChunks.push({ go: () => send(event, payload).then(resolve, reject), reject }));
    });
    await page.setInputFiles("#input-file", big);
    await page.waitForFunction(() => {
      const figures = document.getElementById("upload-figures").textContent;
      if (/\/s · .* left$/.test(figures) && window.progressSeen.some((p) => p > 0 && p < 100)) return true;
      window.heldChunks.shift()?.go();
      return false;
    }, null, { timeout: 60_000, polling: 20 });
    await screenshot(page, "desktop-upload");
    await page.click("#upload-cancel");
    await page.evaluate(() => window.heldChunks.splice(0).forEach((held) => held.reject(new Error("held back by the test"))));
    await page.waitForSelector('#upload[data-state="cancelled"]');
    assert.equal(await page.textContent("#upload-label"), "Upload of big.bin cancelled");
    assert.ok(await page.isDisabled("#generate"));
  },

  /** An upload resumes where the server stands after the connection drops. */
  async uploadResume({ open }) {
    const dir = tempDir("buildcast-upload-");
    const file = path.join(dir, "resume.bin");
    const bytes = randomBytes(96 * 1024 * 1024);
    writeFileSync(file, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const page = await open();
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#generator option[value="upload"]', { state: "attached" });
    await page.selectOption("#generator", "upload");
    await page.setInputFiles("#input-file", file);
    await page.waitForFunction(() => {
      const p = Number(document.querySelector("#upload .progress").getAttribute("aria-valuenow"));
      return p > 0 && p < 70;
    }, null, { timeout: 60_000 });
    assert.equal(await ask("drop /"), "dropped");
    await page.waitForFunction(() => /Connection lost/.test(document.getElementById("connection-note").textContent), null, { timeout: 60_000 });
    await page.waitForSelector('#upload[data-state="done"]', { timeout: 120_000 });
    assert.equal(await page.textContent("#form-error"), "");
    assert.equal(await page.textContent("#connection-note"), "");
    await page.click("#generate");
    await page.waitForURL(/\/jobs\//);
    await waitForState(page, "succeeded");
    assert.ok((await texts(page)).includes(`input ${bytes.length} bytes sha256 ${sha256}`), "the resumed upload is the file, byte for byte");
  },

  /** Phone-sized screen: everything reachable, nothing wider than the screen; screenshots. */
  async phone({ open }) {
    const page = await open({ viewport: PHONE });
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#generator option[value="steps"]', { state: "attached" });
    await screenshot(page, "phone-home");
    const { jobId } = await generate(page, "steps");
    await waitForState(page, "succeeded");
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok((await overflow()) <= 0, "the page fits the screen's width");
    await screenshot(page, "phone-job");
    await page.click("#job-details");
    await page.waitForFunction(() => window.buildcast.page.detail.state === "loaded");
    const box = await page.locator("#detail-dialog").boundingBox();
    assert.ok(box.width <= PHONE.width && box.height <= PHONE.height, "the dialog fits the screen");
    await screenshot(page, "phone-detail");
    await page.locator("#detail-close").click();
    // recent jobs
    await page.click("#nav-new");
    await page.waitForSelector(`#recent-list a[href="/jobs/${jobId}"]`);
    assert.ok((await overflow()) <= 0);
  },
};

await run(scenarios);
