import pytest

from districts.models import Forum

pytestmark = pytest.mark.browser


def test_head_records_a_forum_with_attendance(desk):
    page = desk.login("phuwiang-head")
    page.click("text=เครือข่ายปราชญ์")
    page.wait_for_selector("#forums")
    planned = Forum.objects.get(network__district_id="4016", status="planned")
    page.click(f"a[href='/forums/{planned.pk}/']")
    page.click("text=บันทึกผลเวที")
    page.select_option("#id_status", "held")
    sages = page.locator("input[name=sages]")
    for i in range(3):
        sages.nth(i).check()
    page.locator("input[name=officers]").first.check()
    page.fill("#id_learned", "ครัวเรือนข้างเคียงสนใจเข้าร่วม 12 ครัวเรือน")
    desk.shot("forum-record")
    page.click("input[type=submit]")
    page.wait_for_selector("text=บันทึกเวทีแล้ว")
    planned.refresh_from_db()
    assert planned.status == "held"
    assert planned.sages.count() == 3 and planned.officers.count() == 1
    assert "ครัวเรือนข้างเคียงสนใจ" in page.inner_text("main")
    desk.shot("forum-recorded")
