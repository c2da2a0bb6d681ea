"""The inbox: a person's notices, the unread count in every page's header."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.people_views import area_names
from ..domain.limits import NOTICES_PAGE
from ..domain.due_items import Kind, item_title
from ..domain.messages import Message
from ..domain.notices import AREA_TITLES, ASSESSMENT_ITEM, notice_text
from ..extensions import db
from ..i18n import current_locale, render_message
from . import services

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
KINDS = {kind.value for kind in Kind}


@bp.app_context_processor
def unread_notices():
    """Give every page the person's unread count, counted only when the header asks."""
    def inbox_unread():
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user.id)
    return {"inbox_unread": inbox_unread}


def _iso_date(text):
    """Return a stored ISO date as a date (shown the reader's way), or the text as it was."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _rendered(notices):
    """Return (notice, text) pairs, area codes and items named in the reader's language."""
    params_of = [dict(n.params) if isinstance(n.params, dict) else {} for n in notices]
    areas = area_names(p.get(key) for p in params_of for key in ("subdistrict", "area")
                       if isinstance(p.get(key), str))
    locale = current_locale()
    shown = []
    for notice, params in zip(notices, params_of):
        area = areas.get(params.get("subdistrict"))
        if area is not None:
            params["subdistrict"] = area.name(locale)
        area = areas.get(params.get("area"))
        if area is not None and area.level in AREA_TITLES:
            params["area"] = render_message(Message(AREA_TITLES[area.level],
                                                    {"name": area.name(locale)}))
        if params.get("item") in KINDS:
            params["item"] = render_message(item_title(params["item"], params.get("number")))
        elif params.get("item") == "assessment":
            params["item"] = render_message(Message(ASSESSMENT_ITEM,
                                                    {"number": params.get("number")}))
        if isinstance(params.get("due"), str):
            params["due"] = _iso_date(params["due"])
        shown.append((notice, render_message(notice_text(notice.event, params))))
    return shown


@bp.route("")
@login_required
def index():
    """The person's notices, newest first, a page at a time."""
    before = request.args.get("before", type=int)
    notices = services.inbox(current_user.id, before, NOTICES_PAGE + 1)
    more = len(notices) > NOTICES_PAGE
    notices = notices[:NOTICES_PAGE]
    return render_template("inbox/index.html", notices=_rendered(notices),
                           older=notices[-1].id if more else None,
                           unread=services.unread_count(current_user.id))


@bp.route("/<int:notice_id>")
@login_required
def open_notice(notice_id):
    """Mark a notice read and go to what it is about."""
    notice = services.open_notice(current_user.id, notice_id)
    if notice is None:
        abort(404)
    db.session.commit()
    link = notice.link or ""
    # Written by the app itself; still, only ever a path inside it.
    if not link.startswith("/") or link.startswith("//"):
        return redirect(url_for("inbox.index"))
    return redirect(link)


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    """Mark every notice read."""
    count = services.mark_all_read(current_user.id)
    db.session.commit()
    flash(_("ทำเครื่องหมายว่าอ่านแล้ว %(n)s รายการ", n=count), "success")
    return redirect(url_for("inbox.index"))
