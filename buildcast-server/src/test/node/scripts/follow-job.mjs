// Starts one job and follows it to its end with the official socket.io-client and its default
// transports (a polling handshake, then the upgrade to WebSocket), as a third-party client would.
// Usage: node follow-job.mjs <baseUrl> <generator>
// Prints one JSON object with what it observed; the JUnit test checks it.
import { io } from "socket.io-client";

const [baseUrl, generator] = process.argv.slice(2);
const options = { forceNew: true, reconnection: false };
const FINAL = ["succeeded", "failed", "cancelled"];

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, resolve));
}

// Opens a client and notes its first transport and the engine's upgrade; why on the manager's
// "open": the engine emits "upgrade" only after it opened, so no upgrade is missed.
function connect(url, extra = {}) {
  const socket = io(url, { ...options, ...extra });
  const seen = {};
  seen.upgraded = new Promise((resolve) => socket.io.once("open", () => {
    seen.firstTransport = socket.io.engine.transport.name;
    socket.io.engine.once("upgrade", resolve);
  }));
  return { socket, seen };
}

async function main() {
  const result = {};
  const root = connect(`${baseUrl}/`);
  await once(root.socket, "connect");
  result.rootSid = root.socket.io.engine.id;
  const ticket = await root.socket.timeout(10000).emitWithAck("generate", { generator });
  if (!ticket.jobId) throw new Error(`generate refused: ${JSON.stringify(ticket)}`);
  result.jobId = ticket.jobId;

  const watcher = connect(`${baseUrl}/${ticket.jobId}`, { auth: { token: ticket.token } });
  const messages = [];
  const statuses = [];
  watcher.socket.on("message", (m) => messages.push(m));
  const done = new Promise((resolve) => watcher.socket.on("status", (s) => {
    statuses.push(s);
    if (FINAL.includes(s.state)) resolve(s);
  }));
  await once(watcher.socket, "connect");
  const watcherSid = watcher.socket.io.engine.id;
  result.finalStatus = await done;
  result.messages = messages;
  result.statuses = statuses.map((s) => ({ state: s.state, hasNode: "node" in s, node: s.node ?? null }));

  await Promise.all([root.seen.upgraded, watcher.seen.upgraded]);
  result.watcherSid = watcher.socket.io.engine.id;
  result.watcherSidKept = result.watcherSid === watcherSid;
  result.firstTransports = [root.seen.firstTransport, watcher.seen.firstTransport];
  result.transports = [root.socket.io.engine.transport.name, watcher.socket.io.engine.transport.name];
  // one more round trip after the upgrade, on the tagged id
  result.afterUpgrade = await root.socket.timeout(10000).emitWithAck("generate", { generator: "no-such-generator" });
  root.socket.close();
  watcher.socket.close();
  console.log(JSON.stringify(result));
}

main().catch((e) => { console.error(e); process.exit(1); });
