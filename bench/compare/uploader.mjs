// Uploads one file to one server over Socket.IO, in its own process; prints one JSON line
// {bytes, seconds, progressEvents, lastPercentage}.
//   node uploader.mjs siofu URL FILE    the unmodified socketio-file-upload 0.7 browser client
//                                       (client.js), default options, on a socket of namespace /
//   node uploader.mjs native URL FILE   Buildcast's upload.start/upload.chunk, 4 chunks in flight
// The siofu client is a browser script: it gets the few browser objects it touches (window, File,
// FileReader, document.createEvent) from small stand-ins here, and reads the file lazily from disk.
import { createRequire } from "node:module";
import { openAsBlob, openSync, readSync, closeSync, statSync } from "node:fs";
import { io } from "socket.io-client";

const require = createRequire(import.meta.url);
const [mode, url, file] = process.argv.slice(2);
const size = statSync(file).size;
const socket = io(`${url}/`, { transports: ["websocket"], forceNew: true, reconnection: false });
await new Promise((resolve, reject) => {
  socket.once("connect", resolve);
  socket.once("connect_error", reject);
});
let progressEvents = 0;
let lastPercentage = 0;
let reached100;
const at100 = new Promise((resolve) => (reached100 = resolve));
socket.on("upload.progress", (p) => {
  progressEvents++;
  lastPercentage = p.percentage;
  if (p.percentage >= 100) reached100();
});
const call = (event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve));

async function native() {
  const started = performance.now();
  const { uploadId, chunkSize, error } = await call("upload.start", { name: "bench.bin", size });
  if (error) throw new Error(JSON.stringify(error));
  const complete = new Promise((resolve) => socket.once("upload.complete", resolve));
  const fd = openSync(file, "r");
  let next = 0;
  const lane = async () => {
    while (next < size) {
      const offset = next;
      const length = Math.min(chunkSize, size - offset);
      next += length;
      const data = Buffer.allocUnsafe(length);
      readSync(fd, data, 0, length, offset);
      const reply = await call("upload.chunk", { uploadId, offset, data });
      if (reply.error) throw new Error(JSON.stringify(reply.error));
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  closeSync(fd);
  await complete;
  return (performance.now() - started) / 1000;
}

async function viaSiofu() {
  globalThis.window = globalThis;
  globalThis.FileReader = class extends EventTarget {
    readAsArrayBuffer(blob) {
      blob.arrayBuffer().then((buffer) => {
        this.result = buffer;
        this.dispatchEvent(new Event("load"));
      }, () => this.dispatchEvent(new Event("error")));
    }
  };
  globalThis.document = { createEvent: () => ({ initEvent(type) { this.type = type; } }) };
  const SocketIOFileUpload = require("socketio-file-upload/client.js");
  const blob = await openAsBlob(file);
  const chosen = Object.assign(blob.slice(0, size), { name: "bench.bin", lastModified: Date.now() });
  const uploader = new SocketIOFileUpload(socket);
  const started = performance.now();
  const outcome = new Promise((resolve, reject) => {
    uploader.addEventListener("complete", (e) => (e.success ? resolve() : reject(new Error("siofu: not successful"))));
    uploader.addEventListener("error", (e) => reject(new Error(`siofu: ${e.message}`)));
  });
  uploader.submitFiles([chosen]);
  await outcome;
  return (performance.now() - started) / 1000;
}

const seconds = mode === "native" ? await native() : await viaSiofu();
// the last progress event may trail the completion by a moment: wait for 100 %, at most 2 s
await Promise.race([at100, new Promise((r) => setTimeout(r, 2000))]);
console.log(JSON.stringify({ bytes: size, seconds, progressEvents, lastPercentage }));
socket.close();
process.exit(0);
