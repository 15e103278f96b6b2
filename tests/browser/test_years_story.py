"""The programme over years on a phone (issue 20): an officer who follows up a village of an
earlier fiscal year logs a visit dated today, records who came and a new income round; the
district head sees all of it on the village's page. Screenshots of each step are saved."""

import pytest
from django.utils import timezone

from assignments.models import FollowUp
from districts.lib import thai
from fieldwork.models import Attendance, FieldVisit, Household, IncomeRound

pytestmark = [pytest.mark.browser, pytest.mark.today_decides_the_year]

ACTIVITY = "ติดตามยอดขายกลุ่มทอผ้าหลังสิ้นปีงบประมาณ"


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_follow_up_visit_today_with_attendance_and_income_round_reaches_the_head(
    browser, demo_server, phone
):
    followup = (
        FollowUp.objects.live()
        .filter(officer__user__username="phuwiang-officer1", target__year_id=2560)
        .select_related("target__village")
        .order_by("target__village_id")
        .first()
    )
    assert followup is not None, "the demo gives officer1 a follow-up of a FY2560 village"
    target = followup.target
    today = timezone.localdate()

    # 1. the visit form: the village of FY2560 is offered, the date is today's as it stands
    page = phone.login("phuwiang-officer1")
    phone.shot("years-1-officer-home-phone")
    page.goto(f"{phone.server.url}/visits/new/")
    page.wait_for_selector("#visit-form")
    assert page.locator(f"#id_target option[value='{target.pk}']").count() == 1
    page.select_option("#id_target", str(target.pk))
    shown_date = page.input_value("#id_date")
    page.select_option("#id_stage", index=1)
    page.fill("#id_activity", ACTIVITY)
    assert fits(page)
    phone.shot("years-2-visit-form-phone")
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector(f"text={ACTIVITY}")
    visit = FieldVisit.objects.get(activity=ACTIVITY)
    assert (visit.target, visit.date) == (target, today), shown_date
    assert visit.officer.user.username == "phuwiang-officer1"
    assert fits(page)
    phone.shot("years-3-visit-saved-phone")

    # 2. the sign-in sheet: three of the village's households came
    households = list(Household.objects.filter(target=target).order_by("pk")[:3])
    assert len(households) == 3
    form = page.locator("#attendance-form")
    if not form.is_visible():
        page.click("#attendance summary")
    for h in households:
        page.check(f"#attendance-form input[value='{h.pk}']")
    assert fits(page)
    phone.shot("years-4-attendance-form-phone")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_load_state()
    assert set(Attendance.objects.filter(visit=visit).values_list("household_id", flat=True)) == {
        h.pk for h in households
    }
    assert "3" in page.locator("#attendance h2 .badge").inner_text()
    for h in households:
        assert h.head_name in page.locator("#attendance").inner_text()
    assert fits(page)
    phone.shot("years-5-attendance-saved-phone")

    # 3. a new income round for the first household, on its page
    household = households[0]
    before = household.income_rounds.count()
    page.goto(f"{phone.server.url}/households/{household.pk}/")
    page.wait_for_selector("#income-rounds")
    page.select_option("#id_kind", "followup")
    page.fill("#id_income", "9750")
    assert fits(page)
    phone.shot("years-6-income-round-form-phone")
    page.click("#income-rounds form button[type=submit]")
    page.wait_for_load_state()
    latest = IncomeRound.objects.filter(household=household).order_by("-date", "-pk").first()
    assert household.income_rounds.count() == before + 1
    assert (latest.date, latest.income, latest.recorded_by.username) == (
        today,
        9750,
        "phuwiang-officer1",
    )
    assert "9,750" in page.locator("#income-rounds table").inner_text()
    assert fits(page)
    phone.shot("years-7-income-round-saved-phone")

    # 4. the district head opens the village's page (the FY2560 target) on a phone
    head = phone.__class__(browser, demo_server, width=390, height=844)
    try:
        hp = head.login("phuwiang-head")
        hp.goto(f"{demo_server.url}/targets/{target.pk}/")
        hp.wait_for_selector("#village-history")
        day = thai.format_date(today, lang="th")
        history = hp.locator("#village-history-visits").inner_text()
        assert day in history and ACTIVITY[:20] in history
        # the village's years: the target's own and the visit counted in it
        row = hp.locator(f"#village-years tr[data-year='{target.year_id}']")
        visits = FieldVisit.objects.filter(target=target).count()
        assert f"{visits:,}" in row.inner_text()
        # the households' participation: the three who came have one more activity each
        participation = {h.pk: Attendance.objects.filter(household=h).count() for h in households}
        table = hp.locator("#village-households")
        for h in households:
            cells = table.locator(f"tr[data-household='{h.pk}'] td")
            assert cells.last.inner_text().strip() == f"{participation[h.pk]:,}"
        # the new income round is the household's latest, dated today
        cells = table.locator(f"tr[data-household='{household.pk}']")
        assert "9,750" in cells.inner_text()
        assert day in hp.locator("#latest-round").inner_text()
        assert fits(hp)
        head.shot("years-8-village-page-head-phone")
        hp.click("button[data-show-all='#village-households']")
        assert table.locator("thead th.col-more").first.is_visible()
        head.shot("years-9-village-page-every-column-head-phone")
    finally:
        head.close()
