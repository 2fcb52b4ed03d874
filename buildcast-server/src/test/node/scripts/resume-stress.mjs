// Gap-free resume under churn: clients follow one loud job with format json + detail, and are
// disconnected at random moments; each reconnects with `since` = the last seq it holds.
// Usage: node resume-stress.mjs <baseUrl> <generator> <clients> <minDisconnectsPerClient> [deadlineSeconds]
// Prints a JSON report; the JUnit test checks it against the downloaded log.
import { io } from "socket.io-client";

const [baseUrl, generator, clientCount, minDisconnects, deadlineSeconds = "300"] = process.argv.slice(2);
const opts = { forceNew: true, reconnection: false };

// why seeded: the moments of the disconnects are drawn from a checked-in seed per client, so a
// run can be repeated; what the test checks (no gap, no duplicate) must hold for any moments
function seededRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const states = [];

const root = io(`${baseUrl}/`, opts);
await new Promise((r) => root.once("connect", r));
const { jobId, token } = await root.timeout(10000).emitWithAck("generate", { generator });

function follow(index) {
  const transports = index % 2 === 0 ? ["websocket"] : ["polling"];
  const state = { texts: [], lastSeq: 0, gaps: 0, duplicates: 0, disconnects: 0, transports: transports[0], finished: false };
  const random = seededRandom(20261202 + index);
  states[index] = state;
  return new Promise((resolve) => {
    let finalState = null;
    state.sawFinal = () => finalState;
    const connect = () => {
      const socket = io(`${baseUrl}/${jobId}`, { ...opts, transports, auth: { token, format: "json", detail: true, since: state.lastSeq } });
      let timer = null;
      const maybeDone = () => {
        if (finalState && state.disconnects >= minDisconnects) {
          clearTimeout(timer);
          socket.close();
          state.finished = true;
          resolve(state);
        }
      };
      socket.on("log", ({ lines }) => {
        for (const line of lines) {
          if (line.seq <= state.lastSeq) { state.duplicates++; continue; }
          if (line.seq !== state.lastSeq + 1) state.gaps++;
          state.lastSeq = line.seq;
          state.texts.push(line.text);
        }
      });
      socket.on("status", (s) => {
        if (["succeeded", "failed", "cancelled"].includes(s.state)) { finalState = s.state; maybeDone(); }
      });
      socket.on("connect_error", (e) => { state.error = e.message; setTimeout(connect, 20); });
      socket.on("connect", () => {
        if (state.disconnects < minDisconnects) {
          timer = setTimeout(() => {
            socket.close();
            state.disconnects++;
            finalState = null; // the final status must be seen again after all lines
            connect();
          }, 20 + Math.floor(random() * 280));
        }
      });
    };
    connect();
  });
}

const started = Date.now();
const followers = Array.from({ length: Number(clientCount) }, (_, i) => follow(i));
// why: a stuck client must show up in the report, not hang the test until its timeout
const deadline = new Promise((resolve) => setTimeout(resolve, Number(deadlineSeconds) * 1000, "deadline"));
const outcome = await Promise.race([Promise.all(followers), deadline]);
const results = states;
const log = await (await fetch(`${baseUrl}/api/jobs/${jobId}/log?token=${token}`)).text();
const expected = log.endsWith("\n") ? log.slice(0, -1).split("\n") : log.split("\n");
const report = {
  jobId,
  lines: expected.length,
  seconds: (Date.now() - started) / 1000,
  timedOut: outcome === "deadline",
  clients: results.map((r) => ({
    finished: r.finished,
    final: r.sawFinal(),
    transport: r.transports,
    disconnects: r.disconnects,
    gaps: r.gaps,
    duplicates: r.duplicates,
    received: r.texts.length,
    lastSeq: r.lastSeq,
    identical: r.texts.length === expected.length && r.texts.every((t, i) => t === expected[i]),
  })),
};
root.close();
console.log(JSON.stringify(report));
process.exit(0);
