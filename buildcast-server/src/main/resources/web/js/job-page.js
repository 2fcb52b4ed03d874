// The page of one job: status, progress, elapsed time, the live basic log, problems, artifacts,
// and the connection state. The socket resumes after the last line it has (auth.since) on every
// reconnect, and BasicLog ignores anything at or before that line, so no line is lost or doubled.

import { io } from "/vendor/socket.io.esm.min.js";
import { BasicLog, ERROR, GROUP, LEVELS } from "./basic-log.js";
import { DetailDialog } from "./detail-dialog.js";
import { describeJob, formatBytes, formatClock, formatCount, formatDuration } from "./format.js";
import { LogView } from "./log-view.js";
import { renderText } from "./render-text.js";
import { fragment, parseFragment, pref, rememberJob, setPref, updateJob } from "./store.js";
import { toast } from "./toast.js";

const $ = (id) => document.getElementById(id);
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const MAX_PROBLEMS_LISTED = 200;
/** A job id as the server makes them (job.SecureTokens: 128 bits, URL-safe base64). */
export const JOB_ID = /^[A-Za-z0-9_-]{22}$/;

export class JobPage {
  constructor(jobId, token, navigate = () => {}) {
    this.jobId = jobId;
    this.token = token;
    this.navigate = navigate;
    this.cancelLine = -1; // line index of a cancelled job's closing line: neutral, not an error
    this.log = new BasicLog();
    this.status = null;
    this.selectedSeq = null;
    this.pendingSeq = null;
    this.listedProblems = 0;
    this.showTimes = pref("timestamps", false);
    this.cleanup = [];

    $("job-title").textContent = `Job ${jobId}`;
    document.title = `Job ${jobId} · Buildcast`;
    $("job-error").textContent = "";
    $("annotations").hidden = true;
    $("annotations-list").replaceChildren();
    $("artifacts").hidden = true;
    $("token-form").hidden = true;
    $("job-missing").hidden = true;
    document.querySelector(".job-meta").hidden = false;
    $("job-input").hidden = true;
    $("job-rerun-note").textContent = "";
    $("job-site").hidden = true;
    $("job-rerun").hidden = true;
    $("log-hint").hidden = true;
    $("log-count").textContent = "";
    $("basic-log").parentElement.style.setProperty("--rows", "0");
    this.setTools(false);
    $("job-timestamps").checked = this.showTimes;
    $("basic-log").replaceChildren();
    this.setState("connecting");

    this.view = new LogView($("basic-log"), {
      renderRow: (row, el) => this.renderRow(row, el),
      onFollowChange: () => this.updateFollow(),
    });
    this.detail = new DetailDialog(this);

    this.listen($("log-follow"), "click", () => this.view.follow());
    this.listen($("job-timestamps"), "change", (e) => {
      this.showTimes = e.target.checked;
      setPref("timestamps", this.showTimes);
      this.view.render();
    });
    this.listen($("job-details"), "click", () => this.detail.open());
    this.listen($("job-cancel"), "click", () => this.confirmCancel());
    this.listen($("job-share"), "click", () => this.copyLink());
    this.listen($("job-rerun"), "click", () => this.runAgain());
    this.listen($("cancel-dialog"), "close", () => {
      if ($("cancel-dialog").returnValue === "cancel") this.cancel();
      else $("job-cancel").focus();
    });
    this.listen($("annotations-list"), "click", (e) => {
      const show = e.target.closest("button[data-detail-seq]");
      if (show) this.detail.open(Number(show.dataset.detailSeq));
    });
    this.listen($("basic-log"), "click", (e) => this.onLogClick(e));
    this.listen(window, "hashchange", () => this.onHash());
    const timer = setInterval(() => this.tick(), 1000);
    this.cleanup.push(() => clearInterval(timer));

    this.onHash();
    if (!JOB_ID.test(jobId)) {
      // why: no server could have made this id; say so at once instead of asking it forever
      this.refused("not found", `“${jobId}” is not a job id: a job's address ends in 22 letters, digits, - or _. The link may be cut short or mistyped.`);
      return;
    }
    this.connect();
    this.loadGenerator();
  }

  /** The tools that need access to the job: shown once the server sent its status. */
  setTools(on) {
    $("job-tools").hidden = !on;
  }

  /** Whether the job's generator makes a site (GET /api/generators), for "Open site". */
  async loadGenerator() {
    try {
      const response = await fetch("/api/generators");
      if (!response.ok) return;
      const all = await response.json();
      this.generators = Array.isArray(all) ? all : [];
      if (this.status) this.onStatus(this.status);
    } catch {
      // why: without the list the page only lacks "Open site"; the log matters more
    }
  }

  /** The connection was refused for good: no reconnecting, and say why. */
  refused(state, message) {
    this.socket?.disconnect();
    this.setConnection("");
    this.setState(state);
    this.setTools(false);
    $("job-error").textContent = message;
    $("job-missing").hidden = state !== "not found";
    document.querySelector(".job-meta").hidden = true;
  }

  listen(target, type, handler) {
    target.addEventListener(type, handler);
    this.cleanup.push(() => target.removeEventListener(type, handler));
  }

  close() {
    this.cleanup.forEach((f) => f());
    this.socket?.disconnect();
    this.detail.close(true);
    this.detail.dispose();
  }

  connect() {
    const socket = io(`/${this.jobId}`, {
      // why: a function, so every reconnect asks for the lines after the last one we have
      auth: (cb) => cb({ token: this.token, format: "json", since: this.log.lastSeq }),
    });
    this.socket = socket;
    socket.on("connect", () => this.setConnection(FINISHED.has(this.status?.state) ? "" : "live"));
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      this.setConnection("reconnecting");
      // why: socket.io does not come back by itself after a server-side disconnect (a slow
      // client dropped, a server going away); a log viewer should, from the line it has
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 500);
    });
    socket.io.on("reconnect_attempt", (n) => this.setConnection("reconnecting", n));
    socket.on("connect_error", (err) => {
      const code = err?.data?.code;
      if (code === "forbidden" || code === "not_found") {
        this.refused(code === "forbidden" ? "no access" : "not found", err.message);
        if (code === "forbidden") this.askToken();
      } else if (err && Object.hasOwn(err, "data")) {
        // why: the server refused the namespace without saying why; one HTTP question tells
        // "no such job" from "no access" instead of retrying forever
        socket.disconnect();
        this.whyRefused(err.message);
      } else {
        this.setConnection("reconnecting");
      }
    });
    socket.on("status", (s) => this.onStatus(s));
    socket.on("log", (batch) => this.onLines(batch.lines));
    socket.on("error", (e) => { $("job-error").textContent = e?.error?.message ?? e?.message ?? String(e); });
  }

  onLines(lines) {
    let added = 0;
    for (const line of lines) if (this.log.add(line)) added++;
    if (!added) return;
    const digits = String(this.log.lastSeq).length;
    if (digits !== this.digits) {
      this.digits = digits;
      this.view.host.style.setProperty("--ln-chars", String(Math.max(3, digits)));
    }
    this.view.setRowCount(this.log.rows.length);
    // why: endgroup lines close steps and are never shown; counting them would not match the pane
    $("log-count").textContent = `${formatCount(this.log.shownCount)} ${this.log.shownCount === 1 ? "line" : "lines"}`;
    $("log-hint").hidden = this.log.lastSeq <= this.log.count;
    this.view.host.parentElement.style.setProperty("--rows", String(Math.min(this.log.rows.length, 1000)));
    this.updateProblems();
    // why: a watcher that joins a cancelled job gets its status before its lines
    if (this.status?.state === "cancelled") this.markCancelLine();
    if (this.pendingSeq != null) this.trySelect(this.pendingSeq);
    window.dispatchEvent(new CustomEvent("buildcast:lines", { detail: { count: this.log.count } }));
  }

  async whyRefused(message) {
    let status = 0;
    try {
      const response = await fetch(`/api/jobs/${this.jobId}`, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
      status = response.status;
    } catch {
      // the server is not reachable: say what we know
    }
    if (status === 404) this.refused("not found", "There is no job with this id on this server (it may have been deleted after its retention time).");
    else if (status === 403) {
      this.refused("no access", "This job needs its access token: open the link you were given, or paste the token.");
      this.askToken();
    } else this.refused("unavailable", `The server refused to show this job (${message || "no reason given"}). Reload the page to try again.`);
  }

  onStatus(s) {
    this.status = s;
    this.setState(s.state);
    this.setTools(true);
    document.querySelector(".job-meta").hidden = false;
    const finished = FINISHED.has(s.state);
    const pct = Math.max(0, Math.min(100, Number(s.percentage) || 0));
    const bar = document.querySelector(".job-progress");
    // why: 0 % for the whole run reads as "stuck"; until the generator reports progress the bar
    // only says that the job is working
    const indeterminate = !finished && pct === 0 && !this.progressSeen;
    if (pct > 0) this.progressSeen = true;
    if (indeterminate) bar.removeAttribute("aria-valuenow");
    else bar.setAttribute("aria-valuenow", String(pct));
    bar.setAttribute("aria-valuetext", indeterminate ? (s.state === "queued" ? "waiting to start" : "working, no progress reported yet") : `${pct}%`);
    bar.dataset.indeterminate = String(indeterminate);
    bar.querySelector(".progress-fill").style.width = indeterminate ? "" : `${pct}%`;
    bar.dataset.state = s.state;
    $("job-percentage").textContent = indeterminate ? (s.state === "queued" ? "waiting" : "working…") : `${pct}%`;
    $("job-exit").textContent = s.exitCode != null ? `Exit code ${s.exitCode}` : s.reason ?? "";
    $("job-title").textContent = `${s.generator} · ${this.jobId}`;
    document.title = `${s.state} · ${s.generator} · Buildcast`;
    this.showInput(s);
    $("job-cancel").disabled = finished;
    $("job-cancel").hidden = finished;
    const generator = this.generators?.find((g) => g.name === s.generator);
    const site = s.state === "succeeded" && !!generator?.site && !!this.token;
    $("job-site").hidden = !site;
    if (site) $("job-site").href = `/api/jobs/${this.jobId}/site/?token=${encodeURIComponent(this.token)}`;
    $("job-rerun").hidden = !finished || !generator || this.rerunExpired;
    $("job-rerun").textContent = s.input ? "Run again with the same input" : "Run again";
    if (finished) {
      this.showArtifacts(s.artifacts ?? []);
      this.setConnection("");
      if (s.state === "cancelled") this.markCancelLine();
      if (this.pendingSeq != null) this.trySelect(this.pendingSeq, true);
    }
    this.updateFollow();
    updateJob(this.jobId, { state: s.state, generator: s.generator, params: s.params ?? {}, input: s.input ? { name: s.input.name, size: s.input.size } : null });
    this.tick();
  }

  /** The input file and parameters, so this job can be told from others of its generator. */
  showInput(s) {
    const el = $("job-input");
    const text = describeJob({ input: s.input, params: s.params });
    el.hidden = !text;
    el.textContent = text ? `Ran on: ${text}` : "";
  }

  updateFollow() {
    // why: a finished job gets no new lines to follow
    $("log-follow").hidden = this.view.following || FINISHED.has(this.status?.state);
  }

  /**
   * A cancelled job's closing line is written at level error, but a cancel is the user's choice,
   * not a failure: it is shown neutral and not counted as a problem.
   */
  markCancelLine() {
    const last = this.log.count - 1;
    if (last < 0 || this.log.levels.get(last) !== ERROR || this.cancelLine === last) return;
    this.cancelLine = last;
    this.listedProblems = 0;
    $("annotations-list").replaceChildren();
    this.updateProblems(true);
    this.view.render();
  }

  /** Starts the same generator again with the same input and parameters. */
  runAgain() {
    const s = this.status;
    if (!s) return;
    const button = $("job-rerun");
    button.disabled = true;
    const root = io("/", { forceNew: true });
    const request = { generator: s.generator, params: s.params ?? {} };
    if (s.input?.uploadId) request.uploadId = s.input.uploadId;
    root.timeout(30_000).emit("generate", request, (err, answer) => {
      root.disconnect();
      button.disabled = false;
      if (err) return void ($("job-rerun-note").textContent = "The server did not answer; try again.");
      if (answer.error?.code === "unknown_upload") {
        this.rerunExpired = true;
        button.hidden = true;
        const note = $("job-rerun-note");
        note.replaceChildren(`The input file${s.input?.name ? ` ${s.input.name}` : ""} has expired on the server, so this job cannot run again with it. `);
        const again = document.createElement("a");
        again.href = "/";
        again.textContent = "Start a new job with the file";
        again.addEventListener("click", (e) => {
          e.preventDefault();
          this.navigate("/", { generator: s.generator, params: s.params ?? {} });
        });
        note.append(again, ".");
        return;
      }
      if (answer.error) return void ($("job-rerun-note").textContent = answer.error.message);
      rememberJob(answer.jobId, { token: answer.token, generator: s.generator, state: "queued", params: s.params ?? {}, input: s.input ? { name: s.input.name, size: s.input.size } : null });
      this.navigate(`/jobs/${answer.jobId}`);
    });
  }

  setState(state) {
    const badge = $("job-state");
    badge.textContent = state;
    badge.dataset.state = state;
  }

  setConnection(state, attempt) {
    const el = $("job-connection");
    el.dataset.state = state;
    el.textContent = state === "live" ? "● live" : state === "reconnecting"
      ? `Connection lost, reconnecting${attempt ? ` (attempt ${attempt})` : ""}…` : "";
  }

  tick() {
    const s = this.status;
    if (!s) return;
    const start = Date.parse(s.startedAt ?? s.queuedAt);
    const end = s.finishedAt ? Date.parse(s.finishedAt) : Date.now();
    $("job-elapsed").textContent = Number.isFinite(start) ? formatDuration(end - start) : "";
    // why: open steps show a running duration
    if (this.log.open.length && !FINISHED.has(s.state)) this.view.schedule();
  }

  renderRow(row, el) {
    const log = this.log;
    const i = log.rows.get(row);
    const level = log.levels.get(i);
    const seq = log.seqs.get(i);
    const shownLevel = i === this.cancelLine ? "cancelled" : LEVELS[level];
    // why: line numbers are detailed-log seqs; a gap means lines that only the detailed log holds
    const gap = row > 0 && seq - log.seqs.get(log.rows.get(row - 1)) > 1 && !this.isFoldGap(row);
    el.className = `line lvl-${shownLevel}${seq === this.selectedSeq ? " selected" : ""}${gap ? " gap" : ""}`;
    if (gap) el.title = "Lines between these are in the detailed log";
    el.style.setProperty("--depth", log.depths.get(i));
    el.dataset.seq = seq;
    const ln = document.createElement("a");
    ln.className = "ln";
    ln.href = `#L${seq}`;
    ln.textContent = seq;
    ln.setAttribute("aria-label", `Line ${seq}`);
    el.appendChild(ln);
    if (this.showTimes) {
      const ts = document.createElement("span");
      ts.className = "ts";
      ts.textContent = formatClock(log.times.get(i));
      el.appendChild(ts);
    }
    if (level === GROUP) {
      const group = log.groups.get(i);
      const fold = document.createElement("button");
      fold.type = "button";
      fold.className = "fold";
      fold.dataset.line = i;
      fold.setAttribute("aria-expanded", String(!group.folded));
      fold.setAttribute("aria-label", `${group.folded ? "Expand" : "Collapse"} step`);
      fold.textContent = group.folded ? "▸" : "▾";
      el.appendChild(fold);
    }
    const text = document.createElement("span");
    text.className = "txt";
    renderText(text, log.texts.get(i));
    el.appendChild(text);
    if (level === GROUP) {
      const group = log.groups.get(i);
      const dur = document.createElement("span");
      dur.className = "dur";
      const end = group.endTs ?? (FINISHED.has(this.status?.state) ? null : Date.now());
      dur.textContent = end != null ? formatDuration(end - log.times.get(i)) : "";
      if (group.end < 0 && !FINISHED.has(this.status?.state)) dur.textContent += " …";
      el.appendChild(dur);
    }
  }

  onLogClick(e) {
    const fold = e.target.closest("button.fold");
    if (fold) {
      this.log.toggle(Number(fold.dataset.line));
      this.view.setRowCount(this.log.rows.length);
      this.view.render();
      // why: rows are re-rendered, so focus goes back to the same step's new button
      this.view.host.querySelector(`button.fold[data-line="${fold.dataset.line}"]`)?.focus();
    }
  }

  /** Whether the row before `row` is a folded step (its lines are hidden, not missing). */
  isFoldGap(row) {
    const prev = this.log.rows.get(row - 1);
    return this.log.levels.get(prev) === GROUP && this.log.groups.get(prev)?.folded;
  }

  updateProblems(force = false) {
    const problems = this.log.problems.filter((i) => i !== this.cancelLine);
    if (problems.length === this.listedProblems && !force) return;
    const list = $("annotations-list");
    for (; this.listedProblems < Math.min(problems.length, MAX_PROBLEMS_LISTED); this.listedProblems++) {
      const i = problems[this.listedProblems];
      const seq = this.log.seqs.get(i);
      const error = this.log.levels.get(i) === ERROR;
      const li = document.createElement("li");
      li.className = error ? "problem error" : "problem warning";
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = error ? "Error" : "Warning";
      const a = document.createElement("a");
      a.href = `#L${seq}`;
      a.textContent = `line ${seq}`;
      const text = document.createElement("span");
      text.className = "problem-text";
      renderText(text, this.log.texts.get(i));
      // why: a problem often sums up detail lines ("3 data problems … in the detailed log"):
      // the detailed log opened at this line shows them around it
      const show = document.createElement("button");
      show.type = "button";
      show.className = "button small quiet";
      show.dataset.detailSeq = seq;
      show.textContent = "Show in detailed log";
      show.setAttribute("aria-label", `Show in detailed log: line ${seq}`);
      li.append(kind, " ", a, " ", text, " ", show);
      list.appendChild(li);
    }
    const errors = problems.filter((i) => this.log.levels.get(i) === ERROR).length;
    $("annotations-title").textContent =
      `Problems: ${errors} error${errors === 1 ? "" : "s"}, ${problems.length - errors} warning${problems.length - errors === 1 ? "" : "s"}`;
    $("annotations").hidden = problems.length === 0;
  }

  onHash() {
    const { line, token } = parseFragment(location.hash);
    if (token) {
      this.adoptToken(token);
      history.replaceState(history.state, "", location.pathname + fragment({ line }));
    }
    if (line != null) this.trySelect(line);
  }

  adoptToken(token) {
    if (token === this.token) return;
    this.token = token;
    rememberJob(this.jobId, { token });
    this.detail.setDownload();
    if (this.socket && !this.socket.connected) {
      $("job-error").textContent = "";
      $("token-form").hidden = true;
      this.socket.connect();
    }
  }

  /** Selects and scrolls to line seq; a detail line opens the detailed log there. */
  trySelect(seq, final = false) {
    const i = this.log.indexOfSeq(seq);
    if (i >= 0) {
      this.pendingSeq = null;
      this.selectedSeq = seq;
      this.log.reveal(i);
      this.view.setRowCount(this.log.rows.length);
      this.view.scrollToRow(this.log.rowOf(i));
      this.view.render();
      return;
    }
    if (seq < this.log.lastSeq || final) {
      // why: not a basic line, so a detail line: the detailed log has it
      this.pendingSeq = null;
      this.selectedSeq = seq;
      this.detail.open(seq);
    } else {
      this.pendingSeq = seq; // not arrived yet (late join): try again as lines come
    }
  }

  askToken() {
    const form = $("token-form");
    form.hidden = false;
    form.onsubmit = (e) => {
      e.preventDefault();
      const token = $("token-input").value.trim();
      if (token) this.adoptToken(token);
    };
    $("token-input").focus();
  }

  /** Asks first: a cancelled job cannot be resumed. */
  confirmCancel() {
    const dialog = $("cancel-dialog");
    dialog.returnValue = "";
    dialog.showModal();
  }

  cancel() {
    const button = $("job-cancel");
    button.disabled = true;
    this.socket.timeout(10_000).emit("cancel", {}, (err, answer) => {
      if (err || answer?.error) {
        button.disabled = false;
        toast(`Cancel failed: ${answer?.error?.message ?? "no answer"}`, { error: true });
      }
    });
  }

  shareLink() {
    return `${location.origin}/jobs/${this.jobId}${fragment({ line: this.selectedSeq, token: this.token })}`;
  }

  async copyLink() {
    try {
      await navigator.clipboard.writeText(this.shareLink());
      toast("Link copied: it includes the job's token; anyone with it can follow this job.");
    } catch {
      window.prompt("Copy this link (it includes the job's token):", this.shareLink());
    }
  }

  showArtifacts(artifacts) {
    const section = $("artifacts");
    const list = $("artifacts-list");
    list.replaceChildren();
    section.hidden = false;
    if (!artifacts.length) {
      const li = document.createElement("li");
      li.className = "hint";
      li.textContent = "This job made no artifacts.";
      list.appendChild(li);
      return;
    }
    for (const artifact of artifacts) {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.className = "artifact-name";
      name.textContent = artifact.name;
      const size = document.createElement("span");
      size.className = "hint";
      size.textContent = formatBytes(artifact.size);
      const link = document.createElement("a");
      link.className = "button small";
      link.href = `${artifact.url}?token=${encodeURIComponent(this.token)}`;
      link.setAttribute("download", artifact.name.split("/").pop());
      link.textContent = "Download";
      link.setAttribute("aria-label", `Download ${artifact.name}`);
      li.append(name, " ", size, " ", link);
      list.appendChild(li);
    }
  }
}

