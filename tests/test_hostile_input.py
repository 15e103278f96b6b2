"""Property-based and hostile input for the parsers that face users: never a crash, never a
half-written import."""

import contextlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from assignments.models import TargetVillage
from districts.lib import thai
from districts.lib.sheets import SheetError, parse_number, read_table
from imports import services as imports

LIMITS = {"max_bytes": 1_000_000, "max_rows": 1000, "max_uncompressed": 5_000_000}


# Text a spreadsheet can hold (Excel itself refuses control characters in cells).
SHEET_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=10)


class Admin:
    is_authenticated = is_active = is_superuser = True
    officer_or_none = None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000), st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f.pdf", "f"]))
def test_any_bytes_are_read_or_refused_cleanly(data, name):
    try:
        table = read_table(data, name, **LIMITS)
    except SheetError as exc:
        assert exc.code in {
            "too_large", "too_large_inside", "too_many_rows", "empty", "no_rows",
            "not_a_sheet", "encoding",
        }  # fmt: skip
        return
    assert table.headers and table.rows
    assert all(len(row) == len(table.headers) for row in table.rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), min_size=1, max_size=20))
def test_any_csv_text_is_read_or_refused_cleanly(rows):
    data = "\n".join(",".join(cell.replace("\n", " ") for cell in row) for row in rows)
    for encoding in ("utf-8", "utf-8-sig"):
        with contextlib.suppress(SheetError):
            read_table(data.encode(encoding), "f.csv", **LIMITS)


@given(st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙,.-+ ", max_size=15))
def test_numbers_with_thai_digits_parse_or_raise_value_error(text):
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert value == float(thai.to_arabic_digits(text).replace(",", "").replace(" ", ""))


def test_numbers_as_thai_excel_writes_them_are_read():
    """The property above also holds for a parser that refuses everything: these must read."""
    assert parse_number("๕๐,๐๐๐") == 50000
    assert parse_number(" 1,234.50 ") == 1234.5
    assert parse_number("-7") == -7


@given(st.integers(min_value=0, max_value=99_999_999))
def test_codes_in_thai_digits_become_the_same_code(number):
    code = f"{number:08d}"
    assert thai.to_arabic_digits(thai.to_thai_digits(code)) == code


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.one_of(SHEET_TEXT, st.integers(), st.floats(allow_nan=True)),
            st.one_of(SHEET_TEXT, st.integers(-(10**9), 10**9), st.floats(allow_nan=True)),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_random_target_sheets_never_crash_and_are_refused_whole(rows):
    """The check, on any sheet; that a failing write leaves nothing is
    test_imports.test_an_apply_that_fails_half_way_writes_nothing."""
    workbook = Workbook()
    workbook.active.append(["code", "budget"])
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    before = TargetVillage.objects.count()
    try:
        table = imports.read(out.getvalue(), "f.xlsx")
    except SheetError:
        return
    result = imports.preview("targets", table, user=Admin(), year=2560)
    assert not result.ok  # there are no villages in this database: every row is refused
    assert TargetVillage.objects.count() == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(5):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", b"<" * 2_000_000)
    with pytest.raises(SheetError) as error:
        read_table(bomb.getvalue(), "bomb.xlsx", **LIMITS)
    assert error.value.code == "too_large_inside"


def test_a_huge_sheet_is_refused_by_its_row_count():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for i in range(1500):
        sheet.append([i, i])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(SheetError) as error:
        read_table(out.getvalue(), "big.xlsx", **LIMITS)
    assert error.value.code == "too_many_rows"


def test_formulas_in_a_sheet_are_never_evaluated():
    """A formula is read as the value Excel saved with it (none here), never run."""
    workbook = Workbook()
    workbook.active.append(["code", "budget"])
    workbook.active.append(["=1+1", '=HYPERLINK("http://x")'])
    workbook.active.append(["40160101", "100"])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), "f.xlsx", **LIMITS)
    assert table.rows == [["40160101", "100"]]
