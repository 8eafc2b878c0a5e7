#!/usr/bin/env python3
"""CPU time and wall time of the server's answer to one edit of the built-in scenario.

On a loaded machine wall time measures the load; the server process's CPU time (user + system,
from /proc/PID/stat) measures the work. On an idle 2-core machine an answer's wall time lies
between CPU/2 (both cores busy) and CPU (one core).

Usage: crates/serve/bench/cpu_per_edit.py [BRINK] [REPEATS]   (Linux only)
"""
import json, os, socket, subprocess, sys, tempfile, time

BRINK = sys.argv[1] if len(sys.argv) > 1 else "target/release/brink"
REPEATS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK  # utime + stime


def post(port, path, body):
    s = socket.create_connection(("127.0.0.1", port))
    b = json.dumps(body).encode()
    s.sendall(b"POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
              % (path.encode(), port, len(b)) + b)
    buf = b""
    while True:  # the server closes the connection after its answer
        d = s.recv(1 << 16)
        if not d:
            break
        buf += d
    s.close()
    assert buf.startswith(b"HTTP/1.1 200"), buf[:200]
    return buf


def main():
    d = tempfile.mkdtemp()
    p = subprocess.Popen([BRINK, "serve", d, "--port", "0"], stdout=subprocess.PIPE, text=True)
    port = int(p.stdout.readline().strip().rsplit(":", 1)[1].rstrip("/"))
    configs = [
        ("point estimates, default models", {"draws": 0}),
        ("2000 draws, compromise median nash", {"draws": 2000, "models": ["compromise", "median", "nash"]}),
        ("2000 draws, default models", {"draws": 2000}),
    ]
    try:
        measure(p, port, configs)
    finally:
        p.terminate()
        p.wait()


def measure(p, port, configs):
    post(port, "/api/run", {"draws": 0})  # warm up
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| answer to one edit | CPU s (mean) | wall s (mean) |\n|---|---|---|")
    i = 0
    for name, body in configs:
        c0, t0 = cpu(p.pid), time.time()
        for _ in range(REPEATS):
            i += 1
            post(port, "/api/edit", {"edits": [{"path": "stances[5].position.triangular[1]", "value": 25 + (i % 2) * 5}]})
            post(port, "/api/run", body)
        c1, t1 = cpu(p.pid), time.time()
        print(f"| {name} | {(c1 - c0) / REPEATS:.3f} | {(t1 - t0) / REPEATS:.3f} |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


main()
