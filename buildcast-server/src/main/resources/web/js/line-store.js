// Log lines kept compactly: a million lines must not cost a million objects. Lines are packed
// into sealed blocks, each one string (lines joined by "\n") plus a Uint32Array of line starts;
// only the newest few lines live in a plain array until their block fills.

const BLOCK_LINES = 2048;

export class LineStore {
  constructor() {
    this.blocks = []; // {first, text, starts}; starts has one entry per line plus the end
    this.open = [];   // newest lines, not yet packed
    this.count = 0;
  }

  /** Adds one line (without its line break). */
  push(text) {
    this.open.push(text);
    this.count++;
    if (this.open.length >= BLOCK_LINES) this.seal();
  }

  /** Adds text made of whole lines, each ending in "\n" (a file-content chunk), as one block. */
  pushLines(text) {
    if (!text) return;
    this.seal();
    const starts = [0];
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
    const block = { first: this.count, text, starts: Uint32Array.from(starts) };
    this.blocks.push(block);
    this.count += starts.length - 1;
  }

  seal() {
    const n = this.open.length;
    if (n === 0) return;
    const starts = new Uint32Array(n + 1);
    let at = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = at;
      at += this.open[i].length + 1;
    }
    starts[n] = at;
    this.blocks.push({ first: this.count - n, text: this.open.join("\n") + "\n", starts });
    this.open = [];
  }

  /** The text of line i (0-based). */
  get(i) {
    const openFirst = this.count - this.open.length;
    if (i >= openFirst) return this.open[i - openFirst] ?? "";
    const block = this.blockOf(i);
    const k = i - block.first;
    return block.text.slice(block.starts[k], block.starts[k + 1] - 1);
  }

  blockOf(i) {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].first <= i) lo = mid; else hi = mid - 1;
    }
    return this.blocks[lo];
  }

  /**
   * Calls visit(text, firstLine) for runs of whole lines, each run's lines ending in "\n";
   * lets search and copy work over big strings instead of line by line.
   */
  forEachRun(visit) {
    for (const block of this.blocks) visit(block.text, block.first);
    if (this.open.length) visit(this.open.join("\n") + "\n", this.count - this.open.length);
  }

  /** Approximate characters held, for the page's own figures. */
  chars() {
    let n = 0;
    for (const block of this.blocks) n += block.text.length;
    for (const line of this.open) n += line.length + 1;
    return n;
  }
}

/** A growable typed array (numbers per line: sequence numbers, times, levels). */
export class Column {
  constructor(Type, capacity = 1024) {
    this.Type = Type;
    this.data = new Type(capacity);
    this.length = 0;
  }

  push(value) {
    if (this.length === this.data.length) {
      const bigger = new this.Type(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(i) {
    return this.data[i];
  }

  clear() {
    this.length = 0;
  }
}
