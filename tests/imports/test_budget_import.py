"""Budget lines from a spreadsheet, through the import engine: preview, Thai row errors, all
or nothing."""

import datetime as dt
from decimal import Decimal

from fieldwork.budget import BudgetLine, SpendingCategory
from imports.models import ImportBatch
from imports.services import parse_month
from tests.factories import TargetVillageFactory
from tests.imports.conftest import upload, xlsx

HEADERS = ["รหัสหมู่บ้าน", "หมวดรายจ่าย", "เดือนตามแผน", "จำนวนเงิน (บาท)"]


def targets_2561(area):
    return [TargetVillageFactory(village=v, year_id=2561) for v in area.villages[:2]]


def test_budget_lines_are_previewed_then_applied_and_set_the_allocation(importer, area_a):
    a, b = targets_2561(area_a)
    rows = [
        [a.village_id, "ค่าตอบแทนวิทยากร", "11/2560", 15000],
        [a.village_id, "ค่าอาหารและเครื่องดื่ม", "ธ.ค. 2560", "20,000.50"],
        [b.village_id, "อื่น ๆ", "มกราคม 2561", 5000],
    ]
    page = upload(importer, xlsx([HEADERS, *rows]), kind="budget").content.decode()
    batch = ImportBatch.objects.get()
    assert (batch.created_count, batch.refused_count, batch.status) == (3, 0, "preview")
    assert not BudgetLine.objects.exists()  # nothing before confirming
    assert not SpendingCategory.objects.filter(year_id=2561).exists()  # a check writes nothing
    assert "20,000.50" in page
    importer.post(f"/imports/{batch.pk}/apply/")
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert BudgetLine.objects.count() == 3
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.budget_allocated, b.budget_allocated) == (Decimal("35000.50"), Decimal(5000))
    line = BudgetLine.objects.get(target=a, category__name="ค่าอาหารและเครื่องดื่ม")
    assert line.planned_month == dt.date(2017, 12, 1)
    # the same file again changes nothing; a changed amount is shown as a change
    upload(importer, xlsx([HEADERS, *rows]), kind="budget")
    assert ImportBatch.objects.latest("pk").unchanged_count == 3
    rows[0][3] = 16000
    page = upload(importer, xlsx([HEADERS, *rows]), kind="budget").content.decode()
    second = ImportBatch.objects.latest("pk")
    assert second.changed_count == 1 and "16,000" in page
    importer.post(f"/imports/{second.pk}/apply/")
    assert BudgetLine.objects.count() == 3
    a.refresh_from_db()
    assert a.budget_allocated == Decimal("36000.50")


def test_a_refused_row_writes_nothing_and_says_why_in_thai(importer, area_a, area_b):
    (a, _b) = targets_2561(area_a)
    other = TargetVillageFactory(village=area_b.villages[0], year_id=2561)
    rows = [
        [a.village_id, "ค่าตอบแทนวิทยากร", "11/2560", 15000],
        [a.village_id, "ค่าเดินทางไปดวงจันทร์", "11/2560", 1],
        [a.village_id, "อื่น ๆ", "10/2562", 1],
        [a.village_id, "อื่น ๆ", "เดือนหน้า", 1],
        [a.village_id, "อื่น ๆ", "11/2560", -5],
        [other.village_id, "อื่น ๆ", "11/2560", 5],
        [area_a.villages[5].code, "อื่น ๆ", "11/2560", 5],
        [a.village_id, "ค่าตอบแทนวิทยากร", "11/2560", 100],
    ]
    page = upload(importer, xlsx([HEADERS, *rows]), kind="budget").content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "refused" and batch.refused_count == 7
    for text in ("ไม่รู้จักหมวดรายจ่าย", "นอกปีงบประมาณ", "ไม่ใช่เดือน", "ติดลบไม่ได้",
                 "นอกจังหวัด", "ไม่ใช่หมู่บ้านเป้าหมาย", "ซ้ำ"):  # fmt: skip
        assert text in page, text
    assert not BudgetLine.objects.exists()
    a.refresh_from_db()
    assert a.budget_allocated == Decimal(50000)


def test_months_are_read_the_ways_offices_write_them():
    assert parse_month("11/2559") == dt.date(2016, 11, 1)
    assert parse_month("๑๑/๒๕๕๙") == dt.date(2016, 11, 1)
    assert parse_month("พ.ย. 2559") == dt.date(2016, 11, 1)
    assert parse_month("พฤศจิกายน 2559") == dt.date(2016, 11, 1)
    assert parse_month("15/11/2559") == dt.date(2016, 11, 1)
    assert parse_month("2016-11-01 00:00:00") == dt.date(2016, 11, 1)
