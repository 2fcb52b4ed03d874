// Browser scenarios for the page's states, run by WebPageStatesIT: each one at both screen sizes
// ("name@desktop", "name@phone"), against BASE_URL. What each pins is in its comment.

import assert from "node:assert/strict";
import { truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { assertAccessible, BASE, DATA_DIR, generate, run, screenshot, tempDir, waitForState } from "./harness.mjs";

function release(jobId, name) {
  writeFileSync(path.join(DATA_DIR, "jobs", jobId, name), "");
}

function tempFile(name, content) {
  const dir = tempDir("buildcast-states-");
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A zip archive holding one stored (uncompressed) file, built by hand so the test needs no zip tool. */
function zipOf(name, text) {
  const data = Buffer.from(text);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localSize = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Whether the element is on screen and nothing is drawn over its middle (a toast under a dialog is not). */
function isOnTop(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).opacity === "0") return false;
    // why: the toast lets clicks through (pointer-events: none), which hit-testing honours
    const before = el.style.pointerEvents;
    el.style.pointerEvents = "auto";
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    el.style.pointerEvents = before;
    return !!hit && (hit === el || el.contains(hit));
  }, selector);
}

/** Whether the element is inside the viewport without scrolling the page. */
function isAboveTheFold(page, selector) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && window.scrollY === 0;
  }, selector);
}

async function chooseGenerator(page, name) {
  await page.goto(`${BASE}/`);
  await page.waitForSelector(`#generator option[value="${name}"]`, { state: "attached" });
  await page.selectOption("#generator", name);
}

export const scenarios = {
  /** 1. A succeeded job of a generator that declares a site offers "Open site"; the site and its relative links open. */
  async openSite({ open, size }) {
    const page = await open();
    const { jobId, token } = await generate(page, "site");
    await waitForState(page, "succeeded");
    await page.waitForSelector("#job-site:not([hidden])");
    assert.equal(await page.getAttribute("#job-site", "href"), `/api/jobs/${jobId}/site/?token=${encodeURIComponent(token)}`);
    assert.ok(await isAboveTheFold(page, "#job-site"), "Open site is in view without scrolling");
    const [site] = await Promise.all([page.context().waitForEvent("page"), page.click("#job-site")]);
    await site.waitForSelector("h1");
    assert.equal(await site.textContent("h1"), "Demo site");
    await site.click("text=Talks");
    await site.waitForSelector("h1:text-is('Talks')");
    // the preview's browser asks for /favicon.ico: the server has one
    const icon = await site.request.get(`${BASE}/favicon.ico`);
    assert.equal(icon.status(), 200);
    await screenshot(page, `${size}-site-job`);

    // a generator without a site: no such button
    const other = await open();
    await generate(other, "short");
    await waitForState(other, "succeeded");
    assert.ok(await other.isHidden("#job-site"));
  },

  /** 2. Copy in the detailed log shows its toast above the modal dialog, and so does a failed copy. */
  async copyFeedback({ open }) {
    const page = await open();
    await generate(page, "short");
    await waitForState(page, "succeeded");
    await page.click("#job-details");
    await page.waitForFunction(() => window.buildcast.page.detail.state === "loaded");
    await page.click("#detail-copy");
    await page.waitForFunction(() => document.getElementById("toast").textContent.startsWith("Copied"));
    await page.waitForFunction(() => getComputedStyle(document.getElementById("toast")).opacity === "1");
    assert.ok(await isOnTop(page, "#toast"), "the toast is drawn above the dialog");
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new Error("the clipboard is not available"));
    });
    await page.click("#detail-copy");
    await page.waitForFunction(() => document.getElementById("toast").textContent.startsWith("Copying failed"));
    assert.ok(await isOnTop(page, "#toast"), "a failed copy's message is above the dialog too");
    assert.ok(await page.evaluate(() => document.getElementById("toast").classList.contains("error")));
  },

  /** 3. A link that cannot be a job says so at once without connecting; a refused id stops trying. */
  async mangledLink({ open }) {
    const page = await open();
    const socketRequests = [];
    page.on("request", (r) => { if (r.url().includes("/socket.io/")) socketRequests.push(r.url()); });
    await page.goto(`${BASE}/jobs/doesnotexist123`);
    await waitForState(page, "not found", 10_000);
    assert.ok(await page.isVisible("#job-missing"));
    assert.match(await page.textContent("#job-error"), /not a job id/);
    assert.ok(await page.isHidden("#job-tools"));
    assert.equal(socketRequests.length, 0, "nothing was asked of the server's sockets");
    assert.ok(!(await page.evaluate(() => localStorage.getItem("buildcast.recent") ?? "")).includes("doesnotexist123"),
      "an address that cannot be a job is not listed under recent jobs");

    // the right form, but no such job: one refusal, then no more tries
    await page.goto(`${BASE}/jobs/AAAAAAAAAAAAAAAAAAAAAA`);
    await waitForState(page, "not found", 30_000);
    await page.waitForFunction(() => window.buildcast.page.socket.active === false);
    assert.ok(await page.isVisible("#job-missing"));
    assert.equal(await page.textContent("#job-connection"), "");

    // a real job without its token: no access, and no reconnecting either
    const owner = await open();
    const { jobId } = await generate(owner, "short");
    await page.goto(`${BASE}/jobs/${jobId}`);
    await waitForState(page, "no access", 30_000);
    await page.waitForFunction(() => window.buildcast.page.socket.active === false);
    assert.ok(await page.isVisible("#token-form"));
    assert.ok(await page.isHidden("#job-missing"));
  },

  /** 4. A file that is not a zip is refused before it is sent (first bytes) and by the server once uploaded. */
  async notZip({ open }) {
    const page = await open();
    await chooseGenerator(page, "zipin");
    const text = tempFile("export.zip", "name,date\nBuildcast day,2026-12-02\n");
    await page.setInputFiles("#input-file", text);
    await page.waitForSelector('#upload[data-state="refused"]');
    assert.match(await page.textContent("#form-error"), /takes a zip file, but export\.zip is not one: it starts with “name”/);
    assert.ok(await page.isDisabled("#generate"));
    assert.equal(await page.evaluate(() => window.buildcast.page.uploaded), null);

    // starts like a zip, is not one: the server says so as soon as the upload completes
    const fake = tempFile("fake.zip", Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(2000, 7)]));
    await page.setInputFiles("#input-file", fake);
    await page.waitForSelector('#upload[data-state="failed"]', { timeout: 60_000 });
    assert.match(await page.textContent("#form-error"), /fake\.zip is not one: it is not a readable zip archive/);
    assert.ok(await page.isDisabled("#generate"));
    assert.ok(await page.isHidden("#upload-retry"), "uploading the same wrong file again would not help");

    // a zip passes and runs
    const zip = tempFile("talks.zip", zipOf("event.json", '{"name": "Buildcast day"}\n'));
    await page.setInputFiles("#input-file", zip);
    await page.waitForSelector('#upload[data-state="done"]', { timeout: 60_000 });
    assert.equal(await page.textContent("#form-error"), "");
    assert.ok(await page.isEnabled("#generate"));
    await page.click("#generate");
    await waitForState(page, "succeeded");
  },

  /** 5. A cancelled upload drops its figures and offers to upload again; the same file can be chosen again. */
  async uploadCancel({ open }) {
    const dir = tempDir("buildcast-states-");
    const big = path.join(dir, "big.bin");
    writeFileSync(big, "");
    truncateSync(big, 48 * 1024 * 1024);
    const page = await open();
    await chooseGenerator(page, "upload");
    // why held: on a fast machine the whole file can arrive before the click, leaving nothing to
    // cancel; the test keeps the chunks' sends back until it has cancelled, then fails them
    await page.evaluate(() => {
      const socket = window.buildcast.page.socket;
      const send = socket.emitWithAck.bind(socket);
      window.heldChunks = [];
      window.holdChunks = true;
      socket.emitWithAck = (event, payload) => event !== "upload.chunk" || !window.holdChunks ? send(event, payload)
        : new Promise((resolve, reject) => window.heldChunks.push(reject));
      window.failHeldChunks = () => window.heldChunks.splice(0).forEach((reject) => reject(new Error("held back by the test")));
    });
    const cancelWhileRunning = async () => {
      await page.waitForFunction(() => window.buildcast.page.upload?.uploadId && window.heldChunks.length > 0, null, { timeout: 60_000 });
      await page.click("#upload-cancel");
      await page.evaluate(() => window.failHeldChunks());
      await page.waitForSelector('#upload[data-state="cancelled"]');
    };
    await page.setInputFiles("#input-file", big);
    await cancelWhileRunning();
    assert.equal(await page.textContent("#upload-label"), "Upload of big.bin cancelled");
    assert.equal(await page.textContent("#upload-figures"), "", "no figures of an upload that stopped");
    assert.ok(await page.isHidden("#upload .progress"));
    assert.ok(await page.isVisible("#upload-retry"));
    assert.ok(await page.isDisabled("#generate"));

    // the same file again fires a change and uploads again
    await page.setInputFiles("#input-file", big);
    await page.waitForSelector('#upload[data-state="uploading"]');
    await cancelWhileRunning();

    // "Upload again" sends it to the end
    await page.evaluate(() => { window.holdChunks = false; });
    await page.click("#upload-retry");
    await page.waitForSelector('#upload[data-state="done"]', { timeout: 60_000 });
    assert.match(await page.textContent("#upload-figures"), /^100% · 48 MiB of 48 MiB$/);
    assert.ok(await page.isEnabled("#generate"));
  },

  /** 6. A cancelled job is neutral, not a failure; Cancel asks first. */
  async cancelNeutral({ open, size }) {
    const page = await open();
    const { jobId } = await generate(page, "live");
    await page.waitForSelector('#basic-log .txt:text-is("tick 5")');
    await page.click("#job-cancel");
    await page.waitForSelector("#cancel-dialog[open]");
    await screenshot(page, `${size}-cancel-confirm`);
    await page.click("#cancel-dialog button[value=keep]");
    await page.waitForFunction(() => !document.getElementById("cancel-dialog").open);
    assert.equal(await page.getAttribute("#job-state", "data-state"), "running", "keeping it running keeps it running");
    await page.click("#job-cancel");
    await page.click("#cancel-confirm");
    await waitForState(page, "cancelled");
    const colours = await page.evaluate(() => ({
      bar: getComputedStyle(document.querySelector(".job-progress .progress-fill")).backgroundColor,
      danger: getComputedStyle(document.querySelector(".button.danger")).color,
      muted: getComputedStyle(document.querySelector(".figure")).color,
    }));
    assert.notEqual(colours.bar, colours.danger, "the bar is not red");
    assert.equal(colours.bar, colours.muted, "the bar is neutral grey");
    assert.ok(await page.isHidden("#annotations"), "no error counted");
    await page.waitForSelector("#basic-log .line.lvl-cancelled");
    assert.match(await page.textContent("#basic-log .line.lvl-cancelled"), /cancel/i);
    // the same when the page opens the job afresh (its status comes before its lines)
    await page.goto(`${BASE}/jobs/${jobId}`);
    await waitForState(page, "cancelled");
    await page.waitForSelector("#basic-log .line.lvl-cancelled");
    assert.ok(await page.isHidden("#annotations"), "no error counted after a reload");
  },

  /** 7. When the generators cannot be loaded the error stays (the socket connecting does not wipe it); retry works. */
  async generatorsFail({ open }) {
    const page = await open();
    await page.route("**/api/generators", (route) => route.fulfill({ status: 500, contentType: "application/json", body: '{"error":{"code":"internal","message":"boom"}}' }));
    await page.goto(`${BASE}/`);
    await page.waitForSelector("#generators-error:not([hidden])");
    await page.waitForFunction(() => window.buildcast.page.socket.connected);
    assert.match(await page.textContent("#generators-error"), /Could not load the generators: the server answered HTTP 500/);
    assert.ok(await page.isVisible("#generators-error"), "still shown after the socket connected");
    assert.ok(await page.isDisabled("#generate"));
    assert.ok(await page.isDisabled("#generator"));
    await page.unroute("**/api/generators");
    await page.click("#generators-retry");
    await page.waitForSelector('#generator option[value="steps"]', { state: "attached" });
    assert.ok(await page.isHidden("#generators-error"));
    assert.ok(await page.isEnabled("#generator"));
  },

  /** 8. Jobs can be told apart (input, size, parameters) on their page and in recent jobs; run again, or say the input expired. */
  async jobsApart({ open }) {
    const page = await open();
    await chooseGenerator(page, "upload");
    await page.setInputFiles("#input-file", tempFile("report-a.bin", Buffer.alloc(3000, 1)));
    await page.waitForSelector('#upload[data-state="done"]');
    await page.fill("#param-label", "alpha");
    await page.click("#generate");
    await waitForState(page, "succeeded");
    const first = await page.evaluate(() => window.buildcast.page.jobId);
    assert.equal(await page.textContent("#job-input"), "Ran on: report-a.bin (2.9 KiB) · label=alpha");

    await page.click("#job-rerun");
    await page.waitForFunction((id) => window.buildcast.page.jobId !== id, first);
    await waitForState(page, "succeeded");
    const second = await page.evaluate(() => window.buildcast.page.jobId);
    assert.equal(await page.textContent("#job-input"), "Ran on: report-a.bin (2.9 KiB) · label=alpha");
    const status = await page.evaluate(() => window.buildcast.page.status);
    assert.equal(status.input.name, "report-a.bin");
    assert.equal(status.input.size, 3000);
    assert.deepEqual(status.params, { label: "alpha" });

    await page.click("#nav-new");
    for (const id of [first, second]) {
      await page.waitForSelector(`#recent-list li:has(a[href="/jobs/${id}"]) .recent-what:text-is("report-a.bin (2.9 KiB) · label=alpha")`);
    }

    // the upload goes away: "run again" says it expired and offers a new job with the same parameters
    const root = io(BASE, { transports: ["websocket"] });
    const answer = await root.timeout(10_000).emitWithAck("upload.abort", { uploadId: status.input.uploadId });
    root.close();
    assert.deepEqual(answer, { ok: true });
    await page.goto(`${BASE}/jobs/${second}`);
    await waitForState(page, "succeeded");
    await page.click("#job-rerun");
    await page.waitForFunction(() => /has expired/.test(document.getElementById("job-rerun-note").textContent));
    assert.ok(await page.isHidden("#job-rerun"));
    await page.click("#job-rerun-note a");
    await page.waitForSelector("#home:not([hidden])");
    await page.waitForFunction(() => document.getElementById("param-label")?.value === "alpha");
    assert.equal(await page.inputValue("#generator"), "upload");
  },

  /** 9. The detailed log shows steps, warnings and errors as the basic log does; each problem links into it. */
  async detailLevels({ open }) {
    const page = await open();
    await generate(page, "steps");
    await waitForState(page, "succeeded");
    const warningSeq = await page.evaluate(() => {
      const log = window.buildcast.page.log;
      for (let i = 0; i < log.count; i++) if (log.levels.get(i) === 1) return log.seqs.get(i);
      return -1;
    });
    await page.click(`#annotations-list button[data-detail-seq="${warningSeq}"]`);
    await page.waitForSelector("#detail-dialog[open]");
    await page.waitForSelector(`#detail-log .line.selected.lvl-warning a.ln:text-is("${warningSeq}")`);
    assert.ok(await page.locator("#detail-log .line.lvl-group").count() >= 2, "steps stand out");
    assert.equal(await page.locator("#detail-log .line.lvl-error").count(), 1);
    assert.match(await page.textContent("#detail-log .line.lvl-error .txt"), /test failed/);
  },

  /** 10. Until the generator reports progress the bar is indeterminate, not 0 %. */
  async indeterminate({ open }) {
    const page = await open();
    const { jobId } = await generate(page, "quiet");
    await waitForState(page, "running");
    await page.waitForSelector('.job-progress[data-indeterminate="true"]');
    assert.equal(await page.getAttribute(".job-progress", "aria-valuenow"), null);
    assert.equal(await page.textContent("#job-percentage"), "working…");
    release(jobId, "go");
    await page.waitForSelector('.job-progress[data-indeterminate="false"][aria-valuenow="30"]');
    assert.equal(await page.textContent("#job-percentage"), "30%");
    release(jobId, "go2");
    await waitForState(page, "succeeded");
    assert.equal(await page.getAttribute(".job-progress", "aria-valuenow"), "100");
  },

  /** 11. Without access the page offers none of the job's tools, and no link carries a missing token. */
  async noAccess({ open }) {
    const owner = await open();
    const { jobId, token } = await generate(owner, "short");
    await waitForState(owner, "succeeded");
    const page = await open();
    await page.goto(`${BASE}/jobs/${jobId}`);
    await waitForState(page, "no access");
    for (const id of ["#job-details", "#job-share", "#job-cancel", "#job-timestamps"]) {
      assert.ok(await page.isHidden(id), `${id} is hidden without access`);
    }
    const hrefs = await page.evaluate(() => [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")));
    assert.ok(hrefs.every((h) => !h.includes("undefined") && !h.includes("token=null")), hrefs.join(" "));
    await page.fill("#token-input", token);
    await page.click("#token-form button");
    await waitForState(page, "succeeded");
    assert.ok(await page.isVisible("#job-details"));
    assert.ok(await page.isVisible(".job-meta"), "progress and times are back once the job is open");
    assert.ok((await page.getAttribute("#detail-download", "href")).endsWith(`token=${encodeURIComponent(token)}`));
  },

  /** 12. Long lines can be scrolled to their end; artifacts and "Open site" are in view when the job ends. */
  async layout({ open }) {
    const page = await open();
    await generate(page, "site");
    await waitForState(page, "succeeded");
    await page.waitForSelector("#artifacts:not([hidden])");
    assert.ok(await isAboveTheFold(page, "#artifacts-list a"), "the artifact's download is in view");
    assert.ok(await isAboveTheFold(page, "#job-site"));

    await generate(page, "short");
    await waitForState(page, "succeeded");
    const end = await page.evaluate(() => {
      const log = document.getElementById("basic-log");
      log.scrollLeft = log.scrollWidth;
      const txt = [...log.querySelectorAll(".txt")].find((t) => t.textContent.endsWith("END"));
      const range = document.createRange();
      range.setStart(txt.lastChild, txt.lastChild.length - 3);
      range.setEnd(txt.lastChild, txt.lastChild.length);
      const r = range.getBoundingClientRect();
      const box = log.getBoundingClientRect();
      return { scrollable: log.scrollWidth > log.clientWidth, visible: r.left >= box.left && r.right <= box.right };
    });
    assert.ok(end.scrollable, "the long line scrolls sideways");
    assert.ok(end.visible, "its end can be brought into view");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, "the page itself stays as wide as the screen");
  },

  /** 13. Smaller things: line-number hint, count without endgroup lines, short pane, no Follow on finished jobs, hints and labels. */
  async details({ open }) {
    const page = await open();
    await chooseGenerator(page, "zipin");
    assert.ok(await page.isDisabled("#generate"));
    assert.equal(await page.textContent("#generate-hint"), "Choose the input .zip file first.");
    assert.equal(await page.getAttribute("#generate", "aria-describedby"), "generate-hint");
    await page.selectOption("#generator", "steps");
    assert.equal(await page.textContent('label[for="param-title"]'), "Shown in the last line");
    assert.equal(await page.textContent("#param-title-hint"), "Parameter title");
    assert.equal(await page.textContent("#generate-hint"), "");

    await page.click("#generate");
    await waitForState(page, "succeeded");
    const rows = await page.evaluate(() => window.buildcast.page.log.rows.length);
    assert.equal(await page.textContent("#log-count"), `${rows} lines`, "the count is the lines shown (no endgroup)");
    assert.ok(await page.isVisible("#log-hint"), "numbers that jump are explained");
    assert.ok(await page.locator("#basic-log .line.gap").count() >= 1);
    assert.ok(await page.isHidden("#log-follow"), "nothing to follow on a finished job");
    await page.hover("#basic-log");
    await page.mouse.wheel(0, -400);
    assert.ok(await page.isHidden("#log-follow"));

    await generate(page, "short");
    await waitForState(page, "succeeded");
    const pane = await page.evaluate(() => document.getElementById("basic-log").getBoundingClientRect().height);
    assert.ok(pane < 160, `a 3-line log gets a small pane (${pane} px)`);
    const icon = await page.request.get(`${BASE}/favicon.ico`);
    assert.equal(icon.status(), 200);
    assert.match(icon.headers()["content-type"], /^image\//);
  },

  /** axe-core finds no violations on the home page and on a finished job's page with problems and artifacts. */
  async accessible({ open }) {
    const page = await open();
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#generator option[value="steps"]', { state: "attached" });
    await assertAccessible(page, "the home page");
    await generate(page, "steps", { title: "axe" });
    await waitForState(page, "succeeded");
    await page.waitForSelector("#artifacts:not([hidden])");
    await assertAccessible(page, "a finished job's page");
    await page.click("#nav-new");
    await page.waitForSelector("#recent-list li");
    await assertAccessible(page, "the home page with recent jobs");
    const running = await open();
    const { jobId } = await generate(running, "quiet");
    await waitForState(running, "running");
    await assertAccessible(running, "a running job's page");
    release(jobId, "go");
    release(jobId, "go2");
    await waitForState(running, "succeeded");
  },
};

await run(scenarios);
