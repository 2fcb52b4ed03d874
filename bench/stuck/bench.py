#!/usr/bin/env python3
"""Does a watcher that stops reading grow Buildcast's heap, or slow its job or the other watchers?

Starts the Buildcast jar (-Xmx256m by default, GC log) on 127.0.0.1 with a temporary data folder and a
generator that prints 1,000,000 lines. Runs that job once with no watchers (the baseline wall
time), then again with 200 stuck watchers (raw WebSocket clients on the job namespace with the
token, 4 KiB receive buffer, that stop reading after their first few log events), one healthy
watcher that must get every line exactly once and in order, and one that reads one message a
second. Samples heap after GC (from the GC log), RSS and the server's counters every second,
prints a table and the final figures, then resumes the stuck and slow watchers with `since` and
checks they get exactly the rest. Loopback only; every wait has a deadline; children are killed
on exit. Usage: bench.py JAR [--lines N] [--seconds N] [--stuck N] [--resume-full N] [--xmx 512m]
"""
import argparse, atexit, base64, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time
import urllib.request

p = argparse.ArgumentParser()
p.add_argument("jar")
p.add_argument("--lines", type=int, default=1_000_000)
p.add_argument("--seconds", type=int, default=0,
               help="print the lines in ten slices over at least this long (0: flat out); a job that ends "
                    "within a second has ended before the late watchers can join it")
p.add_argument("--stuck", type=int, default=200)
p.add_argument("--resume-full", type=int, default=3, help="stuck watchers whose resume is read to the end (the others: the first 2,000 lines)")
p.add_argument("--late", type=int, default=100, help="of the stuck watchers, how many join when the job is half done (they start in catch-up from disk)")
p.add_argument("--xmx", default="256m")
p.add_argument("--deadline", type=float, default=900, help="seconds the whole bench may take")
args = p.parse_args()
T0 = time.time()
DEADLINE = T0 + args.deadline


def left(seconds):
    """A timeout that never passes the bench's own deadline."""
    return max(0.1, min(seconds, DEADLINE - time.time()))


# ---- the server ----------------------------------------------------------------------------------

work = tempfile.mkdtemp(prefix="buildcast-stuck-")
children = []


def cleanup():
    for c in children:
        if c.poll() is None:
            c.kill()
            c.wait(10)
    shutil.rmtree(work, ignore_errors=True)


atexit.register(cleanup)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))

if args.seconds > 0:
    # ten slices of the lines, a tenth of the time apart: "line 1" … "line N" all the same
    printing = (f"for i in $(seq 0 9); do seq $((i * {args.lines} / 10 + 1)) $(((i + 1) * {args.lines} / 10))"
                f" | sed 's/^/line /'; sleep {args.seconds / 10}; done")
else:
    printing = f"seq 1 {args.lines} | sed 's/^/line /'"
with open(os.path.join(work, "buildcast.yaml"), "w") as f:
    f.write(f"""limits: {{connectionsPerIp: 1000, jobsPerIpPerMinute: 100}}
generators:
  - name: million
    command: [bash, -c, "while [ ! -e ../go ]; do sleep 0.02; done; {printing}"]
    timeout: 15m
""")
with open(os.path.join(work, "logback.xml"), "w") as f:
    # why: the engine says why it closed a session only at DEBUG; that is what the bench reports
    f.write("""<configuration><appender name="F" class="ch.qos.logback.core.FileAppender"><file>""" + work + """/server.log</file>
<encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder></appender>
<logger name="org.eclipse.jetty" level="WARN"/><logger name="dev.buildcast.socketio.engine.EngineSession" level="DEBUG"/>
<root level="INFO"><appender-ref ref="F"/></root></configuration>""")
gc_log = os.path.join(work, "gc.log")
server = subprocess.Popen(
    ["java", f"-Xmx{args.xmx}", "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=1000", f"-Xlog:gc:file={gc_log}",
     f"-Dlogback.configurationFile={work}/logback.xml", "-jar", args.jar, "--host", "127.0.0.1", "--port", "0",
     "--data-dir", os.path.join(work, "data"), "--config", os.path.join(work, "buildcast.yaml")],
    stdout=subprocess.PIPE, text=True)
children.append(server)
line = server.stdout.readline()
m = re.match(r"Buildcast listening on http://127\.0\.0\.1:(\d+)", line)
if not m:
    sys.exit(f"the server did not start: {line!r}")
PORT = int(m.group(1))
BASE = f"http://127.0.0.1:{PORT}"


def http(method, path, body=None, token=None):
    req = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=left(60)) as r:
        return r.read()


def start_job():
    t = json.loads(http("POST", "/api/jobs", {"generator": "million"}))
    return t["jobId"], t["token"]


def status(job, token):
    return json.loads(http("GET", f"/api/jobs/{job}", token=token))


def release(job):
    open(os.path.join(work, "data", "jobs", job, "go"), "w").close()
    return time.time()


def wait_finished(job, token, timeout):
    end = time.time() + left(timeout)
    while time.time() < end:
        s = status(job, token)
        if s["state"] in ("succeeded", "failed", "cancelled"):
            return s
        time.sleep(0.2)  # polling an HTTP status, not synchronising threads
    sys.exit(f"job {job} did not finish in {timeout} s")


def iso(t):
    from datetime import datetime
    return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


# ---- a minimal WebSocket + Engine.IO/Socket.IO client ----------------------------------------------

class Watcher:
    """One job watcher over a raw WebSocket; json + detail; records the seqs it processed."""

    def __init__(self, job, token, since=0, rcvbuf=0):
        self.job, self.ns = job, "/" + job
        self.seqs, self.texts, self.final, self.closed = [], [], None, None
        s = socket.socket()
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(left(30))
        s.connect(("127.0.0.1", PORT))
        self.s, self.buf = s, b""
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise IOError(head.split(b"\r\n")[0])
        assert self.recv().startswith("0")
        auth = json.dumps({"token": token, "format": "json", "detail": True, "since": since})
        self.send(f"40{self.ns},{auth}")
        while True:
            msg = self.recv()
            if msg.startswith(f"40{self.ns},"):
                break
            if msg.startswith(f"44{self.ns},"):
                raise IOError("refused: " + msg)

    def _fill(self):
        chunk = self.s.recv(65536)
        if not chunk:
            raise EOFError("closed")
        self.buf += chunk

    def _frame(self):
        while True:
            if len(self.buf) >= 2:
                n, off = self.buf[1] & 0x7F, 2
                if n == 126 and len(self.buf) >= 4:
                    n, off = int.from_bytes(self.buf[2:4], "big"), 4
                elif n == 127 and len(self.buf) >= 10:
                    n, off = int.from_bytes(self.buf[2:10], "big"), 10
                if n < 126 or off > 2:
                    if len(self.buf) >= off + n:
                        fin, op = self.buf[0] & 0x80, self.buf[0] & 0x0F
                        data, self.buf = self.buf[off:off + n], self.buf[off + n:]
                        return fin, op, data
            self._fill()

    def recv(self):
        """The next text message, answering Engine.IO pings; EOFError once the server closed."""
        parts = []
        while True:
            fin, op, data = self._frame()
            if op == 8:
                code = int.from_bytes(data[:2], "big") if len(data) >= 2 else None
                self.closed = f"close frame {code} {data[2:].decode(errors='replace')!r}"
                raise EOFError(self.closed)
            if op in (9, 10):
                continue
            parts.append(data)
            if fin:
                text = b"".join(parts).decode()
                if text == "2":
                    self.send("3")
                    parts = []
                    continue
                return text

    def send(self, text):
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        head = bytes([0x81, 0x80 | n]) if n < 126 else bytes([0x81, 0xFE]) + n.to_bytes(2, "big")
        self.s.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def read_event(self):
        """Processes one message: log lines are recorded; returns the event name (or None)."""
        msg = self.recv()
        prefix = f"42{self.ns},"
        if not msg.startswith(prefix):
            return None
        event, payload = json.loads(msg[len(prefix):])[:2]
        if event == "log":
            for l in payload["lines"]:
                self.seqs.append(l["seq"])
                self.texts.append(l["text"])
        elif event == "status" and payload["state"] in ("succeeded", "failed", "cancelled"):
            self.final = payload
        return event

    def read_to_end(self, timeout, max_lines=None):
        self.s.settimeout(left(timeout))
        while self.final is None and (max_lines is None or len(self.seqs) < max_lines):
            self.read_event()

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


# ---- sampling --------------------------------------------------------------------------------------

def heap_after_gc():
    """The heap after the latest GC, in MB, from the GC log (no GC is forced)."""
    last = None
    try:
        with open(gc_log) as f:
            for l in f:
                m = re.search(r"(\d+)M->(\d+)M\(\d+M\)", l)
                if m:
                    last = int(m.group(2))
    except FileNotFoundError:
        pass
    return last


def all_heap_after_gc():
    with open(gc_log) as f:
        return [int(m.group(2)) for m in (re.search(r"(\d+)M->(\d+)M\(\d+M\)", l) for l in f) if m]


def rss_mb():
    with open(f"/proc/{server.pid}/status") as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1]) // 1024


def metric(name):
    for l in http("GET", "/metrics").decode().splitlines():
        if l.startswith(name + " ") or l.startswith(name + "{"):
            return float(l.rsplit(" ", 1)[1])
    return 0.0


IDX_RECORD_BYTES = 17  # detailed.idx: one fixed-size record per line (storage.file.LineIndex)


def job_lines(job):
    try:
        return os.path.getsize(os.path.join(work, "data", "jobs", job, "detailed.idx")) // IDX_RECORD_BYTES
    except FileNotFoundError:
        return 0


# ---- the runs --------------------------------------------------------------------------------------

print(f"load average before: {open('/proc/loadavg').read().split()[:3]}", flush=True)
base_job, base_token = start_job()
time.sleep(0.5)  # let the process reach its gate; wall time is measured from the release anyway
release_t = release(base_job)
s = wait_finished(base_job, base_token, 600)
baseline_wall = iso(s["finishedAt"]) - release_t
baseline_heap = heap_after_gc()
print(f"baseline job (no watchers): {baseline_wall:.1f} s, heap after GC {baseline_heap} MB, RSS {rss_mb()} MB", flush=True)

# the same job with only the healthy watcher: what reading every line costs, without stuck ones
alone_job, alone_token = start_job()
alone = Watcher(alone_job, alone_token)
alone.error = None
alone_thread = threading.Thread(target=lambda: alone.read_to_end(600), daemon=True)
alone_thread.start()
release_t = release(alone_job)
s = wait_finished(alone_job, alone_token, 600)
alone_wall = iso(s["finishedAt"]) - release_t
alone_thread.join(left(120))
alone.close()
print(f"same job with one healthy watcher only: {alone_wall:.1f} s ({len(alone.seqs)} lines received)", flush=True)

job, token = start_job()
stuck, stuck_errors = [], []


def open_stuck(i):
    try:
        w = Watcher(job, token, rcvbuf=4096)
        w.stop_after = i % 4  # log events each reads before it stops: 0..3
        stuck.append(w)
    except Exception as e:  # noqa: BLE001 - reported below
        stuck_errors.append(repr(e))


def open_stuck_watchers(numbers):
    threads = [threading.Thread(target=open_stuck, args=(i,)) for i in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(left(60))


open_stuck_watchers(range(args.stuck - args.late))
healthy = Watcher(job, token)
slow = Watcher(job, token, rcvbuf=4096)
slow_reads = [0]
stop = threading.Event()


def run_healthy():
    try:
        healthy.read_to_end(600)
    except Exception as e:  # noqa: BLE001
        healthy.error = repr(e)


def run_stuck(w):
    try:
        w.s.settimeout(left(120))
        while w.stop_after > 0:
            if w.read_event() == "log":
                w.stop_after -= 1
    except Exception as e:  # noqa: BLE001
        w.error = repr(e)
    # from here on it never reads again


def run_slow():
    try:
        slow.s.settimeout(left(600))
        while not stop.is_set() and slow.final is None:
            slow.read_event()
            slow_reads[0] += 1
            stop.wait(1.0)  # reads one message a second
    except Exception as e:  # noqa: BLE001
        slow.error = repr(e)


healthy.error = slow.error = None
def start_stuck_readers(watchers):
    for w in watchers:
        w.error = None
        threading.Thread(target=run_stuck, args=(w,), daemon=True).start()


for t in [threading.Thread(target=run_healthy), threading.Thread(target=run_slow)]:
    t.daemon = True
    t.start()
start_stuck_readers(list(stuck))

print(f"{len(stuck)} stuck watchers (and {args.late} more when the job is half done), 1 healthy, 1 reading one message a second;"
      f" connected: {metric('buildcast_socketio_clients'):.0f}", flush=True)
print(f"{'t (s)':>6} {'job lines':>10} {'heap after GC (MB)':>19} {'RSS (MB)':>9} {'clients':>8} {'to catch-up':>12} {'healthy':>9} {'slow':>7}", flush=True)
release_t = release(job)
samples = []


def sample():
    row = (time.time() - release_t, job_lines(job), heap_after_gc(), rss_mb(), int(metric("buildcast_socketio_clients")),
           int(metric("buildcast_slow_client_drops_total")), len(healthy.seqs), len(slow.seqs))
    samples.append(row)
    print(f"{row[0]:6.1f} {row[1]:>10} {row[2]!s:>19} {row[3]:>9} {row[4]:>8} {row[5]:>12} {row[6]:>9} {row[7]:>7}", flush=True)


finished_status = None
late_joined = args.late == 0
while time.time() < DEADLINE:
    sample()
    if not late_joined and samples[-1][1] >= args.lines // 2:
        late_joined = True
        before = len(stuck)
        open_stuck_watchers(range(args.stuck - args.late, args.stuck))
        start_stuck_readers(stuck[before:])
        print(f"{len(stuck) - before} stuck watchers joined late, from line 0", flush=True)
    s = status(job, token)
    if s["state"] in ("succeeded", "failed", "cancelled") and finished_status is None:
        finished_status = s
    if finished_status and healthy.final is not None and time.time() - iso(finished_status["finishedAt"]) > 60:
        break  # a minute past the end: the stuck ones have had time to be moved or dropped
    time.sleep(1)  # the sampling period
watched_wall = iso(finished_status["finishedAt"]) - release_t if finished_status else float("nan")

# ---- checks ----------------------------------------------------------------------------------------

log = http("GET", f"/api/jobs/{job}/log", token=token).decode().split("\n")[:-1]
last = len(log)
healthy_ok = healthy.seqs == list(range(1, last + 1)) and healthy.texts == log
printed = [t for t in healthy.texts if t.startswith("line ")]
printed_ok = printed == [f"line {i}" for i in range(1, args.lines + 1)]
close_reasons = {}
with open(os.path.join(work, "server.log")) as f:
    for l in f:
        # the reason alone: the client's pace that follows it in parentheses differs per session
        m = re.search(r"session \S+ closed: (.*?)(?: \(.*)?$", l)
        if m:
            close_reasons[m.group(1)] = close_reasons.get(m.group(1), 0) + 1
stuck_seen = sorted(len(w.seqs) for w in stuck)


def resume(w, full):
    since = w.seqs[-1] if w.seqs else 0
    w.close()
    r = Watcher(job, token, since=since)
    try:
        r.read_to_end(300, None if full else 2000)
    finally:
        r.close()
    want = list(range(since + 1, last + 1)) if full else list(range(since + 1, min(last, since + 2000) + 1))
    return r.seqs[:len(want)] == want and (not full or r.seqs == want)


resume_results = []


def resume_all(batch):
    for w, full in batch:
        try:
            resume_results.append((full, resume(w, full)))
        except Exception as e:  # noqa: BLE001
            resume_results.append((full, False))
            print(f"resume failed: {e!r}", flush=True)


plan = [(w, i < args.resume_full) for i, w in enumerate(stuck)]
batches = [plan[i::4] for i in range(4)]
rt = [threading.Thread(target=resume_all, args=(b,)) for b in batches]
for t in rt:
    t.start()
for t in rt:
    t.join(left(600))
stop.set()
slow_before = len(slow.seqs)
slow_ok = resume(slow, True)
heaps = all_heap_after_gc()
watched_heaps = [r[2] for r in samples if r[2] is not None]

print()
print(f"peak heap after GC with watchers: {max(watched_heaps)} MB (baseline after the unwatched job: {baseline_heap} MB; -Xmx{args.xmx});"
      f" peak over the whole run incl. resumes: {max(heaps)} MB")
print(f"peak RSS: {max(r[3] for r in samples)} MB")
print(f"job wall time: {watched_wall:.1f} s with {len(stuck)} stuck + 2 watchers vs {baseline_wall:.1f} s with none "
      f"(x{watched_wall / baseline_wall:.2f}) and {alone_wall:.1f} s with the healthy watcher only (x{watched_wall / alone_wall:.2f})")
print(f"healthy watcher: {len(healthy.seqs)} lines of {last}; every line exactly once, in order, same text as the log: "
      f"{'yes' if healthy_ok and printed_ok else 'NO'}{'' if healthy.error is None else ' (' + healthy.error + ')'}")
print(f"stuck watchers: {len(stuck)} connected ({len(stuck_errors)} failed to connect); lines each processed before stopping: "
      f"min {stuck_seen[0] if stuck_seen else 0}, max {stuck_seen[-1] if stuck_seen else 0}")
print(f"moved to catch-up from disk (buildcast_slow_client_drops_total): {metric('buildcast_slow_client_drops_total'):.0f} times")
print(f"sessions closed by the server, by reason: {close_reasons}")
print(f"slow watcher (one message a second): {slow_reads[0]} messages read, {slow_before} lines before it was "
      f"{'dropped: ' + slow.error if slow.error else 'stopped by the bench'}; resumed with since: exactly the rest: {'yes' if slow_ok else 'NO'}")
full_ok = [ok for full, ok in resume_results if full]
part_ok = [ok for full, ok in resume_results if not full]
print(f"stuck watchers resumed with since: {sum(full_ok)}/{len(full_ok)} read to the end got exactly the rest; "
      f"{sum(part_ok)}/{len(part_ok)} got exactly the next 2,000 lines")
print(f"load average after: {open('/proc/loadavg').read().split()[:3]}; bench took {time.time() - T0:.0f} s")
ok = healthy_ok and printed_ok and slow_ok and all(full_ok) and all(part_ok) and not stuck_errors
sys.exit(0 if ok else 1)
