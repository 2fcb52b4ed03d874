// The bench scenario on the reference server (socket.io 4.8), the twin of java/BenchServer.java:
// clients with auth {role:"client"} join room "logs"; a control socket (auth {role:"control"})
// emits `run {mode, lines, batchMs, batchMax, stallMs}` and gets its ack when every line is handed
// to the server.
//
// Producer rule, the same as on ours: lines go out as fast as the server accepts them. socket.io
// itself never refuses (its per-client buffers are unbounded), so the producer applies the bound
// ours has by default: it pauses while a member has more than LIMIT messages pending (engine
// writeBuffer + bytes not yet flushed to the kernel, in lines), resumes when it is back at LIMIT/2,
// and cuts (disconnect(true)) a member still above after stallMs.
// Usage: node node-server.mjs PORT   (prints "LISTENING port")
import { createServer } from "node:http";
import { Server } from "socket.io";

const LIMIT = 10_000; // = EngineConfig.defaults().maxQueuedMessages on ours
const LIMIT_BYTES = 8 * 1024 * 1024; // = EngineConfig.defaults().maxQueuedBytes on ours
let packetBytes = 130; // size of what the producer emits now (a line, or a batch)
const PAD = "x".repeat(200);
const port = Number(process.argv[2] || 0);
const http = createServer();
const io = new Server(http, { transports: ["websocket", "polling"], serveClient: false });
let running = false;

const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const line = (seq) => {
  const head = `${seq} ${nowMicros()} `;
  return head + PAD.slice(0, Math.max(0, 100 - head.length));
};
// pending output of a member in "queue units": over 1 means above the bound ours has
const pendingOf = (s) => {
  const conn = s.conn;
  const raw = conn.transport?.socket?._socket?.writableLength ?? 0;
  const messages = conn.writeBuffer.length + raw / packetBytes;
  const bytes = conn.writeBuffer.length * packetBytes + raw;
  return Math.max(messages / LIMIT, bytes / LIMIT_BYTES);
};
const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function backpressure(stallMs, stats) {
  const members = [...(io.of("/").adapter.rooms.get("logs") ?? [])].map((id) => io.of("/").sockets.get(id));
  const over = members.filter((s) => s && pendingOf(s) > 1);
  if (over.length === 0) return;
  stats.refusals += over.length;
  const deadline = Date.now() + stallMs;
  let waiting = over;
  while (waiting.length) {
    await sleep(1);
    waiting = waiting.filter((s) => s.connected && pendingOf(s) > 0.5);
    if (Date.now() >= deadline) {
      for (const s of waiting) {
        stats.cut++;
        s.disconnect(true);
      }
      return;
    }
  }
}

async function run(p) {
  const mode = p.mode ?? "line";
  const lines = p.lines ?? 1000;
  const batchMs = p.batchMs ?? 15;
  const batchMax = p.batchMax ?? 500;
  const stallMs = p.stallMs ?? 2000;
  const stats = { refusals: 0, cut: 0 };
  const recipients = io.of("/").adapter.rooms.get("logs")?.size ?? 0;
  const t0 = performance.now();
  let events = 0;
  if (mode === "batch") {
    let next = performance.now();
    for (let sent = 0; sent < lines; ) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      else await tick();
      next = performance.now() + batchMs;
      const n = Math.min(batchMax, lines - sent);
      const batch = new Array(n);
      for (let i = 0; i < n; i++) batch[i] = line(sent + i);
      packetBytes = 12 + n * 105;
      io.to("logs").emit("logs", batch);
      sent += n;
      events++;
      await backpressure(stallMs, stats);
    }
  } else if (mode === "paced") {
    // one line every 1/rate s, sent when due (checked every millisecond or so)
    packetBytes = 125;
    const rate = p.rate ?? 250;
    const start = performance.now();
    for (let i = 0; i < lines; ) {
      const due = Math.min(lines, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; i < due; i++) {
        io.to("logs").emit("log", line(i));
        events++;
      }
      if (i < lines) await sleep(1);
    }
  } else {
    packetBytes = 125;
    for (let i = 0; i < lines; i++) {
      io.to("logs").emit("log", line(i));
      events++;
      if ((i & 15) === 15) {
        await tick(); // why: lets the event loop flush sockets, else everything piles up in memory
        await backpressure(stallMs, stats);
      }
    }
  }
  const m = process.memoryUsage();
  return { events, recipients, ...stats, produceMs: performance.now() - t0, heapUsed: m.heapUsed, heapCommitted: m.heapTotal };
}

io.on("connection", (socket) => {
  const role = socket.handshake.auth?.role ?? "client";
  if (role === "control") {
    socket.on("run", async (p, ack) => {
      if (running) return ack({ error: "busy" });
      running = true;
      try {
        ack(await run(p));
      } catch (e) {
        ack({ error: String(e) });
      } finally {
        running = false;
      }
    });
    socket.on("echo", (x, ack) => ack(x));
    socket.on("mem", (gc, ack) => {
      if (gc && global.gc) global.gc();
      const m = process.memoryUsage();
      ack({ heapUsed: m.heapUsed, heapCommitted: m.heapTotal, external: m.external }); // external: Buffers
    });
  } else {
    socket.join("logs");
  }
});

http.listen(port, "127.0.0.1", () => console.log(`LISTENING ${http.address().port}`));
process.on("SIGTERM", () => process.exit(0));
