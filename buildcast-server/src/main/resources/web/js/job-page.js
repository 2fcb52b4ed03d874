// The page of one job: status, progress, elapsed time, the live basic log, problems, artifacts,
// and the connection state. The socket resumes after the last line it has (auth.since) on every
// reconnect, and BasicLog ignores anything at or before that line, so no line is lost or doubled.

import { io } from "/vendor/socket.io.esm.min.js";
import { BasicLog, ERROR, GROUP, LEVELS } from "./basic-log.js";
import { DetailDialog } from "./detail-dialog.js";
import { formatBytes, formatClock, formatCount, formatDuration } from "./format.js";
import { LogView } from "./log-view.js";
import { renderText } from "./render-text.js";
import { fragment, parseFragment, pref, rememberJob, setPref, updateJob } from "./store.js";
import { toast } from "./toast.js";

const $ = (id) => document.getElementById(id);
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const MAX_PROBLEMS_LISTED = 200;

export class JobPage {
  constructor(jobId, token) {
    this.jobId = jobId;
    this.token = token;
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
    $("job-timestamps").checked = this.showTimes;
    $("basic-log").replaceChildren();
    this.setState("connecting");

    this.view = new LogView($("basic-log"), {
      renderRow: (row, el) => this.renderRow(row, el),
      onFollowChange: (on) => { $("log-follow").hidden = on; },
    });
    this.detail = new DetailDialog(this);

    this.listen($("log-follow"), "click", () => this.view.follow());
    this.listen($("job-timestamps"), "change", (e) => {
      this.showTimes = e.target.checked;
      setPref("timestamps", this.showTimes);
      this.view.render();
    });
    this.listen($("job-details"), "click", () => this.detail.open());
    this.listen($("job-cancel"), "click", () => this.cancel());
    this.listen($("job-share"), "click", () => this.copyLink());
    this.listen($("basic-log"), "click", (e) => this.onLogClick(e));
    this.listen(window, "hashchange", () => this.onHash());
    const timer = setInterval(() => this.tick(), 1000);
    this.cleanup.push(() => clearInterval(timer));

    this.onHash();
    this.connect();
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
        this.setConnection("");
        this.setState(code === "forbidden" ? "no access" : "not found");
        $("job-error").textContent = err.message;
        if (code === "forbidden") this.askToken();
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
    $("log-count").textContent = `${formatCount(this.log.count)} lines`;
    this.updateProblems();
    if (this.pendingSeq != null) this.trySelect(this.pendingSeq);
    window.dispatchEvent(new CustomEvent("buildcast:lines", { detail: { count: this.log.count } }));
  }

  onStatus(s) {
    this.status = s;
    this.setState(s.state);
    const pct = Math.max(0, Math.min(100, Number(s.percentage) || 0));
    const bar = document.querySelector(".job-progress");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.querySelector(".progress-fill").style.width = `${pct}%`;
    bar.dataset.state = s.state;
    $("job-percentage").textContent = `${pct}%`;
    $("job-exit").textContent = s.exitCode != null ? `Exit code ${s.exitCode}` : s.reason ?? "";
    $("job-title").textContent = `${s.generator} · ${this.jobId}`;
    document.title = `${s.state} · ${s.generator} · Buildcast`;
    const finished = FINISHED.has(s.state);
    $("job-cancel").disabled = finished;
    $("job-cancel").hidden = finished;
    if (finished) {
      this.showArtifacts(s.artifacts ?? []);
      this.setConnection("");
      if (this.pendingSeq != null) this.trySelect(this.pendingSeq, true);
    }
    updateJob(this.jobId, { state: s.state, generator: s.generator });
    this.tick();
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
    el.className = `line lvl-${LEVELS[level]}${seq === this.selectedSeq ? " selected" : ""}`;
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

  updateProblems() {
    const problems = this.log.problems;
    if (problems.length === this.listedProblems) return;
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
      li.append(kind, " ", a, " ", text);
      list.appendChild(li);
    }
    const errors = problems.filter((i) => this.log.levels.get(i) === ERROR).length;
    $("annotations-title").textContent =
      `Problems: ${errors} error${errors === 1 ? "" : "s"}, ${problems.length - errors} warning${problems.length - errors === 1 ? "" : "s"}`;
    $("annotations").hidden = false;
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

  cancel() {
    const button = $("job-cancel");
    button.disabled = true;
    this.socket.timeout(10_000).emit("cancel", {}, (err, answer) => {
      if (err || answer?.error) {
        button.disabled = false;
        toast(`Cancel failed: ${answer?.error?.message ?? "no answer"}`);
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

