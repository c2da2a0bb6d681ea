"""Where one POST /api/v1/sync spends its time: cProfile and SQL round trips.

Runs the app in this process (Flask's test client, no HTTP server), logs in
as the bench officer of ``sync_throughput`` and sends ``--requests`` syncs
of one item of 23 changed answers, the item that bench measures. Prints the
SQL statements a request sends and the functions that cost the most, by
own time and by cumulative time. It explains the ratio ``sync_throughput``
prints; it is not a measurement of speed (the profiler slows Python down).

Run: .venv/bin/python bench/profile_sync.py [--requests 300] [--top 30] [--save FILE]
     (SQLite in a temp dir, or the database in $BENCH_DATABASE_URL)
"""

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_throughput import PASSWORD, prepare, sync_body  # noqa: E402
from config import sqlalchemy_url  # noqa: E402


def logged_in(app):
    """Return a test client logged in as the bench officer, and its API CSRF token."""
    client = app.test_client()
    page = client.get("/login").get_data()
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
    response = client.post("/login", data={"username": "bench", "password": PASSWORD,
                                           "csrf_token": token.group(1).decode()})
    assert response.status_code == 302, response.status_code
    return client, client.get("/api/v1/session").get_json()["csrf_token"]


def main():
    """Profile the sync requests and print where the time goes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--save", help="also write the profile here (for pstats or snakeviz)")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or \
        f"sqlite:///{tempfile.mkdtemp(prefix='korch-profile-')}/bench.db"
    codes, round_id = prepare(url, 1)
    from sqlalchemy import event

    from korch_pwa import create_app
    from korch_pwa.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(url)})
    client, token = logged_in(app)
    make = sync_body(codes, round_id)
    headers = {"X-CSRFToken": token}

    def send(n):
        response = client.post("/api/v1/sync", data=json.dumps(make(0, n, {})),
                               content_type="application/json", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["results"][0]["status"] == "ok", response.get_json()

    for n in range(20):  # warm: statement caches, prepared statements
        send(n)
    statements = Counter()
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        statements[" ".join(statement.split())[:90]] += 1

    event.listen(engine, "before_cursor_execute", count)
    send(20)
    event.remove(engine, "before_cursor_execute", count)
    print(f"{engine.dialect.name}: {sum(statements.values())} SQL statements in one sync "
          "(besides BEGIN and COMMIT):")
    for statement, times in statements.items():
        print(f"  {times} × {statement}")
    profile = cProfile.Profile()
    profile.enable()
    for n in range(21, 21 + args.requests):
        send(n)
    profile.disable()
    if args.save:
        profile.dump_stats(args.save)
    stats = pstats.Stats(profile).strip_dirs()
    for order in ("tottime", "cumulative"):
        print(f"\n== by {order}, {args.requests} requests")
        stats.sort_stats(order).print_stats(args.top)


if __name__ == "__main__":
    main()
