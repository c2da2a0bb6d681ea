"""Administrative areas from the Department of Provincial Administration."""

from ..extensions import db


class Area(db.Model):
    """A province (2-digit code), district (4) or subdistrict (6)."""

    __tablename__ = "areas"
    # ``code LIKE '30%'`` (everything under an area) with an index on
    # PostgreSQL whatever the database's collation; a plain index elsewhere.
    __table_args__ = (db.Index("ix_areas_code_prefix", "code",
                               postgresql_ops={"code": "varchar_pattern_ops"}),)

    code = db.Column(db.String(6), primary_key=True)
    level = db.Column(db.String(12), nullable=False, index=True)
    name_th = db.Column(db.String(120), nullable=False)
    name_en = db.Column(db.String(120), nullable=False, default="")
    parent_code = db.Column(db.String(6), db.ForeignKey("areas.code"), index=True)

    LEVELS = {2: "province", 4: "district", 6: "subdistrict"}

    def name(self, locale="th"):
        """Return the name in the reader's language."""
        return self.name_en if locale == "en" and self.name_en else self.name_th

    def __repr__(self):
        return f"<Area {self.code} {self.name_th}>"
