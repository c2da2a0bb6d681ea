"""Deadline-day load (bench/locustfile.py) against the production server settings.

The app runs as production does (gunicorn -c deploy/gunicorn.conf.py: gthread
workers of 4 threads) on the database in $BENCH_DATABASE_URL (PostgreSQL in
production; a temp SQLite file otherwise), with --users-list simulated people
(8 in 10 committees filling and syncing, 2 in 10 district officers reviewing
and downloading the report PDF). For each worker count and each number of
people, locust runs --duration seconds headless; the table gives requests/s,
p50/p95/p99 and failures, counted once every person has logged in (the
logins while people arrive are not counted). "Held": p99 under 500 ms and no
failure. The ratio
is the held requests/s against the first worker count's, measured in the
same run: how the server grows with workers.

Needs locust (a bench tool, not a dependency of the app):
    .venv/bin/pip install -r requirements-bench.txt
Run: BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_deadline \\
     .venv/bin/python bench/deadline_day.py [--workers-list 2,4] [--users-list 50,100,200,400]
         [--duration 60] [--warmup 20]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.soak import (INDICATORS, OUT_DIR, PASSWORD, ensure_database, prepare,  # noqa: E402
                        username)
from bench.sync_throughput import SECRET, free_port, listening, worker_rss_mb  # noqa: E402

P99_HELD_MS = 500
LAMPANG_DISTRICTS = 13


def add_officers(app):
    """Make one district officer for each district of Lampang; return [(username, district)]."""
    from korch_pwa.demo import ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.extensions import db

    officers = []
    with app.app_context():
        for n in range(1, LAMPANG_DISTRICTS + 1):
            district = f"52{n:02d}"
            name = f"district{district}"
            ensure_user(name, f"พัฒนาการอำเภอ {district}", "พัฒนาการอำเภอ",
                        Role.DISTRICT_OFFICER, [district], PASSWORD)
            officers.append((name, district))
        db.session.commit()
    return officers


def start(port, workers, env, log):
    """Start gunicorn with the production settings file; return the process."""
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
           "wsgi:app"]
    run_env = dict(env, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers))
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=run_env, stdout=out, stderr=subprocess.STDOUT)
    if not listening(port, proc):
        raise RuntimeError(f"gunicorn did not start; see {log}")
    return proc


def run_locust(port, users, args, plan, prefix, duration=None):
    """Run one locust step; return the aggregated row of its stats."""
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{duration or args.duration}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         # Counted once everyone is in: the morning's logins are not the deadline's load.
         "--reset-stats",
         "--loglevel", "ERROR"],
        env=dict(os.environ, DEADLINE_PLAN=str(plan)), check=False,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers-list", default="2,4")
    parser.add_argument("--users-list", default="50,100,200,400")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--spawn-rate", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=20,
                        help="seconds of load, not counted, after each server start")
    args = parser.parse_args()
    workers_list = [int(w) for w in args.workers_list.split(",")]
    users_list = [int(u) for u in args.users_list.split(",")]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/deadline.sqlite"
        ensure_database(url)
        app, codes, round_id = prepare(url, max(users_list))
        officers = add_officers(app)
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps({
            "members": [[username(n), code] for n, code in enumerate(codes)],
            "officers": officers, "round": round_id, "year": 2570, "password": PASSWORD,
            "indicators": [[code, list(scores)] for code, scores in INDICATORS]}))
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, KORCH_ENV="development",
                   RATELIMIT_ENABLED="0", PROMETHEUS_MULTIPROC_DIR=f"{tmp}/metrics")
        print(f"database {url.split(':', 1)[0]}, {len(codes)} committees, {len(officers)} "
              f"district officers, {args.duration} s a step")
        print(f"{'workers':>7} {'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} "
              f"{'fail':>5} {'sync p99':>8} {'pdf p99':>7}  held")
        best = {}
        for workers in workers_list:
            port = free_port()
            proc = start(port, workers, env, OUT_DIR / f"deadline-w{workers}.log")
            try:
                # A server on a deadline day has run for hours: every worker has
                # compiled its templates and filled its connection pool. The
                # first seconds after a start measure the start, not the day.
                if args.warmup:
                    run_locust(port, users_list[0], args, plan,
                               OUT_DIR / f"deadline-w{workers}-warmup", duration=args.warmup)
                for users in users_list:
                    rows = run_locust(port, users, args, plan,
                                      OUT_DIR / f"deadline-w{workers}-u{users}")
                    total = rows["Aggregated"]
                    p99 = float(total["99%"])
                    fails = int(total["Failure Count"])
                    rps = float(total["Requests/s"])
                    held = p99 < P99_HELD_MS and fails == 0
                    sync = rows.get("/api/v1/sync", {}).get("99%", "-")
                    pdf = rows.get("/dashboard/report/<district>/<year>/export.pdf",
                                   {}).get("99%", "-")
                    print(f"{workers:7d} {users:5d} {rps:7.1f} {total['50%']:>6} "
                          f"{total['95%']:>6} {p99:6.0f} {fails:5d} {sync:>8} {pdf:>7}  "
                          f"{'yes' if held else 'no'}", flush=True)
                    slowest = sorted(((float(row["99%"]), name) for name, row in rows.items()
                                      if name != "Aggregated"), reverse=True)[:4]
                    print("        p99 by request: " + ", ".join(
                        f"{name} {ms:.0f}" for ms, name in slowest), flush=True)
                    # Every kind of request has run in every worker by now (PDFs too).
                    memory = worker_rss_mb(proc.pid)
                    print("        worker memory: " + ", ".join(
                        f"{rss:.0f} MB ({private:.0f} private)" for rss, private in memory),
                        flush=True)
                    if held:
                        best[workers] = max(best.get(workers, (0, 0)), (rps, users))
                    elif p99 > 5000:
                        break  # more people would only be worse
            finally:
                proc.terminate()
                proc.wait(30)
        first = best.get(workers_list[0], (0, 0))[0]
        for workers in workers_list:
            rps, users = best.get(workers, (0, 0))
            ratio = f"{rps / first:.2f}x" if first else "-"
            print(f"highest held with {workers} workers: {rps:.1f} req/s ({users} people), "
                  f"{ratio} the {workers_list[0]}-worker figure")


if __name__ == "__main__":
    main()
