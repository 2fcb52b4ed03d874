// ANSI escape codes in log text: SGR colours and styles become segments with classes or colours,
// every other escape sequence is dropped. Output is data, never HTML: callers use textContent.

// CSI sequences, OSC sequences (ended by BEL or ESC \), character-set and other escapes with
// intermediates (ESC ( B), two-character escapes, and a lone ESC.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]+[0-~]|\x1b[@-Z\\-_]?/g;
const SGR = /^\x1b\[([0-9;:]*)m$/;

/** The text without any escape codes. */
export function stripAnsi(text) {
  return text.indexOf("\x1b") < 0 ? text : text.replace(ESCAPES, "");
}

/**
 * Splits a line into segments {text, fg, bg, bold, dim, italic, underline}; fg/bg are a palette
 * index 0-15 (number) or a CSS colour (string) or null. Each line starts unstyled.
 */
export function parseAnsi(text) {
  if (text.indexOf("\x1b") < 0) return [{ text, style: null }];
  const segments = [];
  let style = {};
  let last = 0;
  ESCAPES.lastIndex = 0;
  for (let m = ESCAPES.exec(text); m; m = ESCAPES.exec(text)) {
    if (m.index > last) segments.push({ text: text.slice(last, m.index), style: styled(style) });
    last = m.index + m[0].length;
    const sgr = SGR.exec(m[0]);
    if (sgr) style = applySgr(style, sgr[1]);
    if (m[0].length === 0) ESCAPES.lastIndex++; // why: never loop on an empty match
  }
  if (last < text.length) segments.push({ text: text.slice(last), style: styled(style) });
  return segments;
}

function styled(style) {
  return Object.keys(style).length ? style : null;
}

function applySgr(current, params) {
  const style = { ...current };
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) for (const k of Object.keys(style)) delete style[k];
    else if (c === 1) style.bold = true;
    else if (c === 2) style.dim = true;
    else if (c === 3) style.italic = true;
    else if (c === 4) style.underline = true;
    else if (c === 7) style.inverse = true;
    else if (c === 22) { delete style.bold; delete style.dim; }
    else if (c === 23) delete style.italic;
    else if (c === 24) delete style.underline;
    else if (c === 27) delete style.inverse;
    else if (c >= 30 && c <= 37) style.fg = c - 30;
    else if (c >= 90 && c <= 97) style.fg = c - 90 + 8;
    else if (c === 39) delete style.fg;
    else if (c >= 40 && c <= 47) style.bg = c - 40;
    else if (c >= 100 && c <= 107) style.bg = c - 100 + 8;
    else if (c === 49) delete style.bg;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? "fg" : "bg";
      if (codes[i + 1] === 5 && i + 2 < codes.length) {
        style[key] = colour256(codes[i + 2]);
        i += 2;
      } else if (codes[i + 1] === 2 && i + 4 < codes.length) {
        style[key] = `rgb(${clamp(codes[i + 2])}, ${clamp(codes[i + 3])}, ${clamp(codes[i + 4])})`;
        i += 4;
      }
    }
  }
  return style;
}

function clamp(n) {
  return Math.max(0, Math.min(255, n | 0));
}

/** xterm's 256 colours: 0-15 stay palette indexes (themed in CSS), the rest become rgb(). */
function colour256(n) {
  n = clamp(n);
  if (n < 16) return n;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const level = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
}

/** Applies a segment's style to an element (classes for palette colours, inline for others). */
export function applyStyle(el, style) {
  if (!style) return;
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg ?? "fg", fg ?? "bg"];
  if (typeof fg === "number") el.classList.add(`fg${fg}`);
  else if (fg === "bg") el.classList.add("fg-inverse");
  else if (fg) el.style.color = fg;
  if (typeof bg === "number") el.classList.add(`bg${bg}`);
  else if (bg === "fg") el.classList.add("bg-inverse");
  else if (bg) el.style.backgroundColor = bg;
  if (style.bold) el.classList.add("b");
  if (style.dim) el.classList.add("dim");
  if (style.italic) el.classList.add("i");
  if (style.underline) el.classList.add("u");
}
