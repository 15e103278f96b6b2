"""The head opens the district's plan and sees its late stages, records the month's team
meeting with an action for an officer; the officer finds the action on their home and marks it
done: at a desk and on a phone."""

import pytest
from django.utils import timezone

from assignments.models import MeetingAction
from districts.lib.thai import format_be_input
from districts.models import Officer
from tests.browser.conftest import Session

# the demo's plan and meetings are of the fiscal year of today
pytestmark = [pytest.mark.browser, pytest.mark.today_decides_the_year]

ACTION = "ประสานเกษตรอำเภอร่วมอบรมทีมวิทยากร"


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_head_sees_late_stages_records_a_meeting_and_the_owner_marks_the_action_done(
    browser, demo_server, width
):
    officer = Officer.objects.get(user__username="phuwiang-officer1")
    head = Session(browser, demo_server, width=width, height=900)
    page = head.login("phuwiang-head")
    page.click("#plan-and-meetings a[href^='/districts/4016/plan/']")
    page.wait_for_selector("#plan-late")
    late = page.locator("#plan-late tr[data-late]")
    assert late.count() == 2  # the demo's two late stages, first on the page
    assert "พัฒนาศักยภาพปราชญ์และทีมวิทยากร" in late.first.inner_text()
    assert fits(page, width)
    head.shot(f"plan-{width}-head-plan")

    head.goto("/districts/4016/meetings/")
    assert page.locator("#open-actions .list-group-item-danger").count() >= 1  # overdue
    page.click("a[href='/districts/4016/meetings/new/']")
    page.fill("#id_date", format_be_input(timezone.localdate()))
    page.fill("#id_agenda", "ทบทวนหมู่บ้านที่ล่าช้า")
    boxes = page.locator("input[name=attendees]")
    for i in range(3):
        boxes.nth(i).check()
    page.fill("#id_decisions", "เร่งอบรมทีมวิทยากรในสองหมู่บ้านที่ล่าช้า")
    page.fill("#id_actions-0-text", ACTION)
    page.select_option("#id_actions-0-owner", str(officer.pk))
    page.fill("#id_actions-0-due", format_be_input(timezone.localdate()))
    assert fits(page, width)
    head.shot(f"plan-{width}-head-meeting-form")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("text=บันทึกการประชุมแล้ว")
    assert ACTION in page.inner_text("main")
    head.shot(f"plan-{width}-head-meeting")
    head.close()
    action = MeetingAction.objects.get(text=ACTION)
    assert action.owner == officer and action.done_at is None

    owner = Session(browser, demo_server, width=width, height=900)
    page = owner.login("phuwiang-officer1")
    item = page.locator(f"#my-actions [data-action='{action.pk}']")
    assert ACTION in item.inner_text()
    assert fits(page, width)
    owner.shot(f"plan-{width}-owner-home")
    item.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=บันทึกว่าเสร็จแล้ว: {ACTION}")
    assert page.locator(f"#my-actions [data-action='{action.pk}']").count() == 0
    owner.shot(f"plan-{width}-owner-done")
    owner.close()
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == officer.user
