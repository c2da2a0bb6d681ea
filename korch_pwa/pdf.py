"""A4 PDFs in Thai: Sarabun, HarfBuzz shaping, words a reader can find and copy."""

from .reports.pdf_direction import left_to_right_pdf
from .reports.pdf_text import searchable_text


def font_dir():
    """Return the folder of the Sarabun TTF files shipped by fontpkg_sarabun."""
    import fontpkg_sarabun

    return fontpkg_sarabun.ROOT / "files"


def new_thai_pdf(title, margins=(30, 20, 20), bottom=20):
    """Return an A4 FPDF (mm) with Sarabun regular and bold and Thai shaping, one page added.

    The default margins are those of official letters (ระเบียบงานสารบรรณ):
    3 cm left, 2 cm top and right.
    """
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
