import pytest

from fieldwork.models import SupportTeamMember
from people.models import Forum

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


def test_removing_a_team_member_asks_first_on_a_phone(phone):
    member = SupportTeamMember.objects.filter(
        target__district_id="4016",
        target__assignments__officer__user__username="phuwiang-officer1",
        target__assignments__ended_at__isnull=True,
    ).first()
    page = phone.login("phuwiang-officer1")
    phone.goto(f"/targets/{member.target_id}/")
    button = page.locator(f"form[action='/team/{member.pk}/delete/'] button")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    button.click()
    page.wait_for_timeout(300)
    assert questions == [f"นำ {member.name} ออกจากทีมวิทยากรหรือไม่"]
    assert SupportTeamMember.objects.filter(pk=member.pk).exists()  # dismissed: kept

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    button.click()
    page.wait_for_selector(f"text={member.name} ไม่อยู่ในทีมวิทยากรแล้ว")
    assert not SupportTeamMember.objects.filter(pk=member.pk).exists()
    phone.shot("team-member-removed-phone")
