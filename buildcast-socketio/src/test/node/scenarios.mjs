// Scenarios for NodeClientIT: each drives the official socket.io-client against the test server
// (see ItServer.java for its handlers), prints what it checked, and ends with "PASS <name>" and
// exit code 0, or "FAIL <reason>" and exit code 1.
// Usage: node scenarios.mjs <scenario> <server-url> [args...]
import { io } from "socket.io-client";

const [scenario, url, ...rest] = process.argv.slice(2);
const sockets = [];

function open(path = "/", opts = {}) {
  const s = io(url + path, { forceNew: true, reconnection: false, ...opts });
  sockets.push(s);
  return s;
}

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
}

async function connected(path, opts) {
  const s = open(path, opts);
  const result = await Promise.race([once(s, "connect").then(() => null), once(s, "connect_error")]);
  if (result) throw new Error(`connect_error on ${path}: ${result[0].message}`);
  return s;
}

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok ${what}`);
}

function pattern(size) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31) & 0xff;
  return b;
}

const scenarios = {
  async namespaces() {
    // same Manager (no forceNew): "/" and "/admin" share one Engine.IO connection
    const root = io(url, { reconnection: false });
    const admin = io(url + "/admin", { reconnection: false, auth: { token: "secret", user: "grace" } });
    sockets.push(root, admin);
    const welcome = once(admin, "welcome");
    await Promise.all([once(root, "connect"), once(admin, "connect")]);
    check(root.io === admin.io, "both sockets use one manager");
    check(root.id !== admin.id, "each namespace has its own socket id");
    check((await welcome)[0] === "grace", "middleware saw auth and connect listener emitted welcome");
    const dynamic = io(url + "/job-nodens01", { reconnection: false });
    sockets.push(dynamic);
    check((await once(dynamic, "hello"))[0] === "/job-nodens01", "dynamic namespace over the same connection");
    admin.disconnect();
    check((await root.emitWithAck("echo-ack", "still")).toString() === "still", "root still works after leaving /admin");
  },

  async "connect-errors"() {
    const bad = open("/admin", { auth: { token: "wrong" } });
    const [err] = await once(bad, "connect_error");
    check(err.message === "Invalid token", "refusal message");
    check(err.data && err.data.code === 401, "refusal data");
    const unknown = open("/unknown");
    const [err2] = await once(unknown, "connect_error");
    check(err2.message === "Invalid namespace", "unknown namespace");
  },

  async acks() {
    const s = await connected("/");
    // a callback, not emitWithAck: emitWithAck resolves with the first argument only
    const answer = await new Promise((resolve) => s.emit("echo-ack", 1, "two", { three: [true] }, (...args) => resolve(args)));
    check(JSON.stringify(answer) === '[1,"two",{"three":[true]}]', "client-to-server ack with three arguments");
    const numeric = await new Promise((resolve) => s.emit(7, "a", "b", (...args) => resolve(args)));
    check(JSON.stringify(numeric) === '["seven",2]', "numeric event name reaches the handler of its text");
    s.on("question", (q, cb) => cb("answer to " + q));
    const got = once(s, "answer");
    s.emit("ask", "life");
    check((await got)[0] === "answer to life", "server-to-client ack");
  },

  async rooms() {
    const [a, b, c] = await Promise.all([connected("/"), connected("/"), connected("/")]);
    await a.emitWithAck("join", "r");
    await b.emitWithAck("join", "r");
    const seen = { a: 0, b: 0, c: 0 };
    a.on("shout", () => seen.a++);
    b.on("shout", () => seen.b++);
    c.on("shout", () => seen.c++);
    const atB = once(b, "shout");
    check((await a.emitWithAck("shout", "r", "hi")) === 0, "no recipient refused");
    check((await atB)[0] === "hi", "room member got the broadcast");
    await a.emitWithAck("echo-ack", "sync");
    await c.emitWithAck("echo-ack", "sync");
    check(seen.a === 0, "sender excluded");
    check(seen.c === 0, "non-member excluded");
  },

  async binary() {
    const transports = rest[0] ? rest[0].split(",") : ["polling", "websocket"];
    const s = await connected("/", { transports });
    for (const size of [1024, 100 * 1024, 900 * 1024]) {
      const data = pattern(size);
      check((await s.timeout(15000).emitWithAck("bin-len", data)) === size, `server got ${size} bytes`);
      const back = await s.timeout(15000).emitWithAck("echo-ack", data);
      check(Buffer.isBuffer(back) && back.equals(data), `echo of ${size} bytes intact`);
      const made = await s.timeout(15000).emitWithAck("make-bin", size);
      check(made.length === size && made[size - 1] === ((size - 1) & 0xff), `server-made ${size} bytes intact`);
    }
  },

  async "polling-only"() {
    const s = await connected("/", { transports: ["polling"] });
    check((await s.emitWithAck("transport")) === "polling", "transport is polling");
    check((await s.emitWithAck("echo-ack", "x")) === "x", "ack over polling");
  },

  async "websocket-only"() {
    const s = await connected("/", { transports: ["websocket"] });
    check((await s.emitWithAck("transport")) === "websocket", "transport is websocket");
    check((await s.emitWithAck("echo-ack", "x")) === "x", "ack over websocket");
  },

  async "upgrade-under-load"() {
    const n = 3000;
    const s = open("/", { transports: ["polling", "websocket"] });
    const ticks = [];
    const all = new Promise((resolve) => s.on("tick", (i) => { ticks.push(i); if (ticks.length === n) resolve(); }));
    s.on("connect", () => s.emit("burst", n));
    await all;
    check(ticks.every((v, i) => v === i), `${n} ticks arrived in order during the upgrade`);
    let transport;
    for (let i = 0; i < 50 && transport !== "websocket"; i++) {
      transport = await s.emitWithAck("transport");
      if (transport !== "websocket") await new Promise((r) => setTimeout(r, 100));
    }
    check(transport === "websocket", "upgraded to websocket");
  },

  async reconnect() {
    const s = open("/", { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 200 });
    let connects = 0;
    const second = new Promise((resolve) => s.on("connect", () => { if (++connects === 1) s.emit("drop-me"); else resolve(); }));
    await second;
    check(connects === 2, "reconnected after the server closed the connection");
    check((await s.emitWithAck("echo-ack", "back")) === "back", "works after reconnect");
  },

  async goodbye() {
    const transports = rest[0] ? rest[0].split(",") : ["polling", "websocket"];
    const s = open("/", { reconnection: true, reconnectionDelay: 50, transports });
    await once(s, "connect");
    const [reason] = await new Promise((resolve) => { s.once("disconnect", (...a) => resolve(a)); s.emit("goodbye"); });
    check(reason === "io server disconnect", `disconnect(true) is a deliberate server disconnect (reason: ${reason})`);
    check(!s.active, "the client does not reconnect by itself");
  },

  // default transports against a server whose session ids carry a tag (arg 1): the client must keep
  // naming the tagged id through polling and the upgrade to WebSocket
  async "tagged-sid"() {
    const tag = rest[0];
    const s = open("/");
    let firstTransport;
    let upgraded;
    // why on "open": the engine emits "upgrade" only after it opened, so nothing is missed here
    s.io.once("open", () => {
      firstTransport = s.io.engine.transport.name;
      upgraded = new Promise((resolve) => s.io.engine.once("upgrade", resolve));
    });
    await once(s, "connect");
    const sid = s.io.engine.id;
    check(new RegExp(`^${tag}\\.[A-Za-z0-9_-]{24}$`).test(sid), `session id ${sid} is the tag ${tag}, a dot and 24 characters`);
    check(firstTransport === "polling", "the client started with polling");
    check((await s.emitWithAck("echo-ack", "first")) === "first", "ack with the tagged id");
    await upgraded;
    check(s.io.engine.transport.name === "websocket", "upgraded to websocket");
    check(s.io.engine.id === sid, "the session kept its tagged id through the upgrade");
    check((await s.emitWithAck("transport")) === "websocket", "the server sees the websocket transport");
    check((await s.emitWithAck("echo-ack", "after")) === "after", "ack after the upgrade");
  },

  async "dynamic-churn"() {
    const cycles = Number(rest[0] || 100);
    const started = Date.now();
    for (let i = 0; i < cycles; i++) {
      const ns = "/job-nd" + String(i).padStart(6, "0");
      const t0 = Date.now();
      // "default": polling then upgrade, so the server's closes ("drop-me") land mid-upgrade too
      const s = open(ns, rest[1] === "default" ? {} : { transports: ["websocket"] });
      const [name] = await once(s, "hello");
      const t1 = Date.now();
      const transport = s.io.engine.transport.name;
      if (name !== ns) throw new Error(`hello from ${name}, expected ${ns}`);
      if (i % 2 === 0) s.disconnect();
      else { s.emit("drop-me"); await once(s, "disconnect"); }
      if (Date.now() - t0 > 1000) console.log(`slow cycle ${i}: hello after ${t1 - t0} ms, ${transport}, sid ${s.io.engine.id}, closed after ${Date.now() - t1} ms`);
    }
    check(true, `${cycles} connect/disconnect cycles`);
  },
};

const timer = setTimeout(() => { console.log(`FAIL ${scenario}: timed out`); process.exit(1); }, 60000);
try {
  if (!scenarios[scenario]) throw new Error(`unknown scenario ${scenario}`);
  await scenarios[scenario]();
  console.log(`PASS ${scenario}`);
  sockets.forEach((s) => s.disconnect());
  clearTimeout(timer);
  process.exit(0);
} catch (e) {
  console.log(`FAIL ${scenario}: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
}
