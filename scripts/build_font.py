"""Build static/fonts/sarabun-thai.woff2: Sarabun Regular cut down to Thai and basic Latin.

Run once after changing the character set: .venv/bin/python scripts/build_font.py
The phone downloads this font on its first visit, so every glyph counts.
"""

from pathlib import Path

import fontpkg_sarabun
from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts" / "sarabun-thai.woff2"

# Thai block, printable ASCII (Latin, digits, punctuation) and the few
# typographic marks the pages use (dashes, middle dot, quotes, ellipsis).
UNICODES = (list(range(0x0E01, 0x0E5C)) + list(range(0x20, 0x7F))
            + [0xA0, 0xB7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026])


def build(out=OUT):
    """Subset Sarabun Regular to UNICODES and write it as WOFF2; return the size."""
    source = fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf"
    options = subset.Options()
    options.flavor = "woff2"
    # Thai needs its mark positioning and composition features to stack vowels
    # and tone marks; kerning and ligatures are left out to keep it small.
    options.layout_features = ["ccmp", "mark", "mkmk"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(out), options)
    return out.stat().st_size


if __name__ == "__main__":
    print(f"{OUT.relative_to(ROOT)}: {build()} bytes")
