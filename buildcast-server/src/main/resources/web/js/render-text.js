// One log line's text into an element: ANSI styles as spans, search matches as <mark>.
// Everything goes in as text nodes: log text is never parsed as HTML.

import { applyStyle, parseAnsi } from "./ansi.js";

/**
 * @param el the element to fill (emptied first)
 * @param text the raw line, escape codes included
 * @param search optional {needle (lower case), current (column of the current match or -1)}
 */
export function renderText(el, text, search) {
  el.textContent = "";
  const segments = parseAnsi(text);
  const ranges = search && search.needle ? matchRanges(segments, search.needle) : [];
  let pos = 0; // column in the plain text
  let r = 0;
  for (const seg of segments) {
    let at = 0;
    while (at < seg.text.length) {
      while (r < ranges.length && ranges[r][1] <= pos) r++;
      const inMatch = r < ranges.length && ranges[r][0] <= pos;
      const boundary = inMatch ? ranges[r][1] : r < ranges.length ? ranges[r][0] : Infinity;
      const take = Math.min(seg.text.length - at, boundary - pos);
      const piece = seg.text.slice(at, at + take);
      let node;
      if (seg.style || inMatch) {
        node = document.createElement(inMatch ? "mark" : "span");
        if (inMatch && ranges[r][0] === search.current) node.className = "current";
        applyStyle(node, seg.style);
        node.textContent = piece;
      } else {
        node = document.createTextNode(piece);
      }
      el.appendChild(node);
      at += take;
      pos += take;
    }
  }
}

function matchRanges(segments, needle) {
  const plain = segments.length === 1 ? segments[0].text : segments.map((s) => s.text).join("");
  const lower = plain.toLowerCase();
  const ranges = [];
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    ranges.push([i, i + needle.length]);
  }
  return ranges;
}
