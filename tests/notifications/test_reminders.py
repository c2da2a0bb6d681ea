"""`flask notify due`: who is reminded of what, once a day, however often it runs."""

import os
import re
import subprocess
import sys
import threading
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from korch_pwa.extensions import db
from korch_pwa.notifications.models import Notice
from korch_pwa.notifications.reminders import remind_due

from tests.chain.chain_data import year_items

# 23 Nov 2569: a week before the department's 30 Nov for the register and the
# order copies, the day before Lampang's 24 Nov for round 1's assessments.
DAY = date(2026, 11, 23)


def notices(app, world):
    names = {v: k for k, v in world.items() if isinstance(v, int) and "round" not in k}
    with app.app_context():
        rows = db.session.execute(select(Notice.user_id, Notice.event, Notice.params)
                                  .order_by(Notice.id)).all()
        db.session.remove()
    return [(names.get(u, u), e, p) for u, e, p in rows]


def run(app, today):
    with app.app_context():
        written = remind_due(today)
        db.session.commit()
        db.session.remove()
    return written


def test_a_week_before_each_office_is_reminded_and_the_one_above_counts(app, world):
    items = year_items(app)
    written = run(app, DAY)
    got = notices(app, world)
    tally = Counter((who, event, p["item"]) for who, event, p in got)
    for item in ("register", "order_copies"):
        # Each district office of its own, the province of its own and of its districts.
        assert tally[("district_x", "reminder_before", item)] == 1
        assert tally[("district_y", "reminder_before", item)] == 1
        assert tally[("province", "reminder_before", item)] == 1
        assert tally[("province", "reminder_summary_before", item)] == 1
        assert tally[("department", "reminder_summary_before", item)] == 1
    # The committees of round 1, the day before Lampang's date.
    assert tally[("member_a", "reminder_before", "assessment")] == 1
    assert tally[("member_a2", "reminder_before", "assessment")] == 1
    assert tally[("member_y", "reminder_before", "assessment")] == 1
    assert tally[("tambon", "reminder_before", "assessment")] == 2  # 520101 and 520103
    assert tally[("district_x", "reminder_summary_before", "assessment")] == 1
    assert not any(item == "progress_report" for _w, _e, item in tally)  # due in June
    summary = next(p for who, e, p in got
                   if who == "province" and e == "reminder_summary_before"
                   and p["item"] == "register")
    assert summary["count"] == 13 and summary["days"] == 7  # Lampang's 13 districts
    assert sum(written.values()) == len(got)
    assert items


def test_running_again_the_same_day_writes_nothing(app, world):
    year_items(app)
    first = run(app, DAY)
    assert sum(first.values()) > 0
    assert run(app, DAY) == Counter()
    # The next day owes nothing before the dates (6 days, 0 days); the day after the
    # committees' date they are late.
    assert run(app, date(2026, 11, 24)) == Counter()
    late = run(app, date(2026, 11, 25))
    assert late["reminder_late"] > 0 and late["reminder_summary_late"] > 0


def test_who_has_sent_is_not_reminded(app, client, auth, world):
    from tests.helpers import record_as

    items = year_items(app)
    auth.login("district_x")
    assert client.post(f"/due/item/{items['register']}/5201/send").status_code == 302
    auth.logout()
    from korch_pwa.domain.framework import framework_for

    record_as(app, world, "member_a", {i.code: i.scores[-1]
                                       for i in framework_for(2570).indicators}, send=True)
    run(app, DAY)
    got = notices(app, world)
    assert ("district_x", "reminder_before", "register") not in {
        (w, e, p.get("item")) for w, e, p in got}
    assert ("district_y", "reminder_before", "register") in {
        (w, e, p.get("item")) for w, e, p in got}
    assert not any(w in ("member_a", "member_a2") and p.get("item") == "assessment"
                   for w, _e, p in got)
    assert any(w == "member_b" and p.get("item") == "assessment" for w, _e, p in got)
    register_count = next(p["count"] for w, e, p in got
                          if w == "province" and p.get("item") == "register"
                          and e == "reminder_summary_before")
    assert register_count == 12


def test_a_reminder_reads_well_in_the_inbox(app, client, auth, world):
    year_items(app)
    run(app, DAY)
    auth.login("district_x")
    page = client.get("/inbox").get_data(as_text=True)
    assert ("อีก 7 วันถึงกำหนดส่งทะเบียนข้อมูลคณะกรรมการ ศอช. ของอำเภอเมืองลำปาง "
            "(30 พฤศจิกายน 2569)") in page
    assert "แบบประเมินตนเอง ครั้งที่ 1 (24 พฤศจิกายน 2569) ยังไม่ส่ง" in page
    auth.logout()
    auth.login("member_a")
    page = client.get("/inbox").get_data(as_text=True)
    assert "อีก 1 วันถึงกำหนดส่งแบบประเมินตนเอง ครั้งที่ 1 ของตำบลเวียงเหนือ" in page


def test_the_command_says_what_it_wrote_and_refuses_a_bad_date(app, runner, world):
    year_items(app)
    result = runner.invoke(args=["notify", "due", "--date", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert re.match(r"2026-11-23: \d+ new reminders \(reminder_before \d+", result.output)
    again = runner.invoke(args=["notify", "due", "--date", "2026-11-23"])
    assert again.output.strip() == "2026-11-23: 0 new reminders"
    bad = runner.invoke(args=["notify", "due", "--date", "23/11/2569"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_two_hosts_running_it_at_once_write_each_reminder_once(app, world, database_url):
    year_items(app)
    env = dict(os.environ, DATABASE_URL=database_url, KORCH_ENV="testing")
    flask = str(Path(sys.executable).parent / "flask")
    outputs = [None, None]
    start = threading.Barrier(2)

    def one(index):
        start.wait()
        outputs[index] = subprocess.run(
            [flask, "--app", "wsgi", "notify", "due", "--date", DAY.isoformat()],
            env=env, capture_output=True, text=True, timeout=120)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(150)
    assert all(o.returncode == 0 for o in outputs), [o.stderr[-2000:] for o in outputs]
    counts = [int(re.search(r": (\d+) new", o.stdout).group(1)) for o in outputs]
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Notice))
        db.session.remove()
    assert stored > 0 and sum(counts) == stored
    assert run(app, DAY) == Counter()


def test_muting_silences_a_member_but_never_an_officer_s_own_items(app, world):
    from korch_pwa.deliveries import preferences

    year_items(app)
    with app.app_context():
        for username in ("member_a", "district_x", "province"):
            preferences.save_preferences(world[username], "", False, False, True)
        db.session.commit()
        db.session.remove()
    run(app, DAY)
    got = Counter((who, event, p["item"]) for who, event, p in notices(app, world))
    assert got[("member_a", "reminder_before", "assessment")] == 0  # muted
    assert got[("member_a2", "reminder_before", "assessment")] == 1  # did not mute
    # Officers: their own office's items still come; the counts of others do not.
    assert got[("district_x", "reminder_before", "register")] == 1
    assert got[("district_x", "reminder_summary_before", "assessment")] == 0
    assert got[("province", "reminder_before", "register")] == 1
    assert got[("province", "reminder_summary_before", "register")] == 0
    assert got[("district_y", "reminder_summary_before", "assessment")] == 1
