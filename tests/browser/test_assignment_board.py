import pytest
from django.db.models import Count

from assignments.models import AssignmentOrder, VillageAssignment

pytestmark = pytest.mark.browser


def loads():
    return sorted(
        VillageAssignment.objects.active()
        .filter(target__district_id="4016", target__year_id=2560)
        .values("officer")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def test_head_assigns_suggests_accepts_and_issues_an_order(desk):
    page = desk.login("phuwiang-head")
    page.click("text=กระดานมอบหมายงาน")
    page.wait_for_selector("#board")
    desk.shot("board-before")

    # One village, changed in place by htmx: no page reload.
    page.evaluate("window.__marker = 'still here'")
    row = page.locator("tr[id^=target-]").first
    village_code = row.get_attribute("data-village")
    select = row.locator("select[name=officer]")
    before = VillageAssignment.objects.active().get(target__village_id=village_code).officer
    choice = next(
        label
        for label in select.locator("option").all_inner_texts()
        if label.strip() != before.user.display_name and "ไม่มี" not in label
    )
    select.select_option(label=choice)
    page.wait_for_selector("text=ไปให้")
    assert page.evaluate("window.__marker") == "still here"
    after = VillageAssignment.objects.active().get(target__village_id=village_code).officer
    assert after.user.display_name == choice.strip()
    desk.shot("board-after-one-change")

    # The fair suggestion, as a diff, accepted whole.
    page.click("text=เสนอการกระจายงานที่เป็นธรรม")
    page.wait_for_selector("#moves")
    assert page.locator("#moves tbody tr").count() > 0
    desk.shot("suggestion")
    # the button says what it will do: every move while every row is ticked, then how many
    moves = page.locator("#moves tbody tr").count()
    accept = page.locator("#accept-moves")
    assert accept.inner_text() == f"ยอมรับทั้ง {moves} รายการ"
    page.locator("#moves input[name=move]").first.uncheck()
    assert accept.inner_text() == f"ยอมรับ {moves - 1} รายการที่เลือกจาก {moves} รายการ"
    page.locator("#moves input[name=move]").first.check()
    accept.click()
    page.wait_for_selector("#board")
    assert loads() == [2, 2, 2, 3, 3, 3, 3, 3, 3, 3]
    desk.shot("board-balanced")

    # The office order, then its print page.
    page.click("text=ออกคำสั่งสำนักงาน")
    page.fill("#id_date", "15/11/2559")
    page.click("input[type=submit]")
    page.wait_for_selector(".a4")
    order = AssignmentOrder.objects.get(district_id="4016")
    assert "คำสั่งสำนักงานพัฒนาชุมชนอำเภอภูเวียง" in page.inner_text(".a4")
    assert "15 พฤศจิกายน 2559" in page.inner_text(".a4")
    assert sum(len(o["villages"]) for o in order.snapshot["officers"]) == 27
    desk.shot("order-print")
    page.emulate_media(media="print")
    desk.shot("order-print-media")
    page.pdf(path=str(desk.shot("order-print-a4").with_suffix(".pdf")), format="A4")


def test_an_officer_sees_the_board_read_only_on_a_phone(phone):
    page = phone.login("phuwiang-officer2")
    page.goto(f"{phone.server.url}/districts/4016/assignments/")
    assert page.locator("#bulk-form").count() == 0
    assert "ดูได้อย่างเดียว" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("board-officer-phone")


def test_a_board_change_that_cannot_be_sent_is_not_shown_as_saved(phone):
    page = phone.login("phuwiang-head")
    page.goto(f"{phone.server.url}/districts/4016/assignments/?year=2560")
    row = page.locator("tr[id^=target-]").first
    select = row.locator("select[name=officer]")
    shown = select.input_value()
    other = next(
        value
        for value in select.locator("option").evaluate_all("os => os.map(o => o.value)")
        if value and value != shown
    )
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.accept()))
    phone.context.set_offline(True)
    select.select_option(other)
    page.wait_for_timeout(1000)
    phone.context.set_offline(False)
    assert alerts and "ยังไม่ได้บันทึก" in alerts[0]
    assert select.input_value() == shown  # the row shows what is saved
    village = row.get_attribute("data-village")
    assert (
        str(VillageAssignment.objects.active().get(target__village_id=village).officer_id) == shown
    )


def test_a_question_from_the_board_is_shown_where_the_head_is_looking(phone):
    """The head ticks a village low on the board and gives it to no officer: the question
    that comes back sits at the top of the board, and is scrolled into view."""
    page = phone.login("phuwiang-head")
    page.goto(f"{phone.server.url}/districts/4016/assignments/?year=2560")
    last = page.locator("tr[id^=target-]").last
    last.scroll_into_view_if_needed()
    # a change that goes through is shown on its row: the page stays where the head is
    select = last.locator("select[name=officer]")
    other = next(
        value
        for value in select.locator("option").evaluate_all("os => os.map(o => o.value)")
        if value and value != select.input_value()
    )
    scrolled = page.evaluate("window.scrollY")
    select.select_option(other)
    page.locator("tr[id^=target-]").last.locator("text=บันทึกแล้ว").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == scrolled
    last = page.locator("tr[id^=target-]").last
    last.locator("input[type=checkbox]").check()
    page.select_option("#bulk-officer", "")
    page.click("#bulk-form button[type=submit]")
    question = page.locator("#board [data-attention]").first
    question.wait_for()
    assert "ไม่มีผู้รับผิดชอบ" in question.inner_text()
    in_view = """() => {
        const box = document.querySelector("#board [data-attention]").getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
    }"""
    page.wait_for_function(in_view, timeout=3000)  # htmx settles the swap a moment later
    assert page.evaluate("window.scrollY") > 0  # still down the board, not at its top
    phone.shot("board-question-in-view-phone")
