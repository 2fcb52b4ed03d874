// The peer: what the seed apps' stack gives when built the straightforward way, for bench/run to
// measure Buildcast against. One Node process: express + socket.io 4.8 + socketio-file-upload.
//
//   generate {generator, params}  (ack → {jobId})   spawns the generator's command; every stdout
//       or stderr line goes out as one `message` event to namespace /<jobId> (as the seed's
//       send(message, namespace="/"+identifier)), and is appended to the job's detailed file
//       through a write stream (the seed's `tee -a LOGFILE`).
//   retrieve-detailed-logs {jobId} on / → `file-content` string chunks, from `cat` of that file.
//   GET /api/jobs/<jobId>/log → res.download of that file.
//   siofu uploads on namespace /, with `upload.progress {percentage}` measured on the server.
// Additions the bench needs, none of which the seeds had: a late joiner gets the lines sent so far
// (kept in memory) before the live ones; `done {exitCode}` on /<jobId> and `wait-job {jobId}` (ack
// on /) once the process ended and its file is flushed; `file-content-end {bytes}` after cat's last
// chunk; POST /api/jobs/<jobId>/cancel kills the job.
//
// Usage: node server.mjs --port N --data-dir DIR --config generators.json
//   generators.json: {"NAME": ["argv0", "arg", ...]}. Prints "Peer listening on http://HOST:PORT".
import http from "node:http";
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import express from "express";
import siofu from "socketio-file-upload";
import { Server } from "socket.io";

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : def);
const host = "127.0.0.1";
const port = Number(arg("port", "0"));
const dataDir = arg("data-dir", "./peer-data");
const generators = JSON.parse(readFileSync(arg("config"), "utf8"));
const uploadsDir = join(dataDir, "uploads");
mkdirSync(uploadsDir, { recursive: true });

const app = express();
app.use(siofu.router);
const jobs = new Map();
const doneEvents = new EventEmitter();
doneEvents.setMaxListeners(0); // jobId → {dir, lines, child, done, exitCode, nsp}

app.post("/api/jobs/:id/cancel", (req, res) => {
  const job = jobs.get(req.params.id);
  if (!job) return res.status(404).end();
  if (!job.done) {
    try {
      process.kill(-job.child.pid, "SIGKILL");
    } catch {}
  }
  res.json({ ok: true });
});
app.get("/api/jobs/:id/log", (req, res) => {
  const job = jobs.get(req.params.id);
  if (!job) return res.status(404).end();
  res.download(join(job.dir, "detailed.log"), `peer-${req.params.id}.log`);
});

const server = http.createServer(app);
const io = new Server(server, { serveClient: false });

function startJob(name, params) {
  const jobId = randomBytes(16).toString("base64url");
  const dir = join(dataDir, "jobs", jobId);
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env };
  for (const [k, v] of Object.entries(params ?? {})) env[`BUILDCAST_PARAM_${k.toUpperCase()}`] = String(v);
  const job = { dir, lines: [], done: false, exitCode: null, nsp: io.of(`/${jobId}`) };
  jobs.set(jobId, job);
  const detail = createWriteStream(join(dir, "detailed.log"));
  job.child = spawn(generators[name][0], generators[name].slice(1), { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const pipeLines = (stream) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      detail.write(chunk);
      const parts = (rest + chunk).split("\n");
      rest = parts.pop();
      for (const text of parts) {
        job.lines.push(text);
        job.nsp.to("live").emit("message", text);
      }
    });
    return new Promise((resolve) => stream.on("end", () => {
      if (rest) {
        job.lines.push(rest);
        job.nsp.to("live").emit("message", rest);
      }
      resolve();
    }));
  };
  const ended = Promise.all([pipeLines(job.child.stdout), pipeLines(job.child.stderr)]);
  job.child.on("close", async (code) => {
    await ended;
    detail.end(() => {
      job.done = true;
      job.exitCode = code;
      job.nsp.emit("done", { exitCode: code });
      doneEvents.emit(`done:${jobId}`, code);
    });
  });
  job.nsp.on("connection", (socket) => {
    // a late joiner first gets what was sent before it came, then joins the live room
    for (const text of job.lines) socket.emit("message", text);
    socket.join("live");
    if (job.done) socket.emit("done", { exitCode: job.exitCode });
  });
  return jobId;
}

io.on("connection", (socket) => {
  socket.on("generate", (payload, ack) => {
    const name = payload?.generator;
    if (!generators[name]) return ack?.({ error: { code: "unknown_generator", message: name } });
    ack?.({ jobId: startJob(name, payload.params) });
  });
  const uploader = new siofu();
  uploader.dir = uploadsDir;
  uploader.listen(socket);
  uploader.on("progress", (event) => {
    socket.emit("upload.progress", { percentage: (event.file.bytesLoaded / event.file.size) * 100 });
  });
  uploader.on("error", (event) => console.error("upload error:", event.error?.message ?? event));
  // the seed's detailed-log dialog: `cat` of the job's file, one file-content event per chunk
  socket.on("retrieve-detailed-logs", (data) => {
    const job = jobs.get(data?.jobId);
    if (!job) return socket.emit("error", { code: "not_found" });
    const cat = spawn("cat", [join(job.dir, "detailed.log")]);
    let bytes = 0;
    cat.stdout.setEncoding("utf-8");
    cat.stdout.on("data", (chunk) => {
      bytes += Buffer.byteLength(chunk);
      socket.emit("file-content", chunk);
    });
    cat.on("close", () => socket.emit("file-content-end", { bytes }));
  });
  // for the bench: answers once the job has ended and its file is flushed
  socket.on("wait-job", (data, ack) => {
    const job = jobs.get(data?.jobId);
    if (!job) return ack({ error: { code: "not_found" } });
    if (job.done) return ack({ exitCode: job.exitCode });
    doneEvents.once(`done:${data.jobId}`, (exitCode) => ack({ exitCode }));
  });
});

const stop = () => {
  for (const job of jobs.values()) {
    if (!job.done) {
      try {
        process.kill(-job.child.pid, "SIGKILL");
      } catch {}
    }
  }
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.listen(port, host, () => console.log(`Peer listening on http://${host}:${server.address().port}`));
