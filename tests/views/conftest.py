"""Fixtures of the register view tests."""

import pytest
from tests.register_data import make_committee

from korch_pwa.extensions import db


@pytest.fixture
def register(app, world):
    """Committees of 520101 (two members) and 520201 (another district)."""
    with app.app_context():
        mine = make_committee("520101", members=(
            ("นาง", "สมใจ", "ทดสอบ", "ประธาน", "กลุ่มออมทรัพย์", "0812345678"),
            ("นาย", "บุญมา", "ทดลอง", "เลขานุการ", "กองทุนหมู่บ้าน", "")))
        other = make_committee("520201", members=(
            ("นาย", "อื่น", "ไกล", "ประธาน", "", "0899999999"),))
        db.session.remove()
    return {"mine": mine, "other": other}
