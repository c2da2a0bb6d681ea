"""Thai is the source language; the English catalog must cover every string."""

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from korch_pwa import ROOT

CATALOG = ROOT / "korch_pwa" / "translations" / "en" / "LC_MESSAGES"
METHODS = [("korch_pwa/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_strings():
    """Every translatable string in the code and templates, as extracted now."""
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS,
            directory_filter=lambda d: "/." not in d and "venv" not in d):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_has_an_english_translation():
    with open(CATALOG / "messages.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(source_strings() - translated)
    assert missing == [], "run scripts/translations.sh and translate: " + "; ".join(missing[:20])


def test_compiled_catalog_matches_the_po():
    with open(CATALOG / "messages.po", "rb") as f:
        po = {m.id: m.string for m in read_po(f) if m.id and m.string}
    with open(CATALOG / "messages.mo", "rb") as f:
        mo = {m.id: m.string for m in read_mo(f) if m.id}
    assert po == mo, "run scripts/translations.sh to compile the catalog"


def test_english_interface(client, auth, world):
    client.post("/lang/en")
    page = client.get("/login").text
    assert "Log in" in page and "Password" in page and "เข้าสู่ระบบ" not in page
    auth.login("member_a")
    page = client.get(f"/assessment/520101/{world['round']}").text
    assert "Save draft" in page and "Nov 2569 BE" in page


def test_thai_is_the_default_even_for_an_english_browser(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert "เข้าสู่ระบบ" in page and 'lang="th"' in page
