// Starts a job and follows it as one watcher; prints lines received and seconds taken.
// Usage: node watch-count.mjs <baseUrl> <generator>
import { io } from "socket.io-client";
const [baseUrl, generator] = process.argv.slice(2);
const root = io(`${baseUrl}/`, { transports: ["websocket"] });
const t0 = Date.now();
const { jobId, token } = await root.emitWithAck("generate", { generator });
const job = io(`${baseUrl}/${jobId}`, { transports: ["websocket"], auth: { token, format: "json", detail: true } });
let count = 0;
job.on("log", (b) => { count += b.lines.length; });
job.on("status", (s) => {
  if (s.state === "succeeded" || s.state === "failed") {
    console.log(JSON.stringify({ jobId, token, count, seconds: (Date.now() - t0) / 1000, state: s.state }));
    process.exit(0);
  }
});
