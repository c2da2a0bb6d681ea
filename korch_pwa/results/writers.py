"""A table as CSV (streamed chunk by chunk) or XLSX (built on disk).

Neither holds the table in memory: the CSV is sent as it is written, and the
XLSX is written by xlsxwriter in its constant-memory mode to a temporary file
that is then sent as it is read. (A ZIP cannot be sent before it is
finished without hand-writing the XLSX parts; a temporary file keeps memory
flat with a well-kept library doing the format.)
"""

import csv
import io
import tempfile

from ..domain.deadlines import bangkok_time
from ..domain.spreadsheet_safety import csv_cell
from ..domain.thai_dates import to_be

# Excel takes a CSV for the local code page unless it starts with a BOM; with
# it, Thai opens as Thai.
BOM = "\ufeff"
CHUNK_CHARS = 64 * 1024  # sent when the buffer holds this much (rows differ a lot in size)
# Excel's day/month/Buddhist-era year (and the same shape in the CSV).
XLSX_DATETIME = "d/m/bbbb hh:mm"
WIDTHS = {"text": 16, "int": 9, "float": 11, "datetime": 16}
WIDE = {"province": 16, "district": 18, "subdistrict": 18, "indicator": 40, "note": 40,
        "approved_by": 24, "level": 16}


def csv_value(value):
    """Return one cell's CSV text: B.E. dates, formula-like text made inert."""
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        moment = bangkok_time(value)
        return f"{moment.day}/{moment.month}/{to_be(moment.year)} {moment:%H:%M}"
    if isinstance(value, str):
        return csv_cell(value)
    return value


def csv_chunks(columns, rows, locale="th"):
    """Yield the CSV (UTF-8 with BOM) of ``rows`` as bytes, about CHUNK_CHARS at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([c.title(locale) for c in columns])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(columns, rows, sheet_name, locale="th"):
    """Write ``rows`` to an XLSX in a temporary file; return the file, at its start.

    Text is always written as text (never a formula, however it starts),
    numbers as numbers and moments as dates. The header is frozen and filtered.
    """
    import xlsxwriter  # here, not at start: few workers ever write a sheet

    out = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(sheet_name[:31])
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    when = book.add_format({"num_format": XLSX_DATETIME})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, WIDE.get(column.key, WIDTHS[column.kind]))
        sheet.write_string(0, index, column.title(locale), header)
    sheet.freeze_panes(1, 0)
    last = 0
    for last, row in enumerate(rows, 1):
        for index, (column, value) in enumerate(zip(columns, row)):
            if value is None or value == "":
                continue
            if column.kind in ("int", "float"):
                sheet.write_number(last, index, value)
            elif column.kind == "datetime":
                sheet.write_datetime(last, index, bangkok_time(value).replace(tzinfo=None), when)
            else:
                sheet.write_string(last, index, str(value))
    sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    book.close()
    out.seek(0)
    return out
