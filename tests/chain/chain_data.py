"""Due items and a district register, made through the services for the chain's tests."""

import hashlib

from sqlalchemy import select

from korch_pwa.chain import due_services
from korch_pwa.chain.models import DueItem
from korch_pwa.committees.models import AppointmentOrder
from korch_pwa.extensions import db
from korch_pwa.files.models import StoredFile

from tests.register_data import PDF_BYTES, make_committee


def year_items(app, year=2570):
    """Set the department's default dates for ``year``; return {kind: item id}."""
    with app.app_context():
        due_services.set_year_dates(year, due_services.suggested_year_dates(year))
        db.session.commit()
        ids = {i.kind: i.id for i in db.session.scalars(
            select(DueItem).where(DueItem.fiscal_year == year, DueItem.round_id.is_(None)))}
        db.session.remove()
    return ids


def scanned(order_id):
    """Attach a scanned PDF to an order."""
    order = db.session.get(AppointmentOrder, order_id)
    order.file = StoredFile(area_code=order.committee.area_code, filename="order.pdf",
                            content_type="application/pdf", size=len(PDF_BYTES),
                            sha256=hashlib.sha256(PDF_BYTES).hexdigest(), data=PDF_BYTES,
                            uploaded_by=order.created_by)
    db.session.commit()


def district_register(app):
    """Give district 5201 a ศอช.อ. with a scan, and 520101 a ศอช.ต. without one."""
    with app.app_context():
        district = make_committee("5201", number="1/2569")
        scanned(district["order"])
        make_committee("520101", members=(
            ("นาง", "สมใจ", "ทดสอบ", "ประธาน", "กลุ่มออมทรัพย์", "0812345678"),
            ("นาย", "บุญมี", "ทดสอบ", "เลขานุการ", "กองทุนหมู่บ้าน", "0812345679")),
            number="5/2569")
        db.session.remove()
