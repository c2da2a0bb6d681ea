"""Which indicators hold an area's subdistricts back, and which subdistricts: for support visits."""

from flask import Blueprint, render_template

from .. import clock
from ..access import permission_required
from ..assessment.services import framework_for_round
from ..domain.next_steps import area_needs
from ..domain.roles import Permission
from ..domain.thai_dates import fiscal_year
from ..framework_versions.services import codes_read_as
from ..org.services import areas_by_code, children
from ..reports.scope import chosen_area
from ..rounds.picker import chosen_round, picker_rounds
from .needs import approved_scores

bp = Blueprint("next_steps", __name__, url_prefix="/dashboard")


@bp.route("/next-steps")
@permission_required(Permission.VIEW_DASHBOARD)
def area_plan():
    """List the indicators most subdistricts need next, with who needs each."""
    rnd, code = chosen_round(), chosen_area()
    if rnd is None or not code:
        # The whole country is too much for one list: pick a province first.
        return render_template("dashboard/next_steps.html", rnd=rnd, rounds=picker_rounds(),
                               code=code, needs=None, provinces=children(""), area=None,
                               report_year=rnd.fiscal_year if rnd else fiscal_year(clock.today()),
                               names={})
    framework = framework_for_round(rnd)
    scores = approved_scores(rnd.id, code, codes_read_as(framework))
    needs = area_needs(framework, scores)
    names = areas_by_code([c for need in needs for c, _score in need.held] + [code])
    return render_template("dashboard/next_steps.html", rnd=rnd, rounds=picker_rounds(),
                           code=code, needs=needs, approved=len(scores), names=names,
                           area=names.get(code), report_year=rnd.fiscal_year, provinces=[])
