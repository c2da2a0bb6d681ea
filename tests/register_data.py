"""Register data made through the services, shared by the register tests."""

from datetime import date

from sqlalchemy import select

from korch_pwa.auth.models import User
from korch_pwa.committees import services
from korch_pwa.extensions import db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_committee(code, members=(("นาง", "สมใจ", "ทดสอบ", "ประธาน", "กลุ่มออมทรัพย์",
                                   "0812345678"),), number="1/2569",
                   order_date=date(2026, 1, 15), kind="korch"):
    """Create a committee of ``code`` with one order and its members; return ids."""
    user = db.session.scalar(select(User).where(User.username == "district_x"))
    committee = services.committee_for(code, kind)
    order = services.record_order(committee, {"number": number, "order_date": order_date},
                                  None, user)
    ids = []
    for title, first, last, position, org, phone in members:
        member = services.add_member(committee, dict(
            title=title, first_name=first, last_name=last, position=position,
            organisation=org, phone=phone))
        ids.append(member.id)
    db.session.commit()
    return {"committee": committee.id, "order": order.id, "members": ids}


