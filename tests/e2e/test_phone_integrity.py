"""One phone as committees really use it: two tabs, a full phone, a phone passed
around the table, conflicts resolved while more work waits, logout without signal.

Each test is one of the rules in static/js/README.md.
"""

from sqlalchemy import select

from korch_pwa.assessment.models import Answer
from korch_pwa.auth.models import User
from korch_pwa.extensions import db

from tests.helpers import record_as

from .conftest import READY
from .test_offline import _eventually, db_state, form_url, pick

SECRET = "ความลับของสมาชิกเอ"
CACHED_HAS = """([url, needle]) => caches.keys()
  .then(names => Promise.all(names.map(n => caches.open(n).then(c => c.match(url)))))
  .then(found => found.find(Boolean)).then(r => r ? r.text() : "").then(t => t.includes(needle))"""


def stored_rows(app):
    """Return indicator -> (score, note, updated_by username) as stored."""
    with app.app_context():
        rows = db.session.execute(select(Answer.indicator_code, Answer.score, Answer.note,
                                         User.username).join(User, User.id == Answer.updated_by))
        out = {code: (score, note, who) for code, score, note, who in rows}
        db.session.remove()
    return out


def save(page):
    """Press the draft-save button (offline it queues)."""
    page.click('button[value="save"]')


def local_status(page, text):
    """Wait until the form's status line says ``text``."""
    page.wait_for_selector(f"#local-status:has-text('{text}')")


def open_form(phones, world):
    """A phone with member A logged in on the form; return (phone, page)."""
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    return phone, phone.page


def send_when_online(phone):
    """Once one item is queued, give the signal back and wait until it is sent."""
    phone.wait_queued(1)
    phone.offline(False)
    phone.wait_unsynced(0)


def conflict_on(phone, world, app, code="1.1"):
    """Make the phone's save of ``code`` clash with another member's value."""
    phone.login("member_a")
    phone.visit(form_url(world))
    record_as(app, world, "member_a2", {code: 3})
    phone.offline()
    pick(phone.page, code, 1)
    phone.page.fill(f'[id="note-{code}"]', SECRET)
    save(phone.page)
    phone.wait_queued(1)
    phone.offline(False)
    phone.page.wait_for_selector(f'#conflicts fieldset[data-indicator="{code}"]')


def two_tabs_offline(phone, world):
    """Open the form in two tabs of one phone, then cut the signal."""
    phone.login("member_a")
    phone.visit(form_url(world))
    tab_b = phone.context.new_page()
    tab_b.goto(form_url(world))
    tab_b.wait_for_selector(READY, state="attached")
    phone.offline()
    return phone.page, tab_b


def test_two_tabs_of_one_form_both_reach_the_server(app, world, phones):
    """Offline, 1.1 in tab A and 1.2 in tab B, both saved: both are stored."""
    phone = phones()
    tab_a, tab_b = two_tabs_offline(phone, world)
    pick(tab_a, "1.1", 3)
    local_status(tab_a, "บันทึกในเครื่องแล้ว")
    pick(tab_b, "1.2", 2)
    local_status(tab_b, "บันทึกในเครื่องแล้ว")
    # Each tab sees the other's answer.
    tab_a.wait_for_selector('input[name="score-1.2"][value="2"]:checked', state="attached")
    tab_b.wait_for_selector('input[name="score-1.1"][value="3"]:checked', state="attached")
    save(tab_a)
    save(tab_b)
    local_status(tab_b, "ยังไม่มีสัญญาณ")
    send_when_online(phone)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 3, "1.2": 2})
    assert tab_a.is_hidden("#conflicts") and tab_b.is_hidden("#conflicts")


def test_two_tabs_queued_one_after_the_other_merge(app, world, phones):
    """Tab A's queued item is not replaced by tab B's, which lacks A's change."""
    phone = phones()
    tab_a, tab_b = two_tabs_offline(phone, world)
    pick(tab_a, "1.1", 3)
    save(tab_a)
    phone.wait_queued(1)
    # Tab B changes a note only (autosave) and saves: one item, both changes.
    tab_b.fill('[id="note-1.4"]', "มีระเบียบกลุ่ม")
    local_status(tab_b, "บันทึกในเครื่องแล้ว")
    save(tab_b)
    assert tab_b.evaluate("Outbox.items().then(i => i.length)") == 1
    phone.offline(False)
    phone.wait_unsynced(0)
    rows = stored_rows(app)
    assert rows["1.1"][0] == 3 and rows["1.4"][1] == "มีระเบียบกลุ่ม"


def test_autosave_only_tabs_are_sent_by_the_badge(app, world, phones):
    """Nobody pressed save: the badge counts the typed answers and sends them all."""
    phone = phones()
    tab_a, tab_b = two_tabs_offline(phone, world)
    pick(tab_a, "1.1", 2)
    local_status(tab_a, "บันทึกในเครื่องแล้ว")
    pick(tab_b, "1.2", 1)
    local_status(tab_b, "บันทึกในเครื่องแล้ว")
    phone.wait_unsynced(1)
    assert "ส่งครบแล้ว" not in tab_a.inner_text("#outbox-count")
    phone.offline(False)
    tab_a.click("#outbox-count")
    phone.wait_unsynced(0)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 2, "1.2": 1})
    assert db_state(app)[0] == "draft"


def test_resolving_a_conflict_keeps_newer_queued_work(app, world, phones):
    """Choosing "mine" on 1.1 while 1.5 waits: both reach the server."""
    phone = phones()
    conflict_on(phone, world, app)
    page = phone.page
    phone.offline()
    pick(page, "1.5", 2)
    save(page)
    phone.wait_queued(1)
    page.check('#conflicts input[name="pick-1.1"][value="mine"]')
    page.click("#conflicts button.primary")
    page.wait_for_selector("#conflicts", state="hidden")
    phone.wait_unsynced(1)
    phone.offline(False)
    phone.wait_unsynced(0)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 1, "1.5": 2})
    assert page.is_hidden("#conflicts")


def test_choosing_theirs_shows_their_value_and_sends_nothing_of_mine(app, world, phones):
    """"Theirs" keeps the server's value; the form shows it; later work still goes."""
    phone = phones()
    conflict_on(phone, world, app)
    page = phone.page
    page.check('#conflicts input[name="pick-1.1"][value="theirs"]')
    page.click("#conflicts button.primary")
    page.wait_for_selector("#conflicts", state="hidden")
    page.wait_for_selector('input[name="score-1.1"][value="3"]:checked', state="attached")
    pick(page, "1.2", 2)
    save(page)
    page.wait_for_load_state()
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 3, "1.2": 2})


def test_a_full_phone_says_the_answer_is_not_saved(app, world, live, phones):
    """IndexedDB refuses every write: the person is told at once, and nothing claims otherwise."""
    phone = phones()
    page = phone.page
    cdp = phone.context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": live.url, "quotaSize": 1})
    phone.login("member_a")
    page.goto(form_url(world))
    page.wait_for_selector("#outbox-count[data-state]", state="attached")
    phone.offline()
    pick(page, "1.1", 2)
    # The page's own first write (on load, with signal) may already have raised the
    # alert: wait for the pick's refusal to say what to do without signal.
    alert = page.wait_for_selector("#storage-alert:has-text('ลบรูป')", state="visible")
    assert "ยังไม่ได้บันทึกในเครื่อง" in alert.inner_text()
    assert page.get_attribute("#outbox-count", "data-state") == "unsaved"
    assert "ส่งครบแล้ว" not in page.inner_text("#outbox-count")
    assert "บันทึกในเครื่องแล้ว" not in page.inner_text("#local-status")
    save(page)  # offline, and the phone cannot keep it: said again, page kept
    local_status(page, "ยังไม่ได้บันทึกในเครื่อง")
    assert page.is_checked('input[name="score-1.1"][value="2"]')
    # With a signal the same button sends it straight to the server.
    phone.offline(False)
    with page.expect_navigation():
        save(page)
    page.wait_for_selector(".flash-success")
    assert db_state(app)[1] == {"1.1": 2}


def test_outbox_write_refused_keeps_the_answers_and_says_so(app, world, phones):
    """The draft is stored but queueing fails: told, still unsent in the draft, sent later."""
    phone, page = open_form(phones, world)
    phone.offline()
    # Only writes to the outbox fail, inside the transaction that also moves
    # the draft's base: so the draft must keep the answers as unsent.
    page.evaluate("""() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (value, key) {
        if (this.name === "outbox") throw new DOMException("full", "QuotaExceededError");
        return put.call(this, value, key);
      };
    }""")
    pick(page, "1.3", 2)
    save(page)
    local_status(page, "ยังไม่ได้เก็บไว้รอส่ง")
    assert page.is_visible("#storage-alert")
    assert page.get_attribute("#outbox-count", "data-state") == "unsaved"
    page.reload()  # the phone freed some space; the answer is still here
    page.wait_for_selector("#local-status:has-text('กู้คืน')")
    phone.wait_unsynced(1)
    phone.offline(False)
    page.click("#outbox-count")
    phone.wait_unsynced(0)
    assert _eventually(lambda: db_state(app)[1] == {"1.3": 2})


def test_a_shared_phone_shows_nothing_of_one_member_to_another(app, world, phones):
    """A's conflict, note, count and draft are A's alone; B's save is B's."""
    phone = phones()
    conflict_on(phone, world, app)
    page = phone.page
    pick(page, "1.3", 2)  # typed, never saved: only in A's draft
    page.fill('[id="note-1.3"]', SECRET + " ร่าง")
    local_status(page, "บันทึกในเครื่องแล้ว")
    page.click("#logout-form button")
    page.wait_for_url("**/login")
    assert page.is_hidden("#conflicts") and page.is_hidden("#outbox-count")
    assert SECRET not in page.content()
    assert page.is_hidden("#storage-status") or not page.inner_text("#storage-status")

    phone.login("member_b")  # another subdistrict
    page.wait_for_selector("#outbox-count[data-state]", state="attached")
    assert phone.unsynced() == 0 and page.is_hidden("#conflicts")
    assert SECRET not in page.content()
    page.click("#logout-form button")
    page.wait_for_url("**/login")

    phone.login("member_a2")  # same subdistrict: A's draft is not hers
    phone.visit(form_url(world))
    assert not page.is_checked('input[name="score-1.3"][value="2"]')
    assert SECRET not in page.input_value('[id="note-1.3"]')
    assert SECRET not in page.content() and page.is_hidden("#conflicts")
    pick(page, "1.4", 1)
    with page.expect_navigation():
        save(page)
    page.wait_for_selector(".flash-success")
    rows = stored_rows(app)
    assert "1.3" not in rows and rows["1.4"][2] == "member_a2"
    page.click("#logout-form button")
    page.wait_for_url("**/login")

    phone.login("member_a")  # A's own work is all still there for A
    phone.visit(form_url(world))
    page.wait_for_selector("#local-status:has-text('กู้คืน')")
    assert page.is_checked('input[name="score-1.3"][value="2"]')
    assert page.is_visible('#conflicts fieldset[data-indicator="1.1"]')
    assert SECRET in page.inner_text("#conflicts")


def test_logout_offline_ends_the_session_now_and_on_the_server_later(app, world, phones):
    """Offline logout: out at once; the server session ends with the signal; work kept."""
    phone, page = open_form(phones, world)
    phone.offline()
    pick(page, "1.1", 2)
    save(page)
    phone.wait_queued(1)
    page.click("#logout-form button")
    page.wait_for_url("**/offline#logged-out")
    assert page.is_visible("#logged-out") and "ออกจากระบบ" in page.inner_text("#logged-out")
    page.goto(form_url(world))
    assert page.is_visible("#offline-page") and "คุณ member_a" not in page.content()

    phone.offline(False)
    page.goto("/")
    page.wait_for_url("**/login**")
    assert page.evaluate("fetch('/api/v1/session').then(r => r.status)") == 401
    assert db_state(app)[0] is None  # A's queued save waits for A

    phone.login("member_a", then=form_url(world))
    phone.wait_unsynced(0)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 2})


def test_base_follows_the_server_after_each_acknowledged_item(app, world, phones):
    """Saving the same indicator again after a sync is not a conflict with oneself."""
    phone, page = open_form(phones, world)
    for score in (2, 3, 1):
        phone.offline()
        pick(page, "1.1", score)
        save(page)
        send_when_online(phone)
        assert _eventually(lambda: db_state(app)[1] == {"1.1": score})
    assert page.is_hidden("#conflicts")


def test_offline_copy_of_the_form_shows_what_was_synced(app, world, phones):
    """After a sync the cached page is refreshed; editing it offline is no conflict."""
    phone = phones()
    phone.login("member_a")
    url = form_url(world)
    phone.visit(url)
    page = phone.page
    phone.offline()
    pick(page, "1.1", 2)
    save(page)
    send_when_online(phone)
    phone.until(CACHED_HAS, [url, 'name="score-1.1" value="2" checked'])
    phone.offline()
    page.evaluate("IDB.all('drafts').then(ds => Promise.all(ds.map(d => IDB.del('drafts', d.key))))")
    page.reload()
    assert page.is_checked('input[name="score-1.1"][value="2"]')
    pick(page, "1.1", 3)
    save(page)
    send_when_online(phone)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 3})
    assert page.is_hidden("#conflicts")


def test_incomplete_submit_offline_keeps_a_draft_and_says_what_is_missing(app, world, phones):
    """Submit offline with 2 of 23 answered: saved as a draft, the missing ones named."""
    phone, page = open_form(phones, world)
    phone.offline()
    pick(page, "1.1", 2)
    pick(page, "1.2", 3)
    page.click('button[value="submit"]')
    local_status(page, "ยังส่งให้อำเภอไม่ได้")
    assert "1.3" in page.inner_text("#local-status")
    send_when_online(phone)
    assert _eventually(lambda: db_state(app)[:2] == ("draft", {"1.1": 2, "1.2": 3}))
    assert page.is_hidden("#conflicts")


def test_waiting_for_a_login_says_so_not_no_signal(app, world, phones):
    """The session ended: the status asks for a login instead of blaming the signal."""
    phone, page = open_form(phones, world)
    phone.context.clear_cookies()
    pick(page, "1.1", 2)
    save(page)
    local_status(page, "กรุณาเข้าสู่ระบบอีกครั้งเพื่อส่งข้อมูล")
    assert "ยังไม่มีสัญญาณ" not in page.inner_text("#local-status")
    page.wait_for_selector("#login-prompt", state="visible")
    phone.offline()
    pick(page, "1.2", 1)
    save(page)
    local_status(page, "กรุณาเข้าสู่ระบบอีกครั้งเพื่อส่งข้อมูล")
    assert "ยังไม่มีสัญญาณ" not in page.inner_text("#local-status")


def test_drafts_of_the_old_storage_go_to_the_person_who_queued_them(app, world, live, phones):
    """A phone updated from storage version 1 keeps its draft, under its owner."""
    phone = phones()
    page = phone.page
    page.goto("/offline")  # a page without the app's scripts: storage still at version 1
    page.evaluate("""([uid, round]) => new Promise((resolve, reject) => {
      const r = indexedDB.open("korch", 1);
      r.onupgradeneeded = () => {
        const db = r.result;
        ["drafts", "meta"].forEach(n => db.createObjectStore(n, {keyPath: "key"}));
        ["outbox", "conflicts"].forEach(n => db.createObjectStore(n, {keyPath: "client_id"}));
      };
      r.onsuccess = () => {
        const db = r.result, tx = db.transaction(["drafts", "outbox", "conflicts"], "readwrite");
        const key = `assessment:${round}:520101`;
        const a = {score: 2, note: "จากรุ่นเก่า"}, none = {score: null, note: ""};
        tx.objectStore("drafts").put({key, id: "x", round_id: round, subdistrict_code: "520101",
          assessment_id: null, version: 0, base: {"1.1": none, "1.2": none},
          values: {"1.1": a, "1.2": {score: 1, note: ""}}, updated: Date.now()});
        tx.objectStore("outbox").put({client_id: crypto.randomUUID(), type: "assessment.save",
          round_id: round, subdistrict_code: "520101", assessment_id: null, version: 0,
          changes: [{indicator: "1.1", mine: a, base: none}], draft_key: key,
          user_id: String(uid), created: Date.now()});
        tx.objectStore("conflicts").put({client_id: crypto.randomUUID(), at: Date.now(),
          item: {type: "assessment.save", draft_key: key, user_id: String(uid), label: "รุ่นเก่า",
                 changes: []},
          result: {status: "error", status_code: 422, error: {message: "ข้อความจากรุ่นเก่า"}}});
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    })""", [world["member_a"], world["round"]])
    phone.login("member_a2")  # not the owner: sees nothing of it
    phone.visit(form_url(world))
    assert not page.is_checked('input[name="score-1.2"][value="1"]')
    assert page.is_hidden("#conflicts")
    page.click("#logout-form button")
    page.wait_for_url("**/login")
    phone.login("member_a")
    phone.visit(form_url(world))
    # (Its queued item may reach the server first and say so: look at the form itself.)
    page.wait_for_selector('input[name="score-1.2"][value="1"]:checked', state="attached")
    page.wait_for_selector("#conflicts:has-text('ข้อความจากรุ่นเก่า')")
    save(page)
    phone.wait_unsynced(0)
    assert _eventually(lambda: db_state(app)[1] == {"1.1": 2, "1.2": 1})
    assert stored_rows(app)["1.1"][1] == "จากรุ่นเก่า"



def test_pages_of_a_session_that_ended_without_logout_are_forgotten(app, world, phones):
    """A's session ran out on a shared phone; B logs in: A's cached pages go."""
    phone = phones()
    phone.login("member_a")
    url = form_url(world)
    phone.visit(url)
    page = phone.page
    assert phone.until(CACHED_HAS, [url, "assessment-form"])
    phone.context.clear_cookies()
    phone.login("member_b")
    page.wait_for_selector(READY, state="attached")
    assert not page.evaluate(CACHED_HAS, [url, "assessment-form"])
    phone.offline()
    page.goto(url)
    assert page.is_visible("#offline-page")
