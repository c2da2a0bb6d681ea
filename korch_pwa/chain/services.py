"""Reading and naming a province's coordinator."""

from sqlalchemy import update

from ..auth.models import utcnow
from ..domain.roles import covers_country
from ..extensions import db
from ..inserts import insert_ignore
from .models import ProvinceCoordinator


def coordinator_of(province_code):
    """Return the province's coordinator, or None when it named none."""
    return db.session.get(ProvinceCoordinator, province_code) if province_code else None


def province_of(user):
    """Return the one province a person works in, or None (the country, or none)."""
    if covers_country(user.role):
        return None
    provinces = {code[:2] for code in user.scope_codes}
    return provinces.pop() if len(provinces) == 1 else None


def set_coordinator(province_code, name, position, phone, actor):
    """Name (or rename) a province's coordinator; ``phone`` is bare digits."""
    values = {"name": name, "position": position, "phone": phone, "updated_by": actor.id,
              "updated_at": utcnow()}
    # Two officers of one province saving at once: the second's insert does
    # nothing and its update wins, rather than a duplicate key failing.
    connection = db.session.connection()
    if not insert_ignore(connection, ProvinceCoordinator.__table__,
                         {"province_code": province_code, **values}):
        connection.execute(update(ProvinceCoordinator.__table__).where(
            ProvinceCoordinator.province_code == province_code).values(**values))
