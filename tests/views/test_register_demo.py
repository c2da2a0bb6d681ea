"""The demo fills the district's register so that the pages are not empty."""

from sqlalchemy import func, select

from korch_pwa.committees.models import (Committee, CommitteeMember, Meeting,
                                         StrongSubdistrictActivity)
from korch_pwa.demo import load_demo
from korch_pwa.extensions import db


def test_demo_register(app, client):
    """Committees, members, meetings, a ก.บ.ต. order and activities in 5201; twice is safe."""
    with app.app_context():
        load_demo("demo-pass")
        load_demo("demo-pass")
        kinds = db.session.execute(select(Committee.kind, func.count()).group_by(
            Committee.kind)).all()
        assert dict(kinds) == {"korch": 6, "kbt": 1}
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 7
        assert db.session.scalar(select(func.count()).select_from(
            StrongSubdistrictActivity)) == 4
        qualified = db.session.scalars(select(CommitteeMember).where(
            CommitteeMember.korch_member_id.is_not(None))).all()
        assert len(qualified) == 2 and {m.position for m in qualified} == {"ผู้ทรงคุณวุฒิ"}
    client.post("/login", data={"username": "district", "password": "demo-pass"})
    page = client.get("/register/").get_data(as_text=True)
    assert "ประชุมแล้ว 2/2 ครั้ง ปีงบประมาณ 2570" in page
    assert "ประชุมแล้ว 1/2 ครั้ง ปีงบประมาณ 2570" in page
    assert "ผู้ทรงคุณวุฒิ" not in page
    history = client.get("/register/520101/history").get_data(as_text=True)
    assert "กรรมการ" in history and "ยังไม่มีวาระที่ผ่านมา" not in history
