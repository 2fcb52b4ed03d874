// One load-client process (forked by driver.mjs): opens COUNT socket.io-client 4.8.4 WebSocket
// connections to URL, counts the lines each receives and puts each line's latency (its send time,
// stamped by the server in µs since the epoch, → receive time here) into a log histogram.
// IPC in: {cmd:"expect", lines} resets the counters; {cmd:"collect"} asks for the figures;
// {cmd:"exit"}. IPC out: {ev:"ready"}, {ev:"done"} when every socket has all lines, {ev:"figures", ...}.
import { io } from "socket.io-client";

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const BUCKETS = 2200; // 1% wide buckets from 1 µs up to ~1e9 µs
const LOG = Math.log(1.01);
let hist = new Float64Array(BUCKETS);
let expected = Infinity;
let received = 0;
let complete = 0;
let first = 0;
let last = 0;
const perSocket = new Array(count).fill(0);
const nowMicros = () => (performance.timeOrigin + performance.now()) * 1000;

function record(line, now) {
  const a = line.indexOf(" ");
  const sent = Number(line.slice(a + 1, line.indexOf(" ", a + 1)));
  const lat = Math.max(1, now - sent);
  hist[Math.min(BUCKETS - 1, Math.floor(Math.log(lat) / LOG))]++;
}

function got(i, n, now) {
  if (first === 0) first = now;
  last = now;
  received += n;
  perSocket[i] += n;
  if (perSocket[i] === expected) finish(i);
}

// a socket is finished when it has every line, or when it was cut (it will get no more)
const finished = new Array(count).fill(false);
function finish(i) {
  if (finished[i]) return;
  finished[i] = true;
  if (++complete === count) process.send({ ev: "done" });
}

let connected = 0;
const sockets = [];
for (let i = 0; i < count; i++) {
  const s = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "client" } });
  s.on("connect", () => {
    if (++connected === count) process.send({ ev: "ready" });
  });
  s.on("connect_error", (e) => process.send({ ev: "error", message: String(e) }));
  s.on("log", (line) => {
    const now = nowMicros();
    record(line, now);
    got(i, 1, now);
  });
  s.on("logs", (lines) => {
    const now = nowMicros();
    for (const l of lines) record(l, now);
    got(i, lines.length, now);
  });
  s.on("disconnect", (reason) => {
    if (reason !== "io client disconnect") process.send({ ev: "lost", reason });
    perSocket[i] = -Infinity; // why: a cut socket counts as finished, now and in later runs
    finish(i);
  });
  sockets.push(s);
}

process.on("message", (m) => {
  if (m.cmd === "expect") {
    hist = new Float64Array(BUCKETS);
    expected = m.lines;
    received = complete = first = last = 0;
    for (let i = 0; i < count; i++) {
      finished[i] = perSocket[i] === -Infinity;
      if (!finished[i]) perSocket[i] = 0;
    }
    complete = finished.filter(Boolean).length;
  } else if (m.cmd === "collect") {
    process.send({ ev: "figures", received, complete, first, last, hist: Array.from(hist) });
  } else if (m.cmd === "exit") {
    for (const s of sockets) s.close();
    setTimeout(() => process.exit(0), 100);
  }
});
