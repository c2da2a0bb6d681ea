"""The decision form."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice

from ..domain.limits import COMMENT_MAX
from ..fields import ChoiceField, Int32Field, MaxLength, Required, SafeForm


class DecisionForm(SafeForm):
    """Approve or return, about the version the officer saw.

    Comments per indicator are fields named ``comment-<code>`` read by
    ``indicator_comments`` because the indicators come from the framework file.
    """

    # Hidden: the view says the page is out of date when it is missing or junk.
    version = Int32Field(validators=[Required(_l("กรุณาเปิดหน้านี้ใหม่"))])
    decision = ChoiceField(_l("ผลการตรวจ"), choices=[
        SelectChoice("approve", _l("อนุมัติ")), SelectChoice("return", _l("ส่งกลับให้แก้ไข")),
        SelectChoice("reopen", _l("เปิดให้คณะกรรมการแก้ไขอีกครั้ง"))],
        validators=[Required(_l("กรุณาเลือกอนุมัติหรือส่งกลับ"))])
    comment = TextAreaField(_l("ความเห็นโดยรวม"), validators=[MaxLength(COMMENT_MAX)])


def evidence_wanted(framework, formdata):
    """Return the codes of the indicators on which the officer ticked "ask for better evidence"."""
    return [i.code for i in framework.indicators if formdata.get(f"evidence-{i.code}")]


def indicator_comments(framework, formdata):
    """Return code -> comment text, as typed, for the indicators the officer wrote on.

    Kept as typed so that a refused decision shows it again; the service
    drops the blank ones.
    """
    return {i.code: formdata[f"comment-{i.code}"]
            for i in framework.indicators if formdata.get(f"comment-{i.code}")}
