"""The dashboards with several years of the programme (issue 20): targets of three fiscal
years, follow-ups of the earlier ones, income rounds, evaluation rounds, livelihood groups and
partner projects. Each dashboard runs in a pinned number of queries, and a fourth year's
records do not add one, to the pages of the earlier years or to the new year's own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import FollowUp, Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from evaluations.models import VillageEvaluation
from fieldwork.models import (
    FieldVisit,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
    ProjectStatus,
)
from people.models import Partner
from tests.factories import FiscalYearFactory, TargetVillageFactory, household_with_income

YEARS = [2560, 2561, 2562]
FOURTH = 2563


def add_year(year, areas, officer, head):
    """A fiscal year of the programme in every district of ``areas``: a target on each of
    their villages with its officer, a visit, two households with income rounds, an approved
    evaluation, a livelihood group and a partner project; the villages of the year before
    followed up by ``officer``, with a visit, an income round and a second evaluation round."""
    fy = FiscalYearFactory(year=year)
    stage = Stage.objects.order_by("order").first()
    day = fy.start_date + dt.timedelta(days=100)
    for area in areas:
        partner = Partner.objects.get_or_create(district=area.district, name="เกษตรอำเภอ")[0]
        for village in area.villages:
            target = TargetVillageFactory(village=village, year=fy)
            VillageAssignment.objects.create(target=target, officer=officer)
            FieldVisit.objects.create(
                target=target, officer=officer, stage=stage, date=day, activity="ฝึกอาชีพ"
            )
            households = [
                household_with_income(target, 3000, 3600, name="ก", still_practising=True),
                household_with_income(target, 2800, 2500, name="ข", is_neighbour=True),
            ]
            VillageEvaluation.objects.create(
                target=target, round=1, date=fy.end_date, status="approved"
            )
            group = LivelihoodGroup.objects.create(
                target=target, name="กลุ่มทอผ้า", livelihood="ทอผ้า", status="active"
            )
            group.members.set(households)
            PartnerSupport.objects.create(
                partner=partner,
                target=target,
                group=group,
                project="ต่อยอดกลุ่มอาชีพ",
                amount=Decimal(20000),
                start_date=day,
                status=ProjectStatus.ACTIVE,
            )
        earlier = TargetVillage.objects.filter(district=area.district, year_id=year - 1)
        for target in earlier:
            FollowUp.objects.filter(target=target, ended_at__isnull=True).delete()
            FollowUp.objects.create(target=target, officer=officer, from_year=fy, started_by=head)
            FieldVisit.objects.create(
                target=target, officer=officer, stage=stage, date=day, activity="ติดตามผล"
            )
            for household in target.households.all():
                IncomeRound.objects.create(
                    household=household, kind="followup", date=day, income=Decimal(4000)
                )
            VillageEvaluation.objects.create(
                target=target, round=2, date=day, status="approved", neighbours_joined=3
            )


@pytest.fixture
def three_years(area_a, area_a2, officer_a, head_a):
    ensure_default_stages(Stage)
    TargetVillage.objects.all().delete()  # the personas' FY2560 targets: rebuilt below
    for year in YEARS:
        add_year(year, [area_a, area_a2], officer_a, head_a.user)


def queries(client, url):
    """The queries of the page, as it is rendered after a write (cold: the summary rows
    computed again) and on the next request (warm)."""
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    return tuple(counts)


# (cold, warm) per dashboard, the same whatever the number of years, targets, follow-ups,
# income rounds, evaluation rounds, groups and projects. Warm: session, user, officer, the
# change counts, years, places, summary rows, stages, and the page's own grouped figures
# (the district's: its villages with their latest approved round, their latest income round,
# the follow-ups, groups and partner projects); cold adds the grouped figures of the summary
# rows and their upsert (tests/evaluations/test_dashboards.py lists them one by one).
DASHBOARDS = [
    ("/districts/4016/", "head_a", (34, 23)),
    ("/provinces/40/", "province_staff_a", (21, 10)),
    ("/country/", "admin_user", (19, 8)),
]


@pytest.mark.parametrize(("url", "who", "pinned"), DASHBOARDS)
def test_a_dashboard_of_several_years_runs_in_fixed_queries_and_a_fourth_year_adds_none(
    request,
    login,
    three_years,
    url,
    who,
    pinned,
    render_every_time,
    area_a,
    area_a2,
    officer_a,
    head_a,
):
    client = login(request.getfixturevalue(who))
    before = {year: queries(client, f"{url}?year={year}") for year in YEARS}
    assert before == dict.fromkeys(YEARS, pinned)
    add_year(FOURTH, [area_a, area_a2], officer_a, head_a.user)
    after = {year: queries(client, f"{url}?year={year}") for year in [*YEARS, FOURTH]}
    assert after == dict.fromkeys([*YEARS, FOURTH], pinned)


def test_the_years_records_are_what_the_dashboards_count(three_years, area_a):
    """The data really spans the years: without it the counts above would prove nothing."""
    targets = TargetVillage.objects.filter(district=area_a.district)
    assert sorted(set(targets.values_list("year_id", flat=True))) == YEARS
    assert FollowUp.objects.live().filter(target__district=area_a.district).count() == 12
    assert VillageEvaluation.objects.filter(target__district=area_a.district, round=2).count() == 12
    assert IncomeRound.objects.filter(household__target__district=area_a.district).count() == (
        18 * 2 * 2 + 12 * 2
    )
    assert LivelihoodGroup.objects.filter(target__district=area_a.district).count() == 18
    assert PartnerSupport.objects.filter(target__district=area_a.district).count() == 18
