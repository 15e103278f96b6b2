"""Households over years: dated income rounds, the spread against the village, livelihood
groups, attendance, partner projects, evaluation rounds."""

import datetime as dt
from decimal import Decimal

import pytest

from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts.models import Village
from evaluations import services as evaluation_services
from evaluations.models import VillageEvaluation
from evaluations.services import compute_figures
from fieldwork.models import (
    Attendance,
    FieldVisit,
    Household,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
)
from people.models import Partner
from tests.factories import household_with_income


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


@pytest.fixture
def village(area_a, officer_a, stages):
    """Target village 0 of district A, worked by officer A: 160 households in the village,
    four target households and two neighbours, income rounds over two years, a group, a
    partner project and a visit."""
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    Village.objects.filter(pk=target.village_id).update(households=160)
    rows = [
        # baseline, follow-ups (date, income)..., practising, neighbour
        (3000, [(dt.date(2017, 9, 30), 3500), (dt.date(2018, 4, 2), 4200)], True, False),
        (5000, [(dt.date(2018, 4, 2), 4000)], True, False),
        (2000, [], False, False),
        (4000, [(dt.date(2017, 9, 30), 4600), (dt.date(2018, 10, 15), 4100)], None, False),
        (1000, [(dt.date(2018, 4, 2), 1500)], None, True),
        (1500, [], None, True),
    ]
    households = []
    for k, (baseline, followups, practising, neighbour) in enumerate(rows):
        h = household_with_income(
            target, baseline, name=f"ครัวเรือน {k}", still_practising=practising,
            is_neighbour=neighbour,
        )  # fmt: skip
        for day, income in followups:
            IncomeRound.objects.create(household=h, kind="followup", date=day, income=income)
        households.append(h)
    group = LivelihoodGroup.objects.create(target=target, name="กลุ่มทอผ้า", livelihood="ทอผ้า")
    group.members.set(households[:3])
    partner = Partner.objects.create(district=area_a.district, name="ธ.ก.ส.")
    support = PartnerSupport.objects.create(
        partner=partner, target=target, project="เงินทุน", status="active"
    )
    visit = FieldVisit.objects.create(
        target=target, officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1), activity="x"
    )
    return {
        "target": target,
        "households": households,
        "group": group,
        "support": support,
        "visit": visit,
    }


def test_a_households_income_change_comes_from_its_dated_rounds(village):
    h = village["households"]
    # latest follow-up minus baseline, whatever came between
    assert h[0].income_change() == Decimal(1200)  # 4200 (2 Apr 2561) - 3000
    assert h[1].income_change() == Decimal(-1000)
    assert h[2].income_change() is None  # no follow-up yet
    assert h[3].income_change() == Decimal(100)  # 4100 (15 Oct 2561) - 4000, not 4600
    rows = {r.pk: r for r in Household.objects.filter(target=village["target"]).with_income()}
    assert rows[h[3].pk].latest_date == dt.date(2018, 10, 15)
    assert [rows[x.pk].income_gain for x in h] == [
        Decimal(1200), Decimal(-1000), None, Decimal(100), Decimal(500), None
    ]  # fmt: skip
    f = compute_figures(2560, ["4016"])["4016"]
    # target households only: three followed up, two rose, +300 baht on average
    assert (f.income_followed, f.income_rose, f.income_change_avg) == (3, 2, Decimal(100))
    assert f.income_latest == dt.date(2018, 10, 15)


def test_spread_shares_match_hand_computed_values(village, login, head_a):
    f = compute_figures(2560, ["4016"])["4016"]
    # 2 target households still practising + 2 neighbours, of the 160 households of the
    # one village whose size is known: 4/160 = 2.5%
    assert (f.spread_households, f.village_households) == (4, 160)
    assert f.spread_pct == Decimal("2.5")
    page = login(head_a).get(f"/targets/{village['target'].pk}/")
    now = page.context["spread"][-1]
    assert (now.households, now.share) == (4, Decimal("2.5"))
    assert "2.5%" in page.content.decode()


def test_a_second_evaluation_round_does_not_change_the_first(village, head_a):
    target, user = village["target"], head_a.user
    first = evaluation_services.evaluation_save(
        target=target, user=user, submit=True, group_formed=True, group_name="กลุ่มทอผ้า",
        lessons="ปีแรก",
    )  # fmt: skip
    evaluation_services.evaluation_review(evaluation=first, user=user, approve=True)
    frozen = VillageEvaluation.objects.filter(pk=first.pk).values().get()
    assert frozen["round"] == 1 and frozen["neighbours_joined"] == 2
    # the village moves on: a neighbour joins, a household stops
    household_with_income(target, 900, name="ข้างเคียงใหม่", is_neighbour=True)
    Household.objects.filter(pk=village["households"][0].pk).update(still_practising=False)
    second = evaluation_services.evaluation_round_start(target=target, user=user)
    evaluation_services.evaluation_save(
        target=target, user=user, submit=True, group_formed=True, group_name="กลุ่มทอผ้า",
        lessons="ติดตามผล",
    )  # fmt: skip
    second.refresh_from_db()
    assert (second.round, second.neighbours_joined, second.households_practising) == (2, 3, 1)
    assert second.status == "submitted" and second.lessons == "ติดตามผล"
    assert VillageEvaluation.objects.filter(pk=first.pk).values().get() == frozen


def test_dashboards_count_a_village_once_whatever_its_approved_rounds(village, head_a):
    target, user = village["target"], head_a.user
    for _ in range(2):
        r = evaluation_services.evaluation_save(target=target, user=user, submit=True)
        evaluation_services.evaluation_review(evaluation=r, user=user, approve=True)
        if r.round == 1:
            evaluation_services.evaluation_round_start(target=target, user=user)
    f = compute_figures(2560, ["4016"])["4016"]
    assert f.evaluations_approved == 1
    assert f.partner_active == 1


def test_officer_adds_an_income_round_as_herself_and_a_bad_one_is_refused(
    village, login, officer_a
):
    client = login(officer_a)
    h = village["households"][2]
    refused = client.post(
        f"/households/{h.pk}/rounds/", {"date": "01/10/2559", "kind": "followup", "income": "9"}
    )
    assert refused.status_code == 400
    assert (
        "ครั้งติดตามต้องอยู่หลังครั้งแรก" in refused.content.decode() or refused.context["round_form"].errors
    )
    assert 'value="9"' in refused.content.decode()  # what was typed is kept
    ok = client.post(
        f"/households/{h.pk}/rounds/", {"date": "15/03/2561", "kind": "followup", "income": "2600"}
    )
    assert ok.status_code == 302
    made = IncomeRound.objects.get(household=h, date=dt.date(2018, 3, 15))
    assert made.recorded_by == officer_a.user and made.income == Decimal(2600)
    negative = client.post(
        f"/households/{h.pk}/rounds/", {"date": "16/03/2561", "kind": "followup", "income": "-1"}
    )
    assert negative.status_code == 400
    assert not IncomeRound.objects.filter(household=h, date=dt.date(2018, 3, 16)).exists()


def test_attendance_is_ticked_on_the_visit_page_and_counted_on_the_village_page(
    village, login, officer_a
):
    client = login(officer_a)
    visit, h = village["visit"], village["households"]
    page = client.get(f"/visits/{visit.pk}/")
    assert 'id="attendance-form"' in page.content.decode()
    response = client.post(
        f"/visits/{visit.pk}/attendance/", {"households": [h[0].pk, h[1].pk, h[4].pk]}
    )
    assert response.status_code == 302
    assert set(Attendance.objects.filter(visit=visit).values_list("household", flat=True)) == {
        h[0].pk, h[1].pk, h[4].pk
    }  # fmt: skip
    visit.refresh_from_db()
    assert visit.household_count == 2  # the target households on the sheet
    target_page = client.get(f"/targets/{village['target'].pk}/")
    counts = {x.pk: x.participation for x in target_page.context["households"]}
    assert counts[h[0].pk] == 1 and counts[h[2].pk] == 0


def test_groups_and_partner_projects_are_kept_from_the_village_page(village, login, officer_a):
    client = login(officer_a)
    target, h = village["target"], village["households"]
    response = client.post(
        f"/targets/{target.pk}/groups/new/",
        {"name": "กลุ่มจักสาน", "livelihood": "จักสาน", "status": "active",
         "monthly_sales": "12000", "members": [h[0].pk, h[4].pk]},
    )  # fmt: skip
    assert response.status_code == 302
    group = LivelihoodGroup.objects.get(name="กลุ่มจักสาน")
    assert set(group.members.all()) == {h[0], h[4]}
    assert h[0].groups.count() == 2  # a household may belong to several groups
    duplicate = client.post(
        f"/targets/{target.pk}/groups/new/",
        {"name": "กลุ่มจักสาน", "livelihood": "x", "status": "active"},
    )
    assert duplicate.status_code == 400
    support = village["support"]
    response = client.post(
        f"/partner-projects/{support.pk}/",
        {"partner": support.partner_id, "project": "เงินทุน", "status": "done",
         "amount": "50000", "start_date": "01/01/2560", "end_date": "01/12/2559",
         "result": "ได้ผล"},
    )  # fmt: skip
    assert response.status_code == 400  # ends before it starts
    support.refresh_from_db()
    assert support.status == "active"
    response = client.post(
        f"/partner-projects/{support.pk}/",
        {"partner": support.partner_id, "project": "เงินทุน", "status": "done",
         "amount": "50000", "start_date": "01/01/2560", "end_date": "01/12/2560",
         "result": "ได้ผล"},
    )  # fmt: skip
    assert response.status_code == 302
    support.refresh_from_db()
    assert (support.status, support.amount, support.result) == ("done", Decimal(50000), "ได้ผล")


def test_another_districts_staff_reach_none_of_it(village, login, officer_b, head_b):
    target, h = village["target"], village["households"]
    for person in (officer_b, head_b):
        client = login(person)
        for method, url, data in [
            ("get", f"/groups/{village['group'].pk}/", None),
            ("post", f"/groups/{village['group'].pk}/", {"name": "x", "livelihood": "x"}),
            ("get", f"/targets/{target.pk}/groups/new/", None),
            ("get", f"/partner-projects/{village['support'].pk}/", None),
            ("post", f"/households/{h[0].pk}/rounds/", {"date": "01/01/2561", "kind": "followup",
                                                         "income": "1"}),
            ("get", f"/households/{h[0].pk}/", None),
            ("post", f"/visits/{village['visit'].pk}/attendance/", {"households": [h[0].pk]}),
            ("post", f"/targets/{target.pk}/village-households/", {"households": "1"}),
        ]:  # fmt: skip
            response = getattr(client, method)(url, data or {})
            assert response.status_code == 404, (person, url)
    assert Attendance.objects.count() == 0
    assert IncomeRound.objects.filter(date=dt.date(2018, 1, 1)).count() == 0
    assert Village.objects.get(pk=target.village_id).households == 160


def test_the_districts_staff_set_the_villages_households(village, login, officer_a):
    target = village["target"]
    client = login(officer_a)
    bad = client.post(f"/targets/{target.pk}/village-households/", {"households": "-3"})
    assert bad.status_code == 400
    assert Village.objects.get(pk=target.village_id).households == 160
    ok = client.post(f"/targets/{target.pk}/village-households/", {"households": "200"})
    assert ok.status_code == 302
    assert Village.objects.get(pk=target.village_id).households == 200


def test_the_village_page_runs_in_fixed_queries(
    village, login, head_a, django_assert_num_queries, render_every_time
):
    client = login(head_a)
    url = f"/targets/{village['target'].pk}/"
    client.get(url)
    # session, user, officer (scope), target, its district's change count (rendered: nothing
    # kept), assignment history, visits, can_log, can_edit
    # (and its assignment check), households with income and participation, their summary,
    # evaluation rounds (the spread over time), team, groups with members, partner
    # projects, the village's staff check; the village across the years (its targets, their
    # assignments, follow-ups and latest visits: fieldwork.selectors.village_history); the
    # money disbursed from its budget lines
    with django_assert_num_queries(22):
        client.get(url)
    target, h = village["target"], village["households"]
    for k in range(3):
        g = LivelihoodGroup.objects.create(target=target, name=f"กลุ่ม {k}", livelihood="x")
        g.members.set(h)
        household_with_income(target, 100, 200 + k, name=f"เพิ่ม {k}")
        VillageEvaluation.objects.create(target=target, round=k + 1, status="approved")
    with django_assert_num_queries(22):
        response = client.get(url)
    assert len(response.context["spread"]) == 4


def test_the_migration_dates_the_old_pairs():
    from importlib import import_module

    migration = import_module("fieldwork.migrations.0003_income_pairs_into_rounds")
    # no day joined: the fiscal year's first and last days
    assert migration.round_dates(2560, None) == (dt.date(2016, 10, 1), dt.date(2017, 9, 30))
    # a neighbour who joined in March: from then to the year's end
    assert migration.round_dates(2560, dt.date(2017, 3, 5)) == (
        dt.date(2017, 3, 5),
        dt.date(2017, 9, 30),
    )
    # joined after the year: the follow-up a day after the baseline, never before it
    assert migration.round_dates(2560, dt.date(2017, 11, 1)) == (
        dt.date(2017, 11, 1),
        dt.date(2017, 11, 2),
    )


def test_a_followed_up_villages_days_since_its_last_visit_count_to_today(
    login, head_a, officer_a, area_a, stages
):
    """A visit after the village's fiscal year (a follow-up) is not "-3,000 days ago": the
    count goes to today, not to the end of the year that is over."""
    from django.utils import timezone

    target = area_a.targets[0]
    last = timezone.localdate() - dt.timedelta(days=5)
    FieldVisit.objects.create(
        target=target, officer=officer_a, stage=stages[0], date=last, activity="ติดตามผล"
    )
    page = login(head_a).get(f"/targets/{target.pk}/")
    assert page.context["days_since"] == 5
    assert "ลงพื้นที่ล่าสุดเมื่อ 5 วันก่อน" in page.content.decode()


def test_a_name_in_a_narrow_column_breaks_between_its_parts_only():
    from districts.templatetags.thai import person_wraps

    assert person_wraps("นายเกียรติศักดิ์ อุดมศักดิ์") == (
        '<span class="name">นายเกียรติศักดิ์</span> <span class="name">อุดมศักดิ์</span>'
    )
    assert person_wraps("") == "" and person_wraps("<b>") == '<span class="name">&lt;b&gt;</span>'
