"""Evidence in a real browser: photos taken offline reach the officer, uploads resume."""

import io
import os

from PIL import Image
from sqlalchemy import func, select

from korch_pwa.assessment.models import Assessment
from korch_pwa.domain.limits import EVIDENCE_CHUNK_MAX, EVIDENCE_PHOTO_SIDE
from korch_pwa.evidence.content import sha256_hex
from korch_pwa.evidence.models import EvidenceAttachment, EvidenceFile, EvidenceHolder
from korch_pwa.evidence.storage import DatabaseStore
from korch_pwa.extensions import db
from tests.evidence.images import GPS_IFD, photo

from .test_offline import form_url

PHOTO_INPUT = 'input[data-attach="{}"][capture]'
FILE_INPUT = 'input[data-attach="{}"]:not([capture])'


def attach(page, indicator, name, data, mime, camera=True):
    """Choose a file for an indicator through its file chooser."""
    selector = (PHOTO_INPUT if camera else FILE_INPUT).format(indicator)
    page.set_input_files(selector, files=[{"name": name, "mimeType": mime, "buffer": data}])


def tiles(page, indicator):
    """Return the selector of the phone's own tiles under an indicator."""
    return f'.attach[data-indicator="{indicator}"] .evidence.local li'


def stored(app):
    """Return (attachments, files, holders) as the server keeps them."""
    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        found = count(EvidenceAttachment), count(EvidenceFile), count(EvidenceHolder)
        db.session.remove()
    return found


def object_bytes(app, sha):
    """Return the bytes the server stored under a hash."""
    with app.app_context():
        data = DatabaseStore().get(sha)
        db.session.remove()
    return data


def test_a_photo_taken_offline_survives_a_restart_and_reaches_the_officer(
        app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    phone.offline()
    page = phone.page
    # A camera photo held sideways (EXIF orientation 6), with its location in it.
    original = photo(width=3200, height=2400, orientation=6, gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    attach(page, "1.1", "IMG_0001.jpg", original, "image/jpeg")
    page.wait_for_selector(tiles(page, "1.1"))
    phone.wait_unsynced(2)  # the form's attach item and the file itself
    page.fill(f'{tiles(page, "1.1")} input.caption', "ประชุมประจำเดือน")
    page.locator(f'{tiles(page, "1.1")} input.caption').dispatch_event("change")
    phone.until("() => Outbox.items().then(i => i.some(x => x.caption === 'ประชุมประจำเดือน'))")
    kept = phone.until("""() => IDB.all('files').then(async (fs) => {
        if (fs.length !== 1) return null;
        const b = await createImageBitmap(fs[0].blob);
        const head = new Uint8Array(await fs[0].blob.slice(0, 4096).arrayBuffer());
        return {w: b.width, h: b.height, size: fs[0].size, type: fs[0].type,
                exif: String.fromCharCode(...head).includes('Exif')};
    })""")
    # Upright (portrait), shrunk to the longest side, small, and nothing but pixels.
    assert (kept["w"], kept["h"]) == (EVIDENCE_PHOTO_SIDE * 3 // 4, EVIDENCE_PHOTO_SIDE)
    assert kept["type"] == "image/jpeg" and not kept["exif"]
    assert kept["size"] < len(original)

    page.reload()
    page.wait_for_selector(tiles(page, "1.1"))
    live.down()
    phone.restart(offline=True)
    page = phone.page
    page.goto(form_url(world))
    page.wait_for_selector(tiles(page, "1.1"))
    phone.wait_unsynced(2)
    assert stored(app) == (0, 0, 0)

    live.start()
    phone.offline(False)
    phone.wait_unsynced(0)
    assert stored(app) == (1, 1, 1)
    sha = phone.page.get_attribute(tiles(page, "1.1"), "data-sha")
    with app.app_context():
        attachment = db.session.scalar(select(EvidenceAttachment))
        assert (attachment.caption, attachment.indicator_code) == ("ประชุมประจำเดือน", "1.1")
        assessment_id = db.session.scalar(select(Assessment.id))
        db.session.remove()
    assert sha256_hex(object_bytes(app, sha)) == sha
    assert phone.until("() => IDB.all('files').then(f => f.length === 0)")

    officer = phones("officer")
    officer.login("district_x")
    officer.page.goto(f"/review/{assessment_id}")
    image = officer.page.wait_for_selector(f'#ind-1\\.1 img[src$="/{sha}/thumb"]')
    assert officer.page.evaluate("(img) => img.decode().then(() => img.naturalWidth)", image) > 0
    assert "ประชุมประจำเดือน" in officer.page.inner_text("#ind-1\\.1")


def test_a_chunked_upload_cut_in_the_middle_resumes_where_the_server_stopped(
        app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    document = b"%PDF-1.4\n" + os.urandom(int(2.5 * EVIDENCE_CHUNK_MAX))
    offsets, cut = [], []

    def drop_the_second_chunk(route):
        offset = int(route.request.url.split("offset=")[1].split("&")[0])
        offsets.append(offset)
        if offset > 0 and not cut:
            cut.append(offset)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/evidence/520101/**", drop_the_second_chunk)
    attach(page, "2.1", "minutes.pdf", document, "application/pdf", camera=False)
    page.wait_for_selector(tiles(page, "2.1"))
    # The connection dropped on the second chunk: the file is still only on the phone.
    while not cut:
        page.wait_for_timeout(50)
    page.wait_for_selector("#evidence-progress", state="hidden")
    phone.wait_unsynced(1)  # the attach item went; the file waits
    assert offsets[:2] == [0, EVIDENCE_CHUNK_MAX] and cut == [EVIDENCE_CHUNK_MAX]
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # the signal is back
    phone.wait_unsynced(0)
    # Resumed from the server's offset (by the page or the worker's Background
    # Sync, whichever ran first): the first chunk never reached the server twice.
    reached = [int(query.split("offset=")[1].split("&")[0]) for _path, query in live.faults.puts]
    assert reached == [0, EVIDENCE_CHUNK_MAX, 2 * EVIDENCE_CHUNK_MAX]
    assert object_bytes(app, sha256_hex(document)) == document


def test_the_same_photo_twice_is_sent_and_stored_once(app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    phone.offline()
    data = photo(width=800, height=600)
    attach(page, "1.1", "a.jpg", data, "image/jpeg")
    page.wait_for_selector(tiles(page, "1.1"))
    attach(page, "1.2", "a-again.jpg", data, "image/jpeg", camera=False)
    page.wait_for_selector(tiles(page, "1.2"))
    phone.wait_unsynced(2)  # one form, one file
    phone.offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    phone.wait_unsynced(0)
    assert stored(app) == (2, 1, 1)
    assert len(live.faults.puts) == 1  # by the page or the worker: once


def test_a_file_of_the_wrong_type_is_refused_in_thai_and_nothing_is_queued(
        app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    attach(page, "1.1", "notes.txt", "ไม่ใช่รูป".encode(), "text/plain", camera=False)
    note = page.wait_for_selector('.attach[data-indicator="1.1"] .evidence-note')
    assert "รับเฉพาะรูปภาพหรือไฟล์ PDF" in note.inner_text()
    assert page.evaluate("() => Outbox.items().then(i => i.length)") == 0
    assert page.evaluate("() => IDB.all('files').then(f => f.length)") == 0


def test_another_subdistrict_gets_404_for_a_hash_it_guessed(app, world, live, phones):
    owner = phones()
    owner.login("member_a")
    owner.visit(form_url(world))
    data = photo(width=300, height=200)
    attach(owner.page, "1.1", "a.jpg", data, "image/jpeg")
    owner.page.wait_for_selector(tiles(owner.page, "1.1"))
    owner.until("() => IDB.all('files').then(f => f.length === 0)")
    owner.wait_unsynced(0)
    sha = owner.page.get_attribute(tiles(owner.page, "1.1"), "data-sha")
    assert owner.page.request.get(f"/evidence/520101/{sha}/thumb").status == 200
    other = phones("other")
    other.login("member_b")
    for url in (f"/evidence/520101/{sha}", f"/evidence/520101/{sha}/thumb",
                f"/evidence/520102/{sha}"):
        assert other.page.request.get(url).status == 404


def test_files_wait_through_an_ended_session_and_go_after_login(app, world, live, phones):
    from tests.conftest import PASSWORD

    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    phone.offline()
    page = phone.page
    attach(page, "1.1", "a.jpg", photo(width=900, height=600), "image/jpeg")
    page.wait_for_selector(tiles(page, "1.1"))
    phone.wait_unsynced(2)
    phone.context.clear_cookies()
    phone.offline(False)
    page.wait_for_selector("#login-prompt", state="visible")
    assert phone.unsynced() == 2 and stored(app) == (0, 0, 0)
    page.click("#login-prompt a")
    page.fill("#username", "member_a")
    page.fill("#password", PASSWORD)
    page.click("main form button.primary")
    page.wait_for_url(f"**{form_url(world)}")
    phone.wait_unsynced(0)
    assert stored(app) == (1, 1, 1)


def test_the_person_is_told_when_the_phone_runs_out_of_space(app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    # The browser's own estimate, as a phone with 40 MB left would give it.
    phone.context.add_init_script("""navigator.storage.estimate = () =>
        Promise.resolve({usage: 960 * 1048576, quota: 1000 * 1048576});""")
    phone.visit(form_url(world))
    phone.offline()
    attach(phone.page, "1.1", "a.jpg", photo(), "image/jpeg")
    note = phone.page.wait_for_selector('.attach[data-indicator="1.1"] .evidence-note')
    assert "พื้นที่ในเครื่องเหลือประมาณ 40 MB" in note.inner_text()
    phone.wait_unsynced(2)  # still kept: the warning does not refuse the photo


def test_the_worker_sends_the_files_with_the_app_closed(app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    phone.offline()
    page = phone.page
    attach(page, "1.1", "a.jpg", photo(width=1200, height=900), "image/jpeg")
    page.wait_for_selector(tiles(page, "1.1"))
    phone.wait_unsynced(2)
    page.goto("about:blank")  # the app is closed: no page of it runs
    phone.offline(False)
    # The browser's Background Sync, as it fires when the signal returns.
    cdp = phone.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated",
           lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    while not registrations:
        page.wait_for_timeout(50)
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": live.url, "registrationId": registrations[0]["registrationId"],
        "tag": "outbox", "lastChance": False})
    deadline = 150
    while stored(app) != (1, 1, 1) and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert stored(app) == (1, 1, 1)


def test_a_file_removed_before_it_was_sent_is_forgotten_on_the_phone(app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    phone.offline()
    page = phone.page
    attach(page, "1.1", "a.jpg", photo(), "image/jpeg")
    page.wait_for_selector(tiles(page, "1.1"))
    phone.wait_unsynced(2)
    page.click(f'{tiles(page, "1.1")} .evidence-remove')
    page.wait_for_selector(tiles(page, "1.1"), state="detached")
    phone.wait_unsynced(0)
    assert page.evaluate("() => Promise.all([Outbox.items(), IDB.all('files')])"
                         ".then(([i, f]) => i.length + f.length)") == 0
    phone.offline(False)
    page.reload()
    assert stored(app) == (0, 0, 0)


def test_a_file_already_on_the_server_is_removed_through_the_outbox(app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    attach(page, "1.1", "a.jpg", photo(), "image/jpeg")
    page.wait_for_selector(tiles(page, "1.1"))
    phone.until("() => IDB.all('files').then(f => f.length === 0)")
    phone.wait_unsynced(0)
    page.reload()  # now the server's list shows it, with its remove button
    listed = '.attach[data-indicator="1.1"] .evidence li[data-attachment]'
    page.click(f"{listed} .evidence-remove")
    page.wait_for_selector(listed, state="hidden")

    def removed():
        with app.app_context():
            at = db.session.scalar(select(EvidenceAttachment.removed_at))
            db.session.remove()
        return at is not None

    for _ in range(150):  # the remove item is queued, then sent
        if removed():
            break
        page.wait_for_timeout(100)
    assert removed()
    phone.wait_unsynced(0)
    page.reload()
    assert page.query_selector(listed) is None


def test_the_person_sees_each_file_go_while_it_uploads(app, world, live, phones):
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    held, released = [], []

    def hold(route):  # the upload waits here until the panel was looked at
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/api/v1/evidence/520101/**", hold)
    # Online, two photos chosen at once: the page itself sends them (no Background
    # Sync of the worker, which only takes over when there is no signal).
    page.set_input_files(FILE_INPUT.format("1.1"), files=[
        {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": photo(width=640, height=480)},
        {"name": "b.jpg", "mimeType": "image/jpeg",
         "buffer": photo(width=640, height=480, color=(10, 200, 10))}])
    panel = page.wait_for_selector("#evidence-progress:not([hidden])")
    assert panel.get_attribute("data-total") == "2" and panel.get_attribute("data-done") == "0"
    assert "กำลังส่งหลักฐาน 0/2" in panel.inner_text()
    assert "ยังอยู่ในเครื่องเท่านั้น: 2" in panel.inner_text()
    assert len(panel.query_selector_all(".files li progress")) == 2  # one bar per file
    while not held:
        page.wait_for_timeout(50)
    released.append(True)
    for route in held:
        route.continue_()
    phone.wait_unsynced(0)
    page.wait_for_selector("#evidence-progress", state="hidden")
    assert stored(app) == (2, 2, 2)
