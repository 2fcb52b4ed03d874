// Drives the Socket.IO load benchmark: starts each server in turn (ours, Node, ours, Node…), the
// load-client processes and, for the stall scenario, the stalled client; prints one table and
// writes the figures as JSON. Launched by ./run, which passes the Java classpath.
import { fork, spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const quick = args.includes("--quick");
const cfg = {
  quick,
  clients: Number(opt("clients", 200)),
  procs: Number(opt("procs", 4)),
  rounds: Number(opt("rounds", quick ? 1 : 2)),
  lines: Number(opt("lines", quick ? 1_000 : 50_000)), // per-line and batched scenarios
  stallLines: Number(opt("stall-lines", quick ? 150_000 : 300_000)), // batched, with a stalled client
  warmLines: Number(opt("warm-lines", quick ? 500 : 5_000)),
  batchMs: 15,
  batchMax: Number(opt("batch-max", 500)),
  stallMs: 2_000,
  only: opt("only", "ours,node").split(","),
  scenarios: opt("scenarios", "line,paced,batch,stall").split(","),
  pacedRate: Number(opt("paced-rate", 250)), // lines/s in the paced scenario (× clients deliveries/s)
  pacedSeconds: Number(opt("paced-seconds", quick ? 8 : 20)),
  classpath: opt("cp", ""),
  javaOpts: (opt("java-opts", "-Xmx512m")).split(" ").filter(Boolean),
};
const TICK = 100; // clock ticks per second of /proc/*/stat (USER_HZ on Linux)
const BUCKETS = 2200;
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const cpuOf = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / TICK; // utime + stime
  } catch {
    return 0;
  }
};
const statusKb = (pid, key) => {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};
const resetPeak = (pid) => {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5"); // resets VmHWM to the current RSS
    return true;
  } catch {
    return false;
  }
};

function startProcess(cmd, argv, readyWord, timeoutMs = 60_000) {
  const child = spawn(cmd, argv, { cwd: here, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${cmd} did not print ${readyWord}`)), timeoutMs);
    child.on("exit", (code) => reject(new Error(`${cmd} exited ${code} before ${readyWord}`)));
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(new RegExp(`${readyWord}\\s*(\\d*)`));
      if (m) {
        clearTimeout(timer);
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({ child, port: Number(m[1]) });
      }
    });
  });
}

function serverCommand(which) {
  if (which === "ours") {
    return ["java", [...cfg.javaOpts, "-cp", cfg.classpath, "BenchServer", "0"]];
  }
  return ["node", ["--expose-gc", join(here, "node-server.mjs"), "0"]];
}

class Clients {
  constructor(url) {
    this.url = url;
    this.kids = [];
    this.lost = 0;
    this.errors = [];
  }
  async start() {
    const per = Math.ceil(cfg.clients / cfg.procs);
    let left = cfg.clients;
    const ready = [];
    for (let p = 0; p < cfg.procs && left > 0; p++) {
      const n = Math.min(per, left);
      left -= n;
      const kid = fork(join(here, "client.mjs"), [this.url, String(n)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      kid.on("message", (m) => {
        if (m.ev === "lost") this.lost++;
        if (m.ev === "error") this.errors.push(m.message);
        kid.emit(`ev:${m.ev}`, m);
      });
      ready.push(new Promise((r) => kid.once("ev:ready", r)));
      this.kids.push(kid);
    }
    await Promise.race([Promise.all(ready), sleep(60_000).then(() => { throw new Error(`clients not connected: ${this.errors[0] ?? ""}`); })]);
  }
  expect(lines) {
    this.lost = 0;
    this.done = Promise.all(this.kids.map((k) => new Promise((r) => k.once("ev:done", r))));
    for (const k of this.kids) k.send({ cmd: "expect", lines });
  }
  async collect() {
    const figs = await Promise.all(this.kids.map((k) => new Promise((r) => { k.once("ev:figures", r); k.send({ cmd: "collect" }); })));
    const hist = new Float64Array(BUCKETS);
    let received = 0, first = Infinity, last = 0;
    for (const f of figs) {
      received += f.received;
      if (f.first) first = Math.min(first, f.first);
      last = Math.max(last, f.last);
      f.hist.forEach((v, i) => (hist[i] += v));
    }
    return { received, first, last, hist };
  }
  cpu() {
    return this.kids.reduce((s, k) => s + cpuOf(k.pid), 0);
  }
  async stop() {
    for (const k of this.kids) k.send({ cmd: "exit" });
    await sleep(300);
    for (const k of this.kids) k.kill();
  }
}

function percentile(hist, q) {
  const total = hist.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i];
    if (acc >= q * total) return Math.pow(1.01, i + 0.5) / 1000; // ms
  }
  return NaN;
}

const control = (url) =>
  new Promise((resolve, reject) => {
    const s = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "control" } });
    s.on("connect", () => resolve(s));
    s.on("connect_error", reject);
  });

async function scenario(which, server, clients, ctl, name) {
  const mode = name === "stall" ? "batch" : name;
  const lines = name === "stall" ? cfg.stallLines : name === "paced" ? cfg.pacedRate * cfg.pacedSeconds : cfg.lines;
  const pid = server.child.pid;
  let stalled = null;
  let memBefore = null;
  if (name === "stall") {
    stalled = await startProcess("python3", [join(here, "stall.py"), String(server.port), "600"], "STALLED", 20_000);
    memBefore = { ...(await ctl.emitWithAck("mem", true)), rssKb: statusKb(pid, "VmRSS") };
  }
  const peakReset = resetPeak(pid);
  const load0 = loadavg();
  const cpu0 = cpuOf(pid), ccpu0 = clients.cpu();
  clients.expect(lines);
  const startUs = (performance.timeOrigin + performance.now()) * 1000;
  const ack = await ctl.timeout(600_000).emitWithAck("run", { mode, lines, rate: cfg.pacedRate, batchMs: cfg.batchMs, batchMax: cfg.batchMax, stallMs: cfg.stallMs });
  if (ack.error) throw new Error(`${which} ${name}: ${ack.error}`);
  const settled = await Promise.race([clients.done.then(() => true), sleep(30_000).then(() => false)]);
  const f = await clients.collect();
  const cpu = cpuOf(pid) - cpu0, ccpu = clients.cpu() - ccpu0;
  const peakRssKb = statusKb(pid, "VmHWM");
  const rssKb = statusKb(pid, "VmRSS");
  let memAfter = null, memGone = null;
  if (stalled) {
    memAfter = { ...(await ctl.emitWithAck("mem", true)), rssKb: statusKb(pid, "VmRSS") };
    stalled.child.kill(); // its connection closes: what the server still held for it can go
    await sleep(1000);
    memGone = { ...(await ctl.emitWithAck("mem", true)), rssKb: statusKb(pid, "VmRSS") };
  }
  const seconds = (f.last - startUs) / 1e6;
  const r = {
    server: which, scenario: name, mode, lines, clients: cfg.clients, expected: lines * cfg.clients,
    received: f.received, complete: settled, lostConnections: clients.lost,
    seconds, deliveriesPerSec: f.received / seconds,
    p50ms: percentile(f.hist, 0.5), p99ms: percentile(f.hist, 0.99), maxBucketMs: percentile(f.hist, 1),
    peakRssMB: peakReset ? peakRssKb / 1024 : null, rssAfterMB: rssKb / 1024,
    serverCpuS: cpu, clientsCpuS: ccpu, producer: ack, memBefore, memAfter, memGone, loadavg: `${load0} → ${loadavg()}`,
  };
  log(`${which} ${name}: ${Math.round(r.deliveriesPerSec)} deliveries/s, p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms,`,
    `received ${r.received}/${r.expected}, server cpu ${cpu.toFixed(1)} s, clients cpu ${ccpu.toFixed(1)} s, peak RSS ${r.peakRssMB?.toFixed(0)} MB,`,
    `refusals ${ack.refusals}, cut ${ack.cut}, load ${r.loadavg}`);
  if (memBefore) log(`  stall: heap after GC ${(memBefore.heapUsed / 2 ** 20).toFixed(1)} → ${(memAfter.heapUsed / 2 ** 20).toFixed(1)} MB → ${(memGone.heapUsed / 2 ** 20).toFixed(1)} MB once the stalled client is gone, RSS ${(memBefore.rssKb / 1024).toFixed(0)} → ${(memAfter.rssKb / 1024).toFixed(0)} MB`);
  return r;
}

async function round(which, n) {
  const [cmd, argv] = serverCommand(which);
  const server = await startProcess(cmd, argv, "LISTENING");
  const url = `http://127.0.0.1:${server.port}`;
  log(`round ${n}: ${which} on ${url} (pid ${server.child.pid}), ${cfg.clients} clients in ${cfg.procs} processes`);
  const clients = new Clients(url);
  const results = [];
  try {
    await clients.start();
    const ctl = await control(url);
    // warm-up (JIT on ours, V8 on both); not counted
    clients.expect(cfg.warmLines);
    await ctl.timeout(120_000).emitWithAck("run", { mode: "line", lines: cfg.warmLines });
    await Promise.race([clients.done, sleep(20_000)]);
    for (const name of ["line", "paced", "batch", "stall"].filter((s) => cfg.scenarios.includes(s))) {
      results.push({ round: n, ...(await scenario(which, server, clients, ctl, name)) });
      await sleep(500);
    }
    ctl.close();
  } finally {
    await clients.stop();
    server.child.kill("SIGTERM");
    await sleep(500);
    server.child.kill("SIGKILL");
  }
  return results;
}

const median = (xs) => {
  const s = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const all = [];
const loadStart = loadavg();
log(`config: ${JSON.stringify({ ...cfg, classpath: undefined })}; load average ${loadStart}`);
for (let n = 1; n <= cfg.rounds; n++) {
  for (const which of ["ours", "node"]) if (cfg.only.includes(which)) all.push(...(await round(which, n)));
}
const loadEnd = loadavg();

const fmt = (x, d = 0) => (x == null || Number.isNaN(x) ? "-" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const sig2 = (x) => (Number.isNaN(x) ? "-" : Number(x.toPrecision(2)).toLocaleString("en-US"));
const summary = [];
const rows = [];
rows.push(["scenario", "server", "deliveries/s", "p50 ms", "p99 ms", "peak RSS MB", "srv/cli CPU s", "delivered", "cut"]);
for (const name of ["line", "paced", "batch", "stall"]) {
  const per = {};
  for (const which of ["ours", "node"]) {
    const rs = all.filter((r) => r.server === which && r.scenario === name);
    if (!rs.length) continue;
    per[which] = {
      deliveriesPerSec: median(rs.map((r) => r.deliveriesPerSec)),
      p50ms: median(rs.map((r) => r.p50ms)),
      p99ms: median(rs.map((r) => r.p99ms)),
      peakRssMB: Math.max(...rs.map((r) => r.peakRssMB ?? 0)),
      serverCpuS: median(rs.map((r) => r.serverCpuS)),
      clientsCpuS: median(rs.map((r) => r.clientsCpuS)),
      delivered: rs.map((r) => `${fmt((100 * r.received) / r.expected, 1)}%`).join(","),
      cut: rs.map((r) => r.producer.cut).join(","),
      runs: rs.length,
    };
    const p = per[which];
    rows.push([name, which, sig2(p.deliveriesPerSec), fmt(p.p50ms, 1), fmt(p.p99ms, 1), fmt(p.peakRssMB), `${fmt(p.serverCpuS, 1)}/${fmt(p.clientsCpuS, 1)}`, p.delivered, p.cut]);
  }
  if (per.ours && per.node) {
    const ratio = {
      deliveriesPerSec: per.ours.deliveriesPerSec / per.node.deliveriesPerSec,
      p50ms: per.ours.p50ms / per.node.p50ms,
      p99ms: per.ours.p99ms / per.node.p99ms,
      peakRssMB: per.ours.peakRssMB / per.node.peakRssMB,
    };
    per.ratio = ratio;
    rows.push([name, "ours/node", fmt(ratio.deliveriesPerSec, 2), fmt(ratio.p50ms, 2), fmt(ratio.p99ms, 2), fmt(ratio.peakRssMB, 2), "", "", ""]);
  }
  summary.push({ scenario: name, ...per });
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
const out = rows.map((r) => r.map((v, c) => (c < 2 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join("  "));
console.log("");
console.log(`Socket.IO load bench: ${cfg.clients} WebSocket clients in room "logs" (${cfg.procs} client processes), ${cfg.rounds} round(s) alternating ours/node, medians of rounds`);
console.log(`line: ${fmt(cfg.lines)} lines, one event each, as fast as the server takes them; paced: ${fmt(cfg.pacedRate)} lines/s for ${cfg.pacedSeconds} s, one event each (below both servers' capacity: latency without a backlog); batch: same lines, one event per ${cfg.batchMs} ms of up to ${cfg.batchMax} lines; stall: ${fmt(cfg.stallLines)} lines batched + 1 client that stops reading`);
console.log(out.join("\n"));
for (const which of ["ours", "node"]) {
  for (const r of all.filter((x) => x.server === which && x.scenario === "stall")) {
    console.log(`stall ${which} round ${r.round}: heap after GC ${fmt(r.memBefore.heapUsed / 2 ** 20, 1)} before → ${fmt(r.memAfter.heapUsed / 2 ** 20, 1)} after the flood → ${fmt(r.memGone.heapUsed / 2 ** 20, 1)} MB once the stalled client's connection is gone${r.memAfter.external != null ? ` (V8 heap; Buffers outside it: ${fmt(r.memBefore.external / 2 ** 20, 1)} → ${fmt(r.memAfter.external / 2 ** 20, 1)} → ${fmt(r.memGone.external / 2 ** 20, 1)} MB)` : ""}, RSS ${fmt(r.memBefore.rssKb / 1024)} → ${fmt(r.memAfter.rssKb / 1024)} MB, queue refusals ${r.producer.refusals}, stalled client cut: ${r.producer.cut > 0 ? "yes" : "no"}`);
  }
}
// the targets, said plainly
const sum = Object.fromEntries(summary.map((x) => [x.scenario, x]));
if (sum.line?.ratio) {
  const r = sum.line.ratio.deliveriesPerSec;
  console.log(`target per-line deliveries/s ≥ reference: ${r >= 1 ? "MET" : "MISSED"} (ours/node ${fmt(r, 2)})`);
}
for (const name of ["line", "paced", "batch", "stall"]) {
  for (const which of ["ours", "node"]) {
    const p = sum[name]?.[which];
    if (p) console.log(`target p99 < 100 ms, ${name} ${which}: ${p.p99ms < 100 ? "MET" : "MISSED"} (${fmt(p.p99ms, 0)} ms)`);
  }
}
for (const r of all.filter((x) => x.server === "ours" && x.scenario === "stall")) {
  const bounded = r.producer.refusals > 0 && r.memGone.heapUsed < r.memBefore.heapUsed + 8 * 2 ** 20;
  console.log(`target memory bounded with a stalled client, ours round ${r.round}: ${r.producer.refusals === 0 ? "NOT SHOWN (the queue bound was not reached; raise --stall-lines)" : bounded ? "MET" : "MISSED"} (heap after GC +${fmt((r.memAfter.heapUsed - r.memBefore.heapUsed) / 2 ** 20, 1)} MB at the end of the flood)`);
}
console.log(`load average (1/5/15 min): ${loadStart} at start, ${loadEnd} at end; 2 cores shared by servers, clients and other work: figures are ±20% at best`);
console.log("srv/cli CPU s: CPU seconds used by the server and by all client processes during the scenario; clients ≥ server means the driver shares the bottleneck");
mkdirSync(join(here, "..", "results"), { recursive: true });
const file = join(here, "..", "results", `socketio-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify({ config: { ...cfg, classpath: undefined }, loadavg: { start: loadStart, end: loadEnd }, summary, runs: all }, null, 2));
console.log(`figures: ${file}`);
process.exit(0);
