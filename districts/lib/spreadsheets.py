"""Writing spreadsheets people open in Excel, safely. No Django here.

Every sheet has its header row frozen, columns wide enough for their Thai headers and values,
numbers as numbers (with thousands separators, baht with satang), an optional bold total
row, and no cell Excel would run as a formula.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER = re.compile(r"[-+]\d+(\.\d+)?")
COUNT_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0.00"
WIDEST = 60  # characters: a long note wraps in the cell rather than stretching the sheet
SAMPLED = 200  # rows whose values size the columns; the rest are seldom wider


def safe_cell(value):
    """Text that would run as a formula is written as text (a leading apostrophe); a signed
    number that came as text (-5000 from a sheet) is written as the number it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if SIGNED_NUMBER.fullmatch(value):
            return Decimal(value) if "." in value else int(value)
        return "'" + value
    return value


def display_width(text: str) -> int:
    """Columns a text takes on screen: Thai vowel and tone marks above or below a consonant
    take none (len() counts them, and sized Thai columns half as wide again as needed)."""
    return sum(
        1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
    )


def _format(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return COUNT_FORMAT
    if isinstance(value, Decimal | float):
        return MONEY_FORMAT if value != int(value) or isinstance(value, Decimal) else COUNT_FORMAT
    return None


def _shown(value) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:,.2f}" if isinstance(value, Decimal | float) else f"{value:,}"
    return "" if value is None else str(value)


def xlsx_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    totals: Sequence | None = None,
) -> bytes:
    """One sheet named ``title``: ``headers``, then ``rows``, then ``totals`` (bold) if any.
    Rows are read once, as they come; the first ``SAMPLED`` size the columns."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    widths = [display_width(str(h)) * 6 // 5 + 2 for h in headers]
    kept, rest = [], iter(rows)
    for row in rest:
        kept.append([safe_cell(value) for value in row])
        for i, value in enumerate(kept[-1][: len(widths)]):
            widths[i] = max(widths[i], display_width(_shown(value)) * 6 // 5 + 2)
        if len(kept) >= SAMPLED:
            break
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width, WIDEST)

    def cells(values, font=None):
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            number_format = _format(value)
            if number_format:
                cell.number_format = number_format
            if font:
                cell.font = font
            out.append(cell)
        return out

    sheet.append(cells([safe_cell(str(h)) for h in headers], bold))
    for row in kept:
        sheet.append(cells(row))
    for row in rest:
        sheet.append(cells([safe_cell(value) for value in row]))
    if totals is not None:
        sheet.append(cells([safe_cell(value) for value in totals], bold))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
