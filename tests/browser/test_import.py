import io

import pytest
from openpyxl import Workbook, load_workbook

from assignments.models import TargetVillage
from imports.models import ImportBatch

pytestmark = pytest.mark.browser


def sheet(rows, path):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_admin_imports_a_target_list_fixing_a_bad_row(desk, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [
        ["รหัสหมู่บ้าน", "งบประมาณ", "อาชีพ"],
        ["40160101", 52000, "ทอผ้าไหม"],
        ["40160102", -10, "เลี้ยงไก่"],
    ]
    bad = sheet(rows, tmp_path / "targets-2561.xlsx")
    page = desk.login("admin")
    page.goto(f"{desk.server.url}/imports/")
    page.check("#kind-targets")
    page.fill("#year", "2561")
    page.set_input_files("#file", str(bad))
    page.click("text=ตรวจไฟล์")
    page.wait_for_selector("#import-status")
    assert page.locator("[data-testid=refused]").inner_text() == "1"
    refused_row = page.locator("#preview-rows tr[data-row='3']")
    assert "ติดลบไม่ได้" in refused_row.inner_text()
    desk.shot("import-refused")

    with page.expect_download() as download:
        page.click("#annotated")
    checked = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    values = list(checked.values)
    assert "ติดลบไม่ได้" in values[2][3]
    assert TargetVillage.objects.filter(year_id=2561).count() == 0

    rows[2][1] = 48000
    fixed = sheet(rows, tmp_path / "targets-2561-fixed.xlsx")
    page.goto(f"{desk.server.url}/imports/")
    page.check("#kind-targets")
    page.fill("#year", "2561")
    page.set_input_files("#file", str(fixed))
    page.click("text=ตรวจไฟล์")
    page.wait_for_selector("text=ยืนยันการนำเข้า")
    assert page.locator("[data-testid=new]").inner_text() == "2"
    page.click("text=ยืนยันการนำเข้า")
    page.wait_for_selector("text=นำเข้าแล้ว:")
    desk.shot("import-applied")
    assert TargetVillage.objects.filter(year_id=2561).count() == 2
    assert ImportBatch.objects.filter(status="applied").count() == 1
