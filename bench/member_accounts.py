"""Accounts for a whole province's committees from the register, a district a request; slips.

Run: .venv/bin/python bench/member_accounts.py [--province 34] [--members 15] [--slips 500]
(SQLite in /tmp; BENCH_DATABASE_URL for PostgreSQL, where it drops every table.)

Ubon Ratchathani (34) by default: 219 subdistricts x 15 members, about 3,300
people, as the Ubon letter's province would do on the first day. Prints:
- the requests (POST /people/register/slips as the province officer, one a
  district: a province is more than one PDF holds): seconds, SQL statements,
  the longest request, and the two halves (accounts; slips PDF);
- the baseline measured in the same run: one executemany INSERT of as many
  bare user rows, and the ratio of the accounts half to it;
- the slips PDF for --slips people, against the same text without QR codes.
"""

import argparse
import os
import sys
import time
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402

from korch_pwa import create_app  # noqa: E402
from korch_pwa.extensions import db  # noqa: E402


def setup(app, province, per_committee):
    """Load the province, one committee per subdistrict with its members, a province officer."""
    from korch_pwa.auth.models import User
    from korch_pwa.committees.models import AppointmentOrder, Committee, CommitteeMember
    from korch_pwa.demo import ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.org.models import Area
    from korch_pwa.org.services import load_geography

    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        load_geography(province_codes={province})
        officer = ensure_user("prov", "เจ้าหน้าที่จังหวัด", "", Role.PROVINCE_OFFICER,
                              [province], "bench-pw-123456")
        db.session.flush()
        codes = db.session.scalars(select(Area.code).where(
            Area.level == "subdistrict", Area.code.startswith(province))).all()
        db.session.execute(insert(Committee), [{"kind": "korch", "area_code": c} for c in codes])
        committees = dict(db.session.execute(select(Committee.area_code, Committee.id)).all())
        db.session.execute(insert(AppointmentOrder), [
            {"committee_id": committees[c], "number": "1/2569", "order_date": date(2026, 1, 15),
             "created_by": officer.id} for c in codes])
        orders = db.session.execute(select(AppointmentOrder.id)).scalars().all()
        db.session.execute(insert(CommitteeMember), [
            {"order_id": o, "title": "นาง", "first_name": f"สมใจ{i}", "last_name": f"สกุล{o}",
             "position": "กรรมการ", "organisation": "", "phone": ""}
            for o in orders for i in range(per_committee)])
        db.session.commit()
        members = db.session.scalar(select(func.count()).select_from(CommitteeMember))
        user_count = db.session.scalar(select(func.count()).select_from(User))
        db.session.remove()
    return len(codes), members, user_count


def district_requests(app, province):
    """POST each district's slips as the province officer, as SLIPS_MAX makes a big province do.

    Return (seconds, PDF seconds, SQL statements, pages, bytes) summed over the
    requests, and (seconds, people) of the longest request.
    """
    from korch_pwa.accounts import slips as slips_module
    from korch_pwa.org.models import Area

    with app.app_context():
        districts = db.session.scalars(select(Area.code).where(
            Area.level == "district", Area.code.startswith(province)).order_by(Area.code)).all()
    client = app.test_client()
    assert client.post("/login", data={"username": "prov",
                                       "password": "bench-pw-123456"}).status_code == 302
    build = slips_module.build_slips_pdf
    pdf_seconds = []

    def timed_build(slips, *args, **kwargs):
        start = time.perf_counter()
        data = build(slips, *args, **kwargs)
        pdf_seconds.append((time.perf_counter() - start, len(slips)))
        return data

    slips_module.build_slips_pdf = timed_build
    statements = []
    with app.app_context():
        engine = db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    total, longest, pages, size = 0.0, (0.0, 0), 0, 0
    try:
        for code in districts:
            start = time.perf_counter()
            response = client.post("/people/register/slips", data={"area": code})
            seconds = time.perf_counter() - start
            if response.mimetype != "application/pdf":
                continue  # a district with no subdistrict committees
            total += seconds
            longest = max(longest, (seconds, pdf_seconds[-1][1]))
            pages += len(PdfReader(BytesIO(response.data)).pages)
            size += len(response.data)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
        slips_module.build_slips_pdf = build
    return (total, sum(s for s, _ in pdf_seconds), len(statements), pages, size,
            len(pdf_seconds), longest)


def baseline(app, count):
    """Seconds for one executemany INSERT of ``count`` bare user rows, rolled back."""
    from korch_pwa.auth.models import User

    with app.app_context():
        now = datetime.now(timezone.utc)
        rows = [{"username": f"base-{n}", "password_hash": "!", "full_name": "x",
                 "position": "", "role": "member", "locale": "th", "active": True,
                 "session_epoch": 0, "created_at": now} for n in range(count)]
        start = time.perf_counter()
        db.session.execute(insert(User), rows)
        db.session.flush()
        seconds = time.perf_counter() - start
        db.session.rollback()
        db.session.remove()
    return seconds


def slips_pdf(app, count):
    """Seconds for ``count`` slips, and for the same text with no QR codes."""
    from korch_pwa.accounts import slips as slips_module
    from korch_pwa.accounts.bulk import Slip

    expires = datetime(2026, 12, 18, tzinfo=timezone.utc)
    people = [Slip(f"นางสมใจ ทดสอบคนที่{n}", "กรรมการ", f"340101-{n:03d}", f"{n:08d}", "340101",
                   expires, True) for n in range(count)]
    labels = {"340101": "ต.ในเมือง อ.เมืองอุบลราชธานี จ.อุบลราชธานี"}
    with app.test_request_context():
        start = time.perf_counter()
        data = slips_module.build_slips_pdf(people, labels, "https://korch.example/activate")
        full = time.perf_counter() - start
        draw = slips_module.draw_qr
        slips_module.draw_qr = lambda *args: None
        try:
            start = time.perf_counter()
            slips_module.build_slips_pdf(people, labels, "https://korch.example/activate")
            no_qr = time.perf_counter() - start
        finally:
            slips_module.draw_qr = draw
    return full, no_qr, len(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="34")
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--slips", type=int, default=500)
    args = parser.parse_args()
    os.environ["KORCH_ENV"] = "testing"
    url = os.environ.get("BENCH_DATABASE_URL") or "sqlite:////tmp/korch-accounts-bench.sqlite"
    from config import _database_url
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = url
        url = _database_url()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TODAY": date(2026, 11, 20),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    print(f"database: {url.split('@')[-1]}")
    subdistricts, members, _ = setup(app, args.province, args.members)
    print(f"province {args.province}: {subdistricts} subdistricts, {members} members")
    base = baseline(app, members)
    seconds, pdf, statements, pages, size, requests, longest = district_requests(
        app, args.province)
    accounts = seconds - pdf
    print(f"{requests} requests, one a district: {seconds:.2f} s, {statements} SQL statements, "
          f"{pages} pages, {size / 1e6:.1f} MB; longest {longest[0]:.2f} s "
          f"for {longest[1]} people")
    print(f"  accounts, codes, audit rows: {accounts:.2f} s "
          f"({accounts / members * 1000:.2f} ms a person)")
    print(f"  slips PDF: {pdf:.2f} s ({pdf / members * 1000:.2f} ms a slip)")
    print(f"baseline, one INSERT of {members} bare user rows: {base:.3f} s; "
          f"accounts half = {accounts / base:.1f}x baseline")
    full, no_qr, size = slips_pdf(app, args.slips)
    print(f"slips PDF for {args.slips}: {full:.2f} s, {size / 1e6:.2f} MB; same text without "
          f"QR codes {no_qr:.2f} s; ratio {full / no_qr:.2f}x")


if __name__ == "__main__":
    main()
