// Unit tests of the page's DOM-free modules (ANSI parsing, line storage, the basic log model),
// run with node's test runner by WebModulesIT.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAnsi, stripAnsi } from "../../../../main/resources/web/js/ansi.js";
import { BasicLog } from "../../../../main/resources/web/js/basic-log.js";
import { formatBytes, formatCount, formatDuration } from "../../../../main/resources/web/js/format.js";
import { LineStore } from "../../../../main/resources/web/js/line-store.js";
import { fragment, parseFragment } from "../../../../main/resources/web/js/store.js";

const E = "\x1b";

test("plain text is one unstyled segment", () => {
  assert.deepEqual(parseAnsi("hello"), [{ text: "hello", style: null }]);
});

test("SGR colours, bold and resets become styles", () => {
  const segs = parseAnsi(`a${E}[1;31mb${E}[22mc${E}[0md${E}[92me${E}[39mf`);
  assert.deepEqual(segs.map((s) => [s.text, s.style]), [
    ["a", null], ["b", { bold: true, fg: 1 }], ["c", { fg: 1 }], ["d", null], ["e", { fg: 10 }], ["f", null],
  ]);
});

test("256 colours and true colour", () => {
  assert.deepEqual(parseAnsi(`${E}[38;5;196mx`)[0].style, { fg: "rgb(255, 0, 0)" });
  assert.deepEqual(parseAnsi(`${E}[38;5;3mx`)[0].style, { fg: 3 });
  assert.deepEqual(parseAnsi(`${E}[48;2;1;2;3mx`)[0].style, { bg: "rgb(1, 2, 3)" });
  assert.deepEqual(parseAnsi(`${E}[38;5;244mx`)[0].style, { fg: "rgb(128, 128, 128)" });
});

test("other escape sequences are dropped, never shown", () => {
  const text = `${E}[2K${E}[1Gdone${E}]0;title${E}\\ ${E}]8;;http://x${E}\\link${E}]8;;${E}\\${E}(B!${E}`;
  assert.equal(parseAnsi(text).map((s) => s.text).join(""), "done link!");
  assert.equal(stripAnsi(text), "done link!");
  assert.equal(stripAnsi("no codes"), "no codes");
});

test("LineStore keeps lines across open, sealed and pushed blocks", () => {
  const store = new LineStore();
  for (let i = 0; i < 5000; i++) store.push(`line ${i}`);
  store.pushLines("a\nb\n\nc\n");
  store.push("tail");
  assert.equal(store.count, 5005);
  assert.equal(store.get(0), "line 0");
  assert.equal(store.get(2047), "line 2047");
  assert.equal(store.get(2048), "line 2048");
  assert.equal(store.get(4999), "line 4999");
  assert.deepEqual([5000, 5001, 5002, 5003, 5004].map((i) => store.get(i)), ["a", "b", "", "c", "tail"]);
  const runs = [];
  store.forEachRun((text, first) => runs.push([first, text.split("\n").length - 1]));
  assert.equal(runs.reduce((n, [, lines]) => n + lines, 0), 5005);
  assert.deepEqual(runs.map(([first]) => first), [0, 2048, 4096, 5000, 5004]);
});

function line(seq, level, text = `t${seq}`) {
  return { seq, ts: 1000 * seq, level, text };
}

test("BasicLog: steps, depths, problems, folding and revealing", () => {
  const log = new BasicLog();
  [line(1, "system"), line(3, "group", "Build"), line(4, "notice"), line(5, "group", "Inner"), line(6, "warning"),
    line(7, "endgroup", ""), line(8, "error"), line(9, "endgroup", ""), line(10, "notice")].forEach((l) => log.add(l));
  assert.equal(log.count, 9);
  assert.deepEqual(Array.from(log.rows.data.slice(0, log.rows.length)), [0, 1, 2, 3, 4, 6, 8]);
  assert.deepEqual(Array.from(log.depths.data.slice(0, 9)), [0, 0, 1, 1, 2, 1, 1, 0, 0]);
  assert.deepEqual(log.problems, [4, 6]);
  assert.deepEqual(log.groups.get(1), { end: 7, endTs: 9000, folded: false });
  log.toggle(1);
  assert.deepEqual(Array.from(log.rows.data.slice(0, log.rows.length)), [0, 1, 8]);
  log.reveal(4);
  assert.deepEqual(Array.from(log.rows.data.slice(0, log.rows.length)), [0, 1, 2, 3, 4, 6, 8]);
  assert.equal(log.indexOfSeq(6), 4);
  assert.equal(log.indexOfSeq(2), -1);
  assert.equal(log.rowOf(6), 5);
});

test("BasicLog ignores lines at or before the last one (reconnects never double a line)", () => {
  const log = new BasicLog();
  assert.equal(log.add(line(1, "notice")), true);
  assert.equal(log.add(line(2, "notice")), true);
  assert.equal(log.add(line(2, "notice")), false);
  assert.equal(log.add(line(1, "notice")), false);
  assert.equal(log.count, 2);
  assert.equal(log.lastSeq, 2);
});

test("lines added inside a folded open step get no row until it unfolds", () => {
  const log = new BasicLog();
  log.add(line(1, "group"));
  log.toggle(0);
  log.add(line(2, "notice"));
  assert.equal(log.rows.length, 1);
  log.toggle(0);
  assert.equal(log.rows.length, 2);
});

test("fragments: lines and tokens", () => {
  assert.deepEqual(parseFragment("#L42"), { line: 42, token: null });
  assert.deepEqual(parseFragment("#L42&token=a-b_c"), { line: 42, token: "a-b_c" });
  assert.deepEqual(parseFragment("#token=xyz&L7"), { line: 7, token: "xyz" });
  assert.deepEqual(parseFragment(""), { line: null, token: null });
  assert.equal(fragment({ line: 3, token: "t" }), "#L3&token=t");
  assert.equal(fragment({ line: null, token: null }), "");
});

test("formatting", () => {
  assert.equal(formatBytes(26), "26 B");
  assert.equal(formatBytes(6 * 1024 * 1024), "6.0 MiB");
  assert.equal(formatCount(1000005), "1,000,005");
  assert.equal(formatDuration(1500), "1.5s");
  assert.equal(formatDuration(125_000), "2m 5s");
});
