"""Follow-up after the fiscal year: the head gives earlier years' villages to an officer to
follow up, the board counts them, and only that officer logs visits to them in later years."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assignments import services
from assignments.models import FiscalYear, FollowUp, Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from fieldwork import services as field_services
from fieldwork.models import FieldVisit
from tests.factories import FiscalYearFactory, VillageFactory

BOARD = "/districts/4016/assignments/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


@pytest.fixture
def followed(board_a, head_a, stages):
    """The FY2560 target 0 of district A (officer_a held it that year and still does) is
    followed up from FY2561 by officer-a2."""
    FiscalYearFactory(year=2561)
    FiscalYearFactory(year=2562)
    target = board_a["area"].targets[0]
    second = board_a["officers"][1]
    followup = services.followup_start(
        district=board_a["area"].district,
        target_id=target.pk,
        officer=second,
        year=2561,
        actor=head_a.user,
    )
    return {**board_a, "target": target, "holder": second, "followup": followup}


def log(user, target, day, stage):
    return field_services.visit_log(
        user=user, target=target, date=day, stage=stage, activity="ติดตามผลการทอผ้า"
    )


def test_a_followup_visit_in_a_later_year_is_accepted_for_its_holder_only(followed, head_a, stages):
    target, holder = followed["target"], followed["holder"]
    officer_a, _second, third = followed["officers"]
    in_2562 = dt.date(2019, 1, 15)  # FY2562

    visit = log(holder.user, target, in_2562, stages[-1]).visit
    assert (visit.target, visit.officer, visit.date) == (target, holder, in_2562)

    # the officer who held the FY2560 assignment (and still has it) is not the follow-up's
    with pytest.raises(ValidationError) as refused:
        log(officer_a.user, target, in_2562, stages[-1])
    assert "date" in refused.value.message_dict
    # the head logs in the village's own year, not in a later one
    with pytest.raises(ValidationError):
        log(head_a.user, target, in_2562, stages[-1])
    # an officer with no tie to the village may not log to it at all
    with pytest.raises(PermissionDenied):
        log(third.user, target, in_2562, stages[-1])
    assert FieldVisit.objects.count() == 1


def test_the_holder_logs_in_the_targets_own_year_but_never_before_it(followed, stages):
    target, holder = followed["target"], followed["holder"]
    assert log(holder.user, target, dt.date(2017, 9, 1), stages[0]).visit.pk  # FY2560
    with pytest.raises(ValidationError):
        log(holder.user, target, dt.date(2016, 9, 30), stages[0])  # FY2559


def test_a_followup_counts_from_its_first_year_until_it_ends(followed, head_a, stages):
    target, holder = followed["target"], followed["holder"]
    district = followed["area"].district
    services.followup_end(district=district, target_id=target.pk, actor=head_a.user)
    FollowUp.objects.update(
        started_at=dt.datetime(2017, 10, 1, tzinfo=dt.UTC),
        ended_at=dt.datetime(2018, 3, 31, 12, tzinfo=dt.UTC),
    )
    FollowUp.objects.create(target=target, officer=holder, from_year_id=2562)
    FollowUp.objects.filter(from_year_id=2562).update(ended_at=None)
    FollowUp.objects.filter(from_year_id=2561).update(from_year_id=2561)
    # held from FY2561 until 31 Mar 2018, then again from FY2562: a gap between
    assert log(holder.user, target, dt.date(2018, 3, 1), stages[-1]).visit.pk
    with pytest.raises(ValidationError):
        log(holder.user, target, dt.date(2018, 6, 1), stages[-1])
    assert log(holder.user, target, dt.date(2018, 10, 2), stages[-1]).visit.pk


def test_the_visit_form_lists_followups_marked_with_their_year_and_accepts_them(
    login, followed, stages
):
    target, holder = followed["target"], followed["holder"]
    client = login(holder)
    page = client.get("/visits/new/").content.decode()
    assert f'value="{target.pk}"' in page
    assert "ติดตามผล เป้าหมายปีงบประมาณ 2560" in page
    # a follow-up visit starts at the programme's last stage, follow-up and evaluation
    chosen = client.get(f"/visits/new/?target={target.pk}").context["form"].initial
    assert chosen["stage"] == stages[-1].pk
    assert chosen["date"] == timezone.localdate()  # whichever year the page shows
    response = client.post(
        "/visits/new/",
        {
            "target": target.pk,
            "date": "15/01/2562",
            "stage": stages[-1].pk,
            "activity": "ติดตามผล",
            "support_team_count": "0",
            "household_count": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert FieldVisit.objects.get().date == dt.date(2019, 1, 15)


def test_the_head_starts_moves_and_ends_a_followup_and_the_rows_keep_who_when(
    login, board_a, head_a
):
    FiscalYearFactory(year=2561)
    target = board_a["area"].targets[1]
    officer_a, second, _third = board_a["officers"]
    client = login(head_a)
    data = {"year": 2561, "target": target.pk, "officer": second.pk}
    response = client.post(BOARD + "followups/start/", data, **HTMX)
    assert response.status_code == 200 and 'id="followups"' in response.content.decode()
    live = FollowUp.objects.live().get()
    assert (live.officer, live.from_year_id, live.started_by) == (second, 2561, head_a.user)
    assert live.history.get().history_user == head_a.user

    client.post(BOARD + "followups/move/", {**data, "officer": officer_a.pk}, **HTMX)
    rows = list(FollowUp.objects.order_by("started_at", "pk"))
    assert [(f.officer, f.ended_at is None) for f in rows] == [(second, False), (officer_a, True)]
    assert rows[0].ended_by == head_a.user and rows[1].from_year_id == 2561

    client.post(BOARD + "followups/end/", data, **HTMX)
    assert not FollowUp.objects.live().exists()
    again = client.post(BOARD + "followups/end/", data)  # sent twice: done, not an error
    assert again.status_code == 302 and FollowUp.objects.count() == 2


def test_a_followup_starts_only_after_the_targets_year_and_only_once(board_a, head_a):
    district, target = board_a["area"].district, board_a["area"].targets[0]
    second = board_a["officers"][1]
    with pytest.raises(ValidationError, match="2561"):
        services.followup_start(
            district=district, target_id=target.pk, officer=second, year=2560, actor=head_a.user
        )
    services.followup_start(
        district=district, target_id=target.pk, officer=second, year=2561, actor=head_a.user
    )
    with pytest.raises(ValidationError):
        services.followup_start(
            district=district, target_id=target.pk, officer=second, year=2562, actor=head_a.user
        )
    # the database keeps one live follow-up per target whatever a writer forgets
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(target=target, officer=second, from_year_id=2561)
    with pytest.raises(ValidationError):  # an inactive officer is never given one
        services.followup_move(
            district=district,
            target_id=target.pk,
            officer=board_a["inactive"],
            actor=head_a.user,
        )


def test_a_head_of_another_district_cannot_start_move_or_end_ours(
    login, followed, head_b, area_b, officer_b
):
    target, holder = followed["target"], followed["holder"]
    district_a = followed["area"].district
    other = followed["area"].targets[1]
    for call in (
        lambda: services.followup_start(
            district=district_a, target_id=other.pk, officer=holder, year=2561, actor=head_b.user
        ),
        lambda: services.followup_move(
            district=district_a, target_id=target.pk, officer=holder, actor=head_b.user
        ),
        lambda: services.followup_end(district=district_a, target_id=target.pk, actor=head_b.user),
    ):
        with pytest.raises(PermissionDenied):
            call()
    client = login(head_b)
    for action in ("start", "move", "end"):
        data = {"year": 2561, "target": other.pk if action == "start" else target.pk}
        data["officer"] = holder.pk
        assert client.post(f"{BOARD}followups/{action}/", data).status_code == 404
        # through their own district's address, our village is not theirs
        client.post(f"/districts/4101/assignments/followups/{action}/", data)
    # an officer (not the head) of our district may not either
    assert login(holder).post(BOARD + "followups/end/", {"target": target.pk}).status_code == 403
    assert list(FollowUp.objects.values_list("target", "officer", "ended_at")) == [
        (target.pk, holder.pk, None)
    ]


def test_the_board_shows_the_years_followups_and_counts_them_in_the_loads(login, followed, head_a):
    area, holder = followed["area"], followed["holder"]
    # a second follow-up, of an FY2559 village, by the same officer
    old = TargetVillage.objects.create(
        village=VillageFactory(tambon=area.tambons[1], moo=9, code=f"{area.tambons[1].code}09"),
        year=FiscalYearFactory(year=2559),
    )
    services.followup_start(
        district=area.district, target_id=old.pk, officer=holder, year=2560, actor=head_a.user
    )
    client = login(head_a)
    response = client.get(BOARD + "?year=2561")
    loads = {o.officer: o for o in response.context["officers"]}
    assert (loads[holder].villages, loads[holder].followups, loads[holder].load) == (0, 2, 1.0)
    page = response.content.decode()
    section = page.split('<section id="followups"')[1]
    assert section.count('<tr id="followup-') == 2 and "ปีงบประมาณ 2559" in section
    row = page.split(f'data-officer="{holder.user.username}"')[1].split("</tr>")[0]
    assert 'data-testid="followups">2<' in row
    # in FY2560 only the FY2559 village is followed up; FY2560's own villages are not
    response = client.get(BOARD + "?year=2560")
    assert [f.target for f in response.context["followups"]] == [old]
    assert {o.officer: o.load for o in response.context["officers"]}[holder] == 0.5
    # the fair share counts a follow-up as half a village: 4 villages + 0.5, 3 officers
    assert response.context["fair_share"] == pytest.approx(4.5 / 3)


def test_board_with_followups_of_several_years_runs_in_fixed_queries(
    login, followed, head_a, django_assert_num_queries, render_every_time
):
    area, holder = followed["area"], followed["holder"]
    client = login(head_a)
    # session, user, officer, district, its change count, years, targets (none in FY2563: no
    # query for their assignments), officers, their tambons, the year's follow-ups, earlier
    # years' targets to follow up, tambons of the district, orders
    with django_assert_num_queries(13):
        client.get(BOARD + "?year=2563")
    tambon = area.tambons[1]
    villages = [VillageFactory(tambon=tambon, moo=m, code=f"{tambon.code}{m}") for m in (20, 21)]
    for year in (2557, 2558, 2559):
        for village in villages:
            target = TargetVillage.objects.create(
                village=village, year=FiscalYearFactory(year=year)
            )
            # a village's earlier follow-up ended when it became a target again
            FollowUp.objects.live().filter(target__village=village).update(
                ended_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
            )
            FollowUp.objects.create(target=target, officer=holder, from_year_id=year + 1)
    with django_assert_num_queries(13):
        response = client.get(BOARD + "?year=2563")
    assert len(response.context["followups"]) == 1 + 6


def test_only_a_head_sees_the_controls_and_the_candidates(login, followed):
    page = login(followed["holder"]).get(BOARD + "?year=2561").content.decode()
    assert "followups/end/" not in page and 'id="followup-start"' not in page
    assert followed["holder"].user.display_name in page.split('<section id="followups"')[1]


def test_a_village_in_its_own_year_is_not_a_followup_candidate(login, followed, head_a):
    response = login(head_a).get(BOARD + "?year=2560")
    assert response.context["followup_candidates"] == []
    response = login(head_a).get(BOARD + "?year=2561")
    candidates = response.context["followup_candidates"]
    # every FY2560 target but the one followed up already
    assert followed["target"] not in candidates and len(candidates) == 3


def test_followups_keep_their_rows_when_the_target_assignment_moves(followed, head_a):
    """The year's assignment and the follow-up are two things: moving one leaves the other."""
    third = followed["officers"][2]
    services.assignment_change(
        district=followed["area"].district,
        target_ids=[followed["target"].pk],
        officer=third,
        actor=head_a.user,
    )
    assert VillageAssignment.objects.active().get(target=followed["target"]).officer == third
    assert FollowUp.objects.live().get().officer == followed["holder"]
    assert FiscalYear.objects.filter(year=2561).exists()
