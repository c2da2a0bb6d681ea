"""The last day before a province's due date, for locust (run by bench/deadline_day.py).

Committees (8 in 10 users) open their form, save a few answers at a time
through the sync API and check what their phone keeps; district officers
(2 in 10) list their subdistricts, open assessments, look at the dashboard
and download the progress report as PDF. Each simulated person logs in
once, as a person does, with the CSRF token of the login page.
"""

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

with open(os.environ["DEADLINE_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
REVIEW_LINK = re.compile(r'href="(/review/[0-9a-f-]{36})"')
# Each simulated committee its own subdistrict: two people of one committee
# changing one indicator at once is a real conflict, not what this measures.
NEXT_MEMBER = itertools.count()


def log_in(client, username):
    """Log in through the login page; return the API's CSRF token."""
    page = client.get("/login", name="/login")
    token = CSRF_FIELD.search(page.text).group(1)
    client.post("/login", name="/login [POST]", allow_redirects=False,
                data={"username": username, "password": PLAN["password"], "csrf_token": token})
    return client.get("/api/v1/session", name="/api/v1/session").json()["csrf_token"]


class Committee(HttpUser):
    """A committee (here its subdistrict officer's account) filling its form on the last day."""

    weight = 8
    wait_time = between(2, 8)  # reading an indicator, choosing, typing a note

    def on_start(self):
        self.username, self.code = PLAN["members"][next(NEXT_MEMBER) % len(PLAN["members"])]
        self.csrf = log_in(self.client, self.username)
        self.form = f"/assessment/{self.code}/{PLAN['round']}"
        self.known = {}
        # What the server holds already (an earlier step of the bench wrote it),
        # as a phone learns it: an item with no changes answers with every answer.
        self.sync([], name="/api/v1/sync (first)")

    def sync(self, changes, name="/api/v1/sync"):
        """Send one save item; learn what the server holds from its answer."""
        item = {"client_id": str(uuid.uuid4()), "type": "assessment.save",
                "round_id": PLAN["round"], "subdistrict_code": self.code, "version": 0,
                "changes": changes}
        with self.client.post("/api/v1/sync", json={"items": [item]}, name=name,
                              headers={"X-CSRFToken": self.csrf}, catch_response=True) as answer:
            result = answer.json()["results"][0] if answer.status_code == 200 else {}
            state = result.get("assessment") or {}
            for code, value in (state.get("answers") or {}).items():
                self.known[code] = value["score"]
            if result.get("status") == "ok":
                answer.success()
            else:
                answer.failure(f"{answer.status_code} {result.get('status')}")

    @task(5)
    def save_answers(self):
        changes = []
        for code, scores in random.sample(PLAN["indicators"], 3):
            base = self.known.get(code)
            mine = random.choice([s for s in scores if s != base] or scores)
            changes.append({"indicator": code, "mine": {"score": mine, "note": ""},
                            "base": {"score": base, "note": ""}})
        self.sync(changes)

    @task(2)
    def open_form(self):
        self.client.get(self.form, name="/assessment/<code>/<round>")

    @task(1)
    def pages_to_keep(self):
        self.client.get("/api/v1/me", name="/api/v1/me")


class Officer(HttpUser):
    """A district officer checking what came in and sending the report up."""

    weight = 2
    wait_time = between(3, 10)

    def on_start(self):
        self.username, self.district = random.choice(PLAN["officers"])
        log_in(self.client, self.username)
        self.listed = []

    @task(3)
    def list_subdistricts(self):
        page = self.client.get(f"/review/?area={self.district}&round={PLAN['round']}",
                               name="/review/?area=<district>")
        self.listed = REVIEW_LINK.findall(page.text) or self.listed

    @task(3)
    def open_assessment(self):
        if self.listed:
            self.client.get(random.choice(self.listed), name="/review/<assessment_id>")

    @task(2)
    def dashboard(self):
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def report_pdf(self):
        self.client.get(f"/dashboard/report/{self.district}/{PLAN['year']}/export.pdf",
                        name="/dashboard/report/<district>/<year>/export.pdf")
