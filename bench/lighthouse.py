"""Lighthouse (mobile, simulated slow 4G) on the login page, the member's form,
the review page and the province dashboard, served by gunicorn on the demo.

Targets (issue 8, item 17): performance >= 95, accessibility 100, best
practices 100 on each page. Prints the median score of each category over
``--runs`` runs, the failing audits of any category below its target, and
each page's performance against a trivial baseline page (``/offline``)
measured by the same Lighthouse, Chromium and gunicorn in the same run.

Node is a bench tool only: Lighthouse lives in bench/lighthouse/node_modules
(pinned in bench/lighthouse/package.json, installed on first run with npm);
the product and its tests never need it. Chromium is Debian's
/usr/bin/chromium (or $CHROME_PATH).

Run: .venv/bin/python bench/lighthouse.py [--runs 3] [--only login,form]
     (SQLite in a temp dir; JSON reports are kept in bench/out/lighthouse/)
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_throughput import free_port, gunicorn  # noqa: E402  (after sys.path)

TOOL_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
OUT_DIR = ROOT / "bench" / "out" / "lighthouse"
PASSWORD = "bench-lh-123456"
SECRET = "bench-secret"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
LH_TIMEOUT = 240  # seconds for one Lighthouse run (it waits up to 45 s for load itself)
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")


class BenchError(Exception):
    """A missing tool or a step that failed: printed, exit status 2."""


# ---------------------------------------------------------------- tools

def check_tools():
    """Return (chrome path, node version); install Lighthouse if missing."""
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(chrome) and os.access(chrome, os.X_OK)):
        raise BenchError(f"Chromium not found at {chrome} (apt-get install chromium, "
                         "or set CHROME_PATH)")
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise BenchError("node and npm are needed for this bench only "
                         "(apt-get install nodejs npm; Node >= 18.20)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True,
                             timeout=30).stdout.strip()
    major = int(re.match(r"v(\d+)", version).group(1)) if version.startswith("v") else 0
    if major < 18:
        raise BenchError(f"Lighthouse 12 needs Node >= 18.20, found {version}")
    if not LIGHTHOUSE.exists():
        # Not `npm ci`: a dependency of Lighthouse asks for the dist-tag "latest"
        # (@paulirish/trace_engine -> third-party-web), which `npm ci` refuses
        # as out of sync with the lock file whenever that tag moves.
        cmd = [npm, "install", "--no-audit", "--no-fund"]
        print(f"installing Lighthouse into {TOOL_DIR}/node_modules: {' '.join(cmd[1:])}",
              flush=True)
        done = subprocess.run(cmd, cwd=TOOL_DIR, capture_output=True, text=True, timeout=600)
        if done.returncode or not LIGHTHOUSE.exists():
            raise BenchError(f"npm failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return chrome, version


def lighthouse_version():
    """Return the installed Lighthouse version."""
    return json.loads((TOOL_DIR / "node_modules" / "lighthouse" / "package.json")
                      .read_text())["version"]


def chrome_version(chrome):
    """Return Chromium's version line (the Debian wrapper's shell noise dropped)."""
    done = subprocess.run([chrome, "--version"], capture_output=True, text=True, timeout=60)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "?"


# ---------------------------------------------------------------- data and server

def flask(env, *args):
    """Run one ``flask`` command of the app on the scratch database; return its stdout."""
    cmd = [str(ROOT / ".venv" / "bin" / "flask"), *args]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise BenchError(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def load_demo(env):
    """Build the schema and load Lampang and its demo users, as the README does."""
    flask(env, "db", "upgrade")
    flask(env, "geo", "load", "--province", "52")
    flask(env, "demo", "load", "--password", PASSWORD)


def submitted_assessment(database_url):
    """Return the id of a submitted assessment of this round in district 5201.

    The demo submits one (subdistrict 520103); if a later demo does not, submit
    member3's (520102) through the app's services, so that the member's own
    subdistrict (520101) keeps an editable form for the form page.
    """
    os.environ.update(DATABASE_URL=database_url, KORCH_ENV="development", SECRET_KEY=SECRET)
    from sqlalchemy import select

    from korch_pwa import clock, create_app
    from korch_pwa.assessment import services
    from korch_pwa.assessment.models import Assessment
    from korch_pwa.auth.models import User
    from korch_pwa.demo import _fill
    from korch_pwa.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        rnd = services.current_round(clock.today())
        if rnd is None:
            raise BenchError("no current round in the demo data")
        found = db.session.scalar(select(Assessment).where(
            Assessment.round_id == rnd.id, Assessment.status == "submitted",
            Assessment.subdistrict_code.like("5201%")))
        if found is None:
            actor = db.session.scalar(select(User).where(User.username == "tambon"))
            found = _fill(rnd, "520102", actor, 3)
            services.submit(found, actor)
            db.session.commit()
        return str(found.id), found.subdistrict_code
    # (the app object is dropped; gunicorn serves its own)


class Client:
    """A cookie-keeping HTTP client for logging in and finding the pages."""

    def __init__(self, base):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        """GET ``path`` (following redirects); return (final path, body text)."""
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.geturl()[len(self.base):], response.read().decode()

    def login(self, username):
        """Log in through the form (CSRF token from the page); return the Cookie header."""
        _, page = self.get("/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
            re.search(r'name="csrf-token" content="([^"]+)"', page)
        if token is None:
            raise BenchError("no csrf_token on /login")
        body = urlencode({"username": username, "password": PASSWORD,
                          "csrf_token": token.group(1)}).encode()
        request = urllib.request.Request(self.base + "/login", data=body, method="POST")
        with self.opener.open(request, timeout=60) as response:
            landed = response.geturl()[len(self.base):]
        if landed.startswith("/login"):
            raise BenchError(f"login as {username} failed")
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def pages(base, review_id):
    """Return [(name, path, cookie or None)]: the four pages and how to reach them."""
    member = Client(base)
    member_cookie = member.login("member")
    form_path, _ = member.get("/assessment/")
    if not re.match(r"/assessment/\d+/\d+$", form_path):
        raise BenchError(f"/assessment/ did not lead to a form: {form_path}")
    district = Client(base)
    district_cookie = district.login("district")
    province = Client(base)
    province_cookie = province.login("province")
    for client, path in ((district, f"/review/{review_id}"), (province, "/dashboard/")):
        client.get(path)  # fails loudly (HTTPError) if the page does not answer 200
    return [("login", "/login", None),
            ("form", form_path, member_cookie),
            ("review", f"/review/{review_id}", district_cookie),
            ("dashboard", "/dashboard/", province_cookie)]


# ---------------------------------------------------------------- lighthouse

def run_lighthouse(url, cookie, chrome, out_path, workdir, extra=()):
    """Run Lighthouse once on ``url``; return its JSON report (a dict)."""
    cmd = [str(LIGHTHOUSE), url, "--form-factor=mobile", "--screenEmulation.mobile",
           "--throttling-method=simulate",
           "--only-categories=" + ",".join(CATEGORIES),
           "--output=json", f"--output-path={out_path}", "--quiet",
           f"--chrome-flags={CHROME_FLAGS}", *extra]
    if cookie:
        headers = Path(workdir) / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        cmd.append(f"--extra-headers={headers}")
    env = dict(os.environ, CHROME_PATH=chrome)
    # Own process group, so that a timeout also ends the Chromium it started.
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=LH_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise BenchError(f"Lighthouse took more than {LH_TIMEOUT} s on {url}")
    if proc.returncode or not Path(out_path).exists():
        raise BenchError(f"Lighthouse failed on {url} ({proc.returncode}):\n{err[-2000:]}")
    report = json.loads(Path(out_path).read_text())
    if report.get("runtimeError"):
        raise BenchError(f"Lighthouse runtime error on {url}: {report['runtimeError']}")
    if report.get("finalDisplayedUrl", url).split("?")[0] != url.split("?")[0]:
        # A logged-in page that redirected to /login measured the wrong page.
        raise BenchError(f"{url} ended at {report.get('finalDisplayedUrl')}")
    return report


def scores(report):
    """Return category -> score (0-100) and metric -> numeric value (ms, or CLS)."""
    cats = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    metrics = {m: report["audits"][m].get("numericValue") for m in METRICS}
    return cats, metrics


def _item_text(item):
    """Return a short description of one audit detail item."""
    parts = []
    if isinstance(item.get("cause"), str):
        # A sub-item: why the element above shifted (a web font, an unsized image...).
        extra = item.get("extra") if isinstance(item.get("extra"), dict) else {}
        return f"  ↳ cause: {item['cause']} {extra.get('value', '')}".rstrip()
    node = item.get("node") if isinstance(item.get("node"), dict) else None
    if node and node.get("type") == "text":
        return ""  # a "Total" row
    if node:
        parts.append(node.get("selector") or node.get("nodeLabel") or "")
        if node.get("snippet"):
            parts.append(node["snippet"][:160])
        if node.get("explanation"):
            parts.append(node["explanation"].replace("\n", " ")[:300])
    for key in ("source", "description", "url", "label", "reason", "value", "text"):
        value = item.get(key)
        if isinstance(value, str) and value:
            parts.append(f"{key}={value[:200]}")
        elif isinstance(value, dict) and value.get("url"):
            parts.append(f"{key}={value['url']}")
    location = item.get("sourceLocation")
    if isinstance(location, dict) and location.get("url"):
        parts.append(f"at {location['url']}:{location.get('line', '?')}")
    for key in ("phase", "percent"):
        if isinstance(item.get(key), str):
            parts.append(f"{key}={item[key]}")
    for key in ("wastedMs", "wastedBytes", "totalBytes", "duration", "timing", "score"):
        if isinstance(item.get(key), (int, float)) and item[key]:
            parts.append(f"{key}={item[key]:.3f}" if key == "score" else f"{key}={item[key]:.0f}")
    return " | ".join(p for p in parts if p)


def _items(details):
    """Yield the flat list of items of an audit's details (lists and tables nested)."""
    if not isinstance(details, dict):
        return
    if details.get("type") == "list-section":
        yield from _items(details.get("value"))
        return
    if details.get("type") == "network-tree":
        # The request chains, flattened: each request and when it finished.
        def walk(chains, depth):
            for chain in chains.values():
                yield {"label": "  " * depth + chain["url"],
                       "duration": chain.get("navStartToEndTime")}
                yield from walk(chain.get("children", {}), depth + 1)
        yield from walk(details.get("chains", {}), 0)
        return
    if details.get("type") == "list":
        for sub in details.get("items", []):
            yield from _items(sub)
        return
    for item in details.get("items", []) or []:
        if isinstance(item, dict):
            yield item
            sub = item.get("subItems")
            if isinstance(sub, dict):
                yield from (s for s in sub.get("items", []) if isinstance(s, dict))


def failing_audits(report, category, limit=8):
    """Return [(audit id, title, display value, [detail lines])] below a full score."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        mode = audit.get("scoreDisplayMode")
        if mode in ("informative", "notApplicable", "manual", "error") or audit["score"] is None:
            continue
        if audit["score"] >= 1:
            continue
        lines = [t for t in (_item_text(i) for i in _items(audit.get("details"))) if t]
        found.append((audit["id"], audit["title"], audit.get("displayValue", ""),
                      audit["score"], lines[:limit], len(lines)))
    return found


# ---------------------------------------------------------------- main

def measure(name, url, cookie, runs, chrome, workdir, extra=()):
    """Run Lighthouse ``runs`` times; return (median scores, median metrics, reports)."""
    reports = []
    for n in range(runs):
        started = time.time()
        out = OUT_DIR / f"{name}-{n + 1}.report.json"
        report = run_lighthouse(url, cookie, chrome, out, workdir, extra)
        cats, _ = scores(report)
        print(f"  {name} run {n + 1}/{runs}: "
              + "  ".join(f"{c} {cats[c]}" for c in CATEGORIES)
              + f"  ({time.time() - started:.0f} s)", flush=True)
        reports.append(report)
    per_run = [scores(r) for r in reports]
    median_cats = {c: statistics.median(s[0][c] for s in per_run) for c in CATEGORIES}
    median_metrics = {m: statistics.median(s[1][m] or 0 for s in per_run) for m in METRICS}
    return median_cats, median_metrics, reports


def print_failures(name, cats, reports):
    """Print the failing audits of each category below its target, over all runs."""
    for category in CATEGORIES:
        if cats[category] >= TARGETS[category]:
            continue
        print(f"\n{name} / {category}: {cats[category]:g} (target {TARGETS[category]})")
        seen = {}
        for report in reports:
            for audit_id, title, display, score, lines, total in failing_audits(report, category):
                entry = seen.setdefault(audit_id, [title, display, score, lines, total, 0])
                entry[5] += 1
        if category == "performance":
            # Informative, but it says what to make paint sooner.
            lcp = reports[0]["audits"]["largest-contentful-paint-element"]
            lines = [t for t in (_item_text(i) for i in _items(lcp.get("details"))) if t]
            seen["largest-contentful-paint-element"] = [
                lcp["title"] + " (informative, run 1)", lcp.get("displayValue", ""), 1.0,
                lines, len(lines), len(reports)]
        if not seen:
            print("  (no single failing audit: the score is the weighted metrics)")
        for audit_id, (title, display, score, lines, total, count) in seen.items():
            extra = f" — {display}" if display else ""
            print(f"  - {audit_id} (score {score:.2f}, in {count}/{len(reports)} runs): "
                  f"{title}{extra}")
            for line in lines:
                print(f"      {line}")
            if total > len(lines):
                print(f"      … and {total - len(lines)} more")


def main():
    """Set up the demo server, run Lighthouse on each page, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--baseline-runs", type=int, default=1,
                        help="runs on the baseline page /offline")
    parser.add_argument("--only", default="", help="comma-separated: login,form,review,dashboard")
    parser.add_argument("--lh-arg", action="append", default=[],
                        help="one more Lighthouse flag, for diagnosis "
                             "(e.g. --lh-arg=--blocked-url-patterns=*.woff2)")
    args = parser.parse_args()
    started = time.time()
    chrome, node = check_tools()
    print(f"lighthouse {lighthouse_version()} · node {node} · {chrome_version(chrome)}")
    print("mobile, simulated throttling (slow 4G, 4x CPU), "
          f"median of {args.runs} run(s) per page", flush=True)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    results, server = {}, None
    with tempfile.TemporaryDirectory(prefix="korch-lh-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, KORCH_ENV="development",
                   RATELIMIT_ENABLED="0", FLASK_APP="wsgi.py", UPLOAD_DIR=f"{tmp}/uploads")
        try:
            load_demo(env)
            review_id, review_code = submitted_assessment(url)
            port = free_port()
            server = gunicorn("wsgi:app", port, 2, 4, env)
            base = f"http://127.0.0.1:{port}"
            targets = pages(base, review_id)
            if args.only:
                wanted = set(args.only.split(","))
                targets = [t for t in targets if t[0] in wanted]
            print(f"server {base} (gunicorn -w 2), demo loaded in {time.time() - started:.0f} s;"
                  f" review page: submitted assessment of {review_code}", flush=True)
            # The machine is shared and noisy (other sessions run tests and
            # browsers), so absolute scores drift between runs; a trivial page
            # measured by the same Lighthouse, Chromium and server in the same
            # run shows how much of a page's time is the page itself.
            base_cats, base_metrics, base_reports = measure("baseline", base + "/offline", None,
                                                 args.baseline_runs, chrome, tmp, args.lh_arg)
            for name, path, cookie in targets:
                results[name] = (path, *measure(name, base + path, cookie, args.runs,
                                                chrome, tmp, args.lh_arg))
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(15)
                except subprocess.TimeoutExpired:
                    server.kill()
    print_table(results, base_cats, base_metrics)
    ok = all(cats[c] >= TARGETS[c] for _, cats, _, _ in results.values() for c in CATEGORIES)
    for name, (_, cats, _, reports) in results.items():
        print_failures(name, cats, reports)
    print_failures("baseline /offline (for information; not one of the four pages)",
                   base_cats, base_reports)
    print(f"\nreports: {OUT_DIR.relative_to(ROOT)}/<page>-<run>.report.json "
          "(open in https://googlechrome.github.io/lighthouse/viewer/)")
    print(f"all targets met: {'yes' if ok else 'NO'}; took {time.time() - started:.0f} s")
    return 0 if ok else 1


def print_table(results, base_cats, base_metrics):
    """Print page x category medians, the metrics and the ratios to the baseline."""
    print()
    print(f"{'page':10} {'path':28} {'perf':>5} {'a11y':>5} {'BP':>5}   "
          f"{'FCP':>6} {'LCP':>6} {'TBT':>5} {'CLS':>5}   "
          f"{'perf/base':>9} {'LCP/base':>8} {'TBT-base':>8}")
    base_row = ("baseline", "/offline", base_cats, base_metrics)
    rows = [base_row] + [(n, p, c, m) for n, (p, c, m, _) in results.items()]
    for name, path, cats, m in rows:
        mark = name != "baseline" and any(cats[c] < TARGETS[c] for c in CATEGORIES)
        lcp_base = base_metrics["largest-contentful-paint"] or 1
        print(f"{name:10} {path[:28]:28} {cats['performance']:5g} {cats['accessibility']:5g} "
              f"{cats['best-practices']:5g}   "
              f"{m['first-contentful-paint']:5.0f}ms {m['largest-contentful-paint']:5.0f}ms "
              f"{m['total-blocking-time']:4.0f}ms {m['cumulative-layout-shift']:5.3f}   "
              f"{cats['performance'] / (base_cats['performance'] or 1):9.2f} "
              f"{m['largest-contentful-paint'] / lcp_base:8.2f} "
              f"{m['total-blocking-time'] - base_metrics['total-blocking-time']:6.0f}ms"
              f"  {'below target' if mark else ''}")
    print(f"targets: performance >= {TARGETS['performance']}, accessibility "
          f"{TARGETS['accessibility']}, best practices {TARGETS['best-practices']}. "
          "TBT is compared as a difference (the baseline's is usually 0 ms).")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
