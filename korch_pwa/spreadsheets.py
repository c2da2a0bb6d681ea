"""XLSX files people fill in: templates written as text cells, uploads read safely.

Shared by every upload that takes a spreadsheet (the register, officers'
accounts, the framework): the archive is checked and scanned first
(``domain/xlsx_guard``), and only then does openpyxl stream the sheets
read, each one bounded in rows, columns and cells.
"""

from io import BytesIO
from itertools import islice

from flask_babel import gettext

from .domain import xlsx_guard
from .domain.spreadsheet_safety import xlsx_append
from .errors import ServiceError


def _format_sheet(sheet, headers, rows):
    """Write bold ``headers`` then ``rows`` into ``sheet``, every cell as text."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    xlsx_append(sheet, list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        # Text format keeps leading zeros of codes and phones, and B.E. dates as typed.
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(header) + 4)
        sheet.column_dimensions[letter].number_format = "@"
    for row in rows:
        xlsx_append(sheet, ["" if value is None else str(value) for value in row])
    sheet.freeze_panes = "A2"


def sheet_book(title, headers, rows):
    """Return a workbook of one sheet: bold ``headers``, then ``rows``, all cells text."""
    # openpyxl (about 8 MB) is imported when a sheet is made or read, not by
    # every worker at start: most never touch one.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    _format_sheet(sheet, headers, rows)
    return book


def add_sheet(book, title, headers, rows):
    """Add a sheet like ``sheet_book``'s to ``book``."""
    _format_sheet(book.create_sheet(title), headers, rows)


def book_bytes(book):
    """Return ``book`` as XLSX bytes."""
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def add_how_to(book, lines, headers, examples):
    """Add the "how to fill it in" sheet: ``lines``, then the headers and example rows."""
    notes = book.create_sheet("วิธีกรอก")
    for line in lines:
        xlsx_append(notes, [line])
    xlsx_append(notes, list(headers))
    for example in examples:
        xlsx_append(notes, list(example))


class UploadRefused(ServiceError):
    """A whole upload refused by the zip-bomb guard, with its own Thai message."""

    def __init__(self, refused):
        super().__init__(refused.code, "file", detail=refused.params)

    @property
    def message(self):
        """Return the reason in the reader's language."""
        return gettext(xlsx_guard.REFUSALS[self.code], **self.detail)

    @property
    def status(self):
        """Every refusal is about the file's content."""
        return 422


def _read(data, pick):
    """Return {title: rows} of the sheets ``pick(book)`` chooses, each checked first."""
    try:
        archive, scanned = xlsx_guard.open_checked(data)
        archive.close()
    except xlsx_guard.XlsxRefused as exc:
        raise UploadRefused(exc) from None
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        found = {}
        for sheet in pick(book):
            stats = scanned.sheets.get(sheet._worksheet_path.lstrip("/"))
            if stats is None:  # a sheet outside xl/worksheets/: not a file of ours
                raise ServiceError("not_xlsx", "file")
            xlsx_guard.check_sheet(stats)
            found[sheet.title] = list(islice(
                sheet.iter_rows(max_col=xlsx_guard.MAX_COLUMNS, values_only=True),
                xlsx_guard.MAX_READ_ROWS))
        book.close()
    except xlsx_guard.XlsxRefused as exc:
        raise UploadRefused(exc) from None
    except ServiceError:
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise ServiceError("not_xlsx", "file") from None
    return found


def read_rows(data):
    """Return (header, rows) of the first sheet of XLSX ``data``.

    Raise UploadRefused for a hostile file, not_xlsx for an unreadable one.
    """
    rows = next(iter(_read(data, lambda book: book.worksheets[:1]).values()), [])
    if not rows:
        return (), []
    return rows[0], rows[1:]


def read_sheets(data, titles):
    """Return {title: rows} of the sheets of XLSX ``data`` named in ``titles`` that it has."""
    return _read(data, lambda book: [book[t] for t in titles if t in book.sheetnames])
