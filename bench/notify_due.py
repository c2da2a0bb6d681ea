"""Time `flask notify due` for the whole country, every subdistrict late on one item.

Builds the country's geography (geothai, Bangkok left out: 76 provinces,
878 districts, about 7,256 subdistricts), round 1 of FY 2570 with the
department's date of 30 Nov 2569 and no province dates, and the people a
reminder reaches: two committee members and one subdistrict officer per
subdistrict, one officer per district and per province, one department
officer. Nobody has submitted. On 2 Dec 2569 every subdistrict is two days
late, so every committee is reminded and every district officer gets one
count; the register and the order copies (department date 30 Nov too) make
every district and province late as well.

Prints, for a first run, an immediate second run (must write nothing) and
the baseline: a bare multi-row INSERT of the same number of notice rows
(no logic, no conflict check) in the same run, and the ratio against it.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_notify \\
        .venv/bin/python bench/notify_due.py
    .venv/bin/python bench/notify_due.py --sqlite /tmp/korch-notify.sqlite

The database is a SCRATCH database: every table in it is dropped first.
"""

import argparse
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, insert, select  # noqa: E402

from bench.province_report import make_app, reset_schema  # noqa: E402

DAY = date(2026, 12, 2)
MEMBERS_PER_SUBDISTRICT = 2


def parse_args():
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default="/tmp/korch-notify.sqlite",
                        help="SQLite file used when BENCH_DATABASE_URL is not set")
    return parser.parse_args()


def people(db):
    """Insert the people every reminder reaches; return how many."""
    from korch_pwa.auth.models import User, UserScope
    from korch_pwa.org.models import Area

    areas = db.session.execute(select(Area.code, Area.level)).all()
    now = datetime.now(timezone.utc)
    users, scopes = [], []

    def person(role, code):
        user_id = len(users) + 1
        users.append({"id": user_id, "username": f"u{user_id}", "password_hash": "x",
                      "full_name": "ผู้ทดสอบ", "position": "", "role": role, "locale": "th",
                      "active": True, "session_epoch": 0, "created_at": now})
        if code:
            scopes.append({"user_id": user_id, "area_code": code})

    for code, level in sorted(areas):
        if level == "subdistrict":
            for _ in range(MEMBERS_PER_SUBDISTRICT):
                person("member", code)
            person("subdistrict_officer", code)
        else:
            person({"district": "district_officer", "province": "province_officer"}[level],
                   code)
    person("department", None)
    for start in range(0, len(users), 5000):
        db.session.execute(insert(User.__table__), users[start:start + 5000])
    for start in range(0, len(scopes), 5000):
        db.session.execute(insert(UserScope.__table__), scopes[start:start + 5000])
    db.session.commit()
    return len(users), sum(1 for _c, level in areas if level == "subdistrict")


def baseline(db, rows):
    """Return seconds for a bare INSERT of ``rows`` notices, then delete them."""
    from korch_pwa.notifications.models import Notice

    start = time.perf_counter()
    for first in range(0, len(rows), 1000):
        db.session.execute(insert(Notice.__table__), rows[first:first + 1000])
    db.session.commit()
    seconds = time.perf_counter() - start
    db.session.execute(delete(Notice.__table__))
    db.session.commit()
    return seconds


def main():
    """Build the country, then time the reminders."""
    args = parse_args()
    app = make_app(args)
    with app.app_context():
        from korch_pwa.assessment.models import Round
        from korch_pwa.chain import due_services
        from korch_pwa.extensions import db
        from korch_pwa.notifications.models import Notice
        from korch_pwa.notifications.reminders import remind_due
        from korch_pwa.org.services import load_geography

        reset_schema(db)
        load_geography()
        db.session.add(Round(fiscal_year=2570, number=1, department_due=date(2026, 11, 30)))
        due_services.set_year_dates(2570, {"register": date(2026, 11, 30),
                                           "order_copies": date(2026, 11, 30),
                                           "progress_report": date(2027, 6, 28)})
        db.session.commit()
        count, subdistricts = people(db)
        print(f"{db.engine.dialect.name}: {subdistricts:,} subdistricts, {count:,} people")

        start = time.perf_counter()
        written = remind_due(DAY)
        db.session.commit()
        first = time.perf_counter() - start
        total = sum(written.values())
        start = time.perf_counter()
        again = remind_due(DAY)
        db.session.commit()
        second = time.perf_counter() - start
        rows = [{k: v for k, v in n.items() if k != "id"} for n in (
            dict(r._mapping) for r in db.session.execute(select(Notice.__table__)))]
        db.session.execute(delete(Notice.__table__))
        db.session.commit()
        bare = baseline(db, rows)
        stored = db.session.scalar(select(func.count()).select_from(Notice))
        print(f"notify due, first run: {first:.2f} s, {total:,} notices "
              f"({', '.join(f'{e} {n:,}' for e, n in sorted(written.items()))})")
        print(f"notify due, same day again: {second:.2f} s, {sum(again.values())} notices")
        print(f"baseline, bare INSERT of the same {len(rows):,} rows: {bare:.2f} s")
        print(f"ratio first run / baseline: {first / bare:.2f}x")
        assert stored == 0 and total == len(rows) and not sum(again.values())


if __name__ == "__main__":
    main()
