// The basic log of a job: lines with seq, time and level, steps from group/endgroup (foldable,
// with durations), and the warnings and errors. Rows are the lines on screen: endgroup lines and
// lines inside folded steps have none.

import { Column, LineStore } from "./line-store.js";

export const LEVELS = ["notice", "warning", "error", "group", "endgroup", "system", "detail"];
const LEVEL_CODE = Object.fromEntries(LEVELS.map((l, i) => [l, i]));
export const GROUP = LEVEL_CODE.group;
export const ENDGROUP = LEVEL_CODE.endgroup;
export const WARNING = LEVEL_CODE.warning;
export const ERROR = LEVEL_CODE.error;

export class BasicLog {
  constructor() {
    this.texts = new LineStore();
    this.seqs = new Column(Float64Array);
    this.times = new Column(Float64Array);
    this.levels = new Column(Uint8Array);
    this.depths = new Column(Uint8Array);
    this.rows = new Column(Int32Array);
    this.groups = new Map(); // line index of a group line -> {end (line index or -1), endTs, folded}
    this.open = [];          // line indexes of the steps still open, outermost first
    this.problems = [];      // line indexes of warnings and errors
    this.shownCount = 0;     // lines but endgroup ones, which only close a step and are never shown
  }

  get count() {
    return this.texts.count;
  }

  get lastSeq() {
    return this.seqs.length ? this.seqs.get(this.seqs.length - 1) : 0;
  }

  /** Adds a line from a `log` event; lines at or before the last seq are ignored (never twice). */
  add(line) {
    if (line.seq <= this.lastSeq) return false;
    const level = LEVEL_CODE[line.level] ?? LEVEL_CODE.detail;
    const i = this.count;
    if (level === ENDGROUP && this.open.length) {
      const start = this.open.pop();
      const group = this.groups.get(start);
      group.end = i;
      group.endTs = line.ts;
    }
    this.texts.push(line.text ?? "");
    this.seqs.push(line.seq);
    this.times.push(line.ts);
    this.levels.push(level);
    this.depths.push(Math.min(this.open.length, 255));
    if (level === GROUP) {
      this.groups.set(i, { end: -1, endTs: null, folded: false });
      // why: the group row belongs to its parent; its own lines are one level deeper
    }
    if (level === WARNING || level === ERROR) this.problems.push(i);
    if (level !== ENDGROUP) this.shownCount++;
    if (level !== ENDGROUP && !this.insideFolded()) this.rows.push(i);
    if (level === GROUP) this.open.push(i);
    return true;
  }

  insideFolded() {
    for (const start of this.open) if (this.groups.get(start).folded) return true;
    return false;
  }

  /** Folds or unfolds the step that starts at line index i; rebuilds the rows. */
  toggle(i, folded = !this.groups.get(i).folded) {
    this.groups.get(i).folded = folded;
    this.rebuildRows();
  }

  /** Unfolds every step around line index i, so it has a row. */
  reveal(i) {
    let changed = false;
    for (const [start, group] of this.groups) {
      if (group.folded && start < i && (group.end < 0 || group.end > i)) {
        group.folded = false;
        changed = true;
      }
    }
    if (changed) this.rebuildRows();
  }

  rebuildRows() {
    this.rows.clear();
    for (let i = 0; i < this.count; i++) {
      const level = this.levels.get(i);
      if (level === ENDGROUP) continue;
      this.rows.push(i);
      const group = level === GROUP ? this.groups.get(i) : null;
      if (group && group.folded) {
        if (group.end < 0) break;
        i = group.end;
      }
    }
  }

  /** The row showing line index i, or -1. */
  rowOf(i) {
    const rows = this.rows.data;
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid] === i) return mid;
      if (rows[mid] < i) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /** The line index with this seq, or -1. */
  indexOfSeq(seq) {
    const seqs = this.seqs.data;
    let lo = 0;
    let hi = this.seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid] === seq) return mid;
      if (seqs[mid] < seq) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }
}
