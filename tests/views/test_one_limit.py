"""One limit for one thing: the note and comment lengths the form, the API and the page share.

Also the junk that used to reach a 500 or a raw Python message from the
assessment form: odd digits, thousands of digits, NUL.
"""

import json
import re
import uuid

import pytest
from sqlalchemy import select

from korch_pwa.assessment.models import Answer, Assessment
from korch_pwa.domain.limits import COMMENT_MAX, NOTE_MAX
from korch_pwa.extensions import db
from korch_pwa.sync_api.schemas import AnswerSchema, DecisionItemSchema
from tests.helpers import full_form

from tests.views.test_review_views import status_of, submitted  # noqa: F401  (fixture)


def stored_notes(app):
    with app.app_context():
        notes = dict(db.session.execute(select(Answer.indicator_code, Answer.note)).all())
        db.session.remove()
    return notes


def test_the_page_the_schema_and_the_service_use_the_same_note_limit(client, auth, world):
    """The textarea's maxlength and the API's maximum are NOTE_MAX."""
    auth.login("member_a")
    page = client.get(f"/assessment/520101/{world['round']}").text
    assert set(re.findall(r'name="note-[^"]+" rows="2" maxlength="(\d+)"', page)) == {str(NOTE_MAX)}
    assert any(getattr(v, "max", None) == NOTE_MAX
               for v in AnswerSchema().fields["note"].validators)
    assert any(getattr(v, "max", None) == COMMENT_MAX
               for v in DecisionItemSchema().fields["comment"].validators)


def test_a_note_one_over_the_limit_is_refused_on_the_page_and_kept_typed(app, client, auth,
                                                                          world):
    """The form used to take 5,000 characters that the API then refused forever."""
    auth.login("member_a")
    url = f"/assessment/520101/{world['round']}"
    too_long = "ก" * (NOTE_MAX + 1)
    response = client.post(url, data=full_form(score=2, **{"note-1.1": too_long}))
    assert response.status_code == 422
    assert f"ไม่เกิน {NOTE_MAX} ตัวอักษร" in response.text
    assert too_long in response.text  # what was typed comes back
    assert stored_notes(app) == {}
    response = client.post(url, data=full_form(score=2, **{"note-1.1": "ก" * NOTE_MAX}))
    assert response.status_code == 302 and stored_notes(app)["1.1"] == "ก" * NOTE_MAX


def test_the_api_refuses_the_same_note_the_page_refuses(app, client, auth, world):
    """One over the limit is a 422 on the API too; at the limit it is stored."""
    auth.login("member_a")

    def item(note):
        return {"client_id": str(uuid.uuid4()), "type": "assessment.save",
                "round_id": world["round"], "subdistrict_code": "520101",
                "assessment_id": None, "version": 0,
                "changes": [{"indicator": "1.1", "base": {"score": None, "note": ""},
                             "mine": {"score": 1, "note": note}}]}

    body = client.post("/api/v1/sync", data=json.dumps(
        {"items": [item("ข" * (NOTE_MAX + 1)), item("ข" * NOTE_MAX)]}),
        content_type="application/json").get_json()
    assert [r["status_code"] for r in body["results"]] == [422, 200]


@pytest.mark.parametrize("field, value", [
    ("score-1.1", "²"), ("score-1.1", "٣"), ("score-1.1", "9" * 5000), ("score-1.1", "-"),
    ("note-1.1", "มี\x00ศูนย์"), ("score-1.1", "12345678901"),
])
def test_junk_in_the_form_is_a_thai_message_not_a_500(app, client, auth, world, field, value):
    """Each used to be a 500 or a raw Python message; now a 422 in Thai, typed value back."""
    auth.login("member_a")
    response = client.post(f"/assessment/520101/{world['round']}",
                           data=full_form(score=2, **{field: value}))
    assert response.status_code == 422
    assert "invalid literal" not in response.text and "Exceeds the limit" not in response.text
    assert "Traceback" not in response.text
    assert ("คะแนนนี้ไม่อยู่ในเกณฑ์" in response.text
            or "อักขระที่ระบบเก็บไม่ได้" in response.text)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Assessment)) == 0
        db.session.remove()


def test_a_return_comment_over_the_limit_is_refused(app, client, auth, submitted):  # noqa: F811
    """Per-indicator and overall comments share COMMENT_MAX."""
    assessment_id, version = submitted
    auth.login("district_x")
    response = client.post(f"/review/{assessment_id}/decide", data={
        "version": version, "decision": "return", "comment-1.3": "ค" * (COMMENT_MAX + 1)})
    assert response.status_code == 422 and f"ไม่เกิน {COMMENT_MAX} ตัวอักษร" in response.text
    assert status_of(app, assessment_id) == "submitted"
    page = client.get(f"/review/{assessment_id}").text
    assert f'maxlength="{COMMENT_MAX}"' in page
