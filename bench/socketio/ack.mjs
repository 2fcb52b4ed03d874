// Ack round trip, back to back: one official socket.io-client (WebSocket only) emits `echo` with
// an acknowledgement, waits for it, emits the next. Prints one JSON line {p50ms, p99ms, n}.
// Usage: node ack.mjs URL [COUNT] [WARMUP]   (the server must answer `echo` on a control socket)
import { io } from "socket.io-client";

const [url, countArg, warmArg] = process.argv.slice(2);
const count = Number(countArg ?? 5000);
const warm = Number(warmArg ?? 2000);
const s = io(url, { transports: ["websocket"], forceNew: true, reconnection: false, auth: { role: "control" } });
await new Promise((resolve, reject) => {
  s.on("connect", resolve);
  s.on("connect_error", reject);
});
const times = [];
for (let i = 0; i < warm + count; i++) {
  const t0 = process.hrtime.bigint();
  await s.emitWithAck("echo", i);
  if (i >= warm) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
s.close();
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(JSON.stringify({ p50ms: at(0.5), p99ms: at(0.99), n: times.length }));
