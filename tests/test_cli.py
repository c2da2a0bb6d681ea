"""The command-line tasks."""

from collections import Counter

from sqlalchemy import select

from korch_pwa.auth.models import User
from korch_pwa.extensions import db
from korch_pwa.org.models import Area


def test_geo_load_one_province_is_idempotent(app, runner):
    result = runner.invoke(args=["geo", "load", "--province", "34"])
    assert result.exit_code == 0 and "areas added:" in result.output
    with app.app_context():
        first = db.session.query(Area).count()
        ubon = db.session.get(Area, "34")
        assert ubon.name_th == "อุบลราชธานี" and ubon.level == "province"
        assert db.session.get(Area, "340101").parent_code == "3401"
    assert "areas added: 0" in runner.invoke(args=["geo", "load", "--province", "34"]).output
    with app.app_context():
        assert db.session.query(Area).count() == first


def test_bangkok_only_when_asked(app, runner):
    runner.invoke(args=["geo", "load", "--province", "10"])
    with app.app_context():
        assert db.session.get(Area, "10") is None
    runner.invoke(args=["geo", "load", "--province", "10", "--bangkok"])
    with app.app_context():
        assert db.session.get(Area, "10") is not None


def test_demo_load_prints_every_role_and_passwords_work(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "s3cret-demo"])
    assert result.exit_code == 0, result.output
    for role in ("member", "subdistrict_officer", "district_officer", "province_officer",
                 "department", "admin"):
        assert role in result.output
    with app.app_context():
        user = db.session.query(User).filter_by(username="district").one()
        assert user.check_password("s3cret-demo") and user.scope_codes == ["5201"]
        # The inbox is not empty in the demo: the district was told of each
        # submission, the committee of each approval.
        from korch_pwa.notifications.models import Notice
        told = Counter(db.session.execute(select(User.username, Notice.event).join(
            Notice, Notice.user_id == User.id)).all())
        assert told[("district", "assessment_submitted")] == 11
        assert told[("member", "assessment_approved")] == 2  # 520101, last year's 2 rounds
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0
    password = [line.split()[1] for line in again.output.splitlines()
                if line.strip().startswith("member ")][0]
    client = app.test_client()
    response = client.post("/login", data={"username": "member", "password": password})
    assert response.status_code == 302


def test_framework_check(runner, tmp_path):
    ok = runner.invoke(args=["framework", "check"])
    assert ok.exit_code == 0 and "23 indicators" in ok.output
    bad = tmp_path / "2571.yaml"
    bad.write_text("fiscal_year: 2571\ncategories: []\n", encoding="utf-8")
    result = runner.invoke(args=["framework", "check", str(bad)])
    assert result.exit_code == 1 and "'categories' must be a non-empty list" in result.output


def test_users_add_checks_role_and_area(app, runner, world):
    ok = runner.invoke(args=["users", "add", "somchai", "--name", "นายสมชาย", "--role",
                             "district_officer", "--area", "5202", "--password", "x-123456"])
    assert ok.exit_code == 0, ok.output
    with app.app_context():
        user = db.session.query(User).filter_by(username="somchai").one()
        assert user.scope_codes == ["5202"] and user.check_password("x-123456")
    bad = runner.invoke(args=["users", "add", "somsri", "--name", "x", "--role", "member",
                              "--area", "5201", "--password", "x"])
    assert bad.exit_code == 2 and "6-digit" in bad.output
    bad = runner.invoke(args=["users", "add", "somchai", "--name", "x", "--role",
                              "province_officer", "--area", "99", "--password", "x"])
    assert "is taken" in bad.output and "not loaded" in bad.output
