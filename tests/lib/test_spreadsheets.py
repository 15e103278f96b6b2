"""The sheets the portal writes open in Excel as an office would send them upward."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from districts.lib.spreadsheets import display_width, safe_cell, xlsx_bytes


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_header_frozen_numbers_as_numbers_and_a_bold_total_row():
    data = xlsx_bytes(
        "หมู่บ้าน",
        ["หมู่บ้านเป้าหมาย", "งบประมาณ (บาท)", "ครัวเรือน"],
        [["บ้านหนองกุงเซิน", Decimal("150000.50"), 20], ["บ้านโนน", Decimal("40000"), 1279]],
        totals=["รวม", Decimal("190000.50"), 1299],
    )
    sheet = sheet_of(data)
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[2]] == ["บ้านโนน", 40000, 1279]
    assert rows[1][1].number_format == "#,##0.00" and rows[2][2].number_format == "#,##0"
    assert all(c.data_type == "n" for c in rows[1][1:])
    assert [c.value for c in rows[-1]] == ["รวม", 190000.5, 1299] and rows[-1][0].font.b


def test_columns_are_wide_enough_for_their_thai_headers_and_values():
    header = "จำนวนครัวเรือนที่ยังประกอบอาชีพ"
    sheet = sheet_of(xlsx_bytes("t", [header, "x"], [["บ้านหนองกุงเซิน", 1]]))
    assert sheet.column_dimensions["A"].width >= display_width(header)
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width


def test_thai_marks_above_and_below_take_no_width():
    assert display_width("บ้านหนองกุงเซิน") == 12 < len("บ้านหนองกุงเซิน")
    assert display_width("abc") == 3


def test_formulas_are_text_and_signed_numbers_are_numbers():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("@SUM(1)") == "'@SUM(1)"
    assert safe_cell("-5000") == -5000 and safe_cell("+12.5") == Decimal("12.5")
    assert safe_cell("0812345678") == "0812345678"  # a phone number stays text
    sheet = sheet_of(xlsx_bytes("t", ["a"], [["-5000"], ["=1+1"]]))
    values = [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)]
    assert values == [(-5000, "n"), ("'=1+1", "s")]
