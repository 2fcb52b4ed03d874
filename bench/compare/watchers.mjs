// What bench drivers share: watcher processes (watcher.mjs) following jobs and summing their
// figures, the latency percentile of their histograms, and a timeout on a promise.
import { fork } from "node:child_process";
import { setPriority } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

export const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms)))])
    .finally(() => clearTimeout(timer));
};

// watcher processes: targets spread over `procs` processes
export class Watchers {
  // children: a set the caller kills on exit; debug: a progress logger (may do nothing); nice: the
  // processes' niceness (0: as the caller's; 19: they get a core only when the server and the job
  // leave one idle, as watchers on other machines would)
  constructor(procs, { children = new Set(), debug = () => {}, nice = 0 } = {}) {
    this.nice = nice;
    this.kids = [];
    this.events = [];
    this.procs = procs;
    this.children = children;
    this.debug = debug;
  }
  async start() {
    for (let i = 0; i < this.procs; i++) {
      const kid = fork(join(here, "watcher.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      this.children.add(kid);
      if (this.nice) setPriority(kid.pid, this.nice);
      kid.on("message", (m) => {
        if (m.ev === "error" || m.ev === "lost") this.events.push(m);
        this.debug("watcher", JSON.stringify(m).slice(0, 200));
        kid.emit(`ev:${m.ev}`, m);
      });
      this.kids.push(kid);
    }
    await withTimeout(Promise.all(this.kids.map((k) => new Promise((r) => k.once("ev:started", r)))), 30_000, "watcher processes to start");
  }
  // targets: [{jobId, token, sockets}]; sockets of one target are spread over the processes
  async connect(server, targets, mode, lines) {
    const per = this.kids.map(() => []);
    let next = 0;
    for (const t of targets) {
      for (let i = 0; i < t.sockets; i++) {
        const slot = per[next++ % per.length];
        const last = slot[slot.length - 1];
        if (last && last.jobId === t.jobId) last.sockets++;
        else slot.push({ jobId: t.jobId, token: t.token, sockets: 1 });
      }
    }
    const active = this.kids.filter((_, i) => per[i].length);
    this.debug("connect", JSON.stringify(per), active.length);
    this.active = active;
    const ready = Promise.all(active.map((k) => new Promise((r) => k.once("ev:ready", r))));
    const done = Promise.all(active.map((k) => new Promise((r) => k.once("ev:done", r))));
    this.kids.forEach((k, i) => per[i].length && k.send({ cmd: "connect", kind: server.kind, url: server.url, targets: per[i], mode, lines }));
    await withTimeout(ready, 60_000, `watchers to connect (${this.events.map((e) => e.message).find(Boolean) ?? ""})`);
    return { done }; // why an object: an async function returning a promise would wait for it
  }
  async collect() {
    const figs = await withTimeout(Promise.all(this.active.map((k) => new Promise((r) => { k.once("ev:figures", r); k.send({ cmd: "collect" }); }))), 30_000, "watcher figures");
    const hist = new Float64Array(figs[0].hist.length);
    const sum = { received: 0, maxLat: 0, firstAt: Infinity, lastAt: 0, genSpent: [], finished: 0, total: 0, late: figs[0].late };
    for (const f of figs) {
      sum.received += f.received;
      sum.maxLat = Math.max(sum.maxLat, f.maxLat);
      if (f.firstAt) sum.firstAt = Math.min(sum.firstAt, f.firstAt);
      sum.lastAt = Math.max(sum.lastAt, f.lastAt);
      sum.genSpent.push(...f.genSpent);
      sum.finished += f.finished;
      sum.total += f.total;
      f.hist.forEach((v, i) => (hist[i] += v));
    }
    sum.p50ms = percentile(hist, 0.5);
    sum.p99ms = percentile(hist, 0.99);
    sum.maxms = sum.maxLat / 1000;
    sum.watcherHealth = figs.map((f) => f.health);
    return sum;
  }
  // closes every socket and zeroes the figures (after a warm-up round), the processes stay
  async reset() {
    await withTimeout(Promise.all(this.kids.map((k) => new Promise((r) => { k.once("ev:reset", r); k.send({ cmd: "reset" }); }))), 30_000, "watchers to reset");
  }
  async stop() {
    for (const k of this.kids) {
      if (k.connected) k.send({ cmd: "exit" });
      const exited = k.exitCode !== null ? null : new Promise((r) => k.once("exit", r));
      if (exited) await withTimeout(exited, 5_000, "watcher exit").catch(() => k.kill("SIGKILL"));
      this.children.delete(k);
    }
  }
}
export function percentile(hist, q) {
  const total = hist.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i];
    if (total && acc >= q * total) return Math.pow(1.02, i + 0.5) / 1000; // bucket middle, ms
  }
  return NaN;
}
