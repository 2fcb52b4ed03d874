// A watcher process: holds many socket.io-client sockets following jobs, counts the generator's
// lines and measures write → receive latency. Forked by driver.mjs; talks over IPC.
//   in:  {cmd:"connect", kind:"buildcast"|"peer", url, targets:[{jobId, token, sockets}], mode, lines}
//        mode "follow": every line, until the generator's `end` line (Buildcast: json + detail)
//        mode "late":   basic lines (Buildcast: json), done once it has lines 1..`lines` and then a
//                       line that reached it within 100 ms of being written (it is live)
//        mode "message": as "follow", but Buildcast's default format: one `message` per basic
//                       line, as the seeds' clients listen (the job prints ::notice:: lines)
//        {cmd:"collect"} → {ev:"figures", ...}; {cmd:"reset"} → {ev:"reset"} (sockets closed,
//        figures zeroed); {cmd:"exit"}
//   out: {ev:"ready"} all sockets connected; {ev:"done"} all sockets finished; {ev:"error", message}
import { io } from "socket.io-client";
import { PerformanceObserver } from "node:perf_hooks";

const LIVE_MS = 100;
const STEP = Math.log(1.02); // latency histogram: 2 %-wide buckets over microseconds
const BUCKETS = 1100;
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
let hist = new Float64Array(BUCKETS);
let received = 0;
let maxLat = 0;
let tickMaxLat = 0; // the highest latency since the last health tick
let tickOver20 = 0; // lines since the last health tick that took over 20 ms, and over 50 ms
let tickOver50 = 0;
let firstAt = 0;
let lastAt = 0;
let genSpent = [];
let finished = 0;
let total = 0;
let late = null;
const sockets = [];
// the process's own health, to tell a stalled watcher from a stalled server: the longest the event
// loop went without running a timer and the CPU this process used in it (a stall with CPU is work
// in one loop turn, one without is a starved process), time in GC, heap, RSS and the memory of
// array buffers (what the sockets received and the client has not yet parsed) at their peaks, the
// most lines one `log` event carried, and a timeline: [time, lines received, heap MB, highest
// latency ms since the last tick, lines over 20 ms and over 50 ms since the last tick] (which
// seconds a p99 comes from)
const TICK_MS = 500;
const freshHealth = () => ({ maxLoopGapMs: 0, cpuInGapMs: 0, gcMs: 0, gcMaxMs: 0, heapPeakMB: 0, rssPeakMB: 0, arrayBuffersPeakMB: 0, maxLinesPerEvent: 0, timeline: [] });
const health = freshHealth();
let lastTick = performance.now();
let lastCpu = process.cpuUsage();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    health.gcMs += e.duration;
    health.gcMaxMs = Math.max(health.gcMaxMs, e.duration);
  }
}).observe({ entryTypes: ["gc"] });
setInterval(() => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const m = process.memoryUsage();
  if (t - lastTick - TICK_MS > health.maxLoopGapMs) {
    health.maxLoopGapMs = t - lastTick - TICK_MS;
    health.cpuInGapMs = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
  }
  health.heapPeakMB = Math.max(health.heapPeakMB, m.heapUsed / 1048576);
  health.rssPeakMB = Math.max(health.rssPeakMB, m.rss / 1048576);
  health.arrayBuffersPeakMB = Math.max(health.arrayBuffersPeakMB, m.arrayBuffers / 1048576);
  if (total) health.timeline.push([Date.now(), received, Math.round(m.heapUsed / 1048576), Math.round(tickMaxLat / 1000), tickOver20, tickOver50]);
  tickMaxLat = 0;
  tickOver20 = tickOver50 = 0;
  lastTick = t;
  lastCpu = cpu;
}, TICK_MS).unref();

function finishOne(state) {
  if (state.finished) return;
  state.finished = true;
  if (++finished === total) process.send({ ev: "done" });
}

// one generator line, as text: "<seq> <µs> xxx", "end <spent µs> <lines>", maybe after ::notice::
function onLine(state, text, now) {
  if (text.charCodeAt(0) === 58 && text.startsWith("::notice::")) text = text.slice(10);
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const a = text.indexOf(" ");
    const seq = Number(text.slice(0, a));
    const lat = Math.max(1, now - Number(text.slice(a + 1, text.indexOf(" ", a + 1))));
    hist[Math.min(BUCKETS - 1, Math.floor(Math.log(lat) / STEP))]++;
    if (lat > maxLat) maxLat = lat;
    if (lat > tickMaxLat) tickMaxLat = lat;
    if (lat > 20_000) tickOver20++;
    if (lat > 50_000) tickOver50++;
    received++;
    state.count++;
    if (firstAt === 0) firstAt = now;
    lastAt = now;
    if (late) {
      if (seq <= late.lines) late.history++;
      if (late.history === late.lines && late.historyAt === 0) late.historyAt = now;
      // live: past the whole history, a line that reached it within LIVE_MS of being written
      if (late.historyAt && lat < LIVE_MS * 1000 && late.liveAt === 0) {
        late.liveAt = now;
        late.liveLatency = lat;
        finishOne(state);
      }
    }
  } else if (text.startsWith("end ")) {
    genSpent.push(Number(text.split(" ")[1]));
    lastAt = now;
    finishOne(state);
  }
}

function connect(m) {
  const ready = [];
  total = m.targets.reduce((s, t) => s + t.sockets, 0);
  if (m.mode === "late") late = { lines: m.lines, joinAt: nowUs(), history: 0, historyAt: 0, liveAt: 0, liveLatency: 0 };
  for (const t of m.targets) {
    for (let i = 0; i < t.sockets; i++) {
      const json = m.kind === "buildcast" && m.mode !== "message";
      const auth = m.kind !== "buildcast" ? {} : json ? { token: t.token, format: "json", detail: m.mode !== "late" } : { token: t.token };
      const s = io(`${m.url}/${t.jobId}`, { transports: ["websocket"], forceNew: true, reconnection: false, auth });
      const state = { count: 0, finished: false };
      if (json) {
        s.on("log", (p) => {
          const now = nowUs();
          if (p.lines.length > health.maxLinesPerEvent) health.maxLinesPerEvent = p.lines.length;
          for (const l of p.lines) onLine(state, l.text, now);
        });
      } else {
        s.on("message", (text) => onLine(state, text, nowUs()));
      }
      s.on("disconnect", (reason) => {
        if (reason !== "io client disconnect") process.send({ ev: "lost", message: reason });
        finishOne(state);
      });
      ready.push(new Promise((resolve) => {
        s.once("connect", resolve);
        s.once("connect_error", (e) => process.send({ ev: "error", message: `connect_error: ${e.message}` }));
      }));
      sockets.push(s);
    }
  }
  Promise.all(ready).then(() => process.send({ ev: "ready" }));
}

process.on("message", (m) => {
  if (m.cmd === "connect") connect(m);
  else if (m.cmd === "collect") {
    process.send({ ev: "figures", received, maxLat, firstAt, lastAt, genSpent, finished, total, late, hist: Array.from(hist), health });
  } else if (m.cmd === "reset") {
    // a warm-up round is over: forget its sockets and figures, keep the warmed-up process
    for (const s of sockets.splice(0)) s.close();
    hist = new Float64Array(BUCKETS);
    received = maxLat = tickMaxLat = tickOver20 = tickOver50 = firstAt = lastAt = finished = total = 0;
    genSpent = [];
    late = null;
    Object.assign(health, freshHealth());
    process.send({ ev: "reset" });
  } else if (m.cmd === "exit") {
    for (const s of sockets) s.close();
    process.exit(0);
  }
});
process.send({ ev: "started" });
