#!/usr/bin/env python3
"""The bench's generator: prints numbered ~100-byte lines, each carrying the wall-clock time (µs
since the epoch) at which it was formed, as `<seq> <µs> xxx…`. Both servers run it unchanged.

Settings come from the environment, as Buildcast passes job parameters (BUILDCAST_PARAM_<NAME>);
the peer passes them the same way:
  LINES  number of lines (default 1000)
  RATE   lines per second, each written on its own; 0 = as fast as possible, 8 KiB writes
  BASIC  1: prefix every line with ::notice:: (a basic line in Buildcast)
  GO     path of a FIFO: wait until a byte can be read from it before printing (watchers ready)
  MARK   path of a FIFO: once LINES lines are written, write "printed" to it
  LIVE   after LINES lines, print one line every LIVE_MS ms for LIVE seconds (default 0)
  LIVE_MS  interval of the live phase (default 20)
  REPORT path of a file that gets the last line too (the /dev/null baseline reads it there)
Last line: `end <µs spent printing> <lines printed>`.
"""
import os
import time

env = lambda name, default: os.environ.get("BUILDCAST_PARAM_" + name, default)
lines = int(env("LINES", "1000"))
rate = float(env("RATE", "0"))
prefix = "::notice::" if env("BASIC", "0") == "1" else ""
go, mark = env("GO", ""), env("MARK", "")
live = float(env("LIVE", "0"))
live_ms = float(env("LIVE_MS", "20"))
now_us = lambda: time.time_ns() // 1000
PAD = "x" * 120
out = 1


def line(seq):
    head = f"{prefix}{seq} {now_us()} "
    return head + PAD[: max(1, 99 - len(head) + len(prefix))] + "\n"


def write_all(data):
    view = memoryview(data)
    while view:
        view = view[os.write(out, view):]


if go:
    with open(go, "rb") as f:  # blocks until the driver opens it for writing and sends a byte
        f.read(1)
start = time.monotonic_ns()
if rate <= 0:
    chunk, size = [], 0
    for seq in range(1, lines + 1):
        text = line(seq)
        chunk.append(text)
        size += len(text)
        if size >= 8192:
            write_all("".join(chunk).encode())
            chunk, size = [], 0
    if chunk:
        write_all("".join(chunk).encode())
else:
    period = 1.0 / rate
    t0 = time.monotonic()
    for seq in range(1, lines + 1):
        delay = t0 + (seq - 1) * period - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        write_all(line(seq).encode())
spent = (time.monotonic_ns() - start) // 1000
if mark:
    with open(mark, "w") as f:
        f.write("printed\n")
if live > 0:
    t0 = time.monotonic()
    seq = lines
    while time.monotonic() - t0 < live:
        seq += 1
        write_all(line(seq).encode())
        time.sleep(live_ms / 1000)
if env("REPORT", ""):  # before the last line, so it is there once a watcher has that line
    with open(env("REPORT", ""), "w") as f:
        f.write(f"end {spent} {lines}\n")
write_all(f"{prefix}end {spent} {lines}\n".encode())
