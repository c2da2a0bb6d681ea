"""The printed slips: one per person, eight to an A4 page, to cut apart and hand out.

Each slip carries what the person types the first time (username and the
one-time code) and a QR code of the activation link. The code rides in the
link's fragment (``#c=``), which the browser never sends: it stays out of
every server's and proxy's logs, and the page fills it in.
"""

from io import BytesIO
from urllib.parse import quote, urlencode

from flask import Response, url_for

from ..domain.account_codes import display
from ..domain.thai_dates import format_date
from ..pdf import new_thai_pdf

TITLE = "ใบแจ้งบัญชีผู้ใช้ ระบบประเมินศูนย์ประสานงานองค์การชุมชน"
COLUMNS, ROWS = 2, 4
MARGIN = 10  # mm around the page
QR_SIZE = 27  # mm; a phone's camera reads it from a hand-held slip
QR_BORDER = 2  # modules of quiet zone around the code
QR_MASK = 4


def activation_link(base_url, username, code=None):
    """Return the activation link for a slip: username in the query, code in the fragment."""
    link = f"{base_url}?{urlencode({'u': username})}"
    return f"{link}#c={code}" if code else link


def qr_code(text):
    """Return a QR code of ``text`` (medium error correction: slips get creased).

    The mask is fixed: choosing the best of eight was two thirds of the time
    of a slip, and any mask reads (the choice only evens out light and dark).
    """
    import segno  # here, not at start: slips are printed once per area

    return segno.make(text, error="m", mask=QR_MASK, boost_error=False)


def qr_png(text):
    """Return a QR code of ``text`` as PNG bytes, for pages that show one."""
    out = BytesIO()
    qr_code(text).save(out, kind="png", scale=4, border=2)
    out.seek(0)
    return out


def draw_qr(pdf, text, x, y, size):
    """Draw the QR code of ``text`` as filled runs of dark modules, ``size`` mm square.

    Vector runs (one rectangle per run of dark modules in a row) are sharper
    than a picture at any print size. They go out as one path with one fill:
    drawn with ``rect()`` one by one, a slip's 200-odd runs cost more than
    all of its text.
    """
    matrix = qr_code(text).matrix
    module = size / (len(matrix) + 2 * QR_BORDER)
    k, page_height = pdf.k, pdf.h
    runs = []
    for row, modules in enumerate(matrix):
        top = y + (row + QR_BORDER) * module
        start = None
        for col, dark in enumerate((*modules, 0)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                left = x + (start + QR_BORDER) * module
                runs.append(f"{left * k:.2f} {(page_height - top) * k:.2f} "
                            f"{(col - start) * module * k:.2f} {-module * k:.2f} re")
                start = None
    pdf.set_fill_color(0)
    # fpdf2 has no public call for a path of many rectangles; rect() writes the same
    # operators one path at a time.
    pdf._out(" ".join(runs) + " f")  # pylint: disable=protected-access


def build_slips_pdf(slips, area_labels, base_url):
    """Return the PDF bytes of ``slips`` (accounts.bulk.Slip), eight per page."""
    pdf = new_thai_pdf(TITLE, margins=(MARGIN, MARGIN, MARGIN), bottom=0)
    pdf.set_auto_page_break(False)
    width = (pdf.w - 2 * MARGIN) / COLUMNS
    height = (pdf.h - 2 * MARGIN) / ROWS
    fits = {}
    for index, slip in enumerate(slips):
        spot = index % (COLUMNS * ROWS)
        if index and spot == 0:
            pdf.add_page()
        x = MARGIN + (spot % COLUMNS) * width
        y = MARGIN + (spot // COLUMNS) * height
        _slip(pdf, slip, area_labels.get(slip.area_code, slip.area_code), base_url,
              (x, y, width, height), fits)
    return bytes(pdf.output())


def _slip(pdf, slip, area_label, base_url, box, fits):
    """Draw one slip in the box at (x, y), with a dashed line to cut along.

    Who it is for sits beside the QR code; what the person types runs the
    full width below it, the code largest.
    """
    x, y, width, height = box
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.set_draw_color(150)
    pdf.rect(x, y, width, height)
    pdf.set_dash_pattern()
    pad = 4
    beside = width - QR_SIZE - 3 * pad
    _lines(pdf, x + pad, y + pad, beside, fits=fits, lines=[
        ("B", 11, "บัญชีเข้าใช้ระบบประเมิน ศอช.ต."),
        ("B", 13, slip.full_name),
        ("", 11, slip.position),
        ("", 10, area_label),
    ])
    link = activation_link(base_url, slip.username, slip.code)
    draw_qr(pdf, link, x + width - QR_SIZE - pad, y + pad, QR_SIZE)
    _lines(pdf, x + pad, y + pad + QR_SIZE + 1, width - 2 * pad, fits=fits, lines=[
        ("", 13, f"ชื่อผู้ใช้: {slip.username}"),
        ("B", 17, f"รหัสเปิดใช้งาน: {display(slip.code)}"),
        ("", 10, f"ใช้ได้ครั้งเดียว ถึงวันที่ {format_date(slip.expires_at, 'th', 'short')}"),
        ("", 10, "สแกน QR หรือเปิดเว็บด้านล่าง แล้วตั้งรหัสผ่านของท่านเอง"),
        ("", 9, base_url),
    ])


def _lines(pdf, x, y, width, lines, fits):
    """Write ``lines`` (style, size, text) from (x, y), each shrunk to fit ``width``.

    A long name or area is set smaller rather than cut: every word of it is
    someone's name. Only below 7 pt is the end cut off.
    """
    pdf.set_xy(x, y)
    for style, size, text in lines:
        size, text = _fitted(pdf, style, size, text, width, fits)
        pdf.set_font("Sarabun", style, size)
        pdf.set_x(x)
        pdf.cell(width, size * 0.45, text, new_x="LMARGIN", new_y="NEXT")


def _fitted(pdf, style, size, text, width, fits):
    """Return (size, text) of ``text`` set to fit ``width``; ``fits`` caches the answers.

    Most lines repeat from slip to slip (headings, positions, areas), and
    measuring shaped Thai text is what a slip costs.
    """
    key = (style, size, text, width)
    if key not in fits:
        def wide(size, text):
            pdf.set_font("Sarabun", style, size)
            return pdf.get_string_width(text)
        first = wide(size, text)
        fitted = size
        if first > width:
            # Width grows with the size: one guess, then half points for shaping's slack.
            fitted = max(7.0, int(size * width / first * 2) / 2)
            while fitted > 7 and wide(fitted, text) > width:
                fitted -= 0.5
            while text and wide(fitted, text) > width:
                text = text[:-1]
        fits[key] = (fitted, text)
    return fits[key]


def slips_response(slips, labels, name):
    """Return the slips as a PDF download named after ``name`` (an area code or a word).

    The caller commits after this returns: if the PDF cannot be made, no
    code is stored that nobody could ever read.
    """
    data = build_slips_pdf(slips, labels, url_for("account.activate", _external=True))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=slips-{name}.pdf; "
        f"filename*=UTF-8''{quote(f'ใบแจ้งบัญชีผู้ใช้-{name}.pdf')}")
    response.headers["Cache-Control"] = "no-store"
    return response
