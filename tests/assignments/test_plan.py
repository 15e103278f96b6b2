"""The district's plan: deadlines (the department's, a province's earlier ones), planned dates
per village and stage, the day a visit reached each stage, and what is late."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from assignments import services
from assignments.models import PlannedDate, Stage, StageDeadline, VillageAssignment
from assignments.stages import ensure_default_stages
from fieldwork.models import FieldVisit
from fieldwork.plan import Status, district_plan
from tests.factories import TargetVillageFactory, VillageFactory

TODAY = dt.date(2017, 3, 1)  # in FY2560, the suite's year


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


@pytest.fixture
def held(area_a, officer_a, stages):
    """Officer A holds the first two targets of district A."""
    for target in area_a.targets[:2]:
        VillageAssignment.objects.create(target=target, officer=officer_a)
    return area_a.targets[:2]


def visit(target, officer, stage, day):
    return FieldVisit.objects.create(
        target=target, officer=officer, stage=stage, date=day, activity="กิจกรรม"
    )


def item(plan, target, stage):
    return next(i for i in plan.items if i.target.pk == target.pk and i.stage.pk == stage.pk)


def test_a_stage_is_reached_by_the_first_visit_at_it_or_a_later_stage(
    area_a, officer_a, held, stages
):
    target = held[0]
    visit(target, officer_a, stages[2], dt.date(2017, 1, 20))
    visit(target, officer_a, stages[0], dt.date(2016, 11, 5))
    visit(target, officer_a, stages[0], dt.date(2016, 12, 5))
    plan = district_plan("4016", 2560, today=TODAY)
    assert item(plan, target, stages[0]).reached == dt.date(2016, 11, 5)
    # no visit logged at stage 2, but one at stage 3: stage 2 is behind it
    assert item(plan, target, stages[1]).reached == dt.date(2017, 1, 20)
    assert item(plan, target, stages[2]).reached == dt.date(2017, 1, 20)
    assert item(plan, target, stages[3]).reached is None


def test_what_is_late(area_a, officer_a, held, stages):
    target, other = held
    StageDeadline.objects.create(year_id=2560, stage=stages[0], due=dt.date(2016, 12, 1))
    StageDeadline.objects.create(year_id=2560, stage=stages[1], due=dt.date(2017, 6, 1))
    PlannedDate.objects.create(target=target, stage=stages[1], date=dt.date(2017, 2, 1))
    PlannedDate.objects.create(target=other, stage=stages[1], date=dt.date(2017, 4, 1))
    visit(target, officer_a, stages[0], dt.date(2016, 12, 20))  # after the deadline
    visit(other, officer_a, stages[0], dt.date(2016, 11, 20))  # in time
    plan = district_plan("4016", 2560, today=TODAY)
    assert item(plan, target, stages[0]).status == Status.REACHED_LATE
    assert item(plan, other, stages[0]).status == Status.REACHED
    assert item(plan, target, stages[1]).status == Status.LATE  # planned 1 Feb, not reached
    assert item(plan, other, stages[1]).status == Status.PLANNED  # planned 1 Apr
    assert item(plan, target, stages[3]).status == Status.UNPLANNED
    # the deadline alone makes it late once it has passed
    later = district_plan("4016", 2560, today=dt.date(2017, 6, 2))
    assert item(later, other, stages[1]).status == Status.LATE
    # the targets of district A without visits have passed the first deadline too
    late = {(i.target.pk, i.stage.code) for i in plan.late}
    assert (target.pk, "prepare") in late and (target.pk, "train-team") in late
    assert (other.pk, "prepare") not in late
    assert plan.late[0].status == Status.LATE  # not reached first, then reached late


def test_a_province_deadline_comes_before_the_departments(area_a, area_b, stages):
    StageDeadline.objects.create(year_id=2560, stage=stages[0], due=dt.date(2016, 12, 31))
    StageDeadline.objects.create(
        year_id=2560, stage=stages[0], province_id="40", due=dt.date(2016, 12, 15)
    )
    # another province's deadline is not district A's
    StageDeadline.objects.create(
        year_id=2560, stage=stages[0], province_id="41", due=dt.date(2016, 11, 1)
    )
    plan = district_plan("4016", 2560, today=TODAY)
    assert plan.deadlines[stages[0].pk] == dt.date(2016, 12, 15)


def test_province_staff_set_an_earlier_deadline_not_a_later_one(
    login, area_a, province_staff_a, stages
):
    StageDeadline.objects.create(year_id=2560, stage=stages[0], due=dt.date(2016, 12, 31))
    client = login(province_staff_a)
    later = client.post("/provinces/40/deadlines/?year=2560", {"prepare": "15/01/2560"})
    text = later.content.decode()
    assert "ก่อนกำหนดของกรม" in text  # a province's deadline may be earlier, not later
    assert 'value="15/01/2560"' in text  # what was typed is kept
    assert not StageDeadline.objects.filter(province__isnull=False).exists()
    ok = client.post("/provinces/40/deadlines/?year=2560", {"prepare": "15/12/2559"})
    assert ok.status_code == 302
    assert StageDeadline.objects.get(province_id="40").due == dt.date(2016, 12, 15)
    # another province's page is not theirs
    assert client.get("/provinces/41/deadlines/").status_code == 404


def test_one_planned_date_per_target_and_stage_in_the_database(area_a, stages):
    target = area_a.targets[0]
    PlannedDate.objects.create(target=target, stage=stages[0], date=dt.date(2017, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PlannedDate.objects.create(target=target, stage=stages[0], date=dt.date(2017, 2, 1))


def test_one_deadline_per_year_stage_and_province_in_the_database(area_a, stages):
    StageDeadline.objects.create(year_id=2560, stage=stages[0], due=dt.date(2017, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        StageDeadline.objects.create(year_id=2560, stage=stages[0], due=dt.date(2017, 1, 2))
    StageDeadline.objects.create(
        year_id=2560, stage=stages[0], province_id="40", due=dt.date(2016, 12, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StageDeadline.objects.create(
            year_id=2560, stage=stages[0], province_id="40", due=dt.date(2016, 12, 2)
        )


def test_the_officer_holding_a_village_plans_it_and_nobody_else_but_the_head(
    login, area_a, officer_a, head_a, held, stages
):
    target, not_theirs = held[0], area_a.targets[3]
    client = login(officer_a)
    response = client.post(
        f"/targets/{target.pk}/plan/", {"prepare": "01/12/2559", "train-team": "15/01/2560"}
    )
    assert response.status_code == 302
    assert dict(PlannedDate.objects.filter(target=target).values_list("stage__code", "date")) == {
        "prepare": dt.date(2016, 12, 1),
        "train-team": dt.date(2017, 1, 15),
    }
    assert (
        client.post(f"/targets/{not_theirs.pk}/plan/", {"prepare": "01/12/2559"}).status_code == 403
    )
    # the head plans any village of the district; a cleared stage is no longer planned
    head = login(head_a)
    assert head.post(f"/targets/{target.pk}/plan/", {"prepare": "02/12/2559"}).status_code == 302
    assert list(PlannedDate.objects.filter(target=target).values_list("date", flat=True)) == [
        dt.date(2016, 12, 2)
    ]


def test_a_bad_planned_date_is_refused_in_thai_and_nothing_is_written(
    login, area_a, head_a, stages
):
    target = area_a.targets[0]
    client = login(head_a)
    response = client.post(
        f"/targets/{target.pk}/plan/",
        {"prepare": "01/12/2559", "train-team": "01/12/2561", "teach-households": "31/02/2560"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "ไม่มีวันที่นี้ในปฏิทิน" in text  # 31 February
    assert 'value="01/12/2561"' in text and 'value="01/12/2559"' in text  # kept
    assert not PlannedDate.objects.exists()
    outside = client.post(f"/targets/{target.pk}/plan/", {"prepare": "01/12/2560"})
    assert "ต้องอยู่ในปีงบประมาณ 2560" in outside.content.decode()
    assert not PlannedDate.objects.exists()


def test_a_user_of_another_district_neither_reads_nor_changes_the_plan(
    login, area_a, area_b, head_b, officer_b, stages
):
    target = area_a.targets[0]
    for who in (head_b, officer_b):
        client = login(who)
        assert client.get("/districts/4016/plan/").status_code == 404
        assert client.get(f"/targets/{target.pk}/plan/").status_code == 404
        assert (
            client.post(f"/targets/{target.pk}/plan/", {"prepare": "01/12/2559"}).status_code == 404
        )
    assert not PlannedDate.objects.exists()


def test_the_plan_page_shows_the_late_stages_first(login, area_a, officer_a, head_a, held, stages):
    target = held[0]
    PlannedDate.objects.create(target=target, stage=stages[1], date=dt.date(2016, 11, 1))
    text = login(head_a).get("/districts/4016/plan/").content.decode()
    late = text.index('id="plan-late"')
    calendar = text.index('id="plan-calendar"')
    assert late < text.index(f'data-late="{target.village_id}-train-team"') < calendar
    assert "พฤศจิกายน 2559" in text  # the month's heading, in the Buddhist era
    # an officer's own villages
    mine = login(officer_a).get(f"/districts/4016/plan/?officer={officer_a.pk}").content.decode()
    assert target.village.name_th in mine
    assert area_a.targets[3].village.name_th not in mine


def test_the_plan_page_runs_in_fixed_queries(
    login, area_a, officer_a, head_a, held, stages, django_assert_num_queries, render_every_time
):
    client = login(head_a)
    # session, user, officer; district, its change count, years, field officers; stages,
    # deadlines, targets, their active officers, planned dates, the first visit per village
    # and stage (rendered: nothing kept)
    with django_assert_num_queries(13):
        assert client.get("/districts/4016/plan/").status_code == 200
    for moo in range(10, 30):
        village = VillageFactory(tambon=area_a.tambons[0], moo=moo, code=f"401601{moo:02d}")
        target = TargetVillageFactory(village=village)
        VillageAssignment.objects.create(target=target, officer=officer_a)
        for stage in stages:
            PlannedDate.objects.create(target=target, stage=stage, date=dt.date(2017, 1, moo))
            visit(target, officer_a, stage, dt.date(2017, 2, 1))
    StageDeadline.objects.create(year_id=2560, stage=stages[0], due=dt.date(2017, 1, 1))
    with django_assert_num_queries(13):
        assert client.get("/districts/4016/plan/").status_code == 200


def test_only_the_system_admin_sets_the_departments_deadlines(
    area_a, province_staff_a, head_a, admin_user, stages
):
    one = {stages[0]: dt.date(2017, 1, 1)}
    for who in (province_staff_a.user, head_a.user):
        with pytest.raises(PermissionDenied):
            services.deadlines_set(year=2560, province_id=None, dates=one, actor=who)
    assert services.deadlines_set(year=2560, province_id=None, dates=one, actor=admin_user) == 1
    # a day outside the fiscal year: refused, and the good one beside it not written either
    with pytest.raises(ValidationError):
        services.deadlines_set(
            year=2560,
            province_id=None,
            dates={stages[1]: dt.date(2017, 2, 1), stages[2]: dt.date(2017, 10, 1)},
            actor=admin_user,
        )
    assert list(StageDeadline.objects.values_list("stage__code", "due")) == [
        ("prepare", dt.date(2017, 1, 1))
    ]
