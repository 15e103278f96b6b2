"""Reading the spreadsheets people send: .xlsx or .csv saved from Excel on Thai Windows.

No Django here. ``read_table`` returns the header and the rows as text, with Thai digits made
Arabic; every refusal is a ``SheetError`` whose ``code`` the caller turns into a message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from districts.lib.thai import parse_be_date, to_arabic_digits

XLSX_MAGIC = b"PK\x03\x04"


class SheetError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows, as text; row i is spreadsheet row i + 2


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 40160101 as 40160101.0
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year + 543}"
    return to_arabic_digits(str(value)).strip()


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith(UTF16_BOMS):  # Excel's "Unicode text": UTF-16 with its mark, tabbed
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SheetError("encoding") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")  # Excel on Thai Windows saves CSV as Windows-874
    except UnicodeDecodeError:
        raise SheetError("encoding") from None


def unpacked_size(data: bytes) -> int:
    """What reading a file costs, roughly: an .xlsx's size once unzipped (a 250 KB file can
    hold 70 MB of cells), any other file's own size. Reads the zip's directory only."""
    if data.startswith(XLSX_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return len(data)
    return len(data)


def read_table(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    max_rows: int,
    max_uncompressed: int,
    max_columns: int = 100,
) -> Table:
    if len(data) > max_bytes:
        raise SheetError("too_large", limit=max_bytes)
    if not data.strip():
        raise SheetError("empty")
    if data.startswith(XLSX_MAGIC):
        rows = _read_xlsx(
            data, max_rows=max_rows, max_uncompressed=max_uncompressed, max_columns=max_columns
        )
    elif filename.lower().endswith((".csv", ".txt")) and (
        data.startswith(UTF16_BOMS) or b"\0" not in data[:4096]
    ):
        rows = _read_csv(data, max_rows=max_rows, max_columns=max_columns)
    else:
        raise SheetError("not_a_sheet")
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise SheetError("empty")
    headers, body = rows[0], rows[1:]
    if not body:
        raise SheetError("no_rows")
    if len(body) > max_rows:
        raise SheetError("too_many_rows", limit=max_rows)
    width = len(headers)
    return Table(headers=headers, rows=[(r + [""] * width)[:width] for r in body])


def _width(row) -> int:
    """The row's width up to its last filled cell."""
    filled = [i for i, cell in enumerate(row) if cell not in (None, "")]
    return filled[-1] + 1 if filled else 0


def _read_xlsx(
    data: bytes, *, max_rows: int, max_uncompressed: int, max_columns: int
) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # A zip bomb is small outside and huge inside: check before anything unpacks it.
            if sum(info.file_size for info in archive.infolist()) > max_uncompressed:
                raise SheetError("too_large_inside", limit=max_uncompressed)
    except zipfile.BadZipFile:
        raise SheetError("not_a_sheet") from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or non-Excel zip
        raise SheetError("not_a_sheet") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            # A sheet of hundreds of columns is no list of villages or officers, and reading
            # it costs minutes: refused at its first wide row, not after every row is read.
            if _width(row) > max_columns:
                raise SheetError("too_many_columns", limit=max_columns)
            rows.append([_text(cell) for cell in row])
            if len(rows) > max_rows + 1:
                raise SheetError("too_many_rows", limit=max_rows)
        return rows
    finally:
        workbook.close()


def _read_csv(data: bytes, *, max_rows: int, max_columns: int) -> list[list[str]]:
    text = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if _width(row) > max_columns:
                raise SheetError("too_many_columns", limit=max_columns)
            rows.append([to_arabic_digits(cell).strip() for cell in row])
            if len(rows) > max_rows + 1:
                raise SheetError("too_many_rows", limit=max_rows)
    except csv.Error:
        raise SheetError("not_a_sheet") from None
    return rows


def normalise_header(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().lower()


def parse_number(text: str) -> float:
    """'1,234.50' or '๑๒๓๔' -> float; ValueError on anything else."""
    cleaned = to_arabic_digits(text).replace(",", "").replace(" ", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return float(cleaned)


def parse_day(text: str) -> dt.date:
    """A day from a sheet: 27/05/2560 (Buddhist era) or an Excel date already read as one."""
    return parse_be_date(text)
