"""insert_ignore says truly whether it inserted, on SQLite and PostgreSQL alike."""

from sqlalchemy import select

from korch_pwa.chain.models import ProvinceCoordinator
from korch_pwa.extensions import db
from korch_pwa.inserts import insert_ignore


def test_the_first_insert_is_told_and_the_second_leaves_the_row(app, world):
    # psycopg 3 gave rowcount -1 either way, so every caller was told "not inserted".
    table = ProvinceCoordinator.__table__
    with app.app_context():
        connection = db.session.connection()
        first = insert_ignore(connection, table, {"province_code": "52", "name": "หนึ่ง",
                                                  "position": "", "phone": "0812345678"})
        second = insert_ignore(connection, table, {"province_code": "52", "name": "สอง",
                                                   "position": "", "phone": "0812345678"})
        db.session.commit()
        names = db.session.scalars(select(table.c.name)).all()
        db.session.remove()
    assert (first, second, names) == (True, False, ["หนึ่ง"])


def test_upsert_inserts_then_replaces_the_other_columns(app, world):
    from korch_pwa.inserts import upsert

    table = ProvinceCoordinator.__table__
    with app.app_context():
        connection = db.session.connection()
        for name in ("หนึ่ง", "สอง"):
            upsert(connection, table, {"province_code": "52", "name": name, "position": "",
                                       "phone": "0812345678"}, keys=("province_code",))
        db.session.commit()
        rows = db.session.execute(select(table.c.province_code, table.c.name)).all()
        db.session.remove()
    assert [tuple(r) for r in rows] == [("52", "สอง")]
