"""The installable app: update prompt on a new deploy, caches forgotten at logout."""

import shutil
from pathlib import Path

from .conftest import wait_js
from .test_offline import form_url

VERSIONS = "caches.keys().then(k => k.filter(n => n.startsWith('korch-shell-')).sort())"


def test_new_deploy_shows_the_update_prompt_and_drops_old_caches(app, world, live, phones,
                                                                  tmp_path):
    """A changed static file gives a new worker: banner, then reload on the new one."""
    static = tmp_path / "static"
    shutil.copytree(Path(live.app.static_folder), static)
    live.app.static_folder = str(static)
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    wait_js(page, "() => navigator.serviceWorker.controller !== null")
    old = page.evaluate(VERSIONS)
    assert len(old) == 1
    assert page.is_hidden("#update-banner")

    with open(static / "css" / "app.css", "a") as css:
        css.write("\n.deployed { color: red; }\n")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_selector("#update-banner", state="visible")
    assert "มีรุ่นใหม่" in page.inner_text("#update-banner")
    with page.expect_navigation():
        page.click("#update-banner button")
    wait_js(page, f"() => {VERSIONS}.then(k => k.length === 1 && k[0] !== {old[0]!r})")


def test_logout_forgets_cached_pages(app, world, phones):
    """After logout the next person offline sees the offline page, not our form."""
    phone = phones()
    phone.login("member_a")
    phone.visit(form_url(world))
    page = phone.page
    assert page.evaluate("caches.keys().then(k => k.some(n => n.startsWith('korch-pages-')))")
    page.click("#logout-form button")
    page.wait_for_url("**/login")
    assert not page.evaluate(
        "caches.keys().then(k => k.some(n => n.startsWith('korch-pages-')))")
    phone.offline()
    page.goto(form_url(world))
    assert page.is_visible("#offline-page")
