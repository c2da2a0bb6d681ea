"""Time every dashboard, results and report page on a whole country's data.

Generates every province (all of geothai but Bangkok) with the generator of
bench/province_report.py (about 7,256 subdistricts, 13,800 assessments,
317,000 answers, 164,000 members), then times over HTTP, through the Flask
test client logged in as the right officer (department for the country,
province officer for a province, district officer for a district):

- GET /dashboard/ (deadlines board): country, province, district
- GET /dashboard/results: country, province, district
- GET /dashboard/report/<code>/<fy>: province and district; XLSX and PDF of a province
- GET /dashboard/reports/<fy>: a province's districts

Each page prints its median ms, its ratio against a trivial page
(GET /offline through the same client, measured in the same run: the
machine is shared and noisy) and the SQL statements one request runs.
Then it compares the statement counts of a small province and a big one:
they must be equal (no query per area).

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_dash \\
        .venv/bin/python bench/country_dashboards.py
    .venv/bin/python bench/country_dashboards.py --sqlite /tmp/korch-country.sqlite

The database is a SCRATCH database: every table in it is dropped first
(--keep reuses the data already generated there).
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from bench.province_report import (FY, PASSWORD, Ids, counting, generate,  # noqa: E402
                                   make_app, reset_schema)

BIG, SMALL = "30", "52"  # Nakhon Ratchasima (most subdistricts), Lampang


def parse_args():
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default="/tmp/korch-country.sqlite",
                        help="SQLite file used when BENCH_DATABASE_URL is not set")
    parser.add_argument("--repeat", type=int, default=7, help="requests per page")
    parser.add_argument("--keep", action="store_true",
                        help="reuse the data already in the database (no generation)")
    return parser.parse_args()


def generate_country(db):
    """Generate every province's data into one database; return row counts."""
    from korch_pwa.org.models import Area
    from korch_pwa.org.services import load_geography

    load_geography()
    db.session.commit()
    provinces = list(db.session.scalars(select(Area.code).where(Area.level == "province")
                                        .order_by(Area.code)))
    ids, rng, total = Ids(), random.Random(2570), {}
    for code in provinces:
        made = generate(db, code, ids=ids, rng=rng, geography=False, username="bench_gen")
        for key, value in made.items():
            total[key] = total.get(key, 0) + value
    total["provinces"] = len(provinces)
    return total


def prepare_country(db):
    """Drop every table, generate the country and print what was made."""
    reset_schema(db)
    start = time.perf_counter()
    made = generate_country(db)
    print(f"generated the country in {time.perf_counter() - start:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in made.items()))
    if db.engine.dialect.name == "postgresql":
        # As autovacuum would soon: statistics, and the visibility map that
        # index-only scans need.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def ensure_officers(db):
    """Create the officers who look at the pages; return {label: username}."""
    from korch_pwa.demo import ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.org.models import Area

    district = db.session.scalar(select(Area.code).where(Area.parent_code == BIG)
                                 .order_by(Area.code))
    small_district = db.session.scalar(select(Area.code).where(Area.parent_code == SMALL)
                                       .order_by(Area.code))
    users = [("bench_department", Role.DEPARTMENT, []),
             (f"bench_p{BIG}", Role.PROVINCE_OFFICER, [BIG]),
             (f"bench_p{SMALL}", Role.PROVINCE_OFFICER, [SMALL]),
             (f"bench_d{district}", Role.DISTRICT_OFFICER, [district]),
             (f"bench_d{small_district}", Role.DISTRICT_OFFICER, [small_district])]
    for username, role, scopes in users:
        ensure_user(username, "ผู้ทดสอบ", "พัฒนาการ", role, scopes, PASSWORD)
    db.session.commit()
    return district, small_district


def measure(engine, client, url, repeat):
    """Return (median ms, min ms, statements of one request) for GET ``url``."""
    times, statements = [], None
    client.get(url)  # warm: templates compiled, fonts loaded
    for _ in range(repeat):
        with counting(engine) as seen:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        statements = seen[0] if statements is None else statements
    return statistics.median(times), min(times), statements


def login(app, username):
    """Return a test client logged in as ``username``."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code in (302, 303), (username, response.status_code)
    return client


def main():
    """Generate, then time."""
    args = parse_args()
    app = make_app(args, fresh=not args.keep)
    from korch_pwa.assessment.models import Answer, Assessment, Round
    from korch_pwa.committees.models import CommitteeMember
    from korch_pwa.extensions import db

    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)} "
              f"({db.engine.dialect.name})")
        if not args.keep:
            prepare_country(db)
        sizes = {name: db.session.scalar(select(func.count()).select_from(model))
                 for name, model in (("assessments", Assessment), ("answers", Answer),
                                     ("members", CommitteeMember))}
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        district, small_district = ensure_officers(db)
        round_id = db.session.scalar(select(Round.id).where(Round.fiscal_year == FY,
                                                            Round.number == 1))
        engine = db.engine
        db.session.remove()

    clients = {}

    def client_for(username):
        if username not in clients:
            clients[username] = login(app, username)
        return clients[username]

    board, results = f"/dashboard/?round={round_id}", f"/dashboard/results?fy={FY}"
    pages = [
        ("country", "bench_department", "GET /dashboard/ (deadlines)", board),
        ("country", "bench_department", "GET /dashboard/results", results),
        ("country", "bench_department", "GET /dashboard/reports/<fy> (pick)",
         f"/dashboard/reports/{FY}"),
        (f"province {BIG}", f"bench_p{BIG}", "GET /dashboard/ (deadlines)", board),
        (f"province {BIG}", f"bench_p{BIG}", "GET /dashboard/results", results),
        (f"province {BIG}", f"bench_p{BIG}", "GET report page", f"/dashboard/report/{BIG}/{FY}"),
        (f"province {BIG}", f"bench_p{BIG}", "GET report XLSX",
         f"/dashboard/report/{BIG}/{FY}/export.xlsx"),
        (f"province {BIG}", f"bench_p{BIG}", "GET report PDF",
         f"/dashboard/report/{BIG}/{FY}/export.pdf"),
        (f"province {BIG}", f"bench_p{BIG}", "GET /dashboard/reports/<fy>",
         f"/dashboard/reports/{FY}"),
        (f"district {district}", f"bench_d{district}", "GET /dashboard/ (deadlines)", board),
        (f"district {district}", f"bench_d{district}", "GET /dashboard/results", results),
        (f"district {district}", f"bench_d{district}", "GET report page",
         f"/dashboard/report/{district}/{FY}"),
    ]
    baseline_url = "/offline"
    print(f"\nHTTP, {args.repeat} requests each; ratio = median / median of GET "
          f"{baseline_url} through the same client in this run")
    print(f"  {'who':<15} {'page':<36} {'median ms':>10} {'min ms':>8} {'x base':>8} "
          f"{'SQL':>4}")
    measured = {}
    for who, username, label, url in pages:
        client = client_for(username)
        base, _low, _n = measure(engine, client, baseline_url, args.repeat)
        median, low, statements = measure(engine, client, url, args.repeat)
        measured[(who, label)] = median
        print(f"  {who:<15} {label:<36} {median:10.1f} {low:8.1f} {median / base:8.1f} "
              f"{statements:4d}", flush=True)
    print(f"  (baseline GET {baseline_url}: last median {base:.2f} ms)")
    slowest = max(measured, key=measured.get)
    board_label = "GET /dashboard/ (deadlines)"
    province, country = measured[(f"province {BIG}", board_label)], \
        measured[("country", board_label)]
    print(f"targets: slowest page {' '.join(slowest)} {measured[slowest]:.1f} ms (<= 100); "
          f"province board {province:.1f} ms (<= 50) = {province / country:.2f}x the "
          f"national board (<= 1)")

    print(f"\nSQL statements, small province {SMALL} vs big {BIG} "
          f"(and their first districts):")
    same = True
    for label, small_user, big_user, small_url, big_url in (
            ("province board", f"bench_p{SMALL}", f"bench_p{BIG}", board, board),
            ("province results", f"bench_p{SMALL}", f"bench_p{BIG}", results, results),
            ("province report page", f"bench_p{SMALL}", f"bench_p{BIG}",
             f"/dashboard/report/{SMALL}/{FY}", f"/dashboard/report/{BIG}/{FY}"),
            ("province reports list", f"bench_p{SMALL}", f"bench_p{BIG}",
             f"/dashboard/reports/{FY}", f"/dashboard/reports/{FY}"),
            ("district board", f"bench_d{small_district}", f"bench_d{district}", board,
             board),
            ("district report page", f"bench_d{small_district}", f"bench_d{district}",
             f"/dashboard/report/{small_district}/{FY}",
             f"/dashboard/report/{district}/{FY}")):
        _m, _l, small = measure(engine, client_for(small_user), small_url, 1)
        _m, _l, big = measure(engine, client_for(big_user), big_url, 1)
        same = same and small == big
        print(f"  {label:<24} {SMALL}: {small:3d}   {BIG}: {big:3d}"
              f"{'' if small == big else '   <-- grows with the areas'}")
    print("statement counts independent of the number of areas:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
