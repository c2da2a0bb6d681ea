"""Evidence through the test client: uploads that resume, attach by hash, who sees what."""

import uuid

import pytest
from sqlalchemy import func, select

from korch_pwa.domain.limits import EVIDENCE_CHUNK_MAX, EVIDENCE_FILE_MAX
from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.models import (EvidenceAttachment, EvidenceChunk, EvidenceFile,
                                       EvidenceHolder, EvidenceObject, EvidenceUpload)
from korch_pwa.extensions import db
from tests.evidence.images import noisy_photo, pdf, photo
from tests.helpers import full_form


def put(client, data, code="520101", offset=0, length=None, chunk=None, sha=None):
    """Send ``chunk`` (default: all of ``data`` from ``offset``) of a file."""
    body = data[offset:] if chunk is None else chunk
    return client.put(f"/api/v1/evidence/{code}/{sha or sha256_hex(data)}",
                       query_string={"offset": offset,
                                     "length": len(data) if length is None else length},
                       data=body, content_type="application/octet-stream")


def send_in_chunks(client, data, start=0, size=EVIDENCE_CHUNK_MAX):
    """Send a file chunk by chunk from ``start``; return the last response."""
    offset = start
    while True:
        response = put(client, data, offset=offset, chunk=data[offset:offset + size])
        assert response.status_code == 200, response.json
        offset = response.json["offset"]
        if response.json["complete"]:
            return response


def missing(client, *datas, code="520101"):
    """Ask which of these files the subdistrict still has to send."""
    return client.post("/api/v1/evidence/missing", json={
        "subdistrict_code": code, "sha256": [sha256_hex(d) for d in datas]})


def attach_item(world, data, indicator="1.1", code="520101", content_type="image/jpeg",
                **extra):
    """Return an evidence.attach sync item for ``data``."""
    return {"client_id": str(uuid.uuid4()), "type": "evidence.attach",
            "round_id": world["round"], "subdistrict_code": code, "indicator": indicator,
            "sha256": sha256_hex(data), "content_type": content_type, "size": len(data),
            "caption": "ภาพการประชุม", "filename": "IMG_0001.jpg", **extra}


def sync(client, *items):
    """Send a batch; return the results."""
    response = client.post("/api/v1/sync", json={"items": list(items)})
    assert response.status_code == 200, response.json
    return response.json["results"]


def rows(app, model, *where):
    """Return how many rows of ``model`` match."""
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
        return n


# -- Uploads --------------------------------------------------------------------------


def test_a_file_sent_whole_is_kept_once_and_no_longer_missing(app, client, auth, world):
    auth.login("member_a")
    data = photo()
    assert missing(client, data).json == {"missing": [{"sha256": sha256_hex(data),
                                                      "offset": 0}]}
    response = put(client, data)
    assert response.status_code == 200
    assert response.json == {"sha256": sha256_hex(data), "offset": len(data),
                             "length": len(data), "complete": True}
    assert response.headers["Cache-Control"] == "no-store"
    again = put(client, data)  # a phone that lost the answer sends it again
    assert again.status_code == 200 and again.json["complete"]
    assert missing(client, data).json == {"missing": []}
    assert rows(app, EvidenceFile) == 1 and rows(app, EvidenceHolder) == 1
    assert rows(app, EvidenceObject) == 2  # the file and its thumbnail


def test_the_same_file_from_two_subdistricts_is_stored_once(app, client, auth, world):
    data = photo()
    auth.login("member_a")
    assert put(client, data).status_code == 200
    auth.logout()
    auth.login("member_b")  # 520102 knows the hash, but has not sent the file itself
    assert missing(client, data, code="520102").json["missing"][0]["offset"] == 0
    assert client.get(f"/evidence/520101/{sha256_hex(data)}").status_code == 404
    assert client.get(f"/evidence/520102/{sha256_hex(data)}").status_code == 404
    assert put(client, data, code="520102").status_code == 200
    assert client.get(f"/evidence/520102/{sha256_hex(data)}").data == data
    assert rows(app, EvidenceObject) == 2 and rows(app, EvidenceFile) == 1
    assert rows(app, EvidenceHolder) == 2


def test_a_chunked_upload_cut_in_the_middle_resumes_from_the_server_offset(
        app, client, auth, world):
    auth.login("member_a")
    data = noisy_photo(1800, 1400)
    assert len(data) > 1.5 * EVIDENCE_CHUNK_MAX  # three chunks
    first = put(client, data, chunk=data[:EVIDENCE_CHUNK_MAX])
    assert first.json == {"sha256": sha256_hex(data), "offset": EVIDENCE_CHUNK_MAX,
                          "length": len(data), "complete": False}
    # The connection dropped: the phone asks where to go on.
    assert missing(client, data).json["missing"] == [
        {"sha256": sha256_hex(data), "offset": EVIDENCE_CHUNK_MAX}]
    # A chunk from the wrong place (the phone thought nothing arrived) is refused.
    wrong = put(client, data, chunk=data[:1000])
    assert wrong.status_code == 409
    assert wrong.json["code"] == "offset_mismatch"
    assert wrong.json["detail"] == {"offset": EVIDENCE_CHUNK_MAX}
    assert "ส่งต่อจากไบต์ที่" in wrong.json["message"]
    # The same chunk again (its answer was lost) is refused the same way, not appended twice.
    assert put(client, data, chunk=data[:EVIDENCE_CHUNK_MAX]).status_code == 409
    done = send_in_chunks(client, data, start=EVIDENCE_CHUNK_MAX, size=700_000)
    assert done.json["offset"] == len(data)
    assert client.get(f"/evidence/520101/{sha256_hex(data)}").data == data
    assert rows(app, EvidenceUpload) == 0 and rows(app, EvidenceChunk) == 0


def test_a_whole_file_that_is_not_the_hash_is_refused_and_forgotten(app, client, auth, world):
    auth.login("member_a")
    data = noisy_photo(1800, 1400)
    assert put(client, data, chunk=data[:EVIDENCE_CHUNK_MAX]).status_code == 200
    damaged = data[:EVIDENCE_CHUNK_MAX] + b"\0" * (len(data) - EVIDENCE_CHUNK_MAX)
    offset = EVIDENCE_CHUNK_MAX
    while True:  # the damage shows only once the last byte is in
        response = put(client, data, offset=offset,
                       chunk=damaged[offset:offset + EVIDENCE_CHUNK_MAX])
        if response.status_code != 200:
            break
        offset = response.json["offset"]
    assert offset + EVIDENCE_CHUNK_MAX >= len(data)
    assert response.status_code == 422 and response.json["code"] == "hash_mismatch"
    assert rows(app, EvidenceUpload) == 0 and rows(app, EvidenceChunk) == 0
    assert rows(app, EvidenceFile) == 0
    assert missing(client, data).json["missing"][0]["offset"] == 0


def test_a_file_of_the_wrong_type_is_refused_with_a_thai_message(app, client, auth, world):
    auth.login("member_a")
    data = b"GIF89a" + bytes(200)
    response = put(client, data)
    assert response.status_code == 422
    assert response.json["code"] == "evidence_type"
    assert "รับเฉพาะรูปภาพ" in response.json["message"]
    assert rows(app, EvidenceFile) == 0 and rows(app, EvidenceObject) == 0


def test_size_limits(app, client, auth, world):
    auth.login("member_a")
    too_big = put(client, b"%PDF-", length=EVIDENCE_FILE_MAX + 1)
    assert too_big.status_code == 413 and too_big.json["code"] == "evidence_too_large"
    assert "10 MB" in too_big.json["message"]
    chunk = put(client, b"x", length=EVIDENCE_FILE_MAX, chunk=bytes(EVIDENCE_CHUNK_MAX + 1))
    assert chunk.status_code == 413 and chunk.json["code"] == "chunk_too_large"
    beyond = put(client, b"x", length=10, chunk=bytes(11))
    assert beyond.status_code == 422 and beyond.json["code"] == "beyond_length"
    empty = put(client, b"x", length=10, chunk=b"")
    assert empty.status_code == 422 and empty.json["code"] == "file_empty"
    assert rows(app, EvidenceUpload) == 0


def test_a_pdf_is_kept_and_served_safely(app, client, auth, world):
    auth.login("member_a")
    data = pdf()
    assert put(client, data).status_code == 200
    response = client.get(f"/evidence/520101/{sha256_hex(data)}")
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="evidence-{sha256_hex(data)[:12]}.pdf"')
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "private" in response.headers["Cache-Control"]
    assert client.get(f"/evidence/520101/{sha256_hex(data)}/thumb").status_code == 404


@pytest.mark.parametrize("code,sha", [("520102", None), ("5201", None), ("52010x", None),
                                      ("520101\x00", None),
                                      ("520101", "A" * 64), ("520101", "../" * 21 + "a")])
def test_uploads_outside_the_person_s_subdistricts_are_404(app, client, auth, world, code,
                                                           sha):
    auth.login("member_a")
    assert put(client, photo(), code=code, sha=sha).status_code == 404
    assert rows(app, EvidenceFile) == 0


def test_officers_and_anonymous_cannot_upload(client, auth, world):
    assert put(client, photo()).status_code == 401
    assert missing(client, photo()).status_code == 401
    auth.login("district_x")
    assert put(client, photo()).status_code == 403
    assert missing(client, photo()).status_code == 403


def test_bad_upload_requests_name_the_field(client, auth, world):
    auth.login("member_a")
    data = photo()
    sha = sha256_hex(data)
    for query in ({}, {"offset": "-1", "length": "5"}, {"offset": "0", "length": "x"},
                  {"offset": "0", "length": "0"}):
        response = client.put(f"/api/v1/evidence/520101/{sha}", query_string=query, data=data)
        assert response.status_code == 422, query
        assert response.json["code"] == "invalid" and response.json["field"] in (
            "offset", "length")
    for body in ({}, {"subdistrict_code": "520101", "sha256": []},
                 {"subdistrict_code": "520101", "sha256": ["nothex"]}, [1]):
        response = client.post("/api/v1/evidence/missing", json=body)
        assert response.status_code == 422, body
    assert client.post("/api/v1/evidence/missing", json={
        "subdistrict_code": "520201", "sha256": [sha]}).status_code == 404


# -- Attach by hash -------------------------------------------------------------------


def test_an_answer_s_file_may_arrive_after_it_and_the_officer_sees_it_wait(
        app, client, auth, world):
    data = photo(width=400, height=300)
    auth.login("member_a")
    item = attach_item(world, data)
    [result] = sync(client, item)
    assert result["status"] == "ok"
    assert result["attachment"] == {
        "id": item["client_id"], "indicator": "1.1", "sha256": sha256_hex(data),
        "content_type": "image/jpeg", "size": len(data), "caption": "ภาพการประชุม",
        "filename": "IMG_0001.jpg", "arrived": False}
    assert sync(client, item) == [result]  # sent twice, stored once
    assert rows(app, EvidenceAttachment) == 1
    page = client.get(f"/assessment/520101/{world['round']}").get_data(as_text=True)
    assert "รอไฟล์" in page
    assert put(client, data).status_code == 200
    client.post(f"/assessment/520101/{world['round']}",
                data=full_form(score=2, action="submit"))
    auth.logout()
    auth.login("district_x")
    with app.app_context():
        from korch_pwa.assessment.models import Assessment
        assessment_id = db.session.scalar(select(Assessment.id))
        db.session.remove()
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    thumb = f"/evidence/520101/{sha256_hex(data)}/thumb"
    assert thumb in page and 'loading="lazy"' in page and "รอไฟล์" not in page
    assert "ไม่มีหลักฐานแนบ" in page  # the indicators without any
    response = client.get(thumb)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data[:3] == b"\xff\xd8\xff" and len(response.data) < len(data)
    assert client.get(f"/evidence/520101/{sha256_hex(data)}").data == data
    auth.logout()
    auth.login("district_y")
    assert client.get(thumb).status_code == 404


def test_remove_then_the_page_no_longer_shows_it(app, client, auth, world):
    auth.login("member_a")
    data = photo()
    put(client, data)
    item = attach_item(world, data)
    sync(client, item)
    remove = {"client_id": str(uuid.uuid4()), "type": "evidence.remove",
              "attachment_id": item["client_id"]}
    [result] = sync(client, remove)
    assert result["status"] == "ok"
    page = client.get(f"/assessment/520101/{world['round']}").get_data(as_text=True)
    assert sha256_hex(data) not in page
    assert rows(app, EvidenceAttachment, EvidenceAttachment.removed_at.isnot(None)) == 1
    auth.logout()
    auth.login("member_b")
    other = {**remove, "client_id": str(uuid.uuid4())}
    assert sync(client, other)[0]["status_code"] == 404


def test_attach_is_checked_like_answers(app, client, auth, world):
    auth.login("member_a")
    data = photo()
    results = sync(client, attach_item(world, data, code="520102"),
                   attach_item(world, data, indicator="9.9"),
                   attach_item(world, data, content_type="image/gif"),
                   attach_item(world, data, sha256="X" * 64),
                   attach_item(world, data, size=EVIDENCE_FILE_MAX + 1))
    assert [r["status_code"] for r in results] == [404, 422, 422, 422, 422]
    assert results[1]["error"]["code"] == "unknown_indicator"
    assert results[2]["error"]["field"] == "items.2.content_type"
    assert rows(app, EvidenceAttachment) == 0
    auth.logout()
    auth.login("district_x")
    assert sync(client, attach_item(world, data))[0]["status_code"] == 403


def test_no_more_files_once_sent_and_no_more_than_the_limit(app, client, auth, world):
    from korch_pwa.domain.limits import EVIDENCE_PER_INDICATOR

    auth.login("member_a")
    items = [attach_item(world, photo(color=(n, 0, 0))) for n in
             range(EVIDENCE_PER_INDICATOR + 1)]
    results = sync(client, *items)
    assert [r["status"] for r in results] == ["ok"] * EVIDENCE_PER_INDICATOR + ["error"]
    assert results[-1]["error"]["code"] == "evidence_too_many"
    client.post(f"/assessment/520101/{world['round']}", data=full_form(action="submit"))
    [late] = sync(client, attach_item(world, photo(), indicator="1.2"))
    assert late["status_code"] == 409 and late["error"]["code"] == "not_editable"
    assert rows(app, EvidenceAttachment) == EVIDENCE_PER_INDICATOR


def test_an_upload_started_with_another_length_starts_again(app, client, auth, world):
    auth.login("member_a")
    data = noisy_photo(1800, 1400)
    # A broken phone claimed a longer file for the same hash.
    assert put(client, data, length=len(data) + 5,
               chunk=data[:EVIDENCE_CHUNK_MAX]).status_code == 200
    response = put(client, data, chunk=data[:EVIDENCE_CHUNK_MAX])
    assert response.status_code == 409 and response.json["detail"] == {"offset": 0}
    assert rows(app, EvidenceUpload) == 0  # forgotten: the next try starts clean
    assert send_in_chunks(client, data).json["complete"]
    assert client.get(f"/evidence/520101/{sha256_hex(data)}").data == data


def test_an_offline_return_can_ask_for_evidence(app, client, auth, world):
    from korch_pwa.assessment.models import Assessment, IndicatorComment

    auth.login("member_a")
    client.post(f"/assessment/520101/{world['round']}", data=full_form(action="submit"))
    with app.app_context():
        assessment = db.session.scalar(select(Assessment))
        assessment_id, version = assessment.id, assessment.version
        db.session.remove()
    auth.logout()
    auth.login("district_x")
    decision = {"type": "assessment.decide", "assessment_id": assessment_id,
                "decision": "return", "seen_version": version}
    [unknown] = sync(client, {**decision, "client_id": str(uuid.uuid4()),
                              "evidence_wanted": ["9.9"]})
    assert unknown["status_code"] == 422 and unknown["error"]["code"] == "invalid_score"
    assert unknown["error"]["field"] == "items.0.evidence_wanted.9.9"
    [result] = sync(client, {**decision, "client_id": str(uuid.uuid4()),
                             "evidence_wanted": ["3.1"]})
    assert result["status"] == "ok" and result["assessment"]["status"] == "returned"
    with app.app_context():
        assert db.session.query(IndicatorComment.indicator_code,
                                IndicatorComment.wants_evidence).all() == [("3.1", True)]
        db.session.remove()
