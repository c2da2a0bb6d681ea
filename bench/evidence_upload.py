"""Evidence on a phone: bytes sent for a 12 MP photo, and 23 photos over slow 4G.

Drives the real app in Debian's Chromium (Playwright), through the same
file chooser a person uses:

1. A typical 12 MP camera photo (4000 x 3000 JPEG, made here: gradients and
   texture, quality 92, EXIF orientation and location) is attached; the
   phone's copy (what it keeps and sends) is measured against the original.
2. An assessment with one photo on each of the 23 indicators (each a distinct
   12 MP photo) is attached offline; then the phone gets its signal back
   under Chromium's "Slow 4G" emulation (562.5 ms latency, 1.44 Mbit/s down,
   675 kbit/s up) and the time until the server holds every file is taken.
   Baseline, in the same run and under the same emulation: ONE request
   carrying the same number of bytes. The ratio says what the per-file
   protocol (ask what is missing, one upload per file, acknowledgements)
   costs over the bare bytes. Also printed: the longest time the progress
   panel showed no movement.

Run: .venv/bin/python bench/evidence_upload.py [--photos 23]
"""

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.44e6 / 8,
           "uploadThroughput": 675e3 / 8}


def camera_photo(seed, width=4000, height=3000):
    """Return a JPEG like a phone camera's: smooth light, fine texture, EXIF with a location."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    small = Image.new("RGB", (80, 60))
    small.putdata([(rng.randrange(60, 200), rng.randrange(60, 200), rng.randrange(40, 160))
                   for _ in range(80 * 60)])
    image = small.resize((width, height), Image.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(300):  # people, chairs, papers: edges the encoder must keep
        x, y = rng.randrange(width), rng.randrange(height)
        draw.rectangle([x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 300)],
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(0x8825).update({1: "N", 2: (18.0, 17.0, 0.0), 3: "E", 4: (99.0, 30.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def setup(tmp):
    """Return a live server over a fresh SQLite database holding a member and a round."""
    from tests.conftest import PASSWORD, make_app
    from tests.e2e.conftest import LiveServer
    from korch_pwa.demo import ensure_rounds, ensure_user
    from korch_pwa.domain.roles import Role
    from korch_pwa.extensions import db
    from korch_pwa.org.services import load_geography

    url = "sqlite:///" + str(Path(tmp) / "bench.sqlite")
    app = make_app(url)
    with app.app_context():
        db.create_all()
        load_geography(province_codes={"52"})
        ensure_user("member_a", "คุณ member_a", "", Role.MEMBER, ["520101"], PASSWORD)
        round_id = ensure_rounds("52")[2].id
        db.session.commit()
        db.session.remove()
    return LiveServer(url).start(), round_id, PASSWORD


def phone(playwright, live, tmp, password):
    """Return a logged-in phone (persistent profile, so the service worker runs)."""
    from tests.e2e.conftest import ARGS, CHROMIUM

    context = playwright.chromium.launch_persistent_context(
        str(Path(tmp) / "profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
        base_url=live.url, locale="th-TH")
    context.set_default_timeout(600_000)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/login")
    page.fill("#username", "member_a")
    page.fill("#password", password)
    page.click("main form button.primary")
    page.wait_for_load_state()
    return context, page


def wait(page, script, timeout=600):
    """Wait until a script in the page returns something truthy; return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(script)


def attach(page, indicator, name, data):
    """Choose a photo for an indicator with the camera button."""
    page.set_input_files(f'input[data-attach="{indicator}"][capture]', files=[
        {"name": name, "mimeType": "image/jpeg", "buffer": data}])


def one_photo(page, form):
    """Attach one 12 MP photo; return (original bytes, the phone's copy)."""
    page.goto(form)
    original = camera_photo(0)
    attach(page, "1.1", "IMG_0001.jpg", original)
    kept = wait(page, "() => IDB.all('files').then(f => f.length && f[0].size)")
    dims = page.evaluate("() => IDB.all('files').then(async f => {"
                         "const b = await createImageBitmap(f[0].blob); return [b.width, b.height]; })")
    wait(page, "() => IDB.all('files').then(f => f.length === 0)")  # sent; clean slate
    return len(original), kept, dims


def sync_time(page, context, form, photos, codes):
    """Attach ``photos`` photos offline, then time their upload under Slow 4G."""
    page.goto(form)
    page.wait_for_selector("html[data-offline-ready='1']", state="attached")
    context.set_offline(True)
    for n, code in enumerate(codes[:photos]):
        attach(page, code, f"IMG_{n:04d}.jpg", camera_photo(n + 1))
        wait(page, f"() => IDB.all('files').then(f => f.length === {n + 1})")
    total = page.evaluate("() => IDB.all('files').then(f => f.reduce((n, x) => n + x.size, 0))")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    context.set_offline(False)
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)  # set_offline resets it
    start = time.monotonic()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    last_value, last_change, longest = None, start, 0.0
    while True:
        state = page.evaluate("""() => IDB.all('files').then(f => [f.length,
            (document.querySelector('#evidence-progress:not([hidden]) progress') || {}).value])""")
        now = time.monotonic()
        if state[1] != last_value:
            longest = max(longest, now - last_change)
            last_value, last_change = state[1], now
        if state[0] == 0:
            break
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    # Baseline: the same number of bytes as ONE request, same emulation.
    baseline = page.evaluate("""async (n) => {
        const who = await (await fetch('/api/v1/session')).json();
        const body = JSON.stringify({items: 'x'.repeat(n)});
        const t = performance.now();
        await fetch('/api/v1/sync', {method: 'POST', body, headers: {
            'Content-Type': 'application/json', 'X-CSRFToken': who.csrf_token}});
        return (performance.now() - t) / 1000; }""", total)
    return total, elapsed, baseline, longest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=23)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from korch_pwa.domain.framework import framework_for

    codes = [i.code for i in framework_for(2570).indicators]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        live, round_id, password = setup(tmp)
        context, page = phone(playwright, live, tmp, password)
        form = f"/assessment/520101/{round_id}"
        try:
            original, kept, dims = one_photo(page, form)
            print(f"12 MP photo: original {original / 1024:.0f} KB -> sent {kept / 1024:.0f} KB "
                  f"({dims[0]} x {dims[1]} px), ratio {kept / original:.3f}")
            total, elapsed, baseline, longest = sync_time(page, context, form, args.photos,
                                                          codes)
            print(f"{args.photos} photos ({total / 1024:.0f} KB) over Slow 4G: {elapsed:.1f} s; "
                  f"one request of the same bytes: {baseline:.1f} s; ratio {elapsed / baseline:.2f}")
            print(f"longest time without visible progress: {longest:.1f} s")
        finally:
            context.close()
            live.stop()


if __name__ == "__main__":
    main()
