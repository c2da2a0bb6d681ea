"""share.js in headless Chromium: share sheet when files can be shared, else download."""

import pytest

from tests.conftest import PASSWORD

from .conftest import wait_js

pytestmark = pytest.mark.e2e

# Pretend to be a phone whose browser shares files, and record what is shared.
FAKE_SHARE = """
window.__shared = [];
navigator.canShare = (data) => !!(data && data.files && data.files.length);
navigator.share = async (data) => {
  const f = data.files[0];
  window.__shared.push({name: f.name, type: f.type, size: f.size});
};
"""


def _open_report(browser, live_url, init_script=None):
    """Log in as the district officer and open the report page."""
    context = browser.new_context(accept_downloads=True)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.goto(live_url + "/login")
    page.fill("input[name=username]", "district_x")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form button").last.click()
    page.wait_for_load_state()
    page.goto(live_url + "/dashboard/report/5201/2570")
    return page


def test_share_sheet_gets_the_pdf_file(browser, live):
    page = _open_report(browser, live.url, FAKE_SHARE)
    page.click("a[data-share][href$='export.pdf']")
    wait_js(page, "() => window.__shared.length > 0")
    shared = page.evaluate("window.__shared")[0]
    assert shared["name"] == "progress-5201-2570.pdf"
    assert shared["type"] == "application/pdf" and shared["size"] > 5000
    page.context.close()


def test_without_file_sharing_the_link_downloads(browser, live):
    page = _open_report(browser, live.url, "delete Navigator.prototype.canShare;"
                                           "delete Navigator.prototype.share;")
    with page.expect_download() as info:
        page.click("a[data-share][href$='export.xlsx']")
    assert info.value.suggested_filename == "progress-5201-2570.xlsx"
    page.context.close()
