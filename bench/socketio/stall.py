#!/usr/bin/env python3
"""The stalled client: a raw WebSocket that joins "/" as a normal client, then never reads again.

Its receive buffer is set to 4 KiB before connecting (which also turns off the kernel's receive
autotuning, up to 32 MiB on this kind of machine), so the server's own buffering shows soon.
Usage: stall.py PORT SECONDS   prints "STALLED" once connected, exits after SECONDS.
"""
import base64, os, socket, sys, time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
buf = b""

def read_frame():
    global buf
    while True:
        if len(buf) >= 2:
            n = buf[1] & 0x7F
            off = 2
            if n == 126:
                n, off = int.from_bytes(buf[2:4], "big"), 4
            elif n == 127:
                n, off = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) >= off + n:
                data, buf = buf[off:off + n], buf[off + n:]
                return data.decode()
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("closed during setup")
        buf += chunk

while b"\r\n\r\n" not in buf:
    buf += s.recv(4096)
head, buf = buf.split(b"\r\n\r\n", 1)
assert b" 101 " in head.split(b"\r\n")[0], head

def send_text(text):
    data, mask = text.encode(), os.urandom(4)
    s.sendall(bytes([0x81, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

assert read_frame().startswith("0")          # Engine.IO open
send_text('40{"role":"client"}')              # Socket.IO CONNECT to "/"
while not read_frame().startswith("40"):
    pass
print("STALLED", flush=True)
time.sleep(seconds)                           # never reads again
