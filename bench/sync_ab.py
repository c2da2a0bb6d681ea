"""Server CPU and rate of POST /api/v1/sync: a git revision (A) against this checkout (B), in one run.

For a change meant to make a sync cheaper. Both syncs run under gunicorn
side by side with the one-INSERT baseline (``bench/insert_app.py``), on the
same database, each driven in turn by the same bounded load generator over
interleaved rounds, so a neighbour's burst hits all three alike. Each sync
writes its own subdistricts. It prints, per round and as medians, req/s
and server CPU per request (workers and, on PostgreSQL, the database), and
B/A: a CPU ratio under 1 says B costs less. One gthread worker is the
default: with several, how the keep-alive connections happen to split
between workers moves the rate more than most changes do (see
``sync_throughput.reconnect``); CPU per request is the figure to read.

Run: .venv/bin/python bench/sync_ab.py [--base HEAD~1] [--requests 600] [--repeat 7]
         [--workers 1] [--threads 8]
     (SQLite in a temp dir, or the database in $BENCH_DATABASE_URL)
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_throughput import (SECRET, connect, drive, free_port, gunicorn,  # noqa: E402
                                   measured_round, prepare, sync_body)

CLIENTS = 8


def checkout(base, into):
    """Check ``base`` out into the directory ``into`` (a detached git worktree)."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), base],
                   check=True, capture_output=True)


def main():
    """Measure A and B with the insert baseline and print their CPU and rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="git revision to compare with (A)")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = Path(tmp) / "base"
        checkout(args.base, base_dir)
        try:
            return measure(args, tmp, base_dir)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(base_dir)], check=False)


def measure(args, tmp, base_dir):
    """Run the three servers and print the rounds and medians."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
    codes, round_id = prepare(url, 2 * CLIENTS)
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, KORCH_ENV="development",
               RATELIMIT_ENABLED="0")
    launch = {"insert": ("bench.insert_app:app", ROOT), "A": ("wsgi:app", base_dir),
              "B": ("wsgi:app", ROOT)}
    ports = {name: free_port() for name in launch}
    servers = {name: gunicorn(target, ports[name], args.workers, args.threads, env, chdir)
               for name, (target, chdir) in launch.items()}
    try:
        clients = {name: connect(ports[name], CLIENTS, name != "insert") for name in launch}
        makers = {"insert": sync_body(codes[:CLIENTS], round_id),
                  "A": sync_body(codes[:CLIENTS], round_id),
                  "B": sync_body(codes[CLIENTS:], round_id)}
        for name in launch:
            drive(clients[name], 100, makers[name])  # warm up
        rates = {name: [] for name in launch}
        cpu = {name: [] for name in launch}
        for number in range(args.repeat):
            for name, proc in servers.items():
                rate, statuses, spent = measured_round(proc, url, clients[name],
                                                       args.requests, makers[name])
                if set(statuses) - {200, "item:ok"}:
                    raise RuntimeError(f"{name}: {statuses}")
                rates[name].append(rate)
                cpu[name].append(sum(spent))
            print(f"round {number + 1}: " + "  ".join(
                f"{name} {rates[name][-1]:.0f} req/s {cpu[name][-1]:.2f} ms"
                for name in launch), flush=True)
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait(10)
    report(url, args, rates, cpu)
    return 0


def report(url, args, rates, cpu):
    """Print the medians, each sync against insert, and B against A."""
    rate = {name: statistics.median(values) for name, values in rates.items()}
    ms = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"database: {url.split(':', 1)[0]}; A = {args.base}, B = this checkout; "
          f"{args.repeat} x {args.requests} requests of 1 item x 23 answers, {CLIENTS} clients, "
          f"gunicorn {args.workers} worker(s) x {args.threads} threads")
    for name in rates:
        print(f"{name:6} {rate[name]:7.1f} req/s  {ms[name]:.2f} ms server CPU per request "
              "(median)")
    print(f"ratio sync/insert: A {rate['A'] / rate['insert']:.2f}, "
          f"B {rate['B'] / rate['insert']:.2f}")
    by_round = sorted(b / a for a, b in zip(cpu["A"], cpu["B"]))
    print(f"B/A CPU per request = {ms['B'] / ms['A']:.3f} (by round "
          f"{[round(r, 3) for r in by_round]}); B/A rate = {rate['B'] / rate['A']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
