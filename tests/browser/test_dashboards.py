import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


def test_provincial_staff_see_khon_kaen_drill_into_phu_wiang_and_export(desk):
    page = desk.login("khonkaen")
    assert page.url.endswith("/provinces/40/")
    page.wait_for_selector("#area-table")
    rows = page.locator("#area-table tbody tr")
    assert rows.count() == 26
    phu_wiang = page.locator("#area-table tbody tr[data-code='4016']")
    assert phu_wiang.locator("td").nth(1).inner_text() == "27"
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
    desk.shot("dashboard-province")

    page.locator("#area-table thead th").nth(1).click()  # sort by targets
    first = page.locator("#area-table tbody tr").first.locator("td").nth(1).inner_text()
    assert int(first) == min(
        int(r) for r in page.locator("#area-table tbody tr td:nth-child(2)").all_inner_texts()
    )

    # an area with nothing to average shows "—" (none in the demo: one is made so here); it
    # sorts last whichever way its column is sorted
    page.evaluate(
        """() => {
        const cell = document.querySelector("#area-table tbody tr td:nth-child(7)");
        cell.dataset.value = "";
        cell.textContent = "—";
    }"""
    )
    for _ in range(2):
        page.locator("#area-table thead th").nth(6).click()  # income change
        shares = page.locator("#area-table tbody tr td:nth-child(7)").all_inner_texts()
        assert shares[-1] == "—" and "—" not in shares[:-1]

    with page.expect_download() as download:
        page.click("#export")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    values = list(sheet.values)
    # the 26 districts and the province's total
    assert len(values) == 28 and values[0][0] == "อำเภอ" and values[-1][0] == "รวม"
    assert values[-1][1] == sum(row[1] for row in values[1:-1])
    assert {row[0]: row[1] for row in values[1:]}["ภูเวียง"] == 27

    phu_wiang.locator("a").click()
    page.wait_for_selector("#figures")
    assert "อำเภอ ภูเวียง" in page.inner_text("h1")
    assert page.locator("#figures .stat").first.inner_text() == "27"
    desk.shot("dashboard-district")


def test_district_dashboard_fits_a_phone(phone):
    page = phone.login("phuwiang-head")
    page.wait_for_selector("#figures")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 2")
    # every stage's name is drawn whole on the canvas, not cut at its left edge
    leftmost = page.evaluate(
        """() => {
        const chart = Chart.getChart(document.querySelector("canvas[data-chart=chart-stages]"));
        const context = chart.ctx;
        context.font = Chart.helpers.toFont(chart.scales.y.options.ticks.font).string;
        return Math.min(...chart.scales.y.getLabelItems().map((item) => {
            const lines = [].concat(item.label);
            const widest = Math.max(...lines.map((line) => context.measureText(line).width));
            return item.options.translation[0] - widest;
        }));
    }"""
    )
    assert leftmost >= 0
    phone.shot("dashboard-district-phone")


def test_province_charts_name_every_district_on_a_phone(phone):
    page = phone.login("khonkaen")
    phone.goto("/provinces/40/")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
    districts = page.locator("table tbody tr[data-code]").count()
    assert districts == 26
    # each district's bars get their own line, so no name is skipped
    height = page.evaluate("document.querySelector('.chart-box').getBoundingClientRect().height")
    assert height >= districts * 20
    phone.shot("dashboard-province-phone")


def test_the_head_rates_an_officer_on_a_phone(phone):
    from evaluations.models import OfficerReview

    page = phone.login("phuwiang-head")
    phone.goto("/districts/4016/officers/?year=2560")
    row = page.locator("#officer-work tbody tr").first
    username = row.get_attribute("data-officer")
    row.locator("summary").click()  # under the officer's name, in view without scrolling
    assert row.locator("select[name=rating]").bounding_box()["x"] < 390
    row.locator("select[name=rating]").select_option("5")
    row.locator("textarea[name=comment]").fill("รับหมู่บ้านข้ามตำบลและติดตามสม่ำเสมอ")
    phone.shot("officer-work-rate-phone")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("text=บันทึกผลการประเมิน")
    review = OfficerReview.objects.get(officer__user__username=username, year_id=2560)
    assert review.rating == "5"
