"""Nobody reads or writes outside their role and area."""

import pytest

from korch_pwa.assessment.models import Assessment
from korch_pwa.extensions import db
from tests.helpers import full_form

# Pages anyone may open without logging in.
# The API description says nothing about anyone's data.
# Load balancers ask /healthz and /readyz without a session; they show no one's data.
# /metrics answers only a scraper's token (a 404 otherwise), and holds counts, no data.
PUBLIC = {"static", "auth.login", "auth.set_language", "org.about", "api.openapi",
          "account.activate",
          "operations.healthz", "operations.readyz", "operations.metrics",
          # LINE calls it, signed with the channel secret (tests/deliveries checks the 403).
          "deliveries.line_webhook"}
PUBLIC_PREFIXES = ("pwa.",)


@pytest.fixture
def two_submitted(app, client, auth, world):
    """Submitted assessments of 520101 (district X) and 520201 (district Y)."""
    ids = {}
    for user, code in (("member_a", "520101"), ("member_y", "520201")):
        auth.login(user)
        client.post(f"/assessment/{code}/{world['round']}", data=full_form(score=2, action="submit"))
        auth.logout()
    with app.app_context():
        for a in db.session.query(Assessment):
            ids[a.subdistrict_code] = (a.id, a.version)
    return ids


def snapshot(app):
    with app.app_context():
        return sorted((a.subdistrict_code, a.status, a.version,
                       tuple(sorted((x.indicator_code, x.score) for x in a.answers)))
                      for a in db.session.query(Assessment))


def test_member_cannot_read_or_write_another_subdistrict(app, client, auth, world, two_submitted):
    before = snapshot(app)
    auth.login("member_b")  # 520102
    url = f"/assessment/520101/{world['round']}"
    assert client.get(url).status_code == 404
    assert client.post(url, data=full_form(score=0)).status_code == 404
    assert client.post(f"/assessment/520103/{world['round']}",
                       data=full_form(score=0)).status_code == 404
    own_x = two_submitted["520101"][0]
    assert client.get(f"/review/{own_x}").status_code == 404
    assert client.post(f"/review/{own_x}/decide",
                       data={"version": 9, "decision": "approve"}).status_code == 403
    assert client.get("/review/").status_code == 403
    assert snapshot(app) == before


def test_member_sees_own_assessment_but_cannot_decide(client, auth, world, two_submitted):
    auth.login("member_a")
    assessment_id, version = two_submitted["520101"]
    assert client.get(f"/review/{assessment_id}").status_code == 200
    assert client.post(f"/review/{assessment_id}/decide",
                       data={"version": version, "decision": "approve"}).status_code == 403


def test_district_officer_cannot_touch_another_district(app, client, auth, two_submitted):
    before = snapshot(app)
    auth.login("district_x")
    other_id, other_version = two_submitted["520201"]
    assert client.get(f"/review/{other_id}").status_code == 404
    assert client.post(f"/review/{other_id}/decide",
                       data={"version": other_version, "decision": "approve"}).status_code == 404
    assert client.get("/review/?area=5202").status_code == 404
    assert client.get("/review/?area=52").status_code == 404
    assert snapshot(app) == before


def test_district_officer_cannot_fill_for_a_committee(client, auth, world):
    auth.login("district_x")
    url = f"/assessment/520101/{world['round']}"
    assert client.get(url).status_code == 200
    assert client.post(url, data=full_form(score=1)).status_code == 403


def test_subdistrict_officer_only_in_own_subdistricts(client, auth, world):
    auth.login("tambon")  # 520101 and 520103
    assert client.get(f"/assessment/520103/{world['round']}").status_code == 200
    assert client.get(f"/assessment/520102/{world['round']}").status_code == 404


def test_province_officer_views_but_does_not_decide(app, client, auth, two_submitted):
    auth.login("province")
    assessment_id, version = two_submitted["520201"]
    assert client.get(f"/review/{assessment_id}").status_code == 200
    assert client.post(f"/review/{assessment_id}/decide",
                       data={"version": version, "decision": "approve"}).status_code == 403


def _sample_url(app, rule):
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__
        values[arg] = 1 if converter == "IntegerConverter" else "520101"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_route_needs_login(app, client, world):
    """Guards routes added later: each one must refuse an anonymous visitor."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        url = _sample_url(app, rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 401), (rule.rule, method)
            if response.status_code == 302:
                assert "/login" in response.location, (rule.rule, method)
            checked += 1
    assert checked >= 6


def _code_routes(app):
    """Every (rule, method) whose URL names an area by its DOPA code."""
    for rule in app.url_map.iter_rules():
        if "code" in rule.arguments and rule.endpoint not in PUBLIC:
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield rule, method


def _url_for_area(app, rule, code, world):
    values = {"code": code}
    for arg in rule.arguments - {"code"}:
        values[arg] = {"round_id": world["round"], "year": 2570, "fmt": "pdf"}.get(arg, 1)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.mark.parametrize("user, codes", [
    ("district_y", ["520101", "5201", "52"]),  # an officer of another district
    ("member_b", ["520101", "5201", "52"]),  # a member of another subdistrict
    ("tambon", ["520102"]),               # a subdistrict officer outside their subdistricts
])
def test_no_route_with_an_area_code_opens_outside_the_area(app, client, auth, world, user,
                                                          codes):
    """Guards every route that takes an area code, including ones added later."""
    auth.login(user)
    checked = 0
    for rule, method in _code_routes(app):
        for code in codes:
            url = _url_for_area(app, rule, code, world)
            response = client.open(url, method=method, data={})
            assert response.status_code in (403, 404), (user, method, url, response.status_code)
            checked += 1
    assert checked >= 20
