"""The round picker shared by the review list and the dashboard."""

from flask import abort, request

from .. import clock
from ..assessment.models import Round
from ..assessment.services import current_round
from ..extensions import db
from .services import all_rounds


def picker_rounds():
    """Return every round, oldest first, for the picker."""
    return all_rounds(newest_first=False)


def chosen_round():
    """Return the round in ?round= (404 if unknown), else the current one or None."""
    round_id = request.args.get("round", type=int)
    if not round_id:
        return current_round(clock.today())
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        abort(404)
    return rnd
