// Buildcast against the seeds' stack (bench/peer): every scenario on both servers, alternating,
// each on a fresh server process; one table on stdout, the figures as JSON under bench/results/.
// Launched by bench/run, which builds the jar and passes --jar. Progress goes to stderr.
import { fork, spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, openSync, closeSync, statSync, constants as C } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import http from "node:http";
import { io } from "socket.io-client";
import { Watchers, withTimeout } from "./watchers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = dirname(here);
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const quick = args.includes("--quick");
const cfg = quick
  ? { loudLines: 50_000, loudWatchers: [1, 10], loudCapS: [10, 10], quietJobs: 10, quietSeconds: 8, quietWatchers: 5,
      lateLines: 20_000, lateCapS: 20, uploadMB: 10, detailMB: 10, stepCapS: 60, pacedSeconds: 4, acks: 2_000, ingestLines: 200_000 }
  : { loudLines: 1_000_000, loudWatchers: [1, 50, 200], loudCapS: [45, 70, 90], quietJobs: 100, quietSeconds: 60, quietWatchers: 5,
      lateLines: 500_000, lateCapS: 90, uploadMB: 200, detailMB: 100, stepCapS: 120, pacedSeconds: 15, acks: 10_000, ingestLines: 1_000_000 };
cfg.pacedRate = 2_000; // lines/s in scenario 6
if (opt("paced-seconds")) cfg.pacedSeconds = Number(opt("paced-seconds"));
if (opt("quiet-seconds")) cfg.quietSeconds = Number(opt("quiet-seconds"));
// scenario 6: the watcher processes follow an unmeasured round first (see paced()); --warm-server
// (diagnostic, never in the table) also runs one on the measured server first: its steady state
cfg.warmWatchers = !args.includes("--cold-watchers");
cfg.warmServer = args.includes("--warm-server");
cfg.pacedWatchers = 50;
// diagnostic, never in the table: the watcher processes' niceness (19: they use only the CPU the
// server and the job leave, which tells the server's own cost to the job from the watchers')
cfg.niceWatchers = Number(opt("nice-watchers", 0));
cfg.only = opt("only", "1,2,3,4,5,6,7,8").split(",");
if (opt("loud-watchers")) {
  const list = opt("loud-watchers").split(",").map(Number);
  cfg.loudCapS = list.map((w) => cfg.loudCapS[Math.min(cfg.loudCapS.length - 1, cfg.loudWatchers.indexOf(w) >= 0 ? cfg.loudWatchers.indexOf(w) : cfg.loudCapS.length - 1)]);
  cfg.loudWatchers = list;
}
// why: an A/B of two Buildcast builds needs no peer run in between (the table shows – for it)
cfg.servers = opt("servers", "buildcast,peer").split(",");
cfg.rssCapMB = Number(opt("rss-cap-mb", 4096)); // a server above this is stopped: the scenario is cut
const jar = opt("jar");
const python = opt("python", "python3");
const MB = 1e6;
const TICK = 100; // USER_HZ
const t0 = Date.now();
const debug = (...a) => process.env.BENCH_DEBUG && log("debug:", ...a);
const log = (...a) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...a);
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const work = mkdtempSync(join(tmpdir(), "buildcast-vs-peer-"));
const children = new Set();

// ---- processes -----------------------------------------------------------------------------
const procStatus = (pid, key) => {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};
const cpuSeconds = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return NaN;
  }
};
const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, "5");

let serial = 0;
// quick mode keeps one server of each kind for the whole run (JVM start-up would take most of
// the two minutes on a loaded machine); the full run starts a fresh one for every measurement
const kept = new Map();
async function startServer(kind) {
  if (!quick) return launchServer(kind);
  if (!kept.has(kind)) kept.set(kind, launchServer(kind));
  const server = await kept.get(kind);
  return { ...server, stop: async () => {} };
}
const stopKept = async () => {
  for (const s of kept.values()) await (await s.catch(() => null))?.stop();
};
async function launchServer(kind) {
  const dir = join(work, `${kind}-${++serial}`);
  mkdirSync(dir, { recursive: true });
  const gen = [python, join(here, "gen.py")];
  let cmd, argv, ready, sessionLog = null;
  if (kind === "buildcast") {
    writeFileSync(join(dir, "buildcast.yaml"), [
      `maxConcurrentJobs: ${Math.max(cfg.quietJobs, 4) + 4}`,
      "generators:",
      `  - {name: bench, description: bench generator, command: ${JSON.stringify(gen)}, timeout: 30m}`,
      "logs: {maxBytesPerJob: 2GB}",
      // every client is 127.0.0.1: lift the per-address upload quotas (issue 14) above what a run sends
      `uploads: {maxBytes: ${cfg.uploadMB * 2 + 16}MB, maxBytesPerAddress: 1000GiB, maxUploadsPerAddress: 100000, maxUnfinishedPerAddress: 10000}`,
      "limits: {connectionsPerIp: 5000, jobsPerIpPerMinute: 100000}",
      "",
    ].join("\n"));
    // the engine logs each session it closes, with the client's pace, to a file of its own
    // (EngineSession at DEBUG): a watcher lost in a step is then told apart as a dead client or
    // one that had not read for the ping timeout; everything else goes to stderr as scripts/run.sh's
    sessionLog = join(dir, "sessions.log");
    writeFileSync(join(dir, "logback.xml"), [
      "<configuration>",
      '  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>',
      "    <encoder><pattern>%d %-5level [%thread] %logger{20} - %msg%n</pattern></encoder></appender>",
      `  <appender name="SESSIONS" class="ch.qos.logback.core.FileAppender"><file>${sessionLog}</file>`,
      "    <encoder><pattern>%d{HH:mm:ss.SSS} %msg%n</pattern></encoder></appender>",
      '  <logger name="org.eclipse.jetty" level="WARN"/>',
      '  <logger name="dev.buildcast.socketio.engine.EngineSession" level="DEBUG" additivity="false"><appender-ref ref="SESSIONS"/></logger>',
      '  <root level="INFO"><appender-ref ref="STDERR"/></root>',
      "</configuration>",
      "",
    ].join("\n"));
    cmd = "java";
    argv = [`-Dlogback.configurationFile=${join(dir, "logback.xml")}`, ...(opt("java-opts", "-Xmx256m") || "").split(" ").filter(Boolean),
      "-jar", jar, "--host", "127.0.0.1", "--port", "0",
      "--data-dir", join(dir, "data"), "--config", join(dir, "buildcast.yaml")];
    ready = /Buildcast listening on (http:\/\/\S+)/;
  } else {
    writeFileSync(join(dir, "generators.json"), JSON.stringify({ bench: gen }));
    cmd = "node";
    argv = [join(benchDir, "peer", "server.mjs"), "--port", "0", "--data-dir", join(dir, "data"), "--config", join(dir, "generators.json")];
    ready = /Peer listening on (http:\/\/\S+)/;
  }
  // the environment scripts/run.sh gives the server (MALLOC_ARENA_MAX, see there)
  const env = kind === "buildcast" ? { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" } : process.env;
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], env });
  children.add(child);
  let err = "";
  child.stderr.on("data", (d) => (err = (err + d).slice(-4000)));
  const url = await withTimeout(new Promise((resolve, reject) => {
    let out = "";
    child.on("exit", (code) => reject(new Error(`${kind} exited ${code} before it was ready: ${err}`)));
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(ready);
      if (m) resolve(m[1]);
    });
  }), 60_000, `${kind} to print its ready line`);
  child.stdout.resume();
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await withTimeout(exited, 10_000, `${kind} to stop`).catch(() => child.kill("SIGKILL"));
    }
    children.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  return { kind, url, pid: child.pid, child, stop, dir, stderr: () => err, sessionLog };
}

const fileSize = (path) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};
// the sessions Buildcast closed after byte `from` of its session log: how many per reason, and
// for ping timeouts the range of how long before the close the client's last pong came
function sessionCloses(server, from) {
  if (!server.sessionLog) return null;
  let text;
  try {
    text = readFileSync(server.sessionLog).subarray(from).toString("utf8");
  } catch {
    return null;
  }
  const byReason = {};
  const lastPongS = [];
  for (const m of text.matchAll(/ closed: (.+?) \(pings unanswered.*?last pong (never|(\d+) ms ago)/g)) {
    byReason[m[1]] = (byReason[m[1]] ?? 0) + 1;
    if (m[1] === "ping timeout" && m[3]) lastPongS.push(Number(m[3]) / 1000);
  }
  return { byReason, lastPongS: lastPongS.length ? lastPongS.sort((a, b) => a - b).map((x) => Number(x.toFixed(1))) : null };
}
const describeCloses = (c) => !c || !Object.keys(c.byReason).length ? "" : "; the server closed " +
  Object.entries(c.byReason).map(([why, n]) => `${n} on ${why}`).join(", ") +
  (c.lastPongS ? `, their last pong ${c.lastPongS[0].toFixed(0)}–${c.lastPongS.at(-1).toFixed(0)} s before (median ${c.lastPongS[c.lastPongS.length >> 1].toFixed(0)})` : "");

// the server's memory and CPU over one measured step; a server above rssCapMB is cut (scenario fails)
function meter(server) {
  resetPeak(server.pid);
  const rssStart = procStatus(server.pid, "VmRSS");
  const cpuStart = cpuSeconds(server.pid);
  let capped = null;
  // the server's CPU second by second, beside the watchers' timelines: which side went quiet
  const cpuTimeline = [];
  let ticks = 0;
  const watch = setInterval(() => {
    if (++ticks % 4 === 0) cpuTimeline.push([Date.now(), +(cpuSeconds(server.pid) - cpuStart).toFixed(2)]);
    const rss = procStatus(server.pid, "VmRSS");
    if (rss > cfg.rssCapMB && !capped) {
      capped = `server RSS ${rss.toFixed(0)} MB over the ${cfg.rssCapMB} MB cap`;
      server.onCap?.(capped);
    }
  }, 250);
  return {
    end() {
      clearInterval(watch);
      const peak = procStatus(server.pid, "VmHWM");
      return { rssStartMB: rssStart, peakRssMB: peak, rssGrowthMB: peak - rssStart, cpuS: cpuSeconds(server.pid) - cpuStart, capped, cpuTimeline };
    },
  };
}

const connectRoot = (url) => new Promise((resolve, reject) => {
  const s = io(`${url}/`, { transports: ["websocket"], forceNew: true, reconnection: false });
  s.once("connect", () => resolve(s));
  s.once("connect_error", reject);
});
const emitAck = (socket, event, payload) => withTimeout(new Promise((r) => socket.emit(event, payload, r)), 30_000, event);

// waits for a job's end: Buildcast's final status on the job's namespace; the peer's wait-job on /
async function jobEnded(server, root, job, what) {
  if (server.kind === "buildcast") {
    const s = io(`${server.url}/${job.jobId}`, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: job.token } });
    await withTimeout(new Promise((r) => s.on("status", (st) => ["succeeded", "failed", "cancelled"].includes(st.state) && r())),
      cfg.stepCapS * 1000, what).finally(() => s.close());
  } else {
    await withTimeout(new Promise((r) => root.emit("wait-job", { jobId: job.jobId }, r)), cfg.stepCapS * 1000, what);
  }
}

async function generate(root, params) {
  const reply = await emitAck(root, "generate", { generator: "bench", params });
  if (reply.error) throw new Error(`generate: ${JSON.stringify(reply.error)}`);
  return { jobId: reply.jobId, token: reply.token };
}

function httpRequest(url, method = "GET") {
  return new Promise((resolve, reject) => {
    // Buildcast takes write requests only as JSON (issue 14); the peer ignores the type
    const headers = method === "POST" ? { "Content-Type": "application/json" } : {};
    const req = http.request(url, { method, headers }, (res) => {
      let bytes = 0;
      res.on("data", (d) => (bytes += d.length));
      res.on("end", () => resolve({ status: res.statusCode, bytes }));
    });
    req.on("error", reject);
    req.end();
  });
}
const cancelJob = (server, job) =>
  httpRequest(`${server.url}/api/jobs/${job.jobId}/cancel${job.token ? `?token=${job.token}` : ""}`, "POST").catch(() => {});

const fifo = (name) => {
  const path = join(work, `${name}-${++serial}.fifo`);
  execFileSync("mkfifo", [path]);
  fifos.add(path);
  return path;
};
// opening a FIFO for writing waits for its reader (the generator); this releases a waiting open
const releaseFifo = (path) => {
  try {
    closeSync(openSync(path, C.O_RDONLY | C.O_NONBLOCK));
  } catch {}
};
async function sendGo(path) {
  const f = await withTimeout(open(path, "w"), 30_000, "the generator to open its GO pipe").catch((e) => {
    releaseFifo(path);
    throw e;
  });
  await f.write("1");
  await f.close();
}

const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

// ---- scenarios ------------------------------------------------------------------------------
// 1. one loud job: `lines` lines flat out, `watchers` watchers following every line
async function loud(kind, watchers, capS) {
  const server = await startServer(kind);
  const w = new Watchers(Math.min(4, watchers), { children, debug, nice: cfg.niceWatchers });
  try {
    await w.start();
    const root = await connectRoot(server.url);
    const go = fifo("go");
    const report = join(work, `report-${++serial}.txt`);
    const job = await generate(root, { LINES: cfg.loudLines, GO: go, REPORT: report });
    debug("generated", job.jobId);
    const { done } = await w.connect(server, [{ ...job, sockets: watchers }], "follow");
    debug("watchers connected");
    const m = meter(server);
    const sessionLogFrom = fileSize(server.sessionLog);
    let cut = null;
    const capped = new Promise((r) => (server.onCap = r));
    await sendGo(go);
    debug("go sent");
    const goAt = nowUs();
    await Promise.race([done, new Promise((r) => setTimeout(r, capS * 1000)).then(() => (cut = `cut at the ${capS} s cap`)), capped.then((why) => (cut = why))]);
    const srv = m.end();
    const fig = await w.collect();
    // the job's wall time, from the generator itself (absent when the job had not ended by then)
    let genSpentS = null;
    try {
      genSpentS = Number(readFileSync(report, "utf8").split(" ")[1]) / 1e6;
    } catch {}
    if (genSpentS == null) await cancelJob(server, job);
    root.close();
    const seconds = (fig.lastAt - goAt) / 1e6;
    const lost = w.events.filter((e) => e.ev === "lost");
    return {
      kind, watchers, cut, expected: cfg.loudLines * watchers, received: fig.received, seconds,
      linesPerS: fig.received / seconds, p50ms: fig.p50ms, p99ms: fig.p99ms, maxms: fig.maxms,
      genSpentS, ...srv, lost: lost.length, lostReason: lost[0]?.message ?? null,
      serverCloses: sessionCloses(server, sessionLogFrom), watcherHealth: fig.watcherHealth,
    };
  } finally {
    await w.stop();
    await server.stop();
  }
}

// the generator's own time for the same lines with stdout at /dev/null (what the job costs alone)
async function devNullSpent(lines) {
  const report = join(work, `devnull-${++serial}.txt`);
  const child = spawn(python, [join(here, "gen.py")], {
    stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, BUILDCAST_PARAM_LINES: String(lines), BUILDCAST_PARAM_REPORT: report },
  });
  children.add(child);
  await withTimeout(new Promise((r) => child.once("exit", r)), 120_000, "generator to /dev/null");
  children.delete(child);
  return Number(readFileSync(report, "utf8").trim().split(" ")[1]) / 1e6;
}

// 2. many quiet jobs: `quietJobs` jobs at 20 lines/s for quietSeconds, 5 watchers each
async function quiet(kind) {
  const server = await startServer(kind);
  const w = new Watchers(4, { children, debug, nice: cfg.niceWatchers });
  try {
    await w.start();
    const root = await connectRoot(server.url);
    const jobs = [];
    for (let i = 0; i < cfg.quietJobs; i++) {
      const go = fifo("go");
      jobs.push({ go, ...(await generate(root, { LINES: 20 * cfg.quietSeconds, RATE: 20, GO: go })), sockets: cfg.quietWatchers });
    }
    const { done } = await w.connect(server, jobs, "follow");
    const m = meter(server);
    let cut = null;
    const capped = new Promise((r) => (server.onCap = r));
    await Promise.all(jobs.map((j) => sendGo(j.go)));
    const capS = cfg.quietSeconds + 60;
    await Promise.race([done, new Promise((r) => setTimeout(r, capS * 1000)).then(() => (cut = `cut at the ${capS} s cap`)), capped.then((why) => (cut = why))]);
    const srv = m.end();
    const fig = await w.collect();
    if (cut) await Promise.all(jobs.map((j) => cancelJob(server, j)));
    root.close();
    return { kind, jobs: cfg.quietJobs, cut, expected: 20 * cfg.quietSeconds * cfg.quietJobs * cfg.quietWatchers, received: fig.received,
      p50ms: fig.p50ms, p99ms: fig.p99ms, maxms: fig.maxms, ...srv, watcherHealth: fig.watcherHealth };
  } finally {
    await w.stop();
    await server.stop();
  }
}

// 6. paced job: pacedRate lines/s for pacedSeconds to pacedWatchers watchers; latency without a
// backlog. mode "message": ::notice:: lines as `message` events (the peer's only way); "follow":
// Buildcast's `log` batches (json, detail)
async function paced(kind, mode) {
  const w = new Watchers(4, { children, debug, nice: cfg.niceWatchers });
  let server = null;
  try {
    await w.start();
    if (cfg.warmWatchers) {
      // the watcher processes' own first seconds (V8 compiling their parser) against a server of
      // the same kind that is then thrown away: the measured server starts fresh all the same
      const warm = await launchServer(kind);
      try {
        await pacedRound(warm, w, mode, Math.min(3, cfg.pacedSeconds));
      } finally {
        await warm.stop();
      }
      await w.reset();
    }
    server = await startServer(kind);
    if (cfg.warmServer) {
      await pacedRound(server, w, mode, 3);
      await w.reset();
    }
    return { kind, mode, warmWatchers: cfg.warmWatchers, warmServer: cfg.warmServer, ...(await pacedRound(server, w, mode, cfg.pacedSeconds)) };
  } finally {
    await w.stop();
    await server?.stop();
  }
}

async function pacedRound(server, w, mode, seconds) {
  const root = await connectRoot(server.url);
  const go = fifo("go");
  const lines = cfg.pacedRate * seconds;
  const job = await generate(root, { LINES: lines, RATE: cfg.pacedRate, GO: go, BASIC: mode === "message" ? 1 : 0 });
  const { done } = await w.connect(server, [{ ...job, sockets: cfg.pacedWatchers }], mode);
  const m = meter(server);
  const sessionLogFrom = fileSize(server.sessionLog);
  let cut = null;
  const capped = new Promise((r) => (server.onCap = r));
  await sendGo(go);
  const capS = seconds + 60;
  await Promise.race([done, new Promise((r) => setTimeout(r, capS * 1000)).then(() => (cut = `cut at the ${capS} s cap`)), capped.then((why) => (cut = why))]);
  const srv = m.end();
  const fig = await w.collect();
  if (cut) await cancelJob(server, job);
  root.close();
  return { cut, expected: lines * cfg.pacedWatchers, received: fig.received, p50ms: fig.p50ms, p99ms: fig.p99ms, maxms: fig.maxms,
    ...srv, cpuUsPerLine: (srv.cpuS * 1e6) / Math.max(1, fig.received), serverCloses: sessionCloses(server, sessionLogFrom), watcherHealth: fig.watcherHealth };
}

// 7. ack round trip, back to back, one official client on "/": a request the server answers at
// once with an error (Buildcast: `generate` of an unknown generator; the peer: `wait-job` of an
// unknown job), so the figure is the round trip through each stack, not the work behind it
async function ackRoundTrip(kind) {
  const server = await startServer(kind);
  try {
    const root = await connectRoot(server.url);
    // why no emitAck: its timer per call would be part of the figure
    const [event, payload] = kind === "buildcast" ? ["generate", { generator: "no-such-generator" }] : ["wait-job", { jobId: "no-such-job" }];
    const ask = () => new Promise((r) => root.emit(event, payload, r));
    for (let i = 0; i < Math.min(2_000, cfg.acks); i++) await ask(); // warm-up (JIT, V8)
    const times = [];
    for (let i = 0; i < cfg.acks; i++) {
      const t = performance.now();
      const reply = await ask();
      times.push(performance.now() - t);
      if (!reply?.error) throw new Error(`expected an error reply, got ${JSON.stringify(reply)}`);
    }
    root.close();
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return { kind, n: times.length, p50ms: at(0.5), p99ms: at(0.99) };
  } finally {
    await server.stop();
  }
}

// 8. ingest: a job printing ingestLines lines flat out, no watcher: the job's time on each server
// against the same output written to a plain file (the disk's own pace)
async function plainFileSpent(lines) {
  const report = join(work, `file-${++serial}.txt`);
  const target = join(work, `plain-${serial}.log`);
  const fd = openSync(target, "w");
  const child = spawn(python, [join(here, "gen.py")], {
    stdio: ["ignore", fd, "inherit"], env: { ...process.env, BUILDCAST_PARAM_LINES: String(lines), BUILDCAST_PARAM_REPORT: report },
  });
  children.add(child);
  await withTimeout(new Promise((r) => child.once("exit", r)), 120_000, "generator to a plain file");
  children.delete(child);
  closeSync(fd);
  rmSync(target, { force: true });
  return Number(readFileSync(report, "utf8").trim().split(" ")[1]) / 1e6;
}
// Two jobs on one server: the first on a fresh server (its runtime still compiling: the JIT, V8),
// then the same job again, as a server in service runs it.
async function ingest(kind) {
  const server = await startServer(kind);
  try {
    const root = await connectRoot(server.url);
    const once = async () => {
      const report = join(work, `ingest-${++serial}.txt`);
      const t = performance.now();
      const job = await generate(root, { LINES: cfg.ingestLines, REPORT: report });
      await jobEnded(server, root, job, "the ingest job to end");
      return { jobS: (performance.now() - t) / 1000, genSpentS: Number(readFileSync(report, "utf8").split(" ")[1]) / 1e6 };
    };
    const first = await once();
    const next = await once();
    root.close();
    return { kind, ...first, next };
  } finally {
    await server.stop();
  }
}

// 3. late joiner: the job has printed lateLines basic lines; one watcher joins
async function lateJoiner(kind) {
  const server = await startServer(kind);
  const w = new Watchers(1, { children, debug, nice: cfg.niceWatchers });
  try {
    await w.start();
    const root = await connectRoot(server.url);
    const mark = fifo("mark");
    const printed = withTimeout(readFile(mark, "utf8"), cfg.stepCapS * 1000, "the generator to print its lines").catch((e) => {
      try { closeSync(openSync(mark, C.O_WRONLY | C.O_NONBLOCK)); } catch {}
      throw e;
    });
    const job = await generate(root, { LINES: cfg.lateLines, BASIC: 1, MARK: mark, LIVE: cfg.lateCapS + 30, LIVE_MS: 20 });
    await printed;
    const m = meter(server);
    const joinAt = nowUs();
    const { done } = await w.connect(server, [{ ...job, sockets: 1 }], "late", cfg.lateLines);
    let cut = null;
    await Promise.race([done, new Promise((r) => setTimeout(r, cfg.lateCapS * 1000)).then(() => (cut = `cut at the ${cfg.lateCapS} s cap`))]);
    const srv = m.end();
    const fig = await w.collect();
    await cancelJob(server, job);
    root.close();
    const late = fig.late;
    return { kind, cut, lines: cfg.lateLines, history: late.history,
      historyS: late.historyAt ? (late.historyAt - joinAt) / 1e6 : null, liveS: late.liveAt ? (late.liveAt - joinAt) / 1e6 : null,
      liveLatencyMs: late.liveLatency / 1000, ...srv };
  } finally {
    await w.stop();
    await server.stop();
  }
}

// 4. upload: one file over the socket, one uploader process
async function upload(server, mode, file) {
  const m = meter(server);
  const child = spawn("node", [join(here, "uploader.mjs"), mode, server.url, file], { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await withTimeout(new Promise((r) => child.once("exit", r)), cfg.stepCapS * 1000, `${mode} upload`).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
  children.delete(child);
  const srv = m.end();
  if (code !== 0) throw new Error(`uploader exited ${code}`);
  const r = JSON.parse(out.trim().split("\n").pop());
  rmSync(join(server.dir, "data", "uploads"), { recursive: true, force: true }); // keeps the disk use to one file
  mkdirSync(join(server.dir, "data", "uploads"), { recursive: true });
  return { mode, MBps: r.bytes / MB / r.seconds, seconds: r.seconds, progressEvents: r.progressEvents, lastPercentage: r.lastPercentage, ...srv };
}
async function uploads(kind, files) {
  const server = await startServer(kind);
  try {
    const out = {};
    // a tenth of the size first (warms both servers up, and shows whether memory follows the size)
    for (const mode of kind === "buildcast" ? ["native", "siofu"] : ["siofu"]) {
      const small = await upload(server, mode, files.small);
      out[mode] = await upload(server, mode, files.big);
      out[mode].growthOverSmallMB = out[mode].rssGrowthMB - small.rssGrowthMB;
      out[mode].small = small;
    }
    return { kind, ...out };
  } finally {
    await server.stop();
  }
}

// 5. detailed log: a job prints `mb` MB; then its log over the socket and over HTTP
async function detailedOnce(server, root, mb) {
  const job = await generate(root, { LINES: Math.round((mb * MB) / 100) });
  await jobEnded(server, root, job, "the detailed-log job to end");
  // over the socket: Buildcast on the job's namespace; the peer on /, naming the job, as the seed did
  const s = server.kind === "buildcast"
    ? io(`${server.url}/${job.jobId}`, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { token: job.token } })
    : root;
  if (s !== root) await withTimeout(new Promise((r) => s.once("connect", r)), 30_000, "retrieval socket");
  let m = meter(server);
  let started = performance.now();
  let bytes = 0;
  let events = 0;
  const onChunk = (d) => {
    bytes += Buffer.byteLength(d);
    events++;
  };
  s.on("file-content", onChunk);
  const end = new Promise((r) => s.once("file-content-end", r));
  s.emit("retrieve-detailed-logs", { jobId: job.jobId });
  await withTimeout(end, cfg.stepCapS * 1000, "file-content-end");
  let seconds = (performance.now() - started) / 1000;
  s.off("file-content", onChunk);
  if (s !== root) s.close();
  const socket = { MB: bytes / MB, events, MBps: bytes / MB / seconds, seconds, ...m.end() };
  m = meter(server);
  started = performance.now();
  const r = await withTimeout(httpRequest(`${server.url}/api/jobs/${job.jobId}/log${job.token ? `?token=${job.token}` : ""}`), cfg.stepCapS * 1000, "download");
  seconds = (performance.now() - started) / 1000;
  if (r.status !== 200) throw new Error(`download: HTTP ${r.status}`);
  return { socket, http: { MB: r.bytes / MB, MBps: r.bytes / MB / seconds, seconds, ...m.end() } };
}
async function detailed(kind) {
  const server = await startServer(kind);
  try {
    const root = await connectRoot(server.url);
    // a tenth of the size first (warms both servers up, and shows whether memory follows the size)
    const small = await detailedOnce(server, root, cfg.detailMB / 10);
    const big = await detailedOnce(server, root, cfg.detailMB);
    root.close();
    for (const way of ["socket", "http"]) big[way].growthOverSmallMB = big[way].rssGrowthMB - small[way].rssGrowthMB;
    return { kind, ...big, small };
  } finally {
    await server.stop();
  }
}

// ---- the run ---------------------------------------------------------------------------------
const results = { quick, config: cfg, loadavg: { start: loadavg() }, scenarios: {} };
const failures = [];
let turn = 0;
// each scenario runs on both servers; the one that goes first alternates from scenario to scenario
async function both(name, fn) {
  const order = (turn++ % 2 === 0 ? ["buildcast", "peer"] : ["peer", "buildcast"]).filter((kind) => cfg.servers.includes(kind));
  const out = { loadavg: loadavg() };
  for (const kind of order) {
    log(`${name}: ${kind}…`);
    try {
      out[kind] = await fn(kind);
    } catch (e) {
      out[kind] = { kind, error: String(e.message ?? e) };
      failures.push(`${name} ${kind}: ${e.message ?? e}`);
      log(`${name} ${kind} FAILED: ${e.message ?? e}`);
    }
  }
  return out;
}

const fifos = new Set();
const cleanup = () => {
  for (const path of fifos) {
    try {
      closeSync(openSync(path, C.O_WRONLY | C.O_NONBLOCK)); // a generator still waiting on it goes on, and dies on its closed stdout
    } catch {}
  }
  for (const c of children) {
    try {
      c.kill("SIGTERM");
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
};
process.on("SIGINT", () => { cleanup(); process.exit(130); });
process.on("SIGTERM", () => { cleanup(); process.exit(143); });

try {
  log(`${quick ? "QUICK mode (smaller sizes, fewer watchers, shorter jobs: a sanity check, not the figures)" : "full mode"}; load average ${loadavg()}`);
  if (cfg.only.includes("1")) {
    results.scenarios.loud = [];
    for (const [i, watchers] of cfg.loudWatchers.entries()) {
      const devNullS = await devNullSpent(cfg.loudLines);
      const r = await both(`1 loud job, ${watchers} watcher(s)`, (kind) => loud(kind, watchers, cfg.loudCapS[i]));
      r.devNullS = devNullS;
      r.watchers = watchers;
      results.scenarios.loud.push(r);
    }
  }
  if (cfg.only.includes("2")) results.scenarios.quiet = await both("2 many quiet jobs", quiet);
  if (cfg.only.includes("3")) results.scenarios.late = await both("3 late joiner", lateJoiner);
  if (cfg.only.includes("4")) {
    const files = { small: join(work, "upload-small.bin"), big: join(work, "upload.bin") };
    execFileSync("sh", ["-c", `head -c ${cfg.uploadMB * MB} /dev/urandom > "$0" && head -c ${cfg.uploadMB * MB / 10} "$0" > "$1"`, files.big, files.small]);
    results.scenarios.upload = await both("4 upload", (kind) => uploads(kind, files));
    rmSync(files.big, { force: true });
  }
  if (cfg.only.includes("5")) results.scenarios.detailed = await both("5 detailed log", detailed);
  if (cfg.only.includes("6")) {
    results.scenarios.pacedMessage = await both("6 paced job, message", (kind) => paced(kind, "message"));
    // the peer has no batched format: Buildcast alone
    results.scenarios.pacedLog = { loadavg: loadavg() };
    log("6 paced job, log: buildcast…");
    try {
      results.scenarios.pacedLog.buildcast = await paced("buildcast", "follow");
    } catch (e) {
      results.scenarios.pacedLog.buildcast = { kind: "buildcast", error: String(e.message ?? e) };
      failures.push(`6 paced log buildcast: ${e.message ?? e}`);
    }
  }
  if (cfg.only.includes("7")) results.scenarios.ack = await both("7 ack round trip", ackRoundTrip);
  if (cfg.only.includes("8")) {
    const plainS = await plainFileSpent(cfg.ingestLines);
    results.scenarios.ingest = await both("8 ingest", ingest);
    results.scenarios.ingest.plainFileS = plainS;
  }
  await stopKept();
} finally {
  cleanup();
}
results.loadavg.end = loadavg();
results.wallS = (Date.now() - t0) / 1000;
results.failures = failures;

// ---- the table --------------------------------------------------------------------------------
const fmt = (v, d = 0) => (v == null || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const rows = [["scenario", "figure", "Buildcast", "peer", "B/peer", "target", "met?"]];
const get = (obj, path) => path.split(".").reduce((o, k) => (o == null ? o : o[k]), obj);
function row(scenario, figure, r, path, digits, target, check) {
  const b = get(r.buildcast, path);
  const p = get(r.peer, path);
  const ratio = b != null && p != null && p !== 0 ? b / p : null;
  // why: a target against the peer cannot be judged in a run without it (--servers buildcast)
  const unjudged = b == null || Number.isNaN(b) || (p == null && /peer/.test(target ?? ""));
  const met = check ? (unjudged ? "n/a" : check(b, p, ratio) ? "MET" : "MISSED") : "";
  rows.push([scenario, figure, r.buildcast?.error ? "FAILED" : fmt(b, digits), r.peer?.error ? "FAILED" : fmt(p, digits), ratio == null ? "–" : fmt(ratio, 2), target ?? "", met]);
}
for (const r of results.scenarios.loud ?? []) {
  const s = `1 loud, ${r.watchers} w`;
  row(s, "lines/s to all watchers", r, "linesPerS", 0, "B ≥ 5× peer", (b, p, x) => x >= 5);
  row(s, "lines delivered", r, "received", 0);
  row(s, "latency p50 ms", r, "p50ms", 1);
  row(s, "latency p99 ms", r, "p99ms", 1, "B < 100", (b) => b < 100);
  row(s, "latency max ms", r, "maxms", 0);
  for (const kind of ["buildcast", "peer"]) if (r[kind] && !r[kind].error) r[kind].slowdown = r[kind].genSpentS ? r[kind].genSpentS / r.devNullS : null;
  row(s, `job wall s (/dev/null ${fmt(r.devNullS, 2)} s)`, r, "genSpentS", 2);
  row(s, "job slowdown vs /dev/null", r, "slowdown", 2, r.watchers === Math.max(...cfg.loudWatchers) ? "B < 1.10" : null,
    r.watchers === Math.max(...cfg.loudWatchers) ? (b) => b < 1.1 : null);
  row(s, "server peak RSS MB", r, "peakRssMB", 0, "B < 400", (b) => b < 400);
  row(s, "server CPU s", r, "cpuS", 1);
  for (const kind of ["buildcast", "peer"]) {
    if (r[kind]?.cut) rows.push([s, `${kind}: ${r[kind].cut}`, "", "", "", "", ""]);
    if (r[kind]?.lost) rows.push([s, `${kind}: ${r[kind].lost} watcher(s) disconnected (${r[kind].lostReason}${describeCloses(r[kind].serverCloses)})`, "", "", "", "", ""]);
  }
}
if (results.scenarios.quiet) {
  const r = results.scenarios.quiet;
  const s = `2 quiet ×${cfg.quietJobs}`;
  row(s, "lines delivered", r, "received", 0);
  row(s, "latency p50 ms", r, "p50ms", 1);
  row(s, "latency p99 ms", r, "p99ms", 1, "B < 50", (b) => b < 50);
  row(s, "latency max ms", r, "maxms", 0);
  row(s, "server CPU s", r, "cpuS", 1);
  row(s, "server peak RSS MB", r, "peakRssMB", 0);
}
if (results.scenarios.late) {
  const r = results.scenarios.late;
  const s = "3 late joiner";
  row(s, `s to whole log (${fmt(cfg.lateLines)} lines)`, r, "historyS", 2);
  row(s, "s to whole log and live (<100 ms)", r, "liveS", 2);
  row(s, "server peak RSS MB", r, "peakRssMB", 0);
}
if (results.scenarios.upload) {
  const r = results.scenarios.upload;
  const s = `4 upload ${cfg.uploadMB} MB`;
  const flat = `growth(size) − growth(size/10) < ${fmt(cfg.uploadMB * 0.9 * 0.1)}`;
  // Buildcast's own protocol has no counterpart on the peer: it is compared with the peer's siofu
  if (r.buildcast && !r.buildcast.error) r.buildcast.nativeVsPeer = r.buildcast.native;
  if (r.peer && !r.peer.error) r.peer.nativeVsPeer = r.peer.siofu;
  row(s, "siofu client MB/s", r, "siofu.MBps", 1, "B ≥ peer", (b, p) => b >= p);
  row(s, "siofu: server peak RSS MB", r, "siofu.peakRssMB", 0);
  row(s, "siofu: RSS growth in the upload MB", r, "siofu.rssGrowthMB", 0);
  row(s, `siofu: same at ${cfg.uploadMB / 10} MB`, r, "siofu.small.rssGrowthMB", 0);
  row(s, "siofu: growth, size/10 → size", r, "siofu.growthOverSmallMB", 0, flat, (b) => b < cfg.uploadMB * 0.09);
  row(s, "siofu: progress events", r, "siofu.progressEvents", 0);
  row(s, "B protocol (peer: siofu) MB/s", r, "nativeVsPeer.MBps", 1, "B ≥ peer", (b, p) => b >= p);
  row(s, "B protocol: server peak RSS MB", r, "nativeVsPeer.peakRssMB", 0);
  row(s, "B protocol: RSS growth in the upload MB", r, "nativeVsPeer.rssGrowthMB", 0);
  row(s, "B protocol: growth, size/10 → size", r, "nativeVsPeer.growthOverSmallMB", 0, flat, (b) => b < cfg.uploadMB * 0.09);
  row(s, "B protocol: progress events", r, "nativeVsPeer.progressEvents", 0);
}
if (results.scenarios.detailed) {
  const r = results.scenarios.detailed;
  const s = `5 detailed ${cfg.detailMB} MB`;
  const flat = `growth(size) − growth(size/10) < ${fmt(cfg.detailMB * 0.9 * 0.1)}`;
  row(s, "socket MB/s", r, "socket.MBps", 1, "B ≥ peer", (b, p) => b >= p);
  row(s, "socket: MB received", r, "socket.MB", 1);
  row(s, "socket: server peak RSS MB", r, "socket.peakRssMB", 0);
  row(s, "socket: RSS growth in the step MB", r, "socket.rssGrowthMB", 0);
  row(s, "socket: growth, size/10 → size", r, "socket.growthOverSmallMB", 0, flat, (b) => b < cfg.detailMB * 0.09);
  row(s, "HTTP MB/s", r, "http.MBps", 1, "B ≥ peer", (b, p) => b >= p);
  row(s, "HTTP: server peak RSS MB", r, "http.peakRssMB", 0);
  row(s, "HTTP: RSS growth in the step MB", r, "http.rssGrowthMB", 0);
  row(s, "HTTP: growth, size/10 → size", r, "http.growthOverSmallMB", 0, flat, (b) => b < cfg.detailMB * 0.09);
}
for (const [key, label] of [["pacedMessage", "message"], ["pacedLog", "log (json)"]]) {
  const r = results.scenarios[key];
  if (!r) continue;
  const s = `6 paced ${fmt(cfg.pacedRate)}/s ×${cfg.pacedWatchers} w, ${label}${cfg.warmWatchers ? "" : ", cold w"}${cfg.warmServer ? ", warm server" : ""}`;
  row(s, "lines delivered", r, "received", 0);
  row(s, "latency p50 ms", r, "p50ms", 2, "B ≤ 2", (b) => b <= 2);
  row(s, "latency p99 ms", r, "p99ms", 1, "B < 20", (b) => b < 20);
  row(s, "latency max ms", r, "maxms", 0);
  row(s, "server CPU µs per delivered line", r, "cpuUsPerLine", 2);
  row(s, "server peak RSS MB", r, "peakRssMB", 0);
}
if (results.scenarios.ack) {
  const r = results.scenarios.ack;
  row(`7 ack round trip ×${fmt(cfg.acks)}`, "p50 ms (back to back)", r, "p50ms", 3, "B ≤ 0.2", (b) => b <= 0.2);
  row(`7 ack round trip ×${fmt(cfg.acks)}`, "p99 ms", r, "p99ms", 2);
}
if (results.scenarios.ingest) {
  const r = results.scenarios.ingest;
  const s = `8 ingest ${fmt(cfg.ingestLines)} lines, no watcher`;
  for (const kind of ["buildcast", "peer"]) {
    if (!r[kind] || r[kind].error) continue;
    r[kind].vsPlainFile = r[kind].genSpentS / r.plainFileS;
    if (r[kind].next) r[kind].next.vsPlainFile = r[kind].next.genSpentS / r.plainFileS;
  }
  row(s, `first job: printing s (plain file ${fmt(r.plainFileS, 2)} s)`, r, "genSpentS", 2);
  row(s, "first job: same ÷ plain file", r, "vsPlainFile", 2, "B ≤ 1.5", (b) => b <= 1.5);
  row(s, "first job: submit to end s", r, "jobS", 2);
  row(s, "next job, same server: printing s", r, "next.genSpentS", 2);
  row(s, "next job: same ÷ plain file", r, "next.vsPlainFile", 2, "B ≤ 1.5", (b) => b <= 1.5);
}
for (const r of rows) {
  const s = r.findIndex((v) => v === undefined);
  if (s >= 0) r[s] = "";
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
console.log("");
console.log(`Buildcast vs the seeds' stack (socket.io 4.8 + socketio-file-upload), ${quick ? "QUICK mode (sanity check only)" : "full mode"}, ${new Date().toISOString()}`);
if (cfg.niceWatchers) console.log(`watcher processes at nice ${cfg.niceWatchers} (diagnostic: not the figures of the table)`);
console.log(rows.map((r) => r.map((v, c) => (c < 2 || c >= 5 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join("  ").trimEnd()).join("\n"));
console.log(`load average (1/5/15 min): ${results.loadavg.start} at start, ${results.loadavg.end} at end; ${(await import("node:os")).cpus().length} cores shared by both servers, the watchers and other work`);
for (const [name, r] of Object.entries(results.scenarios)) {
  if (Array.isArray(r)) r.forEach((x) => console.log(`load average during ${name} (${x.watchers} w): ${x.loadavg}`));
  else console.log(`load average during ${name}: ${r.loadavg}`);
}
if (failures.length) console.log(`FAILED steps:\n  ${failures.join("\n  ")}`);
mkdirSync(join(benchDir, "results"), { recursive: true });
const file = join(benchDir, "results", `compare-${quick ? "quick-" : ""}${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`wall time ${fmt(results.wallS, 0)} s; figures: ${file}`);
process.exit(failures.length ? 1 : 0);
