"""Load test of ``eventwire serve``: N concurrent clients for S seconds against a real uvicorn on 127.0.0.1.

Starts the server on a free port over the given database, runs the clients (each a keep-alive HTTP
connection, alternating ``/api/events?limit=100`` pages and ``/api/aggregate`` queries), stops by
itself after ``--seconds`` (every request has a timeout), stops the server, and prints requests,
errors, p50 and p99 latency per endpoint as a table and as JSON (``--json FILE``). The server keeps
answers while the data do not change; ``--uncached`` gives each request a random start date so
that answers are computed.

    eventwire ingest ../shared/eval/corpus/guardian_syria.jsonl --db /tmp/g.db
    python benchmarks/api_load.py --db /tmp/g.db --clients 50 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

EVENTS = "/api/events?limit=100"
AGGREGATES = [
    "/api/aggregate?by=week&group=event_type",
    "/api/aggregate?by=month&group=country",
    "/api/aggregate?by=month&group=source&group=target&measure=goldstein",
    "/api/aggregate?by=year&group=none&measure=fatalities",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen:
    code = "from eventwire.cli import main; main()"
    cmd = [sys.executable, "-c", code, "serve", "--db", db, "--port", str(port), "--token", "load-test",
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode()[-500:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer /api/health within 60 s")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def first_cursors(port: int, pages: int = 20) -> list[str | None]:
    """Cursors of the first pages, so clients read different pages rather than one cached answer."""
    cursors: list[str | None] = [None]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(pages - 1):
        conn.request("GET", EVENTS + (f"&cursor={cursors[-1]}" if cursors[-1] else ""))
        body = json.loads(conn.getresponse().read())
        if not body.get("next_cursor"):
            break
        cursors.append(body["next_cursor"])
    return cursors


def cold_latency(port: int) -> dict[str, float]:
    """One client, each aggregate query once before the load: the answer is computed, not cached."""
    out = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in AGGREGATES:
        t0 = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        out[path] = round((time.perf_counter() - t0) * 1000, 1)
    return out


def vary(path: str, rng: random.Random) -> str:
    """The path with a random start date (2017-01-01 + 0..899 days), so the answer is seldom cached."""
    day = date(2017, 1, 1) + timedelta(days=rng.randrange(900))
    return f"{path}&since={day.isoformat()}"


def client(port: int, until: float, cursors: list[str | None], seed: int, results: dict, lock: threading.Lock,
           uncached: bool = False) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    mine: dict[str, list[float]] = {"events": [], "aggregate": []}
    errors = {"events": 0, "aggregate": 0}
    turn = seed % 2
    while time.monotonic() < until:
        kind = "events" if turn == 0 else "aggregate"
        turn ^= 1
        if kind == "events":
            cursor = rng.choice(cursors)
            path = EVENTS + (f"&cursor={cursor}" if cursor else "")
        else:
            path = rng.choice(AGGREGATES)
        if uncached:
            path = vary(path, rng)
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        elapsed = (time.perf_counter() - t0) * 1000
        if ok:
            mine[kind].append(elapsed)
        else:
            errors[kind] += 1
    conn.close()
    with lock:
        for kind in mine:
            results[kind]["latencies"].extend(mine[kind])
            results[kind]["errors"] += errors[kind]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/g.db", help="database built from the Guardian corpus")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes (eventwire serve --workers)")
    parser.add_argument("--json", dest="json_out", help="also write the figures to this file")
    parser.add_argument("--uncached", action="store_true",
                        help="give every request a random start date, so answers are computed, not cached")
    args = parser.parse_args()
    if "://" not in args.db and not Path(args.db).exists():
        print(f"{args.db}: no such database; build it with: eventwire ingest "
              "../shared/eval/corpus/guardian_syria.jsonl --db /tmp/g.db", file=sys.stderr)
        return 2
    port = free_port()
    server = start_server(args.db, port, args.workers)
    try:
        cold = cold_latency(port)
        cursors = first_cursors(port)
        results = {k: {"latencies": [], "errors": 0} for k in ("events", "aggregate")}
        lock = threading.Lock()
        until = time.monotonic() + args.seconds
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(port, until, cursors, i, results, lock, args.uncached),
                                    daemon=True)
                   for i in range(args.clients)]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 30)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    report = {"uncached": args.uncached, "workers": args.workers, "clients": args.clients, "seconds": round(wall, 1), "db": args.db, "cpus": os.cpu_count(),
              "cold_aggregate_ms": cold, "endpoints": {}}  # fmt: skip
    print(f"{args.clients} clients, {wall:.1f} s, {os.cpu_count()} CPUs, {args.workers} server process(es), "
          f"database {args.db}"
          + (", random start dates (answers computed, seldom cached)" if args.uncached else ""))
    print(f"{'endpoint':<34}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for kind, label in (("events", EVENTS), ("aggregate", "/api/aggregate (4 queries)")):
        lat = results[kind]["latencies"]
        row = {"requests": len(lat) + results[kind]["errors"], "errors": results[kind]["errors"],
               "rate": round(len(lat) / wall, 1), "p50_ms": round(statistics.median(lat), 1) if lat else None,
               "p99_ms": round(percentile(lat, 0.99), 1) if lat else None}  # fmt: skip
        report["endpoints"][label] = row
        print(f"{label:<34}{row['requests']:>10}{row['errors']:>8}{row['rate']:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}")
    print("first (uncached) aggregate answers, one client: " + ", ".join(f"{v} ms" for v in cold.values()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 1 if any(r["errors"] for r in report["endpoints"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
