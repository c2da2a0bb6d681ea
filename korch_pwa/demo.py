"""Demo data: one province (Lampang) with users of every role and rounds."""

import secrets
from datetime import date

from sqlalchemy import select

from .assessment import services as assessing
from .assessment.models import ProvinceDeadline, Round
from .auth.models import User, UserScope
from .framework_versions.services import active_framework
from .domain.merge import EMPTY, Answer, Change
from .domain.roles import Role
from .extensions import db
from .org.services import load_geography

PROVINCE = "52"  # Lampang, which sent the second seed letter

DEMO_USERS = [
    ("member", "นางสมศรี ใจดี", "ประธาน ศอช.ต.เวียงเหนือ", Role.MEMBER, ["520101"]),
    ("member2", "นายบุญมี ศรีสุข", "เลขานุการ ศอช.ต.เวียงเหนือ", Role.MEMBER, ["520101"]),
    ("member3", "นางคำปัน แก้วมา", "ประธาน ศอช.ต.หัวเวียง", Role.MEMBER, ["520102"]),
    ("tambon", "นายสมชาย พัฒนา", "นักวิชาการพัฒนาชุมชน", Role.SUBDISTRICT_OFFICER,
     ["520101", "520102", "520103", "520104"]),
    ("district", "นางวิไล ชุมชน", "พัฒนาการอำเภอเมืองลำปาง", Role.DISTRICT_OFFICER, ["5201"]),
    ("province", "นายวิทยา ชุมภูคำ", "พัฒนาการจังหวัดลำปาง", Role.PROVINCE_OFFICER, ["52"]),
    ("department", "นางสาวกรม พัฒนา", "กองส่งเสริมการพัฒนาชุมชน", Role.DEPARTMENT, []),
    ("admin", "ผู้ดูแลระบบ", "ผู้ดูแลระบบ", Role.ADMIN, []),
]

# Department and Lampang's own due dates, after the B.E. 2567 letters.
ROUNDS = [
    (2569, 1, date(2025, 11, 28), date(2025, 11, 21)),
    (2569, 2, date(2026, 6, 26), date(2026, 6, 19)),
    (2570, 1, date(2026, 11, 30), date(2026, 11, 24)),
    (2570, 2, date(2027, 6, 28), date(2027, 6, 24)),
]


def ensure_user(username, full_name, position, role, scopes, password):
    """Create or reset one user, returning it."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username)
        db.session.add(user)
    user.full_name, user.position, user.role = full_name, position, role.value
    user.set_password(password)
    user.scopes = [UserScope(area_code=code) for code in scopes]
    return user


def ensure_rounds(province_code=PROVINCE):
    """Create the demo rounds and the province's earlier due dates."""
    made = []
    for year, number, dept_due, prov_due in ROUNDS:
        rnd = db.session.scalar(select(Round).where(Round.fiscal_year == year,
                                                    Round.number == number))
        if rnd is None:
            rnd = Round(fiscal_year=year, number=number, department_due=dept_due)
            db.session.add(rnd)
            db.session.flush()
        if rnd.province_due(province_code) is None:
            rnd.deadlines.append(ProvinceDeadline(province_code=province_code, due=prov_due))
        made.append(rnd)
    return made


def ensure_due_items(year, district, province_code=PROVINCE):
    """Set the year's calendar, Lampang's own dates, and send Mueang Lampang's register."""
    from .chain import dispatch_services, due_services

    if not any(i.round_id is None for i in due_services.items_of_year(year)):
        due_services.set_year_dates(year, due_services.suggested_year_dates(year))
    items = due_services.items_of_year(year)
    for item in items:
        if item.round_id is None and item.province_due(province_code) is None:
            due_services.set_province_due(item, province_code,
                                          due_services.suggested_province_due(item))
    register = next(i for i in items if i.kind == "register")
    district_code = district.scope_codes[0]
    if dispatch_services.dispatch_of(register, district_code) is None:
        dispatch_services.send(register, district_code, district)


def _fill(rnd, code, actor, seed):
    """Answer every indicator with a plausible spread of scores."""
    assessment = assessing.open_assessment(rnd, code)
    if assessment.answers:
        return assessment
    framework = active_framework(rnd.fiscal_year)
    changes = [Change(i.code, Answer(i.scores[(n + seed) % len(i.scores)], ""), EMPTY)
               for n, i in enumerate(framework.indicators)]
    assessing.save_answers(assessment, changes, actor)
    return assessment


def load_demo(password=None):
    """Load the demo; return [(username, password, role, scopes)]."""
    load_geography(province_codes={PROVINCE})
    printed, users = [], {}
    for username, name, position, role, scopes in DEMO_USERS:
        secret = password or secrets.token_urlsafe(6)
        users[username] = ensure_user(username, name, position, role, scopes, secret)
        printed.append((username, secret, role.value, scopes))
    db.session.flush()
    last_year_1, last_year_2, this_round, _ = ensure_rounds()
    member, district = users["tambon"], users["district"]
    # Last year: both rounds approved for a few subdistricts of the district.
    for seed, code in enumerate(["520101", "520102", "520103", "520104", "520105"]):
        for rnd in (last_year_1, last_year_2):
            assessment = _fill(rnd, code, member, seed + rnd.number)
            if assessment.status == "draft":
                assessing.submit(assessment, member)
                assessing.approve(assessment, district, assessment.version)
    # This round: one submitted, one draft, the rest not started.
    submitted = _fill(this_round, "520103", member, 2)
    if submitted.status == "draft":
        assessing.submit(submitted, member)
    _fill(this_round, "520104", member, 1)
    load_register_demo(users["district"])
    ensure_due_items(this_round.fiscal_year, district)
    # Today's reminders, so that the inboxes show what `flask notify due` sends.
    from . import clock
    from .notifications.reminders import remind_due

    remind_due(clock.today())
    db.session.commit()
    return printed


# Fictional people for the demo register; any likeness to real people is chance.
_FIRST = ("สมใจ", "บุญเรือน", "ประเสริฐ", "คำแปง", "ศรีนวล", "อินทร", "จันทร์เพ็ญ",
          "สุดใจ", "ทองคำ", "มาลัย", "บัวผัน", "เสาร์แก้ว", "ดวงดี", "แสงเดือน")
_LAST = ("ใจงาม", "ทองดี", "ศรีเมือง", "แก้วประเสริฐ", "คำมา", "บุญยืน", "ปัญญาดี",
         "อินต๊ะ", "สุขเกษม", "วงศ์ใหญ่", "มูลเมือง", "ชัยมงคล", "ธรรมใจ", "ยาวิละ")
_POSITIONS = ("ประธาน", "รองประธาน", "เลขานุการ", "เหรัญญิก", "ประชาสัมพันธ์",
              "กรรมการ", "กรรมการ", "กรรมการ", "กรรมการ")
_ORGS = ("กลุ่มออมทรัพย์เพื่อการผลิต", "กองทุนหมู่บ้าน", "กลุ่มแม่บ้าน", "กลุ่มอาชีพทอผ้า",
         "อาสาสมัครสาธารณสุข", "กลุ่มผู้สูงอายุ", "กลุ่มเยาวชน", "วิสาหกิจชุมชน",
         "กลุ่มเกษตรกร")
# A one-page blank PDF standing in for a scanned order.
_DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _demo_people(seed, size):
    """Return ``size`` member dicts with fictional names, varied by ``seed``."""
    people = []
    for n in range(size):
        first = _FIRST[(seed * 3 + n) % len(_FIRST)]
        title = "นาง" if first in ("สมใจ", "บุญเรือน", "ศรีนวล", "จันทร์เพ็ญ", "สุดใจ",
                                    "มาลัย", "บัวผัน", "แสงเดือน") else "นาย"
        people.append(dict(title=title, first_name=first,
                           last_name=_LAST[(seed * 5 + n * 2) % len(_LAST)],
                           position=_POSITIONS[min(n, len(_POSITIONS) - 1)],
                           organisation=_ORGS[(seed + n) % len(_ORGS)],
                           phone=f"08{(seed + n) % 10}{5550000 + seed * 100 + n:07d}"))
    return people


def _demo_order(code, kind, number, day, people, officer, scan=False):
    """Record an order for ``code`` with ``people`` as its members."""
    from .committees import services as register
    from .committees.models import CommitteeMember
    from .files.models import StoredFile

    committee = register.committee_for(code, kind)
    order = register.record_order(committee, {"number": number, "order_date": day,
                                              "term_start": day,
                                              "term_end": day.replace(year=day.year + 4)},
                                  None, officer)
    if scan:
        import hashlib

        order.file = StoredFile(area_code=code, filename=f"คำสั่ง-{code}.pdf",
                                content_type="application/pdf", size=len(_DEMO_PDF),
                                sha256=hashlib.sha256(_DEMO_PDF).hexdigest(),
                                data=_DEMO_PDF, uploaded_by=officer.id)
    order.members = [CommitteeMember(**p) for p in people]
    db.session.flush()
    return committee, order


def load_register_demo(officer):
    """Fill the register of district 5201: orders, members, meetings, ก.บ.ต., activities.

    Idempotent: does nothing once the district's ศอช.อ. exists.
    """
    from datetime import timedelta

    from . import clock
    from .committees import services as register
    from .committees.models import KBT, KORCH
    from .domain.thai_dates import fiscal_year

    if register.find_committee("5201") is not None:
        return
    today = clock.today()
    year = fiscal_year(today)
    plan = [("52", 9, 1, 2), ("5201", 9, 2, 2), ("520101", 9, 2, 2), ("520102", 7, 1, 1),
            ("520103", 8, 1, 0), ("520104", 7, 0, 0)]
    for seed, (code, size, terms, meetings) in enumerate(plan):
        for term in range(terms):
            day = date(today.year - 1 - 4 * (terms - 1 - term), 3, 1 + seed)
            committee, order = _demo_order(code, KORCH, f"{10 + seed}/{day.year + 543}", day,
                                           _demo_people(seed + term, size), officer,
                                           scan=term == terms - 1)
        committee = register.committee_for(code)
        for n in range(meetings):
            register.add_meeting(committee, {"held_on": today - timedelta(days=40 - 25 * n),
                                             "title": f"ครั้งที่ {n + 1}/{year}",
                                             "attendees": size - n}, None, officer)
    korch = register.find_committee("520101", KORCH).current_order
    _, kbt = _demo_order("520101", KBT, f"ก.บ.ต. 5/{today.year + 542}",
                         date(today.year - 1, 6, 1), [], officer, scan=True)
    register.set_qualified_persons(kbt, [m.id for m in korch.members[:2]])
    for code, title, in_plan in [
            ("520101", "ตลาดชุมชนพอเพียงวิถีเวียงเหนือ", True),
            ("520101", "ธนาคารขยะชุมชน", True),
            ("520101", "ปลูกผักปลอดสารในครัวเรือน", False),
            ("520102", "กองทุนปุ๋ยอินทรีย์ชุมชน", True)]:
        register.save_activity(None, {"fiscal_year": year, "title": title, "in_plan": in_plan},
                               code, officer)
