"""Loading and reading the geography."""

from sqlalchemy import select

from ..extensions import db
from .models import Area

BANGKOK = "10"


def areas_by_code(codes):
    """Return {code: Area} for ``codes`` (None and repeats ignored), in one query."""
    codes = {c for c in codes if isinstance(c, str)}
    if not codes:
        return {}
    return {a.code: a for a in db.session.scalars(select(Area).where(Area.code.in_(codes)))}


def gazetteer_rows(province_codes=None, include_bangkok=False):
    """Yield area dicts from the geothai package, provinces before children."""
    import geothai

    for province in geothai.provinces():
        if province.code == BANGKOK and not include_bangkok:
            continue
        if province_codes and province.code not in province_codes:
            continue
        yield dict(code=province.code, level="province", name_th=province.name_th,
                   name_en=province.name_en, parent_code=None)
        for district in geothai.districts(province.code):
            yield dict(code=district.code, level="district", name_th=district.name_th,
                       name_en=district.name_en, parent_code=province.code)
            for sub in geothai.subdistricts(district.code):
                yield dict(code=sub.code, level="subdistrict", name_th=sub.name_th,
                           name_en=sub.name_en, parent_code=district.code)


def load_geography(province_codes=None, include_bangkok=False):
    """Insert or update areas from the gazetteer; return how many were new.

    Idempotent, so it can be run again after geothai publishes new data.
    """
    existing = {a.code: a for a in db.session.scalars(select(Area))}
    added = 0
    for row in gazetteer_rows(province_codes, include_bangkok):
        area = existing.get(row["code"])
        if area is None:
            db.session.add(Area(**row))
            added += 1
        else:
            for key, value in row.items():
                setattr(area, key, value)
    db.session.flush()
    return added


def area_or_none(code):
    """Return the area with ``code`` or None."""
    return db.session.get(Area, code)


def children(code, level=None):
    """Return the areas directly below ``code`` (or the provinces for None)."""
    query = select(Area).where(Area.parent_code == code if code else Area.level == "province")
    if level:
        query = query.where(Area.level == level)
    return list(db.session.scalars(query.order_by(Area.code)))


def subdistricts_under(prefix):
    """Return every subdistrict whose code starts with ``prefix``."""
    query = select(Area).where(Area.level == "subdistrict", Area.code.startswith(prefix))
    return list(db.session.scalars(query.order_by(Area.code)))
