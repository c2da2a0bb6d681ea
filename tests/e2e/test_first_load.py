"""First load on the wire: each page downloaded once after login, and a form that does not jump."""

from tests.helpers import submitted_assessment

from .conftest import READY
from .test_offline import form_url, pick

# Every layout shift from the start of the page, kept where a test can read it.
SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__shifts.push({
  value: e.value,
  nodes: (e.sources || []).map((s) => s.node ? (s.node.id || s.node.nodeName) : "")
}))).observe({ type: "layout-shift", buffered: true });
"""
# A cheap phone on a weak signal, about as Lighthouse's mobile run simulates it.
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}
PHONE_CPU = 4  # times slower than this machine


def worker_installed(phone):
    """Open the login page and wait for the worker, as it is by the time a password is typed."""
    phone.page.goto("/login")
    phone.until("() => navigator.serviceWorker.controller !== null")


def downloaded_twice(live):
    """Return the paths the server was asked for more than once since the last clear."""
    return {path: n for path, n in live.faults.gets.items() if n > 1}


def shown_offline(phone, path):
    """Tell whether ``path`` opens without signal as the page itself, not the offline page."""
    phone.page.goto(path)
    return phone.page.is_hidden("#offline-page") and phone.page.url.endswith(path)


def test_the_landing_page_is_downloaded_once_after_login(app, world, live, phones):
    """The worker keeps the page it showed; warming does not fetch it again. Offline it opens."""
    phone = phones()
    worker_installed(phone)
    live.faults.gets.clear()
    phone.login("member_a")
    phone.page.wait_for_selector(READY, state="attached")
    landing = form_url(world)
    assert phone.page.url.endswith(landing)
    assert live.faults.gets[landing] == 1, dict(live.faults.gets)
    assert downloaded_twice(live) == {}
    phone.offline()
    assert shown_offline(phone, landing)
    assert phone.page.is_visible("#assessment-form")


def test_a_reviewer_s_pages_are_each_downloaded_once_and_kept(app, world, live, phones):
    """The review list the person lands on and the submitted form warmed beside it."""
    assessment_id, _ = submitted_assessment(app, world)
    phone = phones()
    worker_installed(phone)
    live.faults.gets.clear()
    phone.login("district_x")
    phone.page.wait_for_selector(READY, state="attached")
    assert phone.page.url.endswith("/review/")
    detail = f"/review/{assessment_id}"
    assert live.faults.gets["/review/"] == 1 and live.faults.gets[detail] == 1
    assert downloaded_twice(live) == {}
    phone.offline()
    assert shown_offline(phone, "/review/") and shown_offline(phone, detail)


def test_a_landing_page_shown_before_the_worker_was_ready_is_still_kept(app, world, live,
                                                                        phones):
    """A login typed before the worker installed: warming fetches that page for offline use."""
    phone = phones()
    phone.login("member_a")
    phone.page.wait_for_selector(READY, state="attached")
    phone.offline()
    assert shown_offline(phone, form_url(world))


def slow_phone(phone):
    """Make the browser as slow as a cheap phone on a weak signal."""
    cdp = phone.context.new_cdp_session(phone.page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU})


def test_the_form_does_not_shift_on_a_first_visit_from_a_slow_phone(app, world, live, phones):
    """Nothing to fetch before the first paint, and nothing moves after it (CLS < 0.1)."""
    signed_in = phones("signed-in")
    signed_in.login("member_a")
    member = phones("first-visit")  # empty storage, no worker yet: as Lighthouse loads it
    member.context.add_cookies(signed_in.context.cookies())
    member.context.add_init_script(SHIFTS)
    member.page.set_viewport_size({"width": 412, "height": 823})
    kinds = []
    member.page.on("request", lambda r: kinds.append((r.resource_type, r.url)))
    slow_phone(member)
    member.page.goto(form_url(world))
    member.page.wait_for_selector(READY, state="attached")
    member.page.wait_for_selector("#storage-status[data-persisted]", state="attached")
    shifts = member.page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) < 0.1, shifts
    assert [u for kind, u in kinds if kind in ("stylesheet", "font")] == []


def test_a_notice_shown_after_the_page_is_drawn_moves_nothing(app, world, live, phones):
    """Opened without signal while a login is needed: the prompt covers the top, the form stays.

    When the prompt was put above the form, this page shifted by 0.102 at this
    size, the figure Lighthouse gave the form (fieldset#ind-1.1).
    """
    phone = phones()
    phone.page.set_viewport_size({"width": 412, "height": 823})
    phone.login("member_a")
    phone.visit(form_url(world))
    phone.context.clear_cookies()
    pick(phone.page, "1.1", 2)
    phone.page.click('button[value="save"]')
    phone.page.wait_for_selector("#login-prompt", state="visible")
    phone.offline()
    phone.context.add_init_script(SHIFTS)
    phone.page.reload()
    phone.page.wait_for_selector("#login-prompt", state="visible")
    phone.page.wait_for_selector('#outbox-count[data-count="1"]', state="attached")
    shifts = phone.page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) < 0.01, shifts
