// The reference Node server (socket.io from ../package-lock.json) configured as the official
// Socket.IO protocol suite (socketio/socket.io-protocol, test-suite/) expects, so that
// scripts/conformance-socketio.sh can run the suite against it with SERVER=node and compare with
// SocketIoConformanceServer on the same machine. Settings are the suite's README's: 300 ms ping
// interval, 200 ms ping timeout, 1 s connect timeout, any origin; "/" and "/custom" emit "auth"
// with the CONNECT payload; "/" also echoes "message" as "message-back" and acknowledges
// "message-with-ack" with its own arguments.
// Usage: node socketio-server.mjs PORT   (prints "listening on PORT")
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2] || 3000);
const http = createServer();
const io = new Server(http, {
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1_000_000,
  connectTimeout: 1000,
  cors: { origin: "*" },
});
io.on("connection", (socket) => {
  socket.emit("auth", socket.handshake.auth);
  socket.on("message", (...args) => socket.emit("message-back", ...args));
  socket.on("message-with-ack", (...args) => {
    const answer = args.pop();
    answer(...args);
  });
});
io.of("/custom").on("connection", (socket) => socket.emit("auth", socket.handshake.auth));
http.listen(port, () => console.log(`listening on ${port}`));
