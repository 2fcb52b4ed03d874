// Connects to one job's namespace again and again, closing each socket soon after it connects,
// with several clients at once; reports connections that never completed.
// Usage: node connect-churn.mjs <baseUrl> <jobId> <token> <clients> <rounds> <transport>
import { io } from "socket.io-client";
const [baseUrl, jobId, token, clients, rounds, transport] = process.argv.slice(2);
let hung = 0, ok = 0, errors = 0;
async function client(_, index) {
  for (let i = 0; i < Number(rounds); i++) {
    const s = io(`${baseUrl}/${jobId}`, { forceNew: true, reconnection: false, transports: [transport], auth: { token, format: "json", detail: true } });
    const r = await Promise.race([
      new Promise((res) => s.once("connect", () => res("ok"))),
      new Promise((res) => s.once("connect_error", (e) => res("error " + e.message))),
      // why a minute: "hung" must mean never, not slower than this machine; a connect completes at once
      new Promise((res) => setTimeout(res, 60000, "hung")),
    ]);
    if (r === "ok") ok++; else if (r === "hung") hung++; else { errors++; console.error(r); }
    // why not random: the close lands at varied moments after the connect, the same ones every run
    await new Promise((res) => setTimeout(res, (index * 7 + i * 13) % 30));
    s.close();
  }
}
await Promise.all(Array.from({ length: Number(clients) }, client));
console.log(JSON.stringify({ ok, hung, errors }));
process.exit(0);
