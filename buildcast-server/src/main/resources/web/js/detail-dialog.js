// The detailed log in a modal dialog: the whole log streamed in through retrieve-detailed-logs
// (file-content chunks), then live detail lines from a second watcher that starts after the last
// line received. Lines are kept in a LineStore and only the visible ones are rendered.

import { io } from "/vendor/socket.io.esm.min.js";
import { stripAnsi } from "./ansi.js";
import { ERROR, GROUP, LEVELS, WARNING } from "./basic-log.js";
import { formatBytes, formatCount } from "./format.js";
import { Column, LineStore } from "./line-store.js";
import { LogView } from "./log-view.js";
import { renderText } from "./render-text.js";
import { toast } from "./toast.js";

const $ = (id) => document.getElementById(id);
const SEARCH_SLICE_MS = 12;
const UPDATE_MS = 150;
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

export class DetailDialog {
  constructor(page) {
    this.page = page;
    this.dialog = $("detail-dialog");
    this.store = null;
    this.state = "idle"; // idle | loading | loaded
    this.selectedSeq = null;
    this.search = { needle: "", lines: new Column(Int32Array), cols: new Column(Int32Array), done: true, searched: 0, current: -1, run: 0 };
    this.cleanup = [];
    this.view = null;
    const on = (el, type, fn) => {
      el.addEventListener(type, fn);
      this.cleanup.push(() => el.removeEventListener(type, fn));
    };
    on($("detail-close"), "click", () => this.close());
    on(this.dialog, "close", () => this.onClosed());
    on($("detail-copy"), "click", () => this.copy());
    on($("detail-query"), "input", () => this.queueSearch());
    on($("detail-query"), "keydown", (e) => {
      if (e.key === "Enter" && e.shiftKey) {
        e.preventDefault();
        this.step(-1);
      }
    });
    on($("detail-search"), "submit", (e) => {
      e.preventDefault();
      this.step(1);
    });
    on($("detail-prev"), "click", () => this.step(-1));
    on($("detail-log"), "click", (e) => {
      const ln = e.target.closest("a.ln");
      if (!ln) return;
      e.preventDefault();
      const seq = Number(ln.dataset.seq);
      history.replaceState(history.state, "", `${location.pathname}#L${seq}`);
      this.select(seq);
    });
    const onFile = (chunk) => this.onFileContent(chunk);
    const onEnd = (end) => this.onFileEnd(end);
    this.onFile = onFile;
    this.onEnd = onEnd;
    this.setDownload();
    $("detail-download").setAttribute("download", `buildcast-${page.jobId}.log`);
  }

  /** The download link carries the token; without one there is nothing to link to. */
  setDownload() {
    const link = $("detail-download");
    if (this.page.token) link.href = `/api/jobs/${this.page.jobId}/log?token=${encodeURIComponent(this.page.token)}`;
    else link.removeAttribute("href");
  }

  dispose() {
    this.cleanup.forEach((f) => f());
    this.live?.disconnect();
    this.page.socket?.off("file-content", this.onFile);
    this.page.socket?.off("file-content-end", this.onEnd);
    this.page.socket?.off("disconnect", this.onDrop);
  }

  /** Opens the dialog; with seq, selects that line once it has arrived. */
  open(seq) {
    if (!this.dialog.open) this.dialog.showModal();
    this.setDownload();
    if (!this.view) {
      // why: a finished job's log is read from the top; a running one's end is where news is
      this.view = new LogView($("detail-log"), {
        renderRow: (row, el) => this.renderRow(row, el),
        follow: !FINISHED.has(this.page.status?.state),
      });
    }
    if (seq != null) {
      this.selectedSeq = seq;
      this.pendingSeq = seq;
    }
    if (this.state === "idle") this.load();
    this.trySelectPending();
    this.view.render();
    (seq != null ? this.view.host : $("detail-query")).focus();
  }

  close(quiet) {
    if (this.dialog.open) this.dialog.close();
    if (!quiet) $("job-details").focus();
  }

  onClosed() {
    // why: the address should not keep pointing into a dialog that is gone
    if (location.hash) history.replaceState(history.state, "", location.pathname);
  }

  load() {
    this.state = "loading";
    this.store = new LineStore();
    this.carry = "";
    this.bytes = 0;
    this.started = performance.now();
    this.firstRender = null;
    $("detail-copy").disabled = true;
    this.progress("Loading…");
    const socket = this.page.socket;
    socket.on("file-content", this.onFile);
    socket.on("file-content-end", this.onEnd);
    this.onDrop = () => {
      // why: the stream stops with the connection; the live watcher resumes after the last whole line
      if (this.state === "loading") this.finishStream(false);
    };
    socket.on("disconnect", this.onDrop);
    socket.emit("retrieve-detailed-logs", {});
  }

  onFileContent(chunk) {
    if (this.state !== "loading") return;
    this.bytes += chunk.length;
    const text = this.carry + chunk;
    const cut = text.lastIndexOf("\n");
    this.store.pushLines(text.slice(0, cut + 1));
    this.carry = text.slice(cut + 1);
    // why: the screen catches up at most every UPDATE_MS; a layout per 64 KiB chunk would
    // cost more than the data itself
    if (this.firstRender == null) this.loadingUpdate();
    else if (!this.updateTimer) this.updateTimer = setTimeout(() => this.loadingUpdate(), UPDATE_MS);
  }

  loadingUpdate() {
    this.updateTimer = 0;
    if (this.state !== "loading") return;
    this.linesChanged();
    this.progress(`Loading… ${formatCount(this.store.count)} lines`);
  }

  onFileEnd(end) {
    if (this.state !== "loading") return;
    if (this.carry) this.store.push(this.carry);
    this.carry = "";
    this.finishStream(true, end);
  }

  finishStream(complete, end) {
    const socket = this.page.socket;
    socket.off("file-content", this.onFile);
    socket.off("file-content-end", this.onEnd);
    socket.off("disconnect", this.onDrop);
    this.carry = "";
    this.state = "loaded";
    this.loadedMs = performance.now() - this.started;
    $("detail-copy").disabled = false;
    this.linesChanged();
    this.showCount(end);
    const finished = FINISHED.has(this.page.status?.state);
    if (!complete || !finished) this.followLive();
  }

  showCount(end) {
    const size = end?.bytes != null ? `, ${formatBytes(end.bytes)}` : "";
    this.progress(`${formatCount(this.store.count)} lines${size}${this.live ? " · live" : ""}`);
  }

  /** Detail lines after the ones we have, as they are written. */
  followLive() {
    if (this.live) return;
    const live = io(`/${this.page.jobId}`, {
      forceNew: true,
      auth: (cb) => cb({ token: this.page.token, format: "json", detail: true, since: this.store.count }),
    });
    this.live = live;
    live.on("disconnect", (reason) => {
      // why: as on the job page, come back after a server-side disconnect
      if (reason === "io server disconnect" && this.live === live) setTimeout(() => live.connect(), 500);
    });
    live.on("log", ({ lines }) => {
      let added = 0;
      for (const line of lines) {
        // why: seq n is line n of the detailed log; anything else is a repeat after a reconnect
        if (line.seq !== this.store.count + 1) continue;
        this.store.push(line.text ?? "");
        added++;
      }
      if (added) {
        this.linesChanged();
        this.showCount();
      }
    });
    live.on("status", (s) => {
      if (FINISHED.has(s.state)) {
        live.disconnect();
        this.live = null;
        this.showCount();
      }
    });
  }

  linesChanged() {
    if (!this.view) return;
    const digits = String(this.store.count).length;
    if (digits !== this.digits) {
      this.digits = digits;
      this.view.host.style.setProperty("--ln-chars", String(digits));
    }
    this.view.setRowCount(this.store.count);
    if (this.firstRender == null && this.store.count > 0) {
      this.view.render();
      this.firstRender = performance.now() - this.started;
      window.dispatchEvent(new CustomEvent("buildcast:detail-first-render", { detail: { ms: this.firstRender } }));
    }
    this.searchNewLines();
    this.trySelectPending();
  }

  progress(text) {
    $("detail-progress").textContent = text;
  }

  trySelectPending() {
    if (this.pendingSeq == null || !this.store) return;
    if (this.pendingSeq <= this.store.count) {
      const seq = this.pendingSeq;
      this.pendingSeq = null;
      this.select(seq);
    }
  }

  select(seq) {
    this.selectedSeq = seq;
    this.view.scrollToRow(seq - 1);
    this.view.render();
  }

  renderRow(row, el) {
    const seq = row + 1;
    if (seq === this.selectedSeq) el.classList.add("selected");
    // why: the detailed log on disk is text only; the basic log the page holds knows which of
    // these lines are steps, warnings and errors (same seq), so they look the same here
    const basic = this.page.log;
    const i = basic.indexOfSeq(seq);
    if (i >= 0) {
      const level = basic.levels.get(i);
      if (level === GROUP || level === WARNING || level === ERROR) {
        el.classList.add(`lvl-${i === this.page.cancelLine ? "cancelled" : LEVELS[level]}`);
      }
    }
    const ln = document.createElement("a");
    ln.className = "ln";
    ln.href = `#L${seq}`;
    ln.dataset.seq = seq;
    ln.textContent = seq;
    const text = document.createElement("span");
    text.className = "txt";
    const s = this.search;
    const current = s.current >= 0 && s.lines.get(s.current) === row ? s.cols.get(s.current) : -1;
    renderText(text, this.store.get(row), s.needle ? { needle: s.needle, current } : null);
    el.append(ln, text);
  }

  // --- search: counts every match in the whole log, in time slices so the tab stays responsive

  queueSearch() {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.startSearch($("detail-query").value), 150);
  }

  startSearch(query) {
    const s = this.search;
    s.run++;
    s.needle = query.toLowerCase();
    s.lines.clear();
    s.cols.clear();
    s.current = -1;
    s.searched = 0;
    s.done = !s.needle;
    this.showMatches();
    this.view?.render();
    if (s.needle && this.store) this.searchSlice(s.run, 0);
  }

  /** Searches blocks from blockIndex on until the slice's time is up, then yields. */
  searchSlice(run, blockIndex) {
    const s = this.search;
    if (run !== s.run) return;
    const blocks = this.store.blocks;
    const until = performance.now() + SEARCH_SLICE_MS;
    while (blockIndex < blocks.length && performance.now() < until) {
      const block = blocks[blockIndex++];
      this.searchRun(block.text, block.first);
      s.searched = block.first + block.starts.length - 1;
    }
    if (blockIndex < blocks.length) {
      this.showMatches(true);
      setTimeout(() => this.searchSlice(run, blockIndex), 0);
      return;
    }
    this.searchTail();
    s.done = true;
    if (s.current < 0 && s.lines.length) this.step(1);
    this.showMatches();
    this.view.render();
  }

  /** Lines not in a sealed block yet, and lines that arrive later. */
  searchTail() {
    const s = this.search;
    for (let i = s.searched; i < this.store.count; i++) this.searchLine(this.store.get(i), i);
    s.searched = this.store.count;
  }

  searchNewLines() {
    const s = this.search;
    if (!s.needle || !s.done) return;
    const before = s.lines.length;
    this.searchTail();
    if (s.lines.length !== before) this.showMatches();
  }

  /** Matches in a run of whole lines ("\n"-ended) whose first line is `first`. */
  searchRun(text, first) {
    const s = this.search;
    const plain = stripAnsi(text).toLowerCase();
    let line = first;
    let lineStart = 0;
    let nextBreak = plain.indexOf("\n");
    for (let at = plain.indexOf(s.needle); at >= 0; at = plain.indexOf(s.needle, at + s.needle.length)) {
      while (nextBreak >= 0 && nextBreak < at) {
        line++;
        lineStart = nextBreak + 1;
        nextBreak = plain.indexOf("\n", lineStart);
      }
      s.lines.push(line);
      s.cols.push(at - lineStart);
    }
  }

  searchLine(text, line) {
    const s = this.search;
    const plain = stripAnsi(text).toLowerCase();
    for (let at = plain.indexOf(s.needle); at >= 0; at = plain.indexOf(s.needle, at + s.needle.length)) {
      s.lines.push(line);
      s.cols.push(at);
    }
  }

  step(direction) {
    const s = this.search;
    if (!s.lines.length) return;
    s.current = s.current < 0 ? (direction > 0 ? 0 : s.lines.length - 1)
      : (s.current + direction + s.lines.length) % s.lines.length;
    this.view.scrollToRow(s.lines.get(s.current));
    this.view.render();
    this.showMatches();
  }

  showMatches(searching = false) {
    const s = this.search;
    const el = $("detail-matches");
    if (!s.needle) {
      el.textContent = "";
      return;
    }
    const total = formatCount(s.lines.length);
    el.textContent = searching || !s.done ? `${total} matches so far…`
      : s.lines.length === 0 ? "No matches"
      : `${s.current >= 0 ? formatCount(s.current + 1) : "–"} of ${total}`;
  }

  // --- copy: the whole log as plain text, not just the rendered rows

  plainText() {
    const parts = [];
    this.store.forEachRun((text) => parts.push(stripAnsi(text)));
    return parts.join("");
  }

  async copy() {
    if (!this.store) return;
    const text = this.plainText();
    try {
      await navigator.clipboard.writeText(text);
      toast(`Copied ${formatCount(this.store.count)} lines to the clipboard.`);
    } catch (e) {
      toast(`Copying failed: ${e.message}. Use “Download as text file” instead.`, { error: true });
    }
  }
}
