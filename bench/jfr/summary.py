#!/usr/bin/env python3
"""Where the CPU went in a JFR recording: share of execution samples by thread, by the innermost
Buildcast frame on the stack, and by the top frame. Samples of the thread `main` are left out:
it only starts the server (class loading, JIT warm-up) and then waits. Needs the JDK's `jfr` tool on the PATH
(`. scripts/jdk.sh`).

  bench/jfr/summary.py RECORDING.jfr

Record with the JDK alone, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=x.jfr,settings=profile"
for bench/ingest/run, or --java-opts "-Xmx512m -XX:StartFlightRecording=..." for bench/run.
"""
import collections
import json
import re
import subprocess
import sys


def main(path):
    out = subprocess.check_output(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path])
    events = json.loads(out)["recording"]["events"]
    threads, ours, top = collections.Counter(), collections.Counter(), collections.Counter()
    for event in events:
        values = event["values"]
        frames = (values.get("stackTrace") or {}).get("frames") or []
        name = (values.get("sampledThread") or {}).get("javaName") or "(virtual)"
        if name == "main":
            continue
        threads[re.sub(r"[-#]?\d+$", "-N", name)] += 1  # pool threads counted together
        types = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]
        if types:
            top[types[0]] += 1
        own = next((t for t in types if t.startswith("dev.buildcast.")), None)
        ours[own[len("dev.buildcast."):] if own else "(no Buildcast frame: JVM, JDK, Jetty)"] += 1
    total = sum(threads.values()) or 1
    print(f"{total} execution samples (thread main left out) in {path}")
    for title, counts in (("by thread", threads), ("innermost Buildcast frame", ours), ("top frame", top)):
        print(f"-- {title}")
        for key, n in counts.most_common(10):
            print(f"  {100 * n / total:5.1f}%  {key}")


if __name__ == "__main__":
    main(sys.argv[1])
