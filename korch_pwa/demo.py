"""Demo data: one province (Lampang) with users of every role and rounds."""

import secrets
from datetime import date

from sqlalchemy import select

from .assessment import services as assessing
from .assessment.models import ProvinceDeadline, Round
from .auth.models import User, UserScope
from .domain.framework import framework_for
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


def _fill(rnd, code, actor, seed):
    """Answer every indicator with a plausible spread of scores."""
    assessment = assessing.open_assessment(rnd, code)
    if assessment.answers:
        return assessment
    framework = framework_for(rnd.fiscal_year)
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
    db.session.commit()
    return printed
