"""The budget in the browser: the head's district picture at a desk, an officer's disbursement
with a receipt photo on a phone."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from assignments.models import VillageAssignment
from districts.lib.thai import fiscal_year_of, format_be_input
from fieldwork.budget import Disbursement

pytestmark = [pytest.mark.browser, pytest.mark.today_decides_the_year]


@pytest.fixture
def receipt_photo(tmp_path):
    path = tmp_path / "ใบเสร็จ_001.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 1600), (250, 250, 245)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_the_head_sees_the_quarter_against_its_target_and_drills_into_a_village(desk):
    page = desk.login("phuwiang-head")
    page.goto(f"{desk.server.url}/districts/4016/budget/")
    year = fiscal_year_of(timezone.localdate())
    assert str(year) in page.inner_text("h1")
    banner = page.inner_text("[data-testid=quarter-now]")
    assert "ไตรมาส" in banner and "เป้าหมาย" in banner
    # the table and the chart side by side at a desk
    table = page.locator("#budget-quarters").bounding_box()
    chart = page.locator("svg.budget-chart").bounding_box()
    assert chart["x"] > table["x"] + table["width"] - 1
    assert page.locator("svg.budget-chart rect").count() == 8  # a target and a bar per quarter
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    late = page.locator("#late-advances li")
    assert late.count() >= 1 and "บาท" in late.first.inner_text()
    desk.shot("budget-district-head-desk")
    page.locator("#budget-areas tbody a").first.click()
    page.wait_for_selector("#budget-lines")
    assert page.locator("#budget-lines tbody tr").count() == 5
    assert "ค่าตอบแทนวิทยากร" in page.inner_text("#budget-lines")
    desk.shot("budget-village-head-desk")


def test_an_officer_records_a_disbursement_with_a_receipt_photo_on_a_phone(
    phone, receipt_photo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = fiscal_year_of(timezone.localdate())
    held = (
        VillageAssignment.objects.active()
        .filter(officer__user__username="phuwiang-officer1", target__year_id=year)
        .select_related("target")
        .first()
        .target
    )
    page = phone.login("phuwiang-officer1")
    page.goto(f"{phone.server.url}/targets/{held.pk}/")
    page.click("text=งบประมาณและการเบิกจ่าย")
    page.wait_for_selector("#budget-lines")
    page.click("summary:has-text('บันทึกการเบิกจ่าย')")
    # the line with money left: "other", planned late in the year
    line = held.budget_lines.get(category__name="อื่น ๆ")
    page.select_option("#id_line", str(line.pk))
    page.fill("#id_date", format_be_input(timezone.localdate()))
    page.fill("#id_amount", "1250.50")
    page.fill("#id_purpose", "ค่าอาหารว่างผู้เข้าร่วมอบรม")
    page.set_input_files("#id_receipt", str(receipt_photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("budget-record-phone")
    page.click("text=บันทึกการเบิกจ่าย >> nth=-1")
    page.wait_for_selector("text=บันทึกการเบิกจ่ายแล้ว")
    d = Disbursement.objects.get(purpose="ค่าอาหารว่างผู้เข้าร่วมอบรม")
    assert d.line.target == held and str(d.amount) == "1250.50" and d.receipt
    assert d.recorded_by.username == "phuwiang-officer1"
    assert "1,250.50" in page.inner_text("#disbursements")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("budget-recorded-phone")
    # the receipt opens, served through the scope check
    response = page.request.get(f"{phone.server.url}/disbursements/{d.pk}/receipt/")
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
