"""The inbox: a person's notices, the unread count in every page's header."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.limits import NOTICES_PAGE
from ..extensions import db
from ..i18n import current_locale
from . import services
from .rendering import notice_texts

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.app_context_processor
def unread_notices():
    """Give every page the person's unread count, counted only when the header asks."""
    def inbox_unread():
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user.id)
    return {"inbox_unread": inbox_unread}


def _rendered(notices):
    """Return (notice, text) pairs in the reader's language."""
    return list(zip(notices, notice_texts(notices, current_locale())))


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
