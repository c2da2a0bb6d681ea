"""A4 PDFs in Thai: Sarabun, HarfBuzz shaping, words a reader can find and copy.

And the few layout rules every printed form here follows: lines broken only
at spaces and marked places, headings kept with their text.
"""

import re


def font_dir():
    """Return the folder of the Sarabun TTF files shipped by fontpkg_sarabun."""
    import fontpkg_sarabun

    return fontpkg_sarabun.ROOT / "files"


def new_thai_pdf(title, margins=(30, 20, 20), bottom=20):
    """Return an A4 FPDF (mm) with Sarabun regular and bold and Thai shaping, one page added.

    The default margins are those of official letters (ระเบียบงานสารบรรณ):
    3 cm left, 2 cm top and right.
    """
    # Imported here, not at start: fpdf2 with fontTools, HarfBuzz and Pillow is
    # about 32 MB that a worker serving syncs and pages need not hold.
    from .reports.pdf_direction import left_to_right_pdf
    from .reports.pdf_text import searchable_text

    pdf = left_to_right_pdf()(format="A4", unit="mm")
    pdf.set_margins(*margins)
    pdf.set_auto_page_break(True, margin=bottom)
    fonts = font_dir()
    pdf.add_font("Sarabun", "", str(fonts / "Sarabun-Regular.ttf"))
    pdf.add_font("Sarabun", "B", str(fonts / "Sarabun-Bold.ttf"))
    searchable_text(pdf)  # "อำเภอ" must be found and copied whole, not "อำ เภอ"
    # HarfBuzz places Thai vowels and tone marks above/below their consonant.
    pdf.set_text_shaping(True)
    pdf.set_title(title)
    pdf.set_lang("th")
    pdf.add_page()
    return pdf


# ---------------------------------------------------------------- layout

BREAK = "\ue000"  # a private-use character: "a line may break here"


# Thai marks that must stay with the character before them (above/below
# vowels, tone marks, following vowels) and vowels written before a consonant.
_NO_BREAK_BEFORE = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38"
                       "\u0e39\u0e3a\u0e45\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_NO_BREAK_AFTER = set("\u0e40\u0e41\u0e42\u0e43\u0e44")


def soft_breaks(text, longer_than=30):
    """Mark where long unspaced Thai runs typed by people may break.

    Without a dictionary we cannot find word ends, but breaking between two
    character clusters never tears a vowel or tone mark from its consonant.
    """
    words = []
    for word in text.split(" "):
        if len(word) > longer_than:
            out = []
            for i, char in enumerate(word):
                out.append(char)
                nxt = word[i + 1] if i + 1 < len(word) else ""
                if nxt and nxt not in _NO_BREAK_BEFORE and char not in _NO_BREAK_AFTER:
                    out.append(BREAK)
            word = "".join(out)
        words.append(word)
    return " ".join(words)


def wrap(text, width, measure):
    """Split text into lines no wider than ``width`` at spaces and BREAK marks.

    ``measure`` returns the printed width of a string (shaped by HarfBuzz).
    """
    lines, current = [], ""
    for piece in re.split(f"( |{BREAK})", text):
        if piece == BREAK:
            continue
        candidate = current + piece
        if current.strip() and piece.strip() and measure(candidate.rstrip()) > width:
            lines.append(current.rstrip())
            current = piece
        else:
            current = candidate
    lines.append(current.rstrip())
    return lines


LINE_HEIGHT = 7.5  # mm, for 14-16 pt Sarabun


def lines(pdf, text, indent=0, size=14, style=""):
    """Return the printed lines of a paragraph (the font is left set for them)."""
    pdf.set_font("Sarabun", style, size)
    return wrap(text, pdf.epw - indent - 1, pdf.get_string_width)


def keep_together(pdf, count):
    """Start a new page unless ``count`` more lines fit on this one.

    A heading left at the foot of a page with its text overleaf (and a
    signature block split in two) is what a reader of the form would not accept.
    """
    if pdf.get_y() + count * LINE_HEIGHT > pdf.page_break_trigger:
        pdf.add_page()


def heading(pdf, text, indent=0, style="B", keep_with=2):
    """Write a heading on the same page as the first ``keep_with`` lines after it."""
    keep_together(pdf, len(lines(pdf, text, indent, style=style)) + keep_with)
    para(pdf, text, indent=indent, style=style)


def para(pdf, text, indent=0, size=14, style="", align="L"):
    """Write a paragraph wrapped at its break marks."""
    width = pdf.epw - indent
    for line in lines(pdf, text, indent, size, style):
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width, LINE_HEIGHT, line, align="C" if align == "C" else "L",
                 new_x="LMARGIN", new_y="NEXT")
