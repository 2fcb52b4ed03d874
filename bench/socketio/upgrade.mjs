// How long an Engine.IO client's upgrade from long-polling to WebSocket takes: engine.io-client
// (the official client, polling first) connects, and the time from its `open` to its `upgrade` is
// measured, one connection after another, against each server given.
// Usage: node upgrade.mjs [--connections N] NAME=URL [NAME=URL ...]
//   URL is the engine's address, e.g. ours=http://127.0.0.1:3917/engine.io/ (the conformance
//   servers: scripts/conformance-engine.sh starts both; EngineConformanceServer and
//   conformance/engine-server.mjs can also be started alone). Servers are taken in turn, one
//   connection each, so both see the same load. Prints, per server: median, p90 and largest time,
//   and how many upgrades took over 50 ms.
import { Socket } from "engine.io-client";

const args = process.argv.slice(2);
let connections = 100;
const servers = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--connections") connections = Number(args[++i]);
  else {
    const eq = args[i].indexOf("=");
    if (eq < 1) throw new Error(`expected NAME=URL, got ${args[i]}`);
    servers.push({ name: args[i].slice(0, eq), url: new URL(args[i].slice(eq + 1)), times: [], failed: 0 });
  }
}
if (servers.length === 0 || !(connections > 0)) {
  console.error("usage: node upgrade.mjs [--connections N] NAME=URL [NAME=URL ...]");
  process.exit(2);
}

/** One connection: resolves with the ms from open to upgrade, or null if it failed or took 10 s. */
function upgradeTime(url) {
  return new Promise((resolve) => {
    const socket = new Socket(url.origin, { path: url.pathname, transports: ["polling", "websocket"] });
    let opened = 0;
    const done = (ms) => {
      clearTimeout(limit);
      socket.close();
      resolve(ms);
    };
    const limit = setTimeout(() => done(null), 10_000);
    socket.on("open", () => { opened = performance.now(); });
    socket.on("upgrade", () => done(performance.now() - opened));
    socket.on("error", () => done(null));
  });
}

for (let i = 0; i < connections; i++) {
  for (const s of servers) {
    const ms = await upgradeTime(s.url);
    if (ms === null) s.failed++;
    else s.times.push(ms);
  }
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
for (const s of servers) {
  const t = s.times.sort((a, b) => a - b);
  if (t.length === 0) {
    console.log(`${s.name}: no upgrade of ${connections}`);
    continue;
  }
  console.log(`${s.name}: ${t.length} upgrades (${s.failed} failed): median ${at(t, 0.5).toFixed(1)} ms, ` +
    `p90 ${at(t, 0.9).toFixed(1)} ms, max ${t[t.length - 1].toFixed(1)} ms, over 50 ms: ${t.filter((x) => x > 50).length}`);
}
