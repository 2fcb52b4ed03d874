// Drives Buildcast's job protocol with the official socket.io-client, as a browser app would.
// Usage: node job-protocol.mjs <baseUrl> <transport: websocket|polling|both>
// Prints one JSON object with what it observed; the JUnit test checks it.
import { io } from "socket.io-client";

const [baseUrl, transportArg = "both"] = process.argv.slice(2);
const transports = transportArg === "both" ? ["polling", "websocket"] : [transportArg];
const options = { transports, forceNew: true, reconnection: false };

function once(socket, event) {
  return new Promise((resolve) => socket.once(event, resolve));
}

function untilStatus(socket, states) {
  return new Promise((resolve) => {
    socket.on("status", (s) => { if (states.includes(s.state)) resolve(s); });
  });
}

async function main() {
  const result = {};
  const root = io(`${baseUrl}/`, options);
  await once(root, "connect");

  result.unknownGenerator = await root.timeout(10000).emitWithAck("generate", { generator: "nope" });
  result.notAnObject = await root.timeout(10000).emitWithAck("generate", "docs");
  const ticket = await root.timeout(10000).emitWithAck("generate", { generator: "docs" });
  result.ticketKeys = Object.keys(ticket).sort();

  // The seed's own client: namespace named after the job, unnamed "message" events.
  const seed = io(`${baseUrl}/${ticket.jobId}`, { ...options, auth: { token: ticket.token } });
  const messages = [];
  seed.on("message", (m) => messages.push(m));
  const seedDone = untilStatus(seed, ["succeeded", "failed"]);
  const firstStatus = await once(seed, "status");
  result.firstStatusKeys = Object.keys(firstStatus).sort();
  result.finalStatus = await seedDone;
  result.messages = messages;

  // Structured lines with detail, then a resume after line 3.
  const json = io(`${baseUrl}/${ticket.jobId}`, { ...options, auth: { token: ticket.token, format: "json", detail: true } });
  const lines = [];
  json.on("log", (batch) => lines.push(...batch.lines));
  await untilStatus(json, ["succeeded"]);
  result.jsonLines = lines;

  const resumed = io(`${baseUrl}/${ticket.jobId}`, { ...options, auth: { token: ticket.token, format: "json", detail: true, since: 3 } });
  const resumedLines = [];
  resumed.on("log", (batch) => resumedLines.push(...batch.lines));
  await untilStatus(resumed, ["succeeded"]);
  result.resumedSeqs = resumedLines.map((l) => l.seq);

  // The detailed log, as the documentation generator's dialog fetched it.
  const chunks = [];
  json.on("file-content", (c) => chunks.push(c));
  const end = once(json, "file-content-end");
  json.emit("retrieve-detailed-logs", {});
  result.fileContentEnd = await end;
  result.detailedText = chunks.join("");

  // A wrong token is refused with a reason.
  const intruder = io(`${baseUrl}/${ticket.jobId}`, { ...options, auth: { token: "wrong" } });
  const refused = await once(intruder, "connect_error");
  result.refused = { message: refused.message, data: refused.data };

  // A malformed request without an ack is answered with an "error" event.
  const errorEvent = once(root, "error");
  root.emit("generate", 42);
  result.errorEvent = await errorEvent;

  result.transport = root.io.engine.transport.name;
  for (const s of [root, seed, json, resumed, intruder]) s.close();
  console.log(JSON.stringify(result));
}

main().catch((e) => { console.error(e); process.exit(1); });
