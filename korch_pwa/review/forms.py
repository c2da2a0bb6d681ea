"""The decision form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from ..domain.limits import COMMENT_MAX


class DecisionForm(FlaskForm):
    """Approve or return, about the version the officer saw.

    Comments per indicator are fields named ``comment-<code>`` read by
    ``indicator_comments`` because the indicators come from the framework file.
    """

    version = IntegerField(validators=[InputRequired()])
    decision = RadioField(_l("ผลการตรวจ"), choices=[
        SelectChoice("approve", _l("อนุมัติ")), SelectChoice("return", _l("ส่งกลับให้แก้ไข")),
        SelectChoice("reopen", _l("เปิดให้คณะกรรมการแก้ไขอีกครั้ง"))],
        validators=[InputRequired(_l("กรุณาเลือกอนุมัติหรือส่งกลับ")),
                    AnyOf(["approve", "return", "reopen"])])
    comment = TextAreaField(_l("ความเห็นโดยรวม"), validators=[Length(max=COMMENT_MAX)])


def indicator_comments(framework, formdata):
    """Return code -> comment text for the indicators the officer wrote on."""
    return {i.code: formdata.get(f"comment-{i.code}", "")
            for i in framework.indicators if formdata.get(f"comment-{i.code}", "").strip()}
