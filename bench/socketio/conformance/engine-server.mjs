// The reference Node Engine.IO server (engine.io, as pinned through socket.io in
// ../package-lock.json) configured as the official Engine.IO protocol suite
// (socketio/engine.io-protocol, test-suite/) expects: path /engine.io/, 300 ms ping interval,
// 200 ms ping timeout, 1,000,000 bytes maxHttpBufferSize, any origin, every message echoed.
// Run by scripts/conformance-engine.sh with SERVER=node, to compare with EngineConformanceServer.
// Usage: node engine-server.mjs PORT   (prints "listening on PORT")
import { createServer } from "node:http";
import { attach } from "engine.io";

const port = Number(process.argv[2] || 3000);
const http = createServer();
const server = attach(http, {
  path: "/engine.io/",
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1_000_000,
  cors: { origin: "*" },
});
server.on("connection", (socket) => {
  socket.on("message", (data) => socket.send(data));
});
http.listen(port, () => console.log(`listening on ${port}`));
