"""A notice's words in a reader's language: for the inbox, e-mail and LINE alike.

Notices store an event and its values (area codes, an item's kind, an ISO
date); the names and dates are put in here, when read.
"""

from datetime import date

from ..domain.due_items import Kind, item_title
from ..domain.messages import Message
from ..domain.notices import AREA_TITLES, ASSESSMENT_ITEM, notice_text
from ..i18n import render_message
from ..org.services import areas_by_code

KINDS = {kind.value for kind in Kind}


def _iso_date(text):
    """Return a stored ISO date as a date (shown the reader's way), or the text as it was."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def notice_texts(notices, locale):
    """Return each notice's text in ``locale`` (the caller sets Babel's locale to it)."""
    params_of = [dict(n.params) if isinstance(n.params, dict) else {} for n in notices]
    areas = areas_by_code(p.get(key) for p in params_of for key in ("subdistrict", "area"))
    texts = []
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
        texts.append(render_message(notice_text(notice.event, params)))
    return texts
