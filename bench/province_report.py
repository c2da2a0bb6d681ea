"""Time a whole province's progress report and dashboard on generated data.

Generates every real subdistrict of one province (from geothai) with a
ศอช.ต. of ~15 members, 2-3 meetings, a ก.บ.ต. order, assessments for both
rounds of FY 2570 with all 23 answers, and Strong Subdistrict activities,
plus the district and province committees; then times the report (counts,
XLSX, PDF) and the dashboard, through the services and through HTTP, and
counts the SQL statements each one runs.

    .venv/bin/python bench/province_report.py                 # SQLite file
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/DB .venv/bin/python \\
        bench/province_report.py --province 30

The database is a SCRATCH database: every table in it is dropped first.
"""

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, select, text  # noqa: E402

PASSWORD = "bench-123456"
FY = 2570


def parse_args():
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="30",
                        help="DOPA province code (30 Nakhon Ratchasima has the most "
                             "subdistricts; 34 Ubon Ratchathani sent the seed letter)")
    parser.add_argument("--sqlite", default="/tmp/korch-bench.sqlite",
                        help="SQLite file used when BENCH_DATABASE_URL is not set")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing")
    parser.add_argument("--country", action="store_true",
                        help="also load every province's areas and time the national "
                             "dashboard (the department's view)")
    return parser.parse_args()


def make_app(args, fresh=True):
    """Return an app on the scratch database (a new SQLite file unless ``fresh`` is False)."""
    os.environ.setdefault("KORCH_ENV", "testing")
    from config import _database_url
    from korch_pwa import create_app

    if os.environ.get("BENCH_DATABASE_URL"):
        # Only this process sees it: the app's normal DATABASE_URL is never used,
        # so the bench cannot drop a real database by accident.
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        url = _database_url()
    else:
        if fresh:
            Path(args.sqlite).unlink(missing_ok=True)
        url = "sqlite:///" + args.sqlite
    # TODAY: just after round 1's due dates, when provinces chase the late ones.
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TODAY": date(2026, 12, 2),
                       "TESTING": True, "WTF_CSRF_ENABLED": False})


def reset_schema(db):
    """Drop and create every table."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.create_all()


class Ids:
    """Explicit primary keys so that rows can be bulk-inserted without RETURNING."""

    def __init__(self):
        self.next = {}

    def __call__(self, table):
        """Return the next id for ``table``."""
        self.next[table] = self.next.get(table, 0) + 1
        return self.next[table]


def at(day, hour=10):
    """Return an aware UTC timestamp for ``hour`` o'clock Bangkok time."""
    return datetime(day.year, day.month, day.day, hour,
                    tzinfo=timezone(timedelta(hours=7))).astimezone(timezone.utc)


def _committee(rows, ids, kind, area, members, meetings, order_day, user_id, rng):
    """Add one committee with a current order, its members and meetings."""
    c_id = ids("committees")
    rows["committees"].append(dict(id=c_id, kind=kind, area_code=area, created_at=at(order_day)))
    o_id = ids("orders")
    rows["orders"].append(dict(id=o_id, committee_id=c_id, number=f"{o_id}/2569",
                               order_date=order_day, term_start=order_day,
                               term_end=order_day + timedelta(days=4 * 365),
                               created_by=user_id, created_at=at(order_day)))
    for n in range(members):
        rows["members"].append(dict(id=ids("members"), order_id=o_id, title="นาย",
                                    first_name=f"สมชาย{n}", last_name=f"ใจดี{area}",
                                    position="กรรมการ", organisation="กลุ่มออมทรัพย์",
                                    phone="0800000000"))
    for _ in range(meetings):
        day = date(2026, 10, 1) + timedelta(days=rng.randrange(360))
        rows["meetings"].append(dict(id=ids("meetings"), committee_id=c_id, held_on=day,
                                     title="ประชุมประจำ", attendees=rng.randrange(8, 16),
                                     created_by=user_id, created_at=at(day)))


def _assessment(rows, ids, rnd, code, framework, user_id, rng):
    """Add a scored assessment with every answer and its submission event."""
    from korch_pwa.assessment.models import new_id
    from korch_pwa.domain.scoring import score

    answers = {i.code: rng.choice(i.scores) for i in framework.indicators}
    result = score(framework, answers)
    status = rng.choices(["approved", "submitted", "returned", "draft"], [70, 15, 5, 10])[0]
    a_id = new_id()
    sent = rnd.department_due - timedelta(days=rng.randrange(-5, 15))
    rows["assessments"].append(dict(
        id=a_id, round_id=rnd.id, subdistrict_code=code, status=status, version=3,
        framework_version=framework.version, percent=result.percent,
        level_code=result.level.code, created_at=at(sent - timedelta(days=20)),
        updated_at=at(sent), submitted_at=None if status == "draft" else at(sent)))
    for indicator, value in answers.items():
        rows["answers"].append(dict(assessment_id=a_id, indicator_code=indicator,
                                    score=value, note="", updated_at=at(sent),
                                    updated_by=user_id))
    if status != "draft":
        rows["events"].append(dict(id=ids("events"), assessment_id=a_id, action="submit",
                                   from_status="draft", to_status="submitted", version=2,
                                   actor_id=user_id, at=at(sent), comment=""))


def generate(db, province, ids=None, rng=None, geography=True, username="bench_province"):
    """Fill the scratch database with one province's data; return row counts.

    ``ids`` and ``rng`` may be shared between calls so that several provinces
    go into one database (bench/country_dashboards.py); ``geography=False``
    when the areas are already loaded.
    """
    from korch_pwa.assessment.models import Answer, Assessment, AssessmentEvent
    from korch_pwa.committees.models import (
        AppointmentOrder, Committee, CommitteeMember, Meeting, StrongSubdistrictActivity)
    from korch_pwa.demo import ensure_rounds, ensure_user
    from korch_pwa.domain.framework import framework_for
    from korch_pwa.domain.roles import Role
    from korch_pwa.org.models import Area
    from korch_pwa.org.services import load_geography

    rng = rng or random.Random(2570)
    if geography:
        load_geography(province_codes={province})
    user = ensure_user(username, "จังหวัด", "พัฒนาการจังหวัด", Role.PROVINCE_OFFICER,
                       [province], PASSWORD)
    db.session.flush()
    rounds = [r for r in ensure_rounds(province) if r.fiscal_year == FY]
    db.session.commit()
    framework = framework_for(FY)
    areas = list(db.session.scalars(select(Area).where(Area.code.startswith(province))))
    ids = ids or Ids()
    rows = {k: [] for k in ("committees", "orders", "members", "meetings", "assessments",
                            "answers", "events", "activities")}
    for area in areas:
        order_day = date(2026, 10, 1) + timedelta(days=rng.randrange(200))
        if area.level == "province":
            _committee(rows, ids, "korch", area.code, 25, 3, order_day, user.id, rng)
        elif area.level == "district":
            _committee(rows, ids, "korch", area.code, 20, rng.choice([1, 2, 3]), order_day,
                       user.id, rng)
        else:
            _committee(rows, ids, "korch", area.code, rng.randrange(13, 18),
                       rng.choice([1, 2, 2, 3]), order_day, user.id, rng)
            _committee(rows, ids, "kbt", area.code, 5, 0, order_day, user.id, rng)
            for rnd in rounds:
                if rng.random() < 0.05:  # a few committees have not started
                    continue
                _assessment(rows, ids, rnd, area.code, framework, user.id, rng)
            for n in range(rng.randrange(0, 4)):
                rows["activities"].append(dict(
                    id=ids("activities"), subdistrict_code=area.code, fiscal_year=FY,
                    title=f"กิจกรรมตำบลเข้มแข็ง {n + 1}", in_plan=rng.random() < 0.8,
                    created_by=user.id, created_at=at(order_day)))
    for model, key in ((Committee, "committees"), (AppointmentOrder, "orders"),
                       (CommitteeMember, "members"), (Meeting, "meetings"),
                       (Assessment, "assessments"), (Answer, "answers"),
                       (AssessmentEvent, "events"), (StrongSubdistrictActivity, "activities")):
        for start in range(0, len(rows[key]), 5000):
            db.session.execute(insert(model), rows[key][start:start + 5000])
    db.session.commit()
    counts = {key: len(value) for key, value in rows.items()}
    counts["subdistricts"] = sum(1 for a in areas if a.level == "subdistrict")
    counts["districts"] = sum(1 for a in areas if a.level == "district")
    return counts


@contextmanager
def counting(engine):
    """Count the SQL statements run inside the block."""
    seen = [0]

    def before(*_args):
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def timed(db, label, fn, repeat):
    """Run ``fn`` ``repeat`` times; print median/min ms and the statements of one run."""
    times = []
    for n in range(repeat):
        db.session.expire_all()
        with counting(db.engine) as statements:
            start = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - start) * 1000)
        if n == 0:
            first = statements[0]
    print(f"  {label:<46} median {statistics.median(times):8.1f} ms   "
          f"min {min(times):8.1f} ms   {first:3d} SQL")
    return result


def time_country(db, repeat):
    """Load the whole country's areas and time the department's dashboard."""
    from korch_pwa import clock
    from korch_pwa.assessment.models import Round
    from korch_pwa.org.services import load_geography

    load_geography()
    db.session.commit()
    rnd = db.session.scalar(select(Round).where(Round.fiscal_year == FY, Round.number == 1))
    print("country:")
    total, rows = timed(db, "dashboard, whole country by province", lambda: (
        services_board(rnd, "", clock.today())), repeat)
    print(f"  {total.total:,} subdistricts in {len(rows)} provinces")


def services_board(rnd, code, today):
    """Call the dashboard service (imported late, after the app exists)."""
    from korch_pwa.reports import services

    return services.deadline_board(rnd, code, today)


def run_timings(app, db, province, repeat):
    """Time the report and the dashboard through the services and over HTTP."""
    from korch_pwa import clock
    from korch_pwa.assessment.models import Round
    from korch_pwa.org.models import Area
    from korch_pwa.org.services import children
    from korch_pwa.reports import export, services

    rnd = db.session.scalar(select(Round).where(Round.fiscal_year == FY, Round.number == 1))
    area = db.session.get(Area, province)
    today = clock.today()
    print("services:")
    counts = timed(db, "counts (1)-(6), whole province", lambda: services.live_counts(
        province, FY), repeat)
    timed(db, "counts per district, all districts", lambda: [
        services.live_counts(d.code, FY) for d in children(province)], repeat)
    doc = export.ReportDoc(FY, f"จังหวัด{area.name_th}", counts, "ปัญหา", "ข้อเสนอแนะ",
                           "ผู้รายงาน", "พัฒนาการจังหวัด", today)
    xlsx = timed(db, "XLSX", lambda: export.build_xlsx(doc), repeat)
    pdf = timed(db, "PDF (fpdf2 + HarfBuzz shaping)", lambda: export.build_pdf(doc), repeat)
    timed(db, "report total (counts + XLSX + PDF)", lambda: (
        export.build_xlsx(export.ReportDoc(FY, "", services.live_counts(province, FY))),
        export.build_pdf(export.ReportDoc(FY, "", services.live_counts(province, FY)))),
        repeat)
    total, _rows = timed(db, "dashboard, province by district", lambda: services.deadline_board(
        rnd, province, today), repeat)
    timed(db, "dashboard, one district by subdistrict", lambda: services.deadline_board(
        rnd, children(province)[0].code, today), repeat)
    timed(db, "results: levels + weakest indicators", lambda: (
        services.level_counts(FY, province), services.level_counts(FY, province, 4),
        services.indicator_averages(FY, province)), repeat)
    round_id = rnd.id
    db.session.remove()
    client = app.test_client()
    client.post("/login", data={"username": "bench_province", "password": PASSWORD})
    print("HTTP (test client, logged in as the province officer):")
    for label, url in (("GET /dashboard/ (deadlines)", f"/dashboard/?round={round_id}"),
                       ("GET /dashboard/results", f"/dashboard/results?fy={FY}"),
                       ("GET report page", f"/dashboard/report/{province}/{FY}"),
                       ("GET report XLSX", f"/dashboard/report/{province}/{FY}/export.xlsx"),
                       ("GET report PDF", f"/dashboard/report/{province}/{FY}/export.pdf")):
        response = timed(db, label, lambda url=url: client.get(url), repeat)
        assert response.status_code == 200, (url, response.status_code)
    print(f"report: register ศอช.ต. {counts['register']['subdistrict']}, "
          f"assessed {counts['assessed']}, strong {counts['strong']}")
    print(f"dashboard: {total.total} subdistricts, status {total.status}, on time "
          f"province {total.province_on_time_rate}% department "
          f"{total.department_on_time_rate}%")
    print(f"files: XLSX {len(xlsx):,} bytes, PDF {len(pdf):,} bytes")


def main():
    """Generate, then time."""
    args = parse_args()
    app = make_app(args)
    from korch_pwa.extensions import db

    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)} "
              f"({db.engine.dialect.name})")
        reset_schema(db)
        start = time.perf_counter()
        made = generate(db, args.province)
        print(f"generated province {args.province} in {time.perf_counter() - start:.1f} s: "
              + ", ".join(f"{k} {v:,}" for k, v in made.items()))
        run_timings(app, db, args.province, args.repeat)
        if args.country:
            time_country(db, args.repeat)


if __name__ == "__main__":
    main()
