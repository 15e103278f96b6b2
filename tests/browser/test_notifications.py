"""The officer is told of the head's advice: the count in the bar, the notification, the
visit with the advice, and the count down again."""

import pytest

from fieldwork.models import FieldVisit

pytestmark = pytest.mark.browser


def _unread(page) -> int:
    badge = page.locator("#unread-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_officer_opens_the_heads_advice_from_the_bar(browser, demo_server, desk, phone):
    visit = (
        FieldVisit.objects.filter(officer__user__username="phuwiang-officer1")
        .order_by("-date")
        .first()
    )
    page = phone.login("phuwiang-officer1")
    before = _unread(page)

    desk.login("phuwiang-head")
    head = desk.goto(f"/visits/{visit.pk}/")
    head.fill("#id_text", "ชวนครัวเรือนข้างเคียงมาร่วมเวทีครั้งหน้า")
    head.click("text=ส่งคำแนะนำ")
    head.wait_for_selector("text=บันทึกคำแนะนำแล้ว")

    page.goto(f"{demo_server.url}/")
    assert _unread(page) == before + 1
    assert page.locator("#notifications-link").is_visible()  # on a phone too, menu closed
    phone.shot("notifications-bar-phone")
    page.click("#notifications-link")
    page.wait_for_selector("#notifications")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("notifications-list-phone")
    page.click("#notifications a:has-text('ชวนครัวเรือนข้างเคียง')")
    page.wait_for_url(f"**/visits/{visit.pk}/")
    assert page.locator("text=ชวนครัวเรือนข้างเคียงมาร่วมเวทีครั้งหน้า").first.is_visible()
    assert _unread(page) == before
    phone.shot("notification-opened-visit-phone")
