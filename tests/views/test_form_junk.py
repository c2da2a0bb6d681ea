"""No HTML form answers 5xx, whatever is typed or posted into it (issue 7, item 4).

Every rule of the URL map that takes a POST outside /api/ is a ``Case``
below (or is in ``NO_FIELDS``, with the reason). Hypothesis posts generated
junk into the case's fields, as a user allowed to post the form, and checks
what a person would see:

* never a 5xx;
* a refusal says why in Thai, under the field that was wrong (or at the top
  of the page for hidden fields), with no English or Python exception text;
* what was typed comes back in the form;
* a refused post changes nothing in the database (an accepted one is undone
  before the next example, so every example starts from the same rows).

Junk is posted as raw ``application/x-www-form-urlencoded`` bytes, as a
hostile client would send them: a lone surrogate travels as its
``surrogatepass`` UTF-8 bytes, which no browser would send.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from typing import Callable
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from korch_pwa.domain.framework import framework_for
from korch_pwa.extensions import db
from tests.conftest import PASSWORD
from tests.helpers import audit_guard_lifted, examples, full_form, submitted_assessment
from tests.register_data import make_committee

EXAMPLES = examples(30)  # Hypothesis examples per form, besides every SEEN value in every field

INDICATORS = [i.code for i in framework_for(2570).indicators]
FIRST, LAST = INDICATORS[0], INDICATORS[-1]
SHIPPED = framework_for(2570).version

# ------------------------------------------------------------------ the junk

# What issue 7 saw reach a 500 or a raw Python message, posted into every field.
SEEN = ["   ", "²", "9" * 5000, "มี\x00ศูนย์", "\udc00", "2567-02-30", "99999-01-01"]

ODD_NUMBERS = ["²", "๓", "١", "٣", "½", "Ⅻ", "𝟗", "１２", "9" * 5000, "1" * 4301,
               "-" + "9" * 20, str(2**31), str(-2**31 - 1), str(2**63), "12345678901",
               "-1", "0", "+5", " 7 ", "1_000", "3.0", "1e3", "0x10", "nan", "-", "--1"]
ODD_DATES = ["   ", "2567-02-30", "99999-01-01", "30/2/2567", "29/2/2568", "1/1/99999",
             "1/1/2026", "๓๑/๑๒/๒๕๖๙", "0/0/0", "32/13/2569", "²/1/2569", "1//2569",
             "1/1/2569/1", "-1/1/2569", "1/1/" + "9" * 5000, "1/1/-2569", "1/10/9999",
             "1/1/2400", "24/11/2569 "]
ODD_CHOICES = ["approve ", "APPROVE", "submit\x00", "0", "3", "-1", "None", "[]", "reopen",
               "return", "submit", "save", "on", "true"]


def _long_text(limit):
    """Text just over and far over ``limit`` characters, in Thai and in Latin."""
    return st.builds(lambda n, c: c * n, st.integers(limit + 1, limit + 40),
                     st.sampled_from(["ก", "x", "๙", "😀"]))


TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)
JUNK = st.one_of(
    TEXT,  # any code point, NUL and lone surrogates included
    st.text(alphabet=" \t\r\n\u00a0\u3000\u200b\ufeff", min_size=1, max_size=8),
    st.builds(lambda a, b: a + "\x00" + b, TEXT, TEXT),
    st.builds(lambda a, b: a + "\udc00" + b, TEXT, TEXT),
    st.sampled_from([61, 81, 121, 161, 201, 301, 2001, 5001]).flatmap(_long_text),
    st.sampled_from(ODD_NUMBERS),
    st.sampled_from(ODD_DATES),
    st.sampled_from(ODD_CHOICES),
    st.integers(-2**70, 2**70).map(str),
)

# ------------------------------------------------------------------ the forms

ACCOUNT = {"full_name": "นางสาวทดสอบ ระบบดี", "position": "กรรมการ", "role": "member",
           "areas": "520101"}
NEW_PASSWORD = "ช้างเผือกบินข้ามดอย"


def _code_for_member_a(app, world):
    """A one-time code for member_a, issued by district_x."""
    from korch_pwa.accounts.services import issue_code
    from korch_pwa.auth.models import User

    code = issue_code(db.session.get(User, world["district_x"]),
                      db.session.get(User, world["member_a"]))
    db.session.commit()
    return {"code": code}



@dataclass
class Case:
    """One HTML form: who posts it, where, its valid values and its fields."""

    endpoint: str
    user: str | None  # None: posted without logging in
    url: Callable[[dict], str]  # (world and setup ids) -> path
    valid: Callable[[dict], dict]  # (world and setup ids) -> a valid post
    targets: tuple  # fields the junk goes into
    echoed: tuple = ()  # text fields that show again what was typed
    # field -> control names under which its message may show; None = top of page.
    spots: dict = field(default_factory=dict)
    setup: Callable | None = None  # (app, world) -> extra ids, in an app context
    # Messages of answers that store part of a post on purpose (see ``Poster.check``).
    partly_stored: tuple = ()
    file_field: str | None = None  # an upload: junk bytes, posted on their own as multipart
    download: str | None = None  # an accepted post answered with a file of this type

    def spot(self, name):
        """Return where the message about ``name`` shows."""
        return self.spots.get(name, (name,))


def _committee(app, world):
    """520101's ศอช.ต. with two members and a ก.บ.ต. order; an activity."""
    from korch_pwa.auth.models import User
    from korch_pwa.committees import services

    korch = make_committee("520101", members=(
        ("นาง", "สมใจ", "ทดสอบ", "ประธาน", "กลุ่มออมทรัพย์", "0812345678"),
        ("นาย", "บุญมา", "ทดลอง", "เลขานุการ", "", "")))
    make_committee("520101", members=(), number="ก.บ.ต. 1/2569", kind="kbt")
    user = db.session.get(User, world["district_x"])
    activity = services.save_activity(None, {"fiscal_year": 2570, "title": "อบรม",
                                             "in_plan": True}, "520101", user)
    db.session.commit()
    return {"member": korch["members"][0], "activity": activity.id}


def _due_items(app, world):
    """FY 2570's due items with the department's default dates."""
    from korch_pwa.chain import due_services
    from korch_pwa.chain.models import DueItem

    due_services.set_year_dates(2570, due_services.suggested_year_dates(2570))
    db.session.commit()
    return {"register_item": db.session.scalar(
        select(DueItem.id).where(DueItem.kind == "register", DueItem.fiscal_year == 2570))}


def _sent_register(app, world):
    """District 5201's register, sent to the province."""
    from korch_pwa.auth.models import User
    from korch_pwa.chain import dispatch_services
    from korch_pwa.chain.models import DueItem

    ids = _due_items(app, world)
    item = db.session.get(DueItem, ids["register_item"])
    dispatch_services.send(item, "5201", db.session.get(User, world["district_x"]))
    db.session.commit()
    return ids


def _sent_round_results(app, world):
    """District 5202's results of round 1, sent to the province, none approved."""
    from korch_pwa.auth.models import User
    from korch_pwa.chain import dispatch_services, snapshots
    from korch_pwa.chain.models import DueItem

    item = db.session.scalar(select(DueItem).where(DueItem.round_id == world["round"]))
    dispatch_services.send(item, "5202", db.session.get(User, world["district_y"]))
    db.session.commit()
    return {"round_item": item.id, "pending": sorted(snapshots.round_statuses(item, "5202"))}


def _submitted(app, world):
    """520101's assessment submitted for review."""
    assessment_id, version = submitted_assessment(app, world)
    return {"assessment": assessment_id, "version": version}


def _indicator_fields(*prefixes):
    """The fields of the first and last indicator: they stand for all 23."""
    return tuple(f"{p}{code}" for code in (FIRST, LAST) for p in prefixes)


MEMBER = {"title": "นาง", "first_name": "สมศรี", "last_name": "ใจดี", "position": "กรรมการ",
          "organisation": "กลุ่มสตรี", "phone": "081-234-5678"}
ORDER = {"number": "2/2569", "order_date": "1/11/2569", "term_start": "1/11/2569",
         "term_end": "31/10/2573"}
ACTIVITY = {"fiscal_year": "2570", "title": "อบรมอาชีพ", "in_plan": "y"}

CASES = [
    Case("assessment.form", "member_a", lambda w: f"/assessment/520101/{w['round']}",
         lambda w: full_form(score=2),
         targets=("version", "action", *_indicator_fields("score-", "note-", "base-score-",
                                                          "base-note-")),
         echoed=_indicator_fields("note-"),
         spots={"version": (None,), "action": (None,),
                **{f"score-{c}": (f"note-{c}",) for c in (FIRST, LAST)},
                **{f"base-{p}-{c}": (None,) for p in ("score", "note") for c in (FIRST, LAST)}},
         # A base note that differs from the stored one is a clash (domain/merge.py): the
         # answers that do not clash are saved. A submit with unanswered indicators
         # keeps the answers as a draft. Both say so on the page.
         partly_stored=("มีผู้อื่นแก้ไขบางตัวชี้วัด", "บันทึกคำตอบเป็นร่างไว้แล้ว")),
    Case("review.decide", "district_x", lambda w: f"/review/{w['assessment']}/decide",
         lambda w: {"version": str(w["version"]), "decision": "approve", "comment": "",
                    **{f: "" for f in _indicator_fields("comment-", "evidence-")}},
         targets=("version", "decision", "comment", *_indicator_fields("comment-", "evidence-")),
         echoed=("comment", *_indicator_fields("comment-")),
         # A real decision drawn as junk ("return", "reopen") is refused for want
         # of a comment: said at the comment and at the top.
         spots={"version": (None,), "decision": ("decision", "comment", None)},
         setup=_submitted),
    Case("reports.report", "district_x", lambda w: "/dashboard/report/5201/2570",
         lambda w: {"problems": "", "suggestions": "", "reporter_name": "",
                    "reporter_position": "", "action": "save"},
         targets=("problems", "suggestions", "reporter_name", "reporter_position", "action"),
         echoed=("problems", "suggestions", "reporter_name", "reporter_position")),
    Case("auth.login", None, lambda w: "/login",
         lambda w: {"username": "member_a", "password": PASSWORD},
         targets=("username", "password"), echoed=("username",),
         spots={"username": ("username", "password")}),
    # Its only field is where to go next: it always redirects, and never off the site.
    Case("auth.set_language", "member_a", lambda w: "/lang/en",
         lambda w: {"next": "/assessment/"}, targets=("next",), spots={"next": (None,)}),
    Case("register.new_order", "district_x", lambda w: "/register/520101/orders/new",
         lambda w: {**ORDER, "copy_members": "y"},
         targets=(*ORDER, "copy_members", "file"), echoed=tuple(ORDER), setup=_committee,
         file_field="file",
         # A start after the (valid) end is refused under the end date.
         spots={"term_start": ("term_start", "term_end")}),
    Case("register.new_kbt_order", "district_x", lambda w: "/register/520101/kbt/new",
         lambda w: {"number": ORDER["number"], "order_date": ORDER["order_date"]},
         targets=("number", "order_date", "file"), echoed=("number", "order_date"),
         setup=_committee, file_field="file"),
    Case("register.kbt", "district_x", lambda w: "/register/520101/kbt",
         lambda w: {"korch_member": str(w["member"])}, targets=("korch_member",),
         spots={"korch_member": (None,)}, setup=_committee),
    Case("register.new_meeting", "district_x", lambda w: "/register/520101/meetings/new",
         lambda w: {"held_on": "1/11/2569", "title": "ประชุมประจำเดือน", "attendees": "12"},
         targets=("held_on", "title", "attendees", "minutes"),
         echoed=("held_on", "title", "attendees"), setup=_committee, file_field="minutes"),
    Case("register.new_member", "district_x", lambda w: "/register/520101/members/new",
         lambda w: dict(MEMBER), targets=tuple(MEMBER), echoed=tuple(MEMBER),
         setup=_committee),
    Case("register.edit_member", "district_x",
         lambda w: f"/register/members/{w['member']}/edit",
         lambda w: dict(MEMBER), targets=tuple(MEMBER), echoed=tuple(MEMBER),
         setup=_committee),
    Case("register.new_activity", "district_x", lambda w: "/register/520101/activities/new",
         lambda w: dict(ACTIVITY), targets=tuple(ACTIVITY),
         echoed=("fiscal_year", "title"), setup=_committee),
    Case("register.edit_activity", "district_x",
         lambda w: f"/register/activities/{w['activity']}/edit",
         lambda w: dict(ACTIVITY), targets=tuple(ACTIVITY),
         echoed=("fiscal_year", "title"), setup=_committee),
    Case("register.import_register", "district_x", lambda w: "/register/import",
         lambda w: {}, targets=("file",), file_field="file"),
    Case("officer_import.import_officers", "province", lambda w: "/people/import",
         lambda w: {}, targets=("file",), file_field="file"),
    Case("people.create", "district_x", lambda w: "/people/new",
         lambda w: dict(ACCOUNT, username=""), targets=(*ACCOUNT, "username"),
         echoed=("full_name", "position", "areas", "username"),
         spots={"role": ("role",), "areas": ("areas",), "username": ("username",)}),
    Case("people.edit", "district_x", lambda w: f"/people/{w['member_a']}/edit",
         lambda w: dict(ACCOUNT), targets=tuple(ACCOUNT),
         echoed=("full_name", "position", "areas")),
    # Ticked members get accounts and the slips come back as a PDF; junk ticks none.
    Case("member_accounts.committee_slips", "district_x",
         lambda w: "/people/register/520101/slips",
         lambda w: {"member": str(w["member"])}, targets=("member",),
         spots={"member": (None,)}, setup=_committee, download="application/pdf"),
    Case("member_accounts.area_slips", "district_x", lambda w: "/people/register/slips",
         lambda w: {"area": "5201"}, targets=("area",), spots={"area": (None,)},
         setup=_committee, download="application/pdf"),
    Case("account.activate", None, lambda w: "/activate",
         lambda w: {"username": "member_a", "code": w["code"], "password": NEW_PASSWORD,
                    "confirm": NEW_PASSWORD},
         targets=("username", "code", "password", "confirm"), echoed=("username", "code"),
         # A wrong username or code is one refusal, under the code (saying which helps
         # a guesser); a username inside the password is a problem of the password.
         spots={"username": ("username", "code", "password"), "code": ("code",),
                "password": ("password", "confirm")},
         setup=_code_for_member_a),
    Case("account.change_password", "member_a", lambda w: "/account/password",
         lambda w: {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
         targets=("current", "password", "confirm"),
         spots={"password": ("password", "confirm")}),
    Case("rounds.create", "department", lambda w: "/rounds/",
         lambda w: {"fiscal_year": "2572", "number": "1", "department_due": "30/11/2571"},
         targets=("fiscal_year", "number", "department_due"),
         echoed=("fiscal_year", "department_due")),
    Case("frameworks.upload", "department", lambda w: "/frameworks/upload",
         lambda w: {}, targets=("file",), file_field="file"),
    Case("frameworks.activate", "department", lambda w: f"/frameworks/{SHIPPED}/activate",
         lambda w: {"fiscal_year": "2572"}, targets=("fiscal_year",),
         echoed=("fiscal_year",)),
    Case("rounds.province_due", "province", lambda w: f"/rounds/{w['round']}/province-due",
         lambda w: {"due": "1/11/2569"}, targets=("due",), echoed=("due",)),
    Case("calendar.set_year", "department", lambda w: "/due/2570",
         lambda w: {"register": "30/11/2569", "order_copies": "30/11/2569",
                    "progress_report": "28/6/2570"},
         targets=("register", "order_copies", "progress_report"),
         echoed=("register", "order_copies", "progress_report")),
    Case("calendar.province_due", "province",
         lambda w: f"/due/item/{w['register_item']}/province-due",
         lambda w: {"due": "20/11/2569"}, targets=("due",), echoed=("due",),
         setup=_due_items),
    Case("dispatch.decide", "province",
         lambda w: f"/due/item/{w['register_item']}/5201/decide",
         lambda w: {"act": "accept", "comment": "", "version": "1"},
         targets=("act", "comment", "version"), echoed=("comment",),
         # A real "return" drawn as junk is refused for want of a reason, at the comment.
         spots={"version": (None,), "act": ("act", "comment", None)},
         setup=_sent_register),
    # A district's round results: each subdistrict not approved needs a reason to accept.
    Case("dispatch.decide", "province",
         lambda w: f"/due/item/{w['round_item']}/5202/decide",
         lambda w: {"act": "accept", "comment": "", "version": "1",
                    **{f"exception-{c}": "ยังไม่มีคณะกรรมการ" for c in w["pending"]}},
         targets=("exception-520202", "exception-520205", "act"),
         echoed=("exception-520202", "exception-520205"),
         spots={"exception-520202": ("exception-520202", None),
                "exception-520205": ("exception-520205", None),
                "act": ("act", "comment", None)},
         setup=_sent_round_results),
    Case("deliveries.index", "district_x", lambda w: "/account/notifications",
         lambda w: {"email": "wilai@cdd.example.go.th", "email_on": "y", "line_on": "",
                    "mute_reminders": "y"},
         targets=("email", "email_on", "line_on", "mute_reminders"),
         echoed=("email", "email_on", "mute_reminders"),  # a checkbox shows its value back
         # LINE's switch shows once an account is linked; before, its refusal stands alone.
         spots={"email_on": ("email_on", "email"), "email": ("email", "email_on"),
                "line_on": ("line_on", "email_on", None)}),
    Case("chain.coordinator", "province", lambda w: "/province/coordinator",
         lambda w: {"name": "นางสาวพรทิพย์ ใจดี", "position": "นักวิชาการพัฒนาชุมชน",
                    "phone": "081-234-5678"},
         targets=("name", "position", "phone"), echoed=("name", "position", "phone")),
]

# POST rules that take no field of their own: nothing to put junk into.
NO_FIELDS = {
    "auth.logout": "only the CSRF token; ends the session",
    "inbox.mark_all_read": "only the CSRF token; marks the person's own notices read",
    "dispatch.send": "the item and area are in the path; only the CSRF token is posted",
    "deliveries.line_code": "only the CSRF token; issues the person's own code",
    "deliveries.line_unlink": "only the CSRF token; forgets the person's own LINE account",
    "deliveries.line_webhook": "LINE's signed JSON, not a form: tests/deliveries posts junk",
    "register.delete_member": "the member is in the path; only the CSRF token is posted",
    "register.delete_meeting": "the meeting is in the path; only the CSRF token is posted",
    "register.delete_activity": "the activity is in the path; only the CSRF token is posted",
    "people.deactivate": "the account is in the path; only the CSRF token is posted",
    "people.reactivate": "the account is in the path; only the CSRF token is posted",
    "people.issue_code": "the account is in the path; only the CSRF token is posted",
}


def test_every_html_form_of_the_url_map_is_covered(app):
    """A new POST route fails here until it gets a Case (or a reason in NO_FIELDS)."""
    posted = {rule.endpoint for rule in app.url_map.iter_rules()
              if "POST" in rule.methods and not rule.rule.startswith("/api/")}
    covered = {case.endpoint for case in CASES}
    assert not covered & set(NO_FIELDS)
    assert posted == covered | set(NO_FIELDS)


# ------------------------------------------------------------------ the database


# The geography, which no form writes; the login throttle's counters, which count
# refused guesses on purpose.
UNWATCHED = {"areas", "rate_limit_counters"}


def _tables():
    """Every table a refused post must leave as it was."""
    return [t for t in db.metadata.sorted_tables if t.name not in UNWATCHED]


def _rows(table):
    """Return the SELECT of ``table``'s rows a refused post must leave as they were.

    A refused login is written to the audit log on purpose (who tried what).
    """
    query = table.select().order_by(*table.primary_key.columns)
    if table.name == "audit_events":
        query = query.where(table.c.action != "login_failed")
    return query


def snapshot(app):
    """Return every row of every table, in primary-key order."""
    with app.app_context(), db.engine.connect() as conn:
        return {t.name: [tuple(r) for r in conn.execute(_rows(t))] for t in _tables()}


def restore(app, rows):
    """Put the database back to ``rows`` (a snapshot) after an accepted post."""
    with app.app_context(), db.engine.begin() as conn, audit_guard_lifted(conn):
        for table in reversed(_tables()):
            conn.execute(table.delete())
        for table in _tables():
            if rows[table.name]:
                keys = table.columns.keys()
                conn.execute(table.insert(), [dict(zip(keys, r)) for r in rows[table.name]])


# ------------------------------------------------------------------ the page

THAI = re.compile("[\u0e01-\u0e5b]")
# What Python, WTForms or the database say when they are let through to a person.
# The CSRF token in the page's meta tag and hidden fields.
CSRF_TOKEN = re.compile(r'(?:name="csrf[-_]token" (?:content|value)=)"[^"]*"')
RAW = re.compile(r"invalid literal|Exceeds the limit|Traceback|Not a valid|This field|"
                 r"Field must|Invalid (value|choice|Choice)|must be one of|out of range|"
                 r"codec can't|could not convert|NUL|surrogate|Must not contain|"
                 r"IntegrityError|DataError|psycopg|sqlite3|NotNullViolation")


class Messages(HTMLParser):
    """Collect (where, text) of the messages a person sees on a page.

    ``where`` is the name of the last form control before a ``p.error`` (the
    field it is about), or None for a flash message or the error page's title.
    """

    FLASHES = {"flash-error", "flash-warning"}

    def __init__(self, error_page):
        super().__init__(convert_charrefs=True)
        self.found, self._control, self._open, self._text = [], None, False, []
        self._error_page = error_page

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "hidden" in attrs:  # the phone's own prompts, shown only by its scripts
            return
        classes = set((attrs.get("class") or "").split())
        if tag in ("input", "textarea", "select", "button") \
                and attrs.get("name") not in (None, "csrf_token", "next"):
            self._control = attrs["name"]
        elif tag == "p" and "error" in classes:
            self._start(self._control)
        elif (tag == "p" and classes & self.FLASHES) or (tag == "h1" and self._error_page):
            self._start(None)

    def _start(self, where):
        self._open, self._where, self._text = True, where, []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("p", "h1") and self._open:
            self.found.append((self._where, "".join(self._text).strip()))
            self._open = False


def messages(page):
    """Return [(where, text)] of the messages on ``page``."""
    parser = Messages(error_page="รหัสข้อผิดพลาด" in page)
    parser.feed(page)
    parser.close()
    return parser.found


def received(value):
    """Return what the app reads from ``value`` posted as percent-encoded UTF-8."""
    body = _encode({"x": value})
    request = Request(EnvironBuilder(method="POST", data=body,
                                     content_type="application/x-www-form-urlencoded")
                      .get_environ())
    return request.form["x"]


def _encode(data):
    """Encode a post as a hostile client would, lone surrogates and all."""
    return "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}"
                    for k, v in data.items()).encode("ascii")


# ------------------------------------------------------------------ posting


class Poster:
    """A logged-in client for one Case, over a world made once per test."""

    def __init__(self, app, client, world, case):
        self.app, self.client, self.case = app, client, case
        ids = dict(world)
        if case.setup:
            with app.app_context():
                ids.update(case.setup(app, world))
                db.session.remove()
        if case.user:
            response = client.post("/login", data={"username": case.user,
                                                   "password": PASSWORD})
            assert response.status_code == 302
        self.url, self.valid = case.url(ids), case.valid(ids)

    def post(self, junk):
        """Post the valid form with ``junk`` (field -> value; bytes for an upload) in it."""
        if self.case.file_field in junk:
            upload = (BytesIO(junk[self.case.file_field]), "junk.pdf")
            return self.client.post(self.url, data={**self.valid, self.case.file_field: upload},
                                    content_type="multipart/form-data")
        return self.client.post(self.url, data=_encode({**self.valid, **junk}),
                                content_type="application/x-www-form-urlencoded")

    def check(self, junk):
        """Post ``junk`` and check what the person sees and what is stored."""
        before = snapshot(self.app)
        response = self.post(junk)
        shown = {k: v[:80] for k, v in junk.items()}
        assert response.status_code < 500, (shown, response.status_code)
        if self.case.download and response.mimetype == self.case.download:
            assert response.status_code == 200
            restore(self.app, before)
            return
        if 300 <= response.status_code < 400:
            location = response.headers["Location"]
            assert location.startswith("/") and not location.startswith("//"), location
            if snapshot(self.app) != before:
                restore(self.app, before)
            return
        page = response.get_data(as_text=True)
        self._check_refusal(page, junk, shown)
        after = snapshot(self.app)
        if any(message in page for message in self.case.partly_stored):
            restore(self.app, before)
        else:
            assert after == before, ("a refused post changed the database", shown)

    def _check_refusal(self, page, junk, shown):
        """A refusal: Thai messages in the right place, the typed text back."""
        found = messages(page)
        assert found, ("refused without a message", shown)
        for where, text in found:
            assert THAI.search(text) and not RAW.search(text), (where, text, shown)
        typed = {name: str(escape(received(junk[name])))
                 for name in self.case.echoed if name in junk}
        for name, text in typed.items():
            assert text in page, ("what was typed did not come back", name, shown)
        # The person's own text may say anything: blank it out (with a character
        # that joins no words) before looking for what Python or WTForms said.
        rest = page
        for text in sorted(filter(None, typed.values()), key=len, reverse=True):
            rest = rest.replace(text, "\x01")
        # Random tokens say anything too ("...NUL..." one page in a few thousand).
        rest = CSRF_TOKEN.sub("", rest)
        assert not RAW.search(rest), (RAW.search(rest).group(0), shown)
        if len(junk) == 1:
            (name,) = junk
            places = {where for where, _text in found}
            assert places & set(self.case.spot(name)), (name, found, shown)


@pytest.fixture(params=CASES, ids=lambda case: case.endpoint)
def poster(request, app, client, world):
    """A Poster for each Case."""
    return Poster(app, client, world, request.param)


def _junk_for(case):
    """Junk for one or more of the case's fields, or junk bytes alone in its upload."""
    upload = st.fixed_dictionaries({case.file_field: st.one_of(
        st.binary(max_size=300), st.just(b"PK\x03\x04" + b"\x00" * 40),
        st.just(b"%PDF-1.4\n" + b"\x00" * 40), st.just(b"\x89PNG\r\n\x1a\n"),
        JUNK.map(lambda t: t.encode("utf-8", "surrogatepass")))})
    typed = [name for name in case.targets if name != case.file_field]
    if not typed:
        return upload
    fields = st.lists(st.sampled_from(typed), min_size=1, max_size=3, unique=True)
    junk = fields.flatmap(lambda names: st.fixed_dictionaries({n: JUNK for n in names}))
    return st.one_of(junk, upload) if case.file_field else junk


def test_generated_junk_in_any_field_is_refused_in_thai_or_stored(poster, record_property):
    """Never a 5xx; a refusal in Thai on its field, typed text kept, nothing stored."""
    examples = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(junk=_junk_for(poster.case))
    def run(junk):
        examples.append(junk)
        poster.check(junk)

    run()
    record_property("hypothesis_examples", len(examples))
    print(f"{poster.case.endpoint}: {len(examples)} Hypothesis examples")


def test_the_junk_seen_in_issue_7_in_every_field(poster):
    """Each value that used to reach a 500 or a raw message, in each field on its own."""
    for name in poster.case.targets:
        for value in SEEN:
            junk = (value.encode("utf-8", "surrogatepass") if name == poster.case.file_field
                    else value)
            poster.check({name: junk})


def test_a_real_decision_drawn_as_junk_is_refused_at_the_comment(app, client, world):
    """Hypothesis drew "reopen" for the decision once: its refusal is about the comment."""
    [case] = [c for c in CASES if c.endpoint == "review.decide"]
    poster = Poster(app, client, world, case)
    for decision in ("reopen", "return"):
        poster.check({"decision": decision})
