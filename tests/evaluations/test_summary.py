"""The dashboards' summary table: it always says what the records say."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import FiscalYear, Stage, TargetVillage
from assignments.stages import ensure_default_stages
from districts import changes
from evaluations.models import DistrictFigures, ReviewStatus, VillageEvaluation
from evaluations.services import _save_figures, area_figures, compute_figures, dashboard_figures
from fieldwork.models import FieldVisit
from tests.factories import household_with_income


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


def figures(year=2560):
    return dashboard_figures(year, district_ids=["4016", "4001"])


def is_current(code, year=2560) -> bool:
    row = DistrictFigures.objects.get(year_id=year, district_id=code)
    return row.changes == changes.counts([code])[code]


def assert_matches_records(year=2560):
    """What the summary table gives equals a computation from the records themselves."""
    assert figures(year) == {
        code: f for code, f in compute_figures(year, ["4016", "4001"]).items() if f.targets
    }


def test_every_kind_of_write_reaches_the_dashboard(area_a, area_a2, officer_a, head_a, stages):
    target = area_a.targets[0]
    assert_matches_records()
    assert figures()["4016"].visited_recently == 0
    visit = FieldVisit.objects.create(
        target=target, officer=officer_a, stage=stages[1], date=dt.date(2017, 9, 20), activity="a"
    )
    assert figures()["4016"].visited_recently == 1
    household_with_income(target, 3000, 3500, name="นาง ก", still_practising=True)
    assert (figures()["4016"].households, figures()["4016"].income_change_avg) == (1, 500)
    assignment_services.assignment_change(
        district=area_a.district, target_ids=[target.pk], officer=officer_a, actor=head_a.user
    )
    assert figures()["4016"].assigned == 1
    # an assignment saved or deleted on its own (the admin), not through the board's service
    from assignments.models import VillageAssignment

    single = VillageAssignment.objects.create(target=area_a.targets[1], officer=officer_a)
    assert figures()["4016"].assigned == 2
    single.delete()
    assert figures()["4016"].assigned == 1
    VillageEvaluation.objects.create(target=target, status=ReviewStatus.APPROVED)
    assert figures()["4016"].evaluations_approved == 1
    target.budget_allocated = Decimal(12345)
    target.save()
    assert figures()["4016"].budget_allocated == Decimal(12345) + sum(
        t.budget_allocated for t in area_a.targets[1:]
    )
    visit.delete()
    assert figures()["4016"].visited_recently == 0
    assert figures()["4001"].targets == len(area_a2.targets)  # the other district is kept
    assert_matches_records()


def test_a_write_during_a_computation_is_not_hidden_by_it(area_a, officer_a, stages):
    figures()  # rows are current
    counts = changes.counts(["4016"])  # read before computing, as area_figures does
    computed = compute_figures(2560, ["4016"])
    # a visit lands after the figures were computed, before they are saved
    FieldVisit.objects.create(
        target=area_a.targets[0],
        officer=officer_a,
        stage=stages[0],
        date=dt.date(2017, 9, 1),
        activity="a",
    )
    _save_figures(2560, dt.date(2017, 9, 30), list(computed.values()), counts)
    assert not is_current("4016")
    assert figures()["4016"].visited_recently == 1


def test_the_current_years_rows_are_recomputed_each_day(area_a, officer_a, stages):
    today = timezone.localdate()
    year = today.year + 543 + (1 if today.month >= 10 else 0)
    FiscalYear.objects.get_or_create(year=year)
    TargetVillage.objects.filter(pk=area_a.targets[0].pk).update(year_id=year)
    FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=today, activity="a"
    )
    assert figures(year)["4016"].visited_recently == 1
    # the same rows, computed 31 days ago: the visit would not have been "recent" then
    DistrictFigures.objects.filter(year_id=year).update(
        as_of=today - dt.timedelta(days=31), visited_recently=0
    )
    assert figures(year)["4016"].visited_recently == 1
    assert DistrictFigures.objects.get(year_id=year, district_id="4016").as_of == today


def test_an_import_of_targets_marks_its_districts(area_a, stages):
    figures()
    from imports.services import _apply_targets

    assert is_current("4016")
    _apply_targets([], 2560, None, "test")
    assert is_current("4016")
    # a changed budget through the import's bulk update (no signals) still marks the row
    from imports.services import Row

    village = area_a.targets[0].village_id
    _apply_targets(
        [Row(number=2, key=village, status="changed",
             values={"budget_allocated": Decimal(777), "livelihood": "x"})],
        2560, None, "test",
    )  # fmt: skip
    assert not is_current("4016")
    assert_matches_records()


def test_the_nightly_command_leaves_every_row_current(area_a, area_a2, officer_a, stages):
    from io import StringIO

    from django.core.management import call_command

    figures()
    changes.record(["4016", "4001"])
    assert not is_current("4016") and not is_current("4001")
    out = StringIO()
    call_command("refresh_figures", "--year", "2560", stdout=out)
    assert "FY2560: 2 districts current" in out.getvalue()
    rows = DistrictFigures.objects.filter(year_id=2560)
    assert rows.count() == 2 and is_current("4016") and is_current("4001")
    assert_matches_records()


def test_a_record_moved_elsewhere_leaves_both_places_right(area_a, area_a2, officer_a, stages):
    visit = FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0],
        date=dt.date(2017, 9, 20), activity="a",
    )  # fmt: skip
    assert figures()["4016"].visited_recently == 1
    visit = FieldVisit.objects.get(pk=visit.pk)  # loaded afresh, as the admin does
    visit.target = area_a2.targets[0]
    visit.save()
    assert (figures()["4016"].visited_recently, figures()["4001"].visited_recently) == (0, 1)
    # a target village moved to another year (the admin allows it)
    FiscalYear.objects.create(year=2561)
    target = TargetVillage.objects.get(pk=area_a.targets[1].pk)
    target.year_id = 2561
    target.save()
    assert figures()["4016"].targets == len(area_a.targets) - 1
    assert_matches_records()
    assert_matches_records(2561)


def test_renumbering_the_stages_reaches_the_stored_counts(area_a, stages):
    TargetVillage.objects.filter(pk=area_a.targets[0].pk).update(stage=stages[2])
    changes.record(["4016"])  # a bulk update says so itself
    before = figures()["4016"].stages
    assert before[stages[2].order] == 1
    stages[2].order = 99
    stages[2].save()
    assert figures()["4016"].stages[99] == 1
    assert_matches_records()


def test_a_year_with_no_targets_anywhere_shows_zeros(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/country/?year=2599").status_code == 200
    assert not DistrictFigures.objects.exists()


def test_a_page_computes_a_few_stale_rows_itself(area_a, area_a2, officer_a, stages):
    figures()
    FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 9, 20)
    )
    shown = area_figures(2560, district_ids=["4016", "4001"], compute_at_most=1)
    assert shown.old_since is None and shown.rows["4016"].visited_recently == 1


def test_a_page_with_many_stale_rows_shows_them_as_they_were_and_asks_the_worker(
    area_a, area_a2, officer_a, stages, django_capture_on_commit_callbacks
):
    figures()
    computed_at = DistrictFigures.objects.get(year_id=2560, district_id="4016").computed_at
    FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 9, 20)
    )
    changes.record(["4001"])
    with django_capture_on_commit_callbacks(execute=True) as asked:
        shown = area_figures(2560, district_ids=["4016", "4001"], compute_at_most=1)
    assert shown.rows["4016"].visited_recently == 0  # as it was
    assert shown.old_since == computed_at
    assert len(asked) == 1  # the refresh, run at once by the tests' task backend
    assert is_current("4016") and is_current("4001")
    assert figures()["4016"].visited_recently == 1


def test_the_country_page_says_how_old_its_figures_are(
    login, admin_user, area_a, area_a2, area_b, officer_a, stages, monkeypatch
):
    dashboard_figures(2560)
    DistrictFigures.objects.update(as_of=dt.date(2017, 9, 1))  # a new day: every row old
    monkeypatch.setattr("evaluations.services.COMPUTED_BY_A_PAGE", 1)
    page = login(admin_user).get("/country/?year=2560")
    text = page.content.decode()
    assert 'id="figures-age"' in text and "ระบบกำลังปรับปรุง" in text
