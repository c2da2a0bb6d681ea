"""Requests/s of POST /api/v1/sync against baselines measured in the same run.

Four servers run under gunicorn with the same worker settings on 127.0.0.1
and are driven by the same bounded load generator (a fixed number of
requests from a fixed number of keep-alive client threads):

- echo: a bare WSGI JSON echo (what gunicorn and the generator cost);
- flask: a bare Flask JSON echo (what the framework costs);
- insert: a Flask endpoint doing one durable INSERT of the body and nothing
  else (``bench/insert_app.py``), on the same database with the same
  durability (SQLite ``synchronous = FULL``);
- sync: the app's POST /api/v1/sync.

Each sync request carries ``--items`` new outbox items (new client ids, so no
receipt replay), each changing ``--changes`` indicators (23: the whole form)
from the values the previous request left, so every item merges and writes.
Target (issue 9): sync / insert >= 0.5 for one item of 23 answers, on SQLite
and on PostgreSQL; and a batch of 10 items clearly cheaper than 10 requests.

Run: .venv/bin/python bench/sync_throughput.py [--requests 2000] [--concurrency 8]
         [--items 1] [--changes 23]
     (SQLite in a temp dir, or the database in $BENCH_DATABASE_URL)
"""

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-123456"

from config import sqlalchemy_url  # noqa: E402  (after sys.path)
from korch_pwa.domain.framework import framework_for  # noqa: E402
SECRET = "bench-secret"


def free_port():
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url, clients):
    """Create the tables, Lampang, the FY 2570 rounds and one officer per client thread."""
    os.environ["DATABASE_URL"] = database_url
    from korch_pwa import create_app
    from korch_pwa.demo import ensure_rounds, ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.extensions import db
    from korch_pwa.org.services import load_geography, subdistricts_under

    from bench.insert_app import metadata as insert_tables

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url)})
    with app.app_context():
        db.create_all()
        # The insert baseline's table too, before its workers start: two of
        # them creating it at once on SQLite fail to boot ("already exists"),
        # and gunicorn then stops, refusing every request of that round.
        insert_tables.create_all(db.engine)
        load_geography(province_codes={"52"})
        codes = [a.code for a in subdistricts_under("52")][:clients]
        ensure_user("bench", "bench", "", Role.SUBDISTRICT_OFFICER, codes, PASSWORD)
        round_id = ensure_rounds("52")[2].id
        db.session.commit()
    return codes, round_id


def gunicorn(target, port, workers, threads, env, chdir=ROOT):
    """Start gunicorn serving ``target`` (from the checkout ``chdir``); wait until it accepts."""
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
           "--log-level", "warning", "--chdir", str(chdir), target]
    proc = subprocess.Popen(cmd, env=env)
    if listening(port, proc):
        return proc
    proc.terminate()
    raise RuntimeError(f"gunicorn {target} did not start")


def listening(port, proc, seconds=30):
    """Wait until 127.0.0.1:``port`` accepts connections; False if ``proc`` ends or time runs out."""
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


class Session:
    """A logged-in keep-alive connection to the app."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method, path, body=None, headers=None):
        """Send one request, keeping the session cookie; return (status, body)."""
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed the keep-alive connection: open a new one.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def login(self):
        """Log in as the bench officer and return a CSRF token for the API."""
        _, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(rb'name="csrf-token" content="([^"]+)"', page)
        form = urlencode({"username": "bench", "password": PASSWORD,
                          "csrf_token": token.group(1).decode()})
        status, _ = self.request("POST", "/login", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, f"login failed: {status}"
        status, body = self.request("GET", "/api/v1/session")
        assert status == 200, f"session failed: {status}"
        return json.loads(body)["csrf_token"]


def worker_rss_mb(master_pid):
    """Return (RSS, private) memory of each gunicorn worker of ``master_pid``, in MB.

    Private (Private_Clean + Private_Dirty of smaps_rollup) is what the worker
    alone holds: what another worker would add on the same host.
    """
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        fields = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) / 1024
        sizes.append((fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]))
    return sizes


def cpu_seconds(pids):
    """Return the CPU time (user + system) the processes ``pids`` have used, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def server_pids(master_pid, database_url):
    """Return the processes whose CPU a request costs: (the workers, the database's)."""
    workers = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    database = []
    if database_url.startswith("postgresql"):
        # Every PostgreSQL process: the backends serving the workers, and the
        # WAL writer and checkpointer that a commit puts to work.
        database = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True,
                                  text=True).stdout.split()
    return workers, database


def connect(port, concurrency, login):
    """Open one client session per thread (logged in once: login is rate-limited)."""
    sessions = []
    for index in range(concurrency):
        session = Session(port)
        sessions.append((index, session, session.login() if login else ""))
    return sessions


def reconnect(sessions):
    """Open each session's connection afresh, so the workers share them out again.

    Each worker of a server takes the keep-alive connections it happens to
    accept, and keeps them: with 8 clients on 2 workers a 6/2 split leaves
    one worker's GIL the bottleneck for the whole round. Kept across rounds,
    one unlucky split moved a server's rate by up to 38% (the same code measured
    against itself); drawn again each round, the median evens it out.
    """
    for _, session, _ in sessions:
        session.conn.close()
        session.conn.connect()


def measured_round(proc, database_url, sessions, count, make_body):
    """Drive one round at the server ``proc`` on fresh connections.

    Return (req/s, statuses, (its workers', the database's) CPU ms per request).
    """
    reconnect(sessions)
    workers, database = server_pids(proc.pid, database_url)
    used = cpu_seconds(workers), cpu_seconds(database)
    rate, statuses = drive(sessions, count, make_body)
    spent = tuple((cpu_seconds(pids) - before) / count * 1000
                  for pids, before in zip((workers, database), used))
    return rate, statuses, spent


def drive(sessions, count, make_body):
    """Send ``count`` POSTs spread over the client sessions; return (req/s, statuses)."""
    statuses = {}
    lock = threading.Lock()
    concurrency = len(sessions)
    per = count // concurrency

    def work(index, session, token):
        state = {}
        for n in range(per):
            body = json.dumps(make_body(index, n, state)).encode()
            status, answer = session.request("POST", "/api/v1/sync", body, {
                "Content-Type": "application/json", "X-CSRFToken": token})
            # Count what happened to each item too: "ok" means it was written.
            kinds = [r.get("status") for r in json.loads(answer).get("results", [])
                     if isinstance(r, dict)] if status == 200 else []
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                for kind in kinds:
                    key = f"item:{kind}"
                    statuses[key] = statuses.get(key, 0) + 1

    threads = [threading.Thread(target=work, args=s) for s in sessions]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return per * concurrency / elapsed, statuses


def sync_body(codes, round_id, per_request=1, changes=23):
    """Return a maker of batches: new items each request, each a real change.

    Every item changes the first ``changes`` indicators from the values the
    previous item of this client left (its base), so every item merges and
    writes; the items of one batch follow one another the same way.
    """
    indicators = [i.code for i in framework_for(2570).indicators][:changes]
    states = {}

    def make(index, n, _state):
        # The base is what this client last wrote, across warm-up and measurement.
        state = states.setdefault(index, {})
        items = []
        for _ in range(per_request):
            score = (state.get("n", 0) + 1) % 4
            state["n"] = state.get("n", 0) + 1
            items.append({"client_id": str(uuid.uuid4()), "type": "assessment.save",
                          "round_id": round_id, "subdistrict_code": codes[index],
                          "version": 0,
                          "changes": [{"indicator": code, "mine": {"score": score, "note": ""},
                                       "base": {"score": state.get(code), "note": ""}}
                                      for code in indicators]})
            state.update(dict.fromkeys(indicators, score))
        return {"items": items}

    return make


def main():
    """Measure both servers and print requests/s and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--items", type=int, default=1, help="outbox items per request")
    parser.add_argument("--changes", type=int, default=23, help="answers changed per item")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds per server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
        codes, round_id = prepare(url, args.concurrency)
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET,
                   KORCH_ENV="development", RATELIMIT_ENABLED="0")
        targets = {"echo": "bench.echo_app:app", "flask": "bench.echo_app:flask_app",
                   "insert": "bench.insert_app:app", "sync": "wsgi:app"}
        ports = {name: free_port() for name in targets}
        servers = [gunicorn(target, ports[name], args.workers, args.threads, env)
                   for name, target in targets.items()]
        try:
            clients = {name: connect(ports[name], args.concurrency, name == "sync")
                       for name in targets}
            # Each server gets its own batches, so the app's bases follow its own writes.
            makers = {name: sync_body(codes, round_id, args.items, args.changes)
                      for name in targets}
            for name, sessions in clients.items():
                drive(sessions, 100, makers[name])  # warm up
            # Interleaved rounds, so a neighbour's burst of load hits every server alike.
            rates = {name: [] for name in targets}
            cpu = {name: [] for name in targets}
            database_cpu = {name: [] for name in targets}
            statuses = {}
            for _ in range(args.repeat):
                for name, proc in zip(targets, servers):
                    rate, status, spent = measured_round(proc, url, clients[name],
                                                         args.requests, makers[name])
                    cpu[name].append(sum(spent))
                    database_cpu[name].append(spent[1])
                    rates[name].append(rate)
                    statuses[name] = status
            # After the load: what each worker holds once it has served it.
            memory = {name: worker_rss_mb(proc.pid) for name, proc in zip(targets, servers)}
        finally:
            for proc in servers:
                proc.terminate()
                proc.wait(10)
    report(url, args, rates, statuses)
    report_cpu(cpu, database_cpu)
    report_memory(memory)
    return 0


def report_cpu(cpu, database_cpu):
    """Print the server-side CPU each request cost, and sync's against insert's.

    Throughput on a shared machine moves with the neighbours' load; the CPU
    a request costs the server (its worker, and on PostgreSQL the database's
    processes) moves much less, so it shows a change that the rates hide.
    """
    median = {name: sorted(values)[len(values) // 2] for name, values in cpu.items()}
    for name, value in median.items():
        # The database's share, so a change can be told apart from its queries' cost.
        database = sorted(database_cpu[name])[len(database_cpu[name]) // 2]
        print(f"{name:6} {value:6.2f} ms server CPU per request, {database:.2f} of it "
              f"the database's (median; all {[round(v, 2) for v in cpu[name]]})")
    print(f"CPU per request insert/sync = {median['insert'] / median['sync']:.2f} "
          "(the throughput ratio the CPU alone allows)")


def report_memory(memory):
    """Print each server's worker memory after the load, and the app's against the echo's."""
    for name, sizes in memory.items():
        print(f"{name:6} worker RSS after load: "
              f"{', '.join(f'{rss:.1f} ({private:.1f} private)' for rss, private in sizes)} MB")
    app, echo = max(memory["sync"]), max(memory["echo"])
    print(f"app worker RSS {app[0]:.1f} MB = {app[0] / echo[0]:.1f} x an echo worker "
          f"(target <= 120 MB: {'OK' if app[0] <= 120 else 'OVER'}); "
          f"private {app[1]:.1f} MB = {app[1] / echo[1]:.1f} x")


def report(url, args, rates, statuses):
    """Print each server's median rate and the ratios the issue asks for."""
    backend = url.split(":", 1)[0]
    print(f"database: {backend}; {args.repeat} x {args.requests} requests of "
          f"{args.items} item(s) x {args.changes} answers, {args.concurrency} clients, "
          f"gunicorn {args.workers} workers x {args.threads} threads")
    median = {name: sorted(values)[len(values) // 2] for name, values in rates.items()}
    for name, rate in median.items():
        print(f"{name:6} {rate:8.1f} req/s (median; all {[round(r) for r in rates[name]]})"
              f"  statuses {statuses[name]}")
    print(f"sync items/s {median['sync'] * args.items:.1f}")
    print(f"ratio sync/echo   = {median['sync'] / median['echo']:.2f}")
    print(f"ratio sync/flask  = {median['sync'] / median['flask']:.2f}")
    ratio = median["sync"] / median["insert"]
    print(f"ratio sync/insert = {ratio:.2f} (target >= 0.5: {'OK' if ratio >= 0.5 else 'UNDER'})")
    # The same ratio taken round by round: each pair ran back to back.
    rounds = sorted(s / i for s, i in zip(rates["sync"], rates["insert"]))
    print(f"ratio sync/insert by round = {[round(r, 2) for r in rounds]}, "
          f"median {rounds[len(rounds) // 2]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
