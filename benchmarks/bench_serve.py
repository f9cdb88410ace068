"""Bounded loopback load test of `reissue serve` (issue 16 item 5).

    .venv/bin/python benchmarks/bench_serve.py                      # 20 and 50 clients x 30 s, 1,000 slow clients
    .venv/bin/python benchmarks/bench_serve.py --seconds 10 --slow 300 --pages 400   # quicker

A generated library (``benchmarks/bench_index.py``'s editions) is served by a real ``reissue serve``
process on 127.0.0.1. Client threads (keep-alive HTTP/1.1) ask for reader pages, search pages and
API answers (random pages and queries drawn from the library). Reported per phase: requests/s, p50,
p95, p99 per page kind, errors, and the server's memory (RSS) and open file descriptors before,
during and after. Then 1,000 slow clients each open a connection and send a request head one byte at
a time, while one normal client reads pages: its latency shows whether slow clients stall readers;
after they go, the server's file descriptors and memory must come back.

Clients and server share the machine's cores: the numbers are for this machine, both sides included.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def proc_stats(pid: int) -> dict:
    try:
        rss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS"))
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        threads = len(os.listdir(f"/proc/{pid}/task"))
    except (OSError, StopIteration):
        return {}
    return {"rss_mb": round(rss / 1024, 1), "fds": fds, "threads": threads}


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return round(1000 * xs[min(len(xs) - 1, int(p / 100 * len(xs)))], 1)


def targets(port: int, lib_path: str, rng: random.Random) -> dict[str, list[str]]:
    from reissue.index import Library

    lib = Library(lib_path, readonly=True)
    eds = lib.editions()
    reader = []
    for e in eds:
        for p in lib.pages(e["id"]):
            reader.append(f"/edition/{e['id']}/page/{p['key']}")
    words = [r[0] for r in lib.db.execute("SELECT text FROM texts ORDER BY random() LIMIT 300")]
    lib.close()
    vocab = [w.strip(".,;:!?\"'()") for t in words for w in t.split() if len(w) > 3][:3000]
    qs = []
    for _ in range(400):
        k = rng.random()
        w = rng.sample(vocab, 2)
        qs.append(w[0] if k < .4 else f"{w[0]} {w[1]}" if k < .6 else f'"{w[0]} {w[1]}"' if k < .7
                  else f"{w[0][:4]}*" if k < .8 else f"{w[0]} OR {w[1]}" if k < .9 else f"{w[0]}'s")
    return {"reader": rng.sample(reader, min(400, len(reader))),
            "search": ["/search?" + urlencode({"q": q}) for q in qs],
            "api": ["/api/search?" + urlencode({"q": q}) for q in qs[:200]] +
                   [f"/api/edition/{e['id']}" for e in eds]}


def client_loop(port, urls, stop, out, rng):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    kinds = list(urls)
    while not stop.is_set():
        kind = rng.choice(kinds)
        url = rng.choice(urls[kind])
        t0 = time.perf_counter()
        try:
            conn.request("GET", url, headers={"Host": f"127.0.0.1:{port}"})
            r = conn.getresponse()
            r.read()
            ok = r.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append((kind, time.perf_counter() - t0, ok))
    conn.close()


def run_phase(port, pid, urls, clients, seconds, seed):
    stop = threading.Event()
    out: list = []
    ts = [threading.Thread(target=client_loop, args=(port, urls, stop, out, random.Random(seed + i)), daemon=True)
          for i in range(clients)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    time.sleep(seconds / 2)
    during = proc_stats(pid)
    time.sleep(seconds / 2)
    stop.set()
    for t in ts:
        t.join(timeout=60)
    dt = time.perf_counter() - t0
    res = {"clients": clients, "seconds": round(dt, 1), "requests": len(out),
           "requests_per_s": round(len(out) / dt, 1), "errors": sum(1 for _k, _t, ok in out if not ok),
           "server_during": during}
    for kind in urls:
        xs = [t for k, t, ok in out if k == kind and ok]
        res[kind] = {"n": len(xs), "p50_ms": pct(xs, 50), "p95_ms": pct(xs, 95), "p99_ms": pct(xs, 99)}
    return res


def slow_phase(port, pid, urls, n_slow, hold):
    socks = []
    for _ in range(n_slow):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port)
            socks.append(s)
        except OSError:
            break
    stop = threading.Event()
    out: list = []
    t = threading.Thread(target=client_loop, args=(port, {"reader": urls["reader"]}, stop, out, random.Random(7)),
                         daemon=True)
    t.start()
    t_end = time.time() + hold
    during = None
    while time.time() < t_end:
        for s in socks:  # one more byte each, never finishing the request head
            try:
                s.send(b"a")
            except OSError:
                pass
        if during is None and time.time() > t_end - hold / 2:
            during = proc_stats(pid)
        time.sleep(1)
    stop.set()
    t.join(timeout=60)
    for s in socks:
        s.close()
    xs = [x for _k, x, ok in out if ok]
    return {"slow_clients": len(socks), "hold_s": hold, "reader_requests": len(out),
            "reader_errors": sum(1 for *_x, ok in out if not ok), "reader_p50_ms": pct(xs, 50),
            "reader_p95_ms": pct(xs, 95), "server_during": during}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000, help="pages in the generated library")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", default="20,50")
    ap.add_argument("--slow", type=int, default=1000, help="slow clients")
    ap.add_argument("--hold", type=float, default=20, help="seconds the slow clients hold their connections")
    ap.add_argument("--threads", type=int, default=8, help="server threads (reissue serve --threads)")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args(argv)
    import bench_index
    from reissue.index import Library, load_edition_file

    tmp = tempfile.TemporaryDirectory()
    workdir = Path(args.workdir) if args.workdir else Path(tmp.name) / "editions"
    dirs = bench_index.generate(workdir, args.pages, 50, False)
    db = str(Path(tmp.name) / "library.sqlite")
    lib = Library(db)
    for d in dirs:
        lib.add_editions([load_edition_file(d)[0]], validated=True)
    lib.optimize()
    lib.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    errlog = open(Path(tmp.name) / "server.err", "w+")  # a pipe nobody reads would block the server
    proc = subprocess.Popen([sys.executable, "-m", "reissue.cli", "serve", db, "--port", "0", "--quiet",
                             "--threads", str(args.threads)], stdout=subprocess.PIPE, stderr=errlog,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        urls = targets(port, db, random.Random(1))
        report = {"pages": args.pages, "server_threads": args.threads, "before": proc_stats(proc.pid), "phases": []}
        for i, n in enumerate(int(x) for x in args.clients.split(",")):
            report["phases"].append(run_phase(port, proc.pid, urls, n, args.seconds, 100 * i))
            report[f"after_{n}_clients"] = proc_stats(proc.pid)
        if args.slow:
            report["slow"] = slow_phase(port, proc.pid, urls, args.slow, args.hold)
            time.sleep(6)  # waitress's cleanup interval (5 s) returns the idle connections
            report["after_slow"] = proc_stats(proc.pid)
        errlog.seek(0)
        report["server_stderr_tail"] = errlog.read()[-2000:]
        print(json.dumps(report, indent=1))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    tmp.cleanup()


if __name__ == "__main__":
    main()
