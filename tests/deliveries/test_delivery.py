"""`flask notify send`: each notice reaches the SMTP server and LINE exactly once."""

import os
import re
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from korch_pwa.auth.models import utcnow
from korch_pwa.deliveries import preferences
from korch_pwa.deliveries.channels import channels_from_config
from korch_pwa.deliveries.models import Delivery
from korch_pwa.deliveries.services import deliver_pending
from korch_pwa.extensions import db

from tests.chain.chain_data import year_items

LINE_USER = "U" + "c" * 32


def choose(app, user_id, email="", line_user=""):
    with app.app_context():
        preferences.save_preferences(user_id, email, bool(email), False, False)
        if line_user:
            preferences._put(user_id, line_user_id=line_user, line_on=True)
        db.session.commit()
        db.session.remove()


def send_and_return(app, client, auth):
    """District 5201 sends its register; the province returns it: a notice each way."""
    items = year_items(app)
    url = f"/due/item/{items['register']}/5201"
    auth.login("district_x")
    client.post(url + "/send")
    auth.logout()
    auth.login("province")
    client.post(url + "/decide", data={"act": "return", "comment": "ขาดคำสั่งของตำบลหัวเวียง",
                                       "version": "1"})
    auth.logout()


def deliver(app, now=None):
    with app.app_context():
        done = deliver_pending(channels_from_config(app.config), now=now)
        db.session.remove()
    return done


def test_each_notice_goes_out_once_on_the_person_s_channels(
        app, client, auth, world, smtp, line):
    choose(app, world["district_x"], email="wilai@cdd.example.go.th")
    choose(app, world["province"], line_user=LINE_USER)
    send_and_return(app, client, auth)
    assert deliver(app) == Counter({("email", "sent"): 1, ("line", "sent"): 1})
    [mail] = smtp.messages
    assert mail["to"] == ["wilai@cdd.example.go.th"]
    assert "ถูกส่งกลับให้แก้ไข: ขาดคำสั่งของตำบลหัวเวียง" in mail["body"]
    assert "https://korch.example/due/item/" in mail["body"]
    assert mail["subject"].startswith("ศอช.ต.: ทะเบียนข้อมูลคณะกรรมการ ศอช.")
    [push] = line.pushes
    assert push["to"] == LINE_USER
    assert "อำเภอเมืองลำปาง ส่งทะเบียนข้อมูลคณะกรรมการ ศอช. ปีงบประมาณ 2570 แล้ว" in \
        push["messages"][0]["text"]
    # Nothing twice, however often it runs.
    assert deliver(app) == Counter()
    assert len(smtp.messages) == 1 and len(line.pushes) == 1


def test_a_failed_push_is_tried_again_later_and_reaches_once(
        app, client, auth, world, line):
    choose(app, world["province"], line_user=LINE_USER)
    send_and_return(app, client, auth)
    line.fail_next = 1
    now = utcnow()
    assert deliver(app, now) == Counter({("line", "failed"): 1})
    assert deliver(app, now + timedelta(minutes=1)) == Counter()  # not yet
    assert deliver(app, now + timedelta(minutes=6)) == Counter({("line", "sent"): 1})
    assert len(line.pushes) == 1


def test_a_refused_token_gives_up_at_once(app, client, auth, world, line):
    choose(app, world["province"], line_user=LINE_USER)
    send_and_return(app, client, auth)
    app.config["LINE_CHANNEL_TOKEN"] = "wrong"
    assert deliver(app) == Counter({("line", "gave_up"): 1})
    with app.app_context():
        delivery = db.session.scalar(select(Delivery))
        assert delivery.last_error == "LINE answered 401" and delivery.next_try_at is None
        db.session.remove()


def test_the_english_reader_gets_english(app, client, auth, world, smtp):
    from korch_pwa.auth.models import User

    with app.app_context():
        db.session.get(User, world["district_x"]).locale = "en"
        db.session.commit()
        db.session.remove()
    choose(app, world["district_x"], email="wilai@cdd.example.go.th")
    send_and_return(app, client, auth)
    deliver(app)
    [mail] = smtp.messages
    assert "was returned for corrections" in mail["body"]


def test_two_hosts_sending_at_once_send_each_message_once(
        app, client, auth, world, smtp, line, database_url):
    choose(app, world["district_x"], email="wilai@cdd.example.go.th")
    choose(app, world["province"], line_user=LINE_USER)
    send_and_return(app, client, auth)
    env = dict(os.environ, DATABASE_URL=database_url, KORCH_ENV="testing",
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port),
               LINE_CHANNEL_TOKEN=line.TOKEN, LINE_PUSH_URL=line.url)
    flask = str(Path(sys.executable).parent / "flask")
    outputs = [None, None]
    start = threading.Barrier(2)

    def one(index):
        start.wait()
        outputs[index] = subprocess.run([flask, "--app", "wsgi", "notify", "send"], env=env,
                                        capture_output=True, text=True, timeout=120)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(150)
    assert all(o.returncode == 0 for o in outputs), [o.stderr[-2000:] for o in outputs]
    sent = sum(int(n) for o in outputs for n in re.findall(r"sent (\d+)", o.stdout))
    assert sent == 2 and len(smtp.messages) == 1 and len(line.pushes) == 1
