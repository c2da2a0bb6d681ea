"""Open-loop soak of POST /api/v1/sync: latency at fixed arrival rates, against an echo.

Many distinct logged-in subdistrict officers (one subdistrict each, so their
changes never conflict) each keep one HTTP/1.1 keep-alive connection. Every
request is one new outbox item changing all 23 answers of the FY 2570 round
from what that officer last wrote, so it merges cleanly and really writes.

Open loop: requests are scheduled at fixed intervals (1/rate) whatever the
server does, each on an officer with nothing in flight, and latency is
counted from the scheduled time; a request that waits for a free officer or
for a late generator is counted late, not left out (no coordinated
omission). Each rate runs --warmup seconds (not counted) then --duration
seconds; stepping stops after a rate with p99 > 1 s or any error.

Baseline in the same run: the same generator first drives the bare WSGI echo
(bench.echo_app:app, same gunicorn settings) at the highest rate, which shows
the generator itself can keep that schedule on this machine. Each sync step
is printed with p99 / echo p99 and held / echo held (held: done/s over the
target). The generator runs at nice -10 when it may, gunicorn at the nice it
was started with, and lag99 says how late the generator itself was. At the
end every subdistrict's stored answers are checked against what its officer
was last told was saved.

Run: .venv/bin/python bench/soak.py [--rates 50,100,200,300,400] [--duration 60]
         [--warmup 5] [--users 400] [--workers 4] [--worker-class gthread] [--threads 4]
     (SQLite in a temp dir, or the database in $BENCH_DATABASE_URL, e.g.
      postgresql://postgres@127.0.0.1:5432/bench_soak; its tables are dropped
      and made again)
"""

import argparse
import asyncio
import json
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_throughput import PASSWORD, SECRET, free_port, listening  # noqa: E402
from config import sqlalchemy_url  # noqa: E402
from korch_pwa.domain.framework import framework_for  # noqa: E402  (after sys.path)

FISCAL_YEAR, ROUND_NUMBER = 2570, 1
INDICATORS = [(i.code, i.scores) for i in framework_for(FISCAL_YEAR).indicators]
# Lampang first, as in the demo; then enough subdistricts for 1000 officers
# (100 + 204 + 124 + 289 + 199 + 219 + 156 in geothai 3.2).
PROVINCES = ("52", "50", "57", "30", "40", "34", "41")
# Cheap hashes make 400 accounts in a second; a login checks whatever the hash says.
CHEAP_HASH = "pbkdf2:sha256:1000"
SYNC_PATH = "/api/v1/sync"
OUT_DIR = ROOT / "bench" / "out"
LOG_TAIL = 8
TIMEOUT = 30.0
LOGIN_CONCURRENCY = 8
# The generator's priority when the machine lets it: a saturated server runs
# some 30 threads on 2 cores, and a generator with a fair share of 1/30 falls
# seconds behind its schedule (measured: lag99 2.2 s at 100/s on PostgreSQL).
GENERATOR_NICE = -10
BASE_NICE = os.getpriority(os.PRIO_PROCESS, 0)
P99_STOP = 1.0
P99_HOLD = 0.2
LAG_WARN = 0.05
CSRF_FIELD = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_META = re.compile(rb'name="csrf-token" content="([^"]+)"')


# --- setup -------------------------------------------------------------------

def ensure_database(url):
    """Create the PostgreSQL database named in ``url`` when it is missing."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url, users):
    """Make fresh tables, the provinces needed and one officer per subdistrict.

    Return (app, subdistrict codes, FY 2570 round id); officer n is
    soakNNNN and covers codes[n] alone.
    """
    os.environ["DATABASE_URL"] = database_url
    from korch_pwa import create_app
    from korch_pwa.demo import ensure_rounds, ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.extensions import db
    from korch_pwa.org.services import load_geography, subdistricts_under

    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(database_url),
                      "PASSWORD_HASH_METHOD": CHEAP_HASH})
    with app.app_context():
        # Dropped and made again: a rerun starts from empty assessments.
        db.drop_all()
        db.create_all()
        codes = []
        for province in PROVINCES:
            if len(codes) >= users:
                break
            load_geography(province_codes={province})
            ensure_rounds(province)
            codes += [a.code for a in subdistricts_under(province)]
        if len(codes) < users:
            raise SystemExit(f"only {len(codes)} subdistricts in {PROVINCES}: use --users "
                             f"{len(codes)} or fewer")
        for n, code in enumerate(codes[:users]):
            ensure_user(username(n), f"เจ้าหน้าที่ทดสอบ {n}", "นักวิชาการพัฒนาชุมชน",
                        Role.SUBDISTRICT_OFFICER, [code], PASSWORD)
        round_id = next(r.id for r in ensure_rounds(PROVINCES[0])
                        if (r.fiscal_year, r.number) == (FISCAL_YEAR, ROUND_NUMBER))
        db.session.commit()
    return app, codes[:users], round_id


def mismatches(app, officers, round_id):
    """Return the subdistricts whose stored answers differ from what their officer was told.

    Only officers with a write acknowledged and nothing left unanswered are
    checked: every "ok" must have been stored, and nothing else.
    """
    from sqlalchemy import select

    from korch_pwa.assessment.models import Answer, Assessment
    from korch_pwa.extensions import db

    stored = {}
    with app.app_context():
        rows = db.session.execute(
            select(Assessment.subdistrict_code, Answer.indicator_code, Answer.score, Answer.note)
            .join(Answer, Answer.assessment_id == Assessment.id)
            .where(Assessment.round_id == round_id))
        for code, indicator, score, note in rows:
            stored.setdefault(code, {})[indicator] = {"score": score, "note": note}
    return [o.code for o in officers
            if o.acked and o.pending is None and stored.get(o.code) != o.last]


def username(n):
    """Return the user name of officer ``n``."""
    return f"soak{n:04d}"


def start_server(target, port, args, env, log):
    """Start gunicorn serving ``target``, its log in the file ``log``; return (process, command).

    Own launcher rather than sync_throughput.gunicorn: the worker class and
    keep-alive are options here. The log goes to a file because a failing
    step at 400/s would print thousands of tracebacks.
    """
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}",
           "--workers", str(args.workers), "--worker-class", args.worker_class,
           "--threads", str(args.threads), "--keep-alive", str(args.keep_alive),
           "--log-level", "warning", "--chdir", str(ROOT), target]
    with open(log, "wb") as out:
        # The server runs at the priority we were started with, not the generator's.
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                preexec_fn=lambda: os.setpriority(os.PRIO_PROCESS, 0, BASE_NICE))
    if listening(port, proc):
        return proc, cmd
    stop_server(proc)
    raise RuntimeError(f"gunicorn {target} did not start:\n" + log_tail(log))


def log_tail(log):
    """Return the last lines of a gunicorn log."""
    return "\n".join(Path(log).read_text(errors="replace").splitlines()[-LOG_TAIL:])


def favour_generator():
    """Raise this process's priority above the server's; return the niceness it runs at."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, GENERATOR_NICE)
    except PermissionError:
        pass  # not root: lag99 then shows how far the generator fell behind
    return os.getpriority(os.PRIO_PROCESS, 0)


def stop_server(proc):
    """Stop a gunicorn master (and so its workers)."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def connections_per_worker(port):
    """Return how many client connections each gunicorn process holds, busiest first.

    A kept-alive connection stays with the worker that accepted it, so an
    uneven spread makes some workers busier than others.
    """
    try:
        out = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(Counter(re.findall(r"pid=(\d+)", out)).values(), reverse=True)


# --- HTTP/1.1 client -----------------------------------------------------------

class Client:
    """One HTTP/1.1 keep-alive connection to 127.0.0.1 and the cookies it was given."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None
        self.cookies = {}
        self.connects = 0

    def close(self):
        """Drop the connection; the next request opens a new one."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def _ensure_open(self):
        """Open a connection unless a live one is kept; return True when it is new."""
        if self.reader is not None and not self.reader.at_eof():
            return False
        self.close()
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.connects += 1
        return True

    async def request(self, method, path, body=b"", headers=()):
        """Send one request and return (status, body), keeping the cookies."""
        kept = not await self._ensure_open()
        try:
            return await self._exchange(method, path, body, headers)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            if not kept:
                raise
        # The server closed the idle kept connection just as we sent on it:
        # send once more on a new one (a sync item is idempotent by its client
        # id). A new connection that fails is a real error.
        await self._ensure_open()
        return await self._exchange(method, path, body, headers)

    async def _exchange(self, method, path, body, headers):
        """Write the request on the open connection and read its response."""
        self.writer.write(self._head(method, path, body, headers) + body)
        await self.writer.drain()
        return await self._response()

    def _head(self, method, path, body, headers):
        """Return the request line and headers as bytes."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 f"Content-Length: {len(body)}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{name}: {value}" for name, value in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _response(self):
        """Read one response; return (status, body)."""
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        version, status = status_line.split(" ", 2)[:2]
        fields = {}
        for line in filter(None, lines):
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._keep_cookie(value)
            fields[name] = value
        body = await self._body(fields)
        # gunicorn's sync worker answers every request with Connection: close.
        if fields.get("connection", "").lower() == "close" or version == "HTTP/1.0":
            self.close()
        return int(status), body

    async def _body(self, fields):
        """Read the body by its length, its chunks, or up to the close."""
        if "content-length" in fields:
            return await self.reader.readexactly(int(fields["content-length"]))
        if fields.get("transfer-encoding", "").lower() != "chunked":
            return await self.reader.read()
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":
                    pass  # trailers
                return b"".join(parts)
            parts.append((await self.reader.readexactly(size + 2))[:-2])

    def _keep_cookie(self, header):
        """Store (or, when emptied, forget) the cookie a Set-Cookie header names."""
        name, _, value = header.split(";", 1)[0].partition("=")
        if value:
            self.cookies[name.strip()] = value.strip()
        else:
            self.cookies.pop(name.strip(), None)


async def log_in(client, name):
    """Log ``name`` in on ``client``; return the CSRF token the API wants."""
    status, page = await client.request("GET", "/login")
    found = CSRF_FIELD.search(page) or CSRF_META.search(page)
    if status != 200 or not found:
        raise RuntimeError(f"{name}: GET /login answered {status} without a CSRF token")
    form = urlencode({"username": name, "password": PASSWORD,
                      "csrf_token": found.group(1).decode()}).encode()
    status, _ = await client.request("POST", "/login", form, [
        ("Content-Type", "application/x-www-form-urlencoded")])
    if status != 302:
        raise RuntimeError(f"{name}: POST /login answered {status}, not 302")
    status, body = await client.request("GET", "/api/v1/session")
    if status != 200:
        raise RuntimeError(f"{name}: GET /api/v1/session answered {status}")
    return json.loads(body)["csrf_token"]


# --- the officers and their items ----------------------------------------------

class Officer:
    """A subdistrict officer: their connection, their subdistrict and last answers."""

    def __init__(self, client, code, round_id, token=""):
        self.client, self.code, self.round_id, self.token = client, code, round_id, token
        # What this officer last wrote, the base of their next change.
        self.last = {code: {"score": None, "note": ""} for code, _ in INDICATORS}
        # An item sent without a readable answer: sent again, as the phone's
        # outbox does, so the base never guesses whether it was stored.
        self.pending = None
        self.writes = self.acked = 0

    def item(self):
        """Return the item to send: the unanswered one again, or a new change of all answers."""
        if self.pending is None:
            self.writes += 1
            self.pending = {
                "client_id": str(uuid.uuid4()), "type": "assessment.save",
                "round_id": self.round_id, "subdistrict_code": self.code, "version": 0,
                "changes": [{"indicator": code, "mine": self._next(code, scores),
                             "base": self.last[code]} for code, scores in INDICATORS]}
        return self.pending

    def _next(self, code, scores):
        """Return a new answer: the score after the last one written, and a new note."""
        last = self.last[code]["score"]
        score = scores[(scores.index(last) + 1) % len(scores)] if last in scores else scores[0]
        return {"score": score, "note": f"บันทึกครั้งที่ {self.writes}"}

    def settle(self, result):
        """Take the server's result for the pending item; the next change starts from it."""
        if result.get("status") == "ok":
            self.last = {c["indicator"]: c["mine"] for c in self.pending["changes"]}
            self.acked += 1
        else:
            # Not written (a conflict, a refusal): start from what the server holds.
            answers = (result.get("assessment") or {}).get("answers") or {}
            self.last.update({code: {"score": a["score"], "note": a["note"]}
                              for code, a in answers.items() if code in self.last})
        self.pending = None


def sync_result(body, _item):
    """Return the item's result in a sync answer ("ok" when it was written)."""
    return json.loads(body)["results"][0]


def echo_result(body, item):
    """Return an "ok" result when the echo sent the item back unchanged."""
    return {"status": "ok" if json.loads(body)["results"][0] == item else "garbled"}


async def send(officer, read_result):
    """POST the officer's item; return the outcome ("ok" or what went wrong)."""
    item = officer.item()
    body = json.dumps({"items": [item]}, ensure_ascii=False).encode()
    status, answer = await officer.client.request("POST", SYNC_PATH, body, [
        ("Content-Type", "application/json"), ("X-CSRFToken", officer.token)])
    if status != 200:
        return f"http {status}"
    result = read_result(answer, item)
    officer.settle(result)
    return "ok" if result.get("status") == "ok" else f"item {result.get('status')}"


# --- one step at one rate ------------------------------------------------------

def percentile(ordered, p, empty):
    """Return the p-th percentile (nearest rank) of a sorted list, or ``empty``."""
    if not ordered:
        return empty
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Step:
    """What one rate gave: latencies of the counted requests and what went wrong."""

    label: str
    target: int
    duration: float
    latencies: list = field(default_factory=list)
    done: int = 0
    errors: Counter = field(default_factory=Counter)
    no_free: int = 0
    lags: list = field(default_factory=list)
    cpu: float = 0.0
    warmup_errors: int = 0
    connects: int = 0

    def pct(self, p):
        """Return the p-th percentile latency (nearest rank), in seconds."""
        return percentile(self.latencies, p, math.inf)

    @property
    def lag99(self):
        """Return how late the generator sent its requests, 99th percentile, in seconds."""
        return percentile(self.lags, 99, 0.0)

    @property
    def rate(self):
        """Return the requests per second answered "ok" within the counted window."""
        return self.done / self.duration

    @property
    def error_count(self):
        """Return how many counted requests failed in any way."""
        return sum(self.errors.values())


async def one_request(free, scheduled, read_result):
    """Send one scheduled request on the next free officer; return (scheduled, end, outcome)."""
    loop = asyncio.get_running_loop()
    try:
        # No officer free before the timeout: a timeout, never sent.
        officer = await asyncio.wait_for(free.get(), scheduled + TIMEOUT - loop.time())
    except asyncio.TimeoutError:
        return scheduled, loop.time(), "timeout waiting for a free user"
    try:
        outcome = await asyncio.wait_for(send(officer, read_result),
                                         scheduled + TIMEOUT - loop.time())
    except asyncio.TimeoutError:
        # The answer may still come: never read it as the next request's.
        officer.client.close()
        outcome = "timeout"
    except (OSError, EOFError, asyncio.LimitOverrunError) as exc:
        officer.client.close()
        outcome = f"connection {type(exc).__name__}"
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        outcome = f"bad answer {type(exc).__name__}"
    finally:
        free.put_nowait(officer)
    return scheduled, loop.time(), outcome


async def run_step(label, officers, rate, args, read_result):
    """Drive ``rate`` requests/s for warm-up + duration; return the counted Step."""
    loop = asyncio.get_running_loop()
    free = asyncio.Queue()
    for officer in officers:
        free.put_nowait(officer)
    step = Step(label, rate, args.duration)
    connects = sum(o.client.connects for o in officers)
    start = loop.time() + 0.1
    counted_from = start + args.warmup
    counted_to = counted_from + args.duration
    tasks = []
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(round(rate * (args.warmup + args.duration))):
        scheduled = start + n / rate
        # sleep(0) when late: the requests in flight must still be read.
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        if scheduled >= counted_from:
            step.lags.append(loop.time() - scheduled)
            step.no_free += free.empty()
        tasks.append(asyncio.create_task(one_request(free, scheduled, read_result)))
    outcomes = await asyncio.gather(*tasks)
    step.cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)
    step.connects = sum(o.client.connects for o in officers) - connects
    tally(step, outcomes, counted_from, counted_to)
    return step


def tally(step, outcomes, counted_from, counted_to):
    """Fill ``step`` from (scheduled, end, outcome) of every request sent.

    Counted: requests scheduled after the warm-up, errors and timeouts
    included in the latencies. Done: "ok" answers that ended in the window.
    """
    for scheduled, end, outcome in outcomes:
        if outcome == "ok" and counted_from <= end < counted_to:
            step.done += 1
        if scheduled < counted_from:
            step.warmup_errors += outcome != "ok"
            continue
        step.latencies.append(end - scheduled)
        if outcome != "ok":
            step.errors[outcome] += 1
    step.latencies.sort()
    step.lags.sort()


# --- the run -------------------------------------------------------------------

async def log_everyone_in(port, codes, round_id):
    """Open one connection per officer and log each in; return the officers."""
    gate = asyncio.Semaphore(LOGIN_CONCURRENCY)

    async def one(n, code):
        async with gate:
            client = Client(port)
            return Officer(client, code, round_id, await log_in(client, username(n)))

    return await asyncio.gather(*(one(n, code) for n, code in enumerate(codes)))


async def resend_unanswered(officers):
    """Send once more each item whose answer never came; return how many there were.

    Not measured: as the phone's outbox would, so that the stored check can
    cover every officer even after timeouts.
    """
    gate = asyncio.Semaphore(LOGIN_CONCURRENCY)
    waiting = [o for o in officers if o.pending is not None]

    async def one(officer):
        async with gate:
            try:
                await asyncio.wait_for(send(officer, sync_result), TIMEOUT)
            except (OSError, EOFError, ValueError, KeyError, IndexError):
                officer.client.close()  # still unanswered: left out of the check

    await asyncio.gather(*(one(o) for o in waiting))
    return len(waiting)


async def echo_baseline(args, env, codes, round_id):
    """Drive the bare echo at the highest rate; return (Step, gunicorn command)."""
    port = free_port()
    proc, cmd = start_server("bench.echo_app:app", port, args, env, OUT_DIR / "soak-echo.log")
    try:
        officers = [Officer(Client(port), code, round_id) for code in codes]
        # Connected beforehand, as the sync officers are by their login, so
        # that "conns" counts reconnections in both.
        await asyncio.gather(*(o.client.request("GET", "/") for o in officers))
        step = await run_step("echo", officers, max(args.rates), args, echo_result)
        for officer in officers:
            officer.client.close()
    finally:
        stop_server(proc)
    return step, cmd


async def sync_steps(args, env, codes, round_id):
    """Log everyone in, then step up the rates until p99 > 1 s or an error.

    Return (steps, officers, gunicorn command, connections per worker after login).
    """
    port = free_port()
    proc, cmd = start_server("wsgi:app", port, args, env, OUT_DIR / "soak-sync.log")
    steps = []
    try:
        started = time.perf_counter()
        officers = await log_everyone_in(port, codes, round_id)
        print(f"logged in {len(officers)} officers in {time.perf_counter() - started:.1f} s",
              flush=True)
        spread = connections_per_worker(port)
        for rate in args.rates:
            step = await run_step("sync", officers, rate, args, sync_result)
            steps.append(step)
            print(row(step, None), flush=True)
            if step.pct(99) > P99_STOP or step.error_count:
                break
        resent = await resend_unanswered(officers)
        if resent:
            print(f"sent {resent} unanswered items once more (not measured)", flush=True)
    finally:
        stop_server(proc)
    return steps, officers, cmd, spread


HEADER = (f"{'step':5} {'target':>6} {'done/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
          f"{'max':>7} {'errors':>6} {'nofree':>6} {'lag99':>6} {'gencpu':>6} {'conns':>5} "
          f"{'p99/echo':>8} {'held/echo':>9}")


def row(step, echo):
    """Return one table row; latencies in ms, ratios against the echo when given."""
    ms = [f"{step.pct(p) * 1000:7.1f}" for p in (50, 95, 99, 100)]
    ratios = ""
    if echo is not None:
        held = (step.rate / step.target) / (echo.rate / echo.target)
        ratios = f" {step.pct(99) / echo.pct(99):8.2f} {held:9.2f}"
    return (f"{step.label:5} {step.target:6d} {step.rate:7.1f} {' '.join(ms)} "
            f"{step.error_count:6d} {step.no_free:6d} {step.lag99 * 1000:6.1f} "
            f"{step.cpu:6.0%} {step.connects:5d}{ratios}")


def report(args, backend, echo, steps, cmds, spread):
    """Print the settings, the table, the warnings and the saturation point."""
    print()
    print_settings(args, backend, cmds, spread)
    print(HEADER)
    print(row(echo, None))
    for step in steps:
        print(row(step, echo))
    print_warnings(echo, steps)
    held = [s.target for s in steps if s.pct(99) <= P99_HOLD and not s.error_count]
    print(f"saturation: {max(held)}/s holds p99 <= {P99_HOLD * 1000:.0f} ms with 0 errors"
          if held else f"saturation: no rate held p99 <= {P99_HOLD * 1000:.0f} ms with 0 errors")


def print_settings(args, backend, cmds, spread):
    """Print what was run: the database, the load, gunicorn's exact settings."""
    print(f"database: {backend}; {args.users} officers, 1 item x {len(INDICATORS)} answers "
          f"per request; warm-up {args.warmup:g} s + {args.duration:g} s per rate; "
          f"timeout {TIMEOUT:g} s; generator nice {args.nice}, gunicorn nice {BASE_NICE}")
    for name, cmd in cmds:
        print(f"{name}: {shlex.join(cmd[1:])}")
    if args.worker_class == "sync" and args.threads > 1:
        print("note: gunicorn runs the gthread worker when --threads > 1, even with sync")
    if spread:
        print(f"sync connections per gunicorn process after login: {spread}")
    print(f"gunicorn logs: {OUT_DIR}/soak-echo.log, {OUT_DIR}/soak-sync.log")
    print("latencies in ms from the scheduled time; done/s = 'ok' answers ending in the "
          "window; lag99 = generator lateness p99 (ms); gencpu = generator CPU / one core; "
          "conns = connections opened; held = done/s / target")


def print_warnings(echo, steps):
    """Print the errors, and whether the generator or the machine kept up."""
    for step in [echo, *steps]:
        if step.errors or step.warmup_errors:
            print(f"{step.label} {step.target}/s errors: {dict(step.errors)}; "
                  f"in the warm-up: {step.warmup_errors}")
    if any(s.error_count or s.warmup_errors for s in steps):
        print("last lines of the sync log:\n" + log_tail(OUT_DIR / "soak-sync.log"))
    late = [f"{s.label} {s.target}/s" for s in [echo, *steps] if s.lag99 > LAG_WARN]
    if late:
        print(f"WARNING: the generator itself sent late (lag99 > {LAG_WARN * 1000:.0f} ms) in "
              f"{', '.join(late)}: the machine was short of CPU; those latencies include it")
    if echo.error_count or echo.rate < 0.97 * echo.target or echo.pct(99) > P99_HOLD:
        print(f"WARNING: the generator did not hold {echo.target}/s against the echo: "
              "sync figures at that rate say as much about the generator as the app")


def print_check(officers, wrong):
    """Print whether the database holds exactly what each officer was told was saved."""
    checked = sum(1 for o in officers if o.acked and o.pending is None)
    writes = sum(o.acked for o in officers)
    print(f"stored check: {writes} writes acknowledged; {checked - len(wrong)} of {checked} "
          f"subdistricts hold exactly their officer's last acknowledged answers"
          + (f"; DIFFERENT: {wrong[:10]}" if wrong else ""))


def parse_args():
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="50,100,200,300,400",
                        type=lambda s: sorted(int(r) for r in s.split(",")),
                        help="requests/s to step through, ascending")
    parser.add_argument("--duration", type=float, default=60, help="counted seconds per rate")
    parser.add_argument("--warmup", type=float, default=5, help="uncounted seconds per rate")
    parser.add_argument("--users", type=int, default=400, help="distinct logged-in officers")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-alive", type=int, default=30,
                        help="gunicorn's idle keep-alive seconds; above users/rate the "
                             "connections stay open between an officer's requests")
    return parser.parse_args()


def main():
    """Prepare the database, measure the echo then the sync steps, and print the table."""
    args = parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    args.nice = favour_generator()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/soak.sqlite"
        ensure_database(url)
        started = time.perf_counter()
        app, codes, round_id = prepare(url, args.users)
        print(f"prepared {len(codes)} officers in {time.perf_counter() - started:.1f} s",
              flush=True)
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET,
                   KORCH_ENV="development", RATELIMIT_ENABLED="0")
        echo, echo_cmd = asyncio.run(echo_baseline(args, env, codes, round_id))
        print(row(echo, None), flush=True)
        steps, officers, sync_cmd, spread = asyncio.run(
            sync_steps(args, env, codes, round_id))
        wrong = mismatches(app, officers, round_id)
    report(args, url.split(":", 1)[0], echo, steps,
           [("echo gunicorn", echo_cmd), ("sync gunicorn", sync_cmd)], spread)
    print_check(officers, wrong)
    return 0


if __name__ == "__main__":
    sys.exit(main())
