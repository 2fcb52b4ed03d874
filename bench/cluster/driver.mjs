// Buildcast in cluster mode on loopback: one redis-server and three nodes (the packaged jar) on a
// shared blob folder; the generator and the watcher processes of bench/compare. Prints one table;
// the figures also go to bench/results/cluster-*.json. Launched by bench/cluster/run (--jar).
import { execFileSync, spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, constants as C } from "node:fs";
import { open, readFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { Watchers, withTimeout } from "../compare/watchers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = dirname(here);
// why from bench/compare: the same pinned client its watcher processes use, installed once there
const { io } = createRequire(join(benchDir, "compare", "package.json"))("socket.io-client");
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const quick = args.includes("--quick");
// --only loud,fsync,quiet,late,kill,...: run only those scenarios (all by default)
const only = opt("only", null)?.split(",");
const wanted = (name) => !only || only.includes(name);
const cfg = quick
  ? { loudLines: 100_000, loudWatchers: [1, 30], quietJobs: 15, quietSeconds: 8, lateLines: 50_000, capS: 90 }
  : { loudLines: 1_000_000, loudWatchers: [1, 200], quietJobs: 100, quietSeconds: 30, lateLines: 500_000, capS: 180 };
if (opt("loud-lines")) cfg.loudLines = Number(opt("loud-lines"));
if (opt("loud-watchers")) cfg.loudWatchers = opt("loud-watchers").split(",").map(Number);
const jar = opt("jar");
const python = opt("python", "python3");
const NODES = ["n1", "n2", "n3"];
const LEASE_S = 10;
const t0 = Date.now();
const log = (...a) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...a);
const debug = (...a) => process.env.BENCH_DEBUG && log("debug:", ...a);
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
const work = mkdtempSync(join(tmpdir(), "buildcast-cluster-bench-"));
const children = new Set();
let serial = 0;

const cleanup = () => {
  for (const c of children) try { c.kill("SIGKILL"); } catch {}
  rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(1));

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on("error", reject);
});

// ---- processes -----------------------------------------------------------------------------
function waitForLine(child, pattern, what, stream = "stdout") {
  let text = "";
  let err = "";
  child.stderr?.on("data", (d) => (err = (err + d).slice(-4000)));
  return withTimeout(new Promise((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`${what} exited ${code} before it was ready: ${err}`)));
    child[stream].on("data", (d) => {
      text = (text + d).slice(-8000);
      const m = text.match(pattern);
      if (m) resolve(m);
    });
  }), 90_000, `${what} to start`);
}

// a redis-server on `port` (a free one when not given) keeping its AOF in `dir`; `more`: extra options (replicaof, say)
async function startRedis({ port, dir = join(work, "redis"), more = [] } = {}) {
  port ??= await freePort();
  mkdirSync(dir, { recursive: true });
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes",
    "--appendfsync", "everysec", "--save", "", "--maxmemory-policy", "noeviction", ...more], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  await waitForLine(child, /Ready to accept connections/, "redis-server");
  child.stdout.resume();
  return { port, dir, pid: child.pid, child, cli: (...a) => execFileSync("redis-cli", ["-p", String(port), ...a], { encoding: "utf8" }) };
}

function redisInfo(redis) {
  const info = {};
  for (const line of redis.cli("INFO").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) info[line.slice(0, i)] = line.slice(i + 1);
  }
  return info;
}

async function startNode(id, config) {
  // BENCH_JFR_DIR: every node records a JFR profile, dumped there as <node id>.jfr at the end of the run
  const extra = process.env.BENCH_JFR_DIR ? ["-XX:StartFlightRecording=settings=profile,name=bench"] : [];
  const argv = [...extra, "-Xmx512m", "-jar", jar, "--host", "127.0.0.1", "--port", "0", "--node-id", id, "--data-dir", join(work, `data-${id}`),
    "--config", config];
  const child = spawn("java", argv, { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const node = { id, child, kind: "buildcast", err: "" };
  child.stderr.on("data", (d) => (node.err = (node.err + d).slice(-20_000)));
  const m = await waitForLine(child, /Buildcast listening on (http:\/\/\S+)/, `node ${id}`);
  child.stdout.resume();
  return Object.assign(node, { url: m[1], pid: child.pid });
}

// ---- HTTP API --------------------------------------------------------------------------------
async function submit(node, params) {
  const res = await fetch(`${node.url}/api/jobs`, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ generator: "bench", params }) });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`submit on ${node.id}: ${res.status} ${JSON.stringify(body)}`);
  return { jobId: body.jobId, token: body.token };
}
async function status(node, job) {
  const res = await fetch(`${node.url}/api/jobs/${job.jobId}`, { headers: { Authorization: `Bearer ${job.token}` } });
  return res.json();
}
async function until(what, check, capMs = cfg.capS * 1000) {
  const end = Date.now() + capMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const running = (node, job) => until(`job ${job.jobId} to run`, async () => {
  const s = await status(node, job);
  return s.state === "running" ? s : null;
});
const cancel = (node, job) => fetch(`${node.url}/api/jobs/${job.jobId}/cancel`, { method: "POST",
  headers: { Authorization: `Bearer ${job.token}`, "Content-Type": "application/json" } }).catch(() => {});
async function metric(node, name) {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(name + " ") || l.startsWith(name + "{"));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : NaN;
}

const fifo = (name) => {
  const path = join(work, `${name}-${++serial}.fifo`);
  execFileSync("mkfifo", [path]);
  return path;
};
async function sendGo(path) {
  const f = await withTimeout(open(path, "w"), 60_000, "the generator to open its GO pipe").catch((e) => {
    try { closeSync(openSync(path, C.O_RDONLY | C.O_NONBLOCK)); } catch {}
    throw e;
  });
  await f.write("1");
  await f.close();
}

// watchers spread over the nodes: count per node, one watcher process set per node
async function watchOn(nodes, perNode, targetsFor, mode, lines) {
  const sets = [];
  for (const node of nodes) {
    const count = perNode(node);
    if (count === 0) continue;
    const w = new Watchers(Math.min(2, count), { children, debug });
    await w.start();
    const { done } = await w.connect(node, targetsFor(node, count), mode, lines);
    sets.push({ node, w, done });
  }
  return sets;
}
const stopAll = async (sets) => { for (const s of sets) await s.w.stop(); };

// ---- scenarios -----------------------------------------------------------------------------
// one loud job flat out; watchers spread over the three nodes; latency only from the nodes that do not run it
async function loud(nodes, redis, watchers) {
  const go = fifo("go");
  const report = join(work, `report-${++serial}.txt`);
  const job = await submit(nodes[0], { LINES: cfg.loudLines, GO: go, REPORT: report });
  const owner = (await running(nodes[0], job)).node;
  const others = nodes.filter((n) => n.id !== owner);
  const perNode = (n) => (watchers === 1 ? (n.id === others[0].id ? 1 : 0) : Math.floor(watchers / 3) + (nodes.indexOf(n) < watchers % 3 ? 1 : 0));
  const sets = await watchOn(nodes, perNode, (n, count) => [{ ...job, sockets: count }], "follow");
  const before = redisInfo(redis);
  const ownerNode = nodes.find((n) => n.id === owner);
  const appendsBefore = await metric(ownerNode, "buildcast_cluster_append_seconds_count");
  let lagMax = 0;
  const sampling = setInterval(async () => {
    const lag = await metric(ownerNode, "buildcast_cluster_shipping_lag_lines").catch(() => NaN);
    if (lag > lagMax) lagMax = lag;
  }, 250);
  await sendGo(go);
  const goAt = nowUs();
  let cut = null;
  await Promise.race([Promise.all(sets.map((s) => s.done)), new Promise((r) => setTimeout(r, cfg.capS * 1000)).then(() => (cut = `cut at ${cfg.capS} s`))]);
  clearInterval(sampling);
  const after = redisInfo(redis);
  const appends = (await metric(ownerNode, "buildcast_cluster_append_seconds_count")) - appendsBefore;
  let genSpentS = null;
  try { genSpentS = Number(readFileSync(report, "utf8").split(" ")[1]) / 1e6; } catch {}
  let received = 0, lastAt = 0;
  let far = null;
  for (const s of sets) {
    const fig = await s.w.collect();
    received += fig.received;
    lastAt = Math.max(lastAt, fig.lastAt);
    if (s.node.id !== owner && (!far || fig.received > 0)) far = far ? { p50ms: Math.max(far.p50ms, fig.p50ms), p99ms: Math.max(far.p99ms, fig.p99ms) } : fig;
  }
  await stopAll(sets);
  if (cut) await cancel(nodes[0], job);
  const seconds = (lastAt - goAt) / 1e6;
  const redisS = seconds > 0 ? seconds : 1;
  return {
    watchers, owner, cut, expected: cfg.loudLines * watchers, received, seconds, linesPerS: received / seconds, genSpentS,
    p50msElsewhere: far?.p50ms, p99msElsewhere: far?.p99ms, shippingLagMax: lagMax,
    redis: {
      appendsPerS: appends / redisS,
      netInMBPerS: (Number(after.total_net_input_bytes) - Number(before.total_net_input_bytes)) / 1e6 / redisS,
      cpuS: Number(after.used_cpu_sys) + Number(after.used_cpu_user) - Number(before.used_cpu_sys) - Number(before.used_cpu_user),
      usedMemoryPeakMB: Number(after.used_memory_peak) / 1e6,
    },
    load: loadavg(),
  };
}

// many slow jobs spread over the nodes, one watcher each on a node that does not run it
async function quiet(nodes) {
  const rate = 20;
  const jobs = [];
  for (let i = 0; i < cfg.quietJobs; i++) {
    const go = fifo("quiet");
    const node = nodes[i % nodes.length];
    jobs.push({ ...(await submit(node, { LINES: rate * cfg.quietSeconds, RATE: rate, GO: go })), go, node });
  }
  for (const j of jobs) j.owner = (await running(j.node, j)).node;
  const sets = await watchOn(nodes, (n) => jobs.filter((j) => j.owner !== n.id).length ? 1 : 0,
    (n) => jobs.filter((j) => nodes[(nodes.findIndex((x) => x.id === j.owner) + 1) % nodes.length].id === n.id).map((j) => ({ ...j, sockets: 1 })),
    "follow");
  await Promise.all(jobs.map((j) => sendGo(j.go)));
  await withTimeout(Promise.all(sets.map((s) => s.done)), (cfg.quietSeconds + cfg.capS) * 1000, "quiet jobs");
  let p50 = 0, p99 = 0, received = 0;
  for (const s of sets) {
    const fig = await s.w.collect();
    received += fig.received;
    p50 = Math.max(p50, fig.p50ms);
    p99 = Math.max(p99, fig.p99ms);
  }
  await stopAll(sets);
  return { jobs: cfg.quietJobs, received, p50ms: p50, p99ms: p99, load: loadavg() };
}

// a late joiner on a node that never followed the job: the whole history, then live
async function late(nodes) {
  const mark = fifo("mark");
  const printed = readFile(mark, "utf8");
  const job = await submit(nodes[0], { LINES: cfg.lateLines, BASIC: 1, MARK: mark, LIVE: 120, LIVE_MS: 20 });
  const owner = (await running(nodes[0], job)).node;
  await withTimeout(printed, cfg.capS * 1000, "the generator to print its history");
  const other = nodes.find((n) => n.id !== owner);
  const sets = await watchOn([other], () => 1, () => [{ ...job, sockets: 1 }], "late", cfg.lateLines);
  await withTimeout(sets[0].done, cfg.capS * 1000, "the late joiner to be live");
  const fig = await sets[0].w.collect();
  await stopAll(sets);
  await cancel(nodes[0], job);
  return { lines: cfg.lateLines, owner, joinedOn: other.id, historyS: (fig.late.historyAt - fig.late.joinAt) / 1e6,
    liveS: (fig.late.liveAt - fig.late.joinAt) / 1e6, load: loadavg() };
}

// the owner killed with SIGKILL mid-job: seconds until a watcher elsewhere has the final status
async function ownerKilled(nodes) {
  const job = await submit(nodes[0], { LINES: 1_000_000, RATE: 200 });
  const owner = (await running(nodes[0], job)).node;
  const other = nodes.find((n) => n.id !== owner);
  const socket = io(`${other.url}/${job.jobId}`, { transports: ["websocket"], forceNew: true, reconnection: false,
    auth: { token: job.token, format: "json", detail: true } });
  let lines = 0;
  socket.on("log", (p) => (lines += p.lines.length));
  const failed = new Promise((r) => socket.on("status", (s) => s.state === "failed" && r()));
  await until("lines before the kill", () => lines >= 100);
  const victim = nodes.find((n) => n.id === owner);
  victim.child.kill("SIGKILL");
  const killedAt = nowUs();
  await withTimeout(failed, cfg.capS * 1000, "the failed status after the kill");
  const seconds = (nowUs() - killedAt) / 1e6;
  socket.close();
  return { owner, watcherOn: other.id, seconds, leaseS: LEASE_S, load: loadavg() };
}

// Redis killed with SIGKILL while a job prints and a watcher follows it on another node, then
// started again at once on the same port and AOF (no Sentinel here): seconds until the watcher gets
// lines again, from the kill and from Redis being ready again
async function redisKilled(allNodes, redis) {
  // why: the owner-kill scenario may have killed one
  const nodes = allNodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const job = await submit(nodes[0], { LINES: 1_000_000, RATE: 500 });
  const owner = (await running(nodes[0], job)).node;
  const other = nodes.find((n) => n.id !== owner);
  const socket = io(`${other.url}/${job.jobId}`, { transports: ["websocket"], forceNew: true, reconnection: false,
    auth: { token: job.token, format: "json", detail: true } });
  let lastLineAt = 0, lines = 0;
  socket.on("log", (p) => { lines += p.lines.length; lastLineAt = nowUs(); });
  await until("lines before the kill", () => lines >= 500);
  redis.child.kill("SIGKILL");
  const killedAt = nowUs();
  await new Promise((r) => redis.child.once("exit", r));
  const restarted = await startRedis({ port: redis.port, dir: redis.dir });
  const readyAt = nowUs();
  const before = lines;
  // why after the restart: lines the mirror feed already held may still arrive just after the kill
  await until("lines after Redis came back", () => lines > before && lastLineAt > readyAt);
  const resumedAt = lastLineAt;
  socket.close();
  await cancel(nodes[0], job);
  return { restarted, owner, watcherOn: other.id, readyS: (readyAt - killedAt) / 1e6, resumedAfterKillS: (resumedAt - killedAt) / 1e6,
    resumedAfterReadyS: (resumedAt - readyAt) / 1e6, load: loadavg() };
}

// SIGTERM, then SIGKILL after 60 s (noted in the results: a stop that hangs is worth a look)
async function stopNode(node) {
  // why both: a node the owner-kill scenario killed has a signalCode and no exitCode
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once("exit", r));
  node.child.kill("SIGTERM");
  try {
    await withTimeout(exited, 60_000, `node ${node.id} to stop`);
  } catch (e) {
    log(`node ${node.id} did not stop within 60 s of SIGTERM; killed. Its last output:\n${node.err.slice(-6000)}`);
    (results.stopsKilled ??= []).push(node.id);
    node.child.kill("SIGKILL");
    await exited;
  }
}

// ---- run -------------------------------------------------------------------------------------
const results = { started: new Date().toISOString(), quick, cfg, loadAtStart: loadavg() };
try {
  log(`load ${loadavg()}; starting redis-server and 3 nodes`);
  let redis = await startRedis();
  const configText = (replicaAcks) => [
    `maxConcurrentJobs: ${Math.ceil(cfg.quietJobs / 3) + 4}`,
    "generators:",
    `  - {name: bench, description: bench generator, command: ${JSON.stringify([python, join(benchDir, "compare", "gen.py")])}, timeout: 30m}`,
    "logs: {maxBytesPerJob: 2GB}",
    "limits: {connectionsPerIp: 5000, jobsPerIpPerMinute: 100000}",
    "cluster:",
    `  redis: {url: 'redis://127.0.0.1:${redis.port}', minReplicasAck: ${replicaAcks}}`,
    `  lease: ${LEASE_S}s`,
    `  blobs: {type: directory, path: '${join(work, "blobs")}'}`,
    "",
  ].join("\n");
  const config = join(work, "buildcast.yaml");
  writeFileSync(config, configText(0));
  let nodes = await Promise.all(NODES.map((id) => startNode(id, config)));
  if (wanted("loud")) {
    results.loud = [];
    for (const w of cfg.loudWatchers) {
      log(`loud job, ${cfg.loudLines} lines, ${w} watcher(s) over 3 nodes`);
      results.loud.push(await loud(nodes, redis, w));
    }
  }
  if (wanted("fsync")) {
    log("loud job, 1 watcher, Redis with appendfsync always");
    redis.cli("CONFIG", "SET", "appendfsync", "always");
    results.loudFsyncAlways = await loud(nodes, redis, 1);
    redis.cli("CONFIG", "SET", "appendfsync", "everysec");
  }
  if (wanted("quiet")) {
    log(`${cfg.quietJobs} quiet jobs`);
    results.quiet = await quiet(nodes);
  }
  if (wanted("late")) {
    log(`late joiner, ${cfg.lateLines} lines`);
    results.late = await late(nodes);
  }
  if (wanted("kill")) {
    log("owner killed mid-job");
    results.ownerKilled = await ownerKilled(nodes);
  }
  if (wanted("redis-kill")) {
    log("redis-server killed mid-job and started again");
    const { restarted, ...figures } = await redisKilled(nodes, redis);
    redis = restarted;
    results.redisKilled = figures;
  }
  if (wanted("replica")) {
    log("a replica, and the nodes restarted with minReplicasAck: 1");
    const replica = await startRedis({ dir: join(work, "replica"), more: ["--replicaof", "127.0.0.1", String(redis.port)] });
    await until("the replica to sync", () => /master_link_status:up/.test(replica.cli("INFO", "replication")), 60_000);
    await Promise.all(nodes.map(stopNode));
    const acked = join(work, "buildcast-acked.yaml");
    writeFileSync(acked, configText(1));
    // why other ids: a node killed above leaves its liveness key for a lease, and a duplicate id is refused
    nodes = await Promise.all(NODES.map((id) => startNode(`${id}r`, acked)));
    results.loudReplicaAck = await loud(nodes, redis, 1);
  }
} catch (e) {
  results.error = String(e.stack ?? e);
  log("failed:", e.message);
}
if (process.env.BENCH_JFR_DIR) {
  for (const c of children) {
    if (c.exitCode !== null || !c.spawnargs.some((a) => a.includes("StartFlightRecording"))) continue;
    const id = c.spawnargs[c.spawnargs.indexOf("--node-id") + 1];
    try {
      execFileSync("jcmd", [String(c.pid), "JFR.dump", "name=bench", `filename=${join(process.env.BENCH_JFR_DIR, id + ".jfr")}`], { stdio: "ignore" });
    } catch (e) { log(`JFR dump of ${id} failed: ${e.message}`); }
  }
}
results.wallS = (Date.now() - t0) / 1000;

const f = (v, d = 1) => (v == null || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const rows = [];
for (const r of results.loud ?? []) {
  rows.push([`loud job, ${r.watchers} watcher(s): lines/s delivered`, f(r.linesPerS, 0)]);
  rows.push([`  job wall time s (generator's own)`, f(r.genSpentS, 2)]);
  rows.push([`  latency print → watcher on a non-owner node p50 / p99 ms`, `${f(r.p50msElsewhere)} / ${f(r.p99msElsewhere)}`]);
  rows.push([`  shipping lag max (lines)`, f(r.shippingLagMax, 0)]);
  rows.push([`  Redis: appends/s, MB/s in, CPU s, used_memory peak MB`,
    `${f(r.redis.appendsPerS, 0)}, ${f(r.redis.netInMBPerS)}, ${f(r.redis.cpuS)}, ${f(r.redis.usedMemoryPeakMB, 0)}`]);
  if (r.cut) rows.push(["  cut", r.cut]);
}
if (results.loudFsyncAlways) {
  const r = results.loudFsyncAlways;
  rows.push(["loud job, 1 watcher, appendfsync always: lines/s; p50 / p99 ms", `${f(r.linesPerS, 0)}; ${f(r.p50msElsewhere)} / ${f(r.p99msElsewhere)}`]);
  rows.push(["  shipping lag max; Redis appends/s, MB/s in, CPU s, used_memory peak MB",
    `${f(r.shippingLagMax, 0)}; ${f(r.redis.appendsPerS, 0)}, ${f(r.redis.netInMBPerS)}, ${f(r.redis.cpuS)}, ${f(r.redis.usedMemoryPeakMB, 0)}`]);
}
if (results.loudReplicaAck) {
  const r = results.loudReplicaAck;
  rows.push(["loud job, 1 watcher, a local replica and minReplicasAck 1: lines/s; p50 / p99 ms", `${f(r.linesPerS, 0)}; ${f(r.p50msElsewhere)} / ${f(r.p99msElsewhere)}`]);
  rows.push(["  shipping lag max; Redis appends/s, MB/s in, CPU s, used_memory peak MB",
    `${f(r.shippingLagMax, 0)}; ${f(r.redis.appendsPerS, 0)}, ${f(r.redis.netInMBPerS)}, ${f(r.redis.cpuS)}, ${f(r.redis.usedMemoryPeakMB, 0)}`]);
}
if (results.quiet) rows.push([`${results.quiet.jobs} quiet jobs, watchers on non-owner nodes: p50 / p99 ms`, `${f(results.quiet.p50ms)} / ${f(results.quiet.p99ms)}`]);
if (results.late) rows.push([`late joiner on ${results.late.joinedOn}, ${results.late.lines} lines: s to the whole log / to live`, `${f(results.late.historyS, 2)} / ${f(results.late.liveS, 2)}`]);
if (results.redisKilled) {
  const r = results.redisKilled;
  rows.push(["redis-server SIGKILL, restarted at once from its AOF: s to ready; s to lines again at a watcher elsewhere",
    `${f(r.readyS, 2)}; ${f(r.resumedAfterKillS, 2)} (${f(r.resumedAfterReadyS, 2)} after ready)`]);
}
if (results.ownerKilled) rows.push([`owner killed (SIGKILL) → failed at a watcher elsewhere, s (lease ${LEASE_S} s)`, f(results.ownerKilled.seconds, 2)]);
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`Buildcast cluster bench (${quick ? "quick" : "full"}), ${new Date().toISOString()}, load at start ${results.loadAtStart}, now ${loadavg()}`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
if (results.error) console.log(`failed: ${results.error.split("\n")[0]}`);
mkdirSync(join(benchDir, "results"), { recursive: true });
const file = join(benchDir, "results", `cluster-${quick ? "quick-" : ""}${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`figures: ${file}`);
process.exit(results.error ? 1 : 0);
