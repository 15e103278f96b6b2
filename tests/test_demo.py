from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.http import HttpRequest

from assignments.models import TargetVillage
from districts.models import Officer, Role, TambonResponsibility, User, Village


@pytest.fixture
def khon_kaen(db):
    call_command("load_geography", province="40", stdout=StringIO())


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_needs_the_geography_first(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_geography"):
        run_demo()


def test_demo_builds_khon_kaen_fy2560_as_the_article_describes(khon_kaen):
    output = run_demo()
    assert "phuwiang-head" in output
    assert "sammachip-demo" in output
    targets = TargetVillage.objects.filter(year_id=2560)
    assert targets.count() == 528
    assert targets.filter(district_id="4016").count() == 27
    assert targets.values("district_id").distinct().count() == 26
    # Clustered: some Phu Wiang tambons have every village a target, some have none.
    rows = (
        Village.objects.filter(tambon__district_id="4016")
        .values("tambon_id")
        .annotate(villages=Count("code"), targets=Count("targets", filter=Q(targets__year_id=2560)))
    )
    shares = [(row["villages"], row["targets"]) for row in rows]
    assert len(shares) == 11
    assert any(v == t for v, t in shares)
    assert any(t == 0 for v, t in shares)


def test_demo_staffs_every_district_with_a_head_and_five_to_twelve_officers(khon_kaen):
    run_demo()
    per_district = (
        Officer.objects.filter(role=Role.OFFICER)
        .values("district_id")
        .annotate(n=Count("pk"))
        .values_list("district_id", "n")
    )
    counts = dict(per_district)
    assert len(counts) == 26
    assert all(5 <= n <= 12 for n in counts.values())
    assert counts["4016"] == 10
    assert Officer.objects.filter(role=Role.HEAD).count() == 26
    phu_wiang_tambons = TambonResponsibility.objects.filter(
        officer__district_id="4016"
    ).values_list("tambon_id", flat=True)
    assert set(phu_wiang_tambons) == set(
        Village.objects.filter(tambon__district_id="4016").values_list("tambon_id", flat=True)
    )


def test_demo_is_idempotent(khon_kaen):
    run_demo()
    counts = (User.objects.count(), Officer.objects.count(), TargetVillage.objects.count())
    responsibilities = TambonResponsibility.objects.count()
    second = run_demo()
    assert "0 new users, 0 new target villages" in second
    assert (User.objects.count(), Officer.objects.count(), TargetVillage.objects.count()) == counts
    assert TambonResponsibility.objects.count() == responsibilities


def test_demo_logins_work(khon_kaen, client):
    run_demo()
    for username in ("admin", "khonkaen", "phuwiang-head", "phuwiang-officer10"):
        # django-axes needs the request that a real login has
        assert client.login(request=HttpRequest(), username=username, password="sammachip-demo")
    assert User.objects.get(username="admin").is_superuser


def test_phu_wiang_after_the_suggestion_every_officer_has_two_or_three(khon_kaen):
    from assignments import services
    from assignments.models import VillageAssignment
    from districts.models import District

    run_demo()
    phu_wiang = District.objects.get(pk="4016")
    active = VillageAssignment.objects.active().filter(
        target__district=phu_wiang, target__year=2560
    )
    # The demo starts from the tambon rule: three officers carry all 27 villages.
    assert active.values("officer").distinct().count() == 3
    proposal = services.balance_district(district=phu_wiang, year=2560)
    head = Officer.objects.get(user__username="phuwiang-head")
    services.proposal_apply(
        district=phu_wiang,
        accepted=[(m.target_id, m.from_officer.pk, m.to_officer.pk) for m in proposal.moves],
        actor=head.user,
    )
    loads = dict(active.values("officer").annotate(n=Count("pk")).values_list("officer", "n"))
    assert len(loads) == 10
    assert sorted(loads.values()) == [2, 2, 2, 3, 3, 3, 3, 3, 3, 3]


def test_other_districts_are_balanced_and_ordered_in_the_demo(khon_kaen):
    from assignments.models import AssignmentOrder, VillageAssignment

    run_demo()
    assert AssignmentOrder.objects.filter(year_id=2560).count() == 25
    assert VillageAssignment.objects.active().filter(target__year=2560).count() == 528
    loads = (
        VillageAssignment.objects.active()
        .filter(target__district_id="4001", target__year=2560)
        .values("officer")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert max(loads) - min(loads) <= 1


def test_demo_has_a_year_of_visits_some_villages_well_visited_some_neglected(khon_kaen):
    from fieldwork import selectors as field_selectors
    from fieldwork.models import FieldVisit, VisitAdvice

    run_demo()
    assert FieldVisit.objects.filter(target__year_id=2560).count() > 528 * 5
    per_target = (
        TargetVillage.objects.filter(year_id=2560)
        .annotate(n=Count("visits"))
        .values_list("n", flat=True)
    )
    assert max(per_target) >= 20 and min(per_target) <= 8
    late = field_selectors.overdue(
        field_selectors.followed_up(TargetVillage.objects.filter(district_id="4016"), 2560), 2560
    )
    assert 0 < len(late) < 27
    assert VisitAdvice.objects.filter(read_at__isnull=True).exists()
    visits_before = FieldVisit.objects.count()
    run_demo()
    assert FieldVisit.objects.count() == visits_before


def test_demo_fills_the_programmes_people(khon_kaen):
    from fieldwork.models import Household, IncomeRound, PartnerSupport, SupportTeamMember
    from people.models import Forum, Partner, Sage, SageNetwork

    run_demo()
    assert Sage.objects.count() == 528
    assert TargetVillage.objects.filter(year_id=2560, sage__isnull=True).count() == 0
    assert SupportTeamMember.objects.filter(role="leader").count() == 528
    per_village = (
        Household.objects.filter(is_neighbour=False).values("target").annotate(n=Count("pk"))
    )
    assert all(18 <= row["n"] <= 22 for row in per_village)
    assert Household.objects.filter(is_neighbour=True).exists()
    assert IncomeRound.objects.filter(kind="followup", income__gt=0).count() > 10000
    network = SageNetwork.objects.get(district_id="4016")
    assert network.members.count() == 27
    forums = Forum.objects.filter(network=network)
    assert forums.filter(status="held").count() >= 3 and forums.filter(status="planned").exists()
    assert all(f.sages.exists() for f in forums.filter(status="held"))
    assert Partner.objects.count() == 26 * 4 and PartnerSupport.objects.exists()
    households = Household.objects.count()
    run_demo()
    assert Household.objects.count() == households


def test_demo_phone_numbers_pass_the_phone_check(khon_kaen):
    from districts.models import phone_validator
    from fieldwork.models import SupportTeamMember
    from people.models import Partner, Sage

    run_demo()
    phones = [
        *Sage.objects.values_list("phone", flat=True),
        *Partner.objects.values_list("phone", flat=True),
        *SupportTeamMember.objects.values_list("phone", flat=True),
    ]
    assert len(phones) > 100
    for phone in filter(None, phones):
        phone_validator(phone)


@pytest.mark.today_decides_the_year
def test_demo_follows_villages_up_over_years_and_runs_this_year(khon_kaen, client):
    """Follow-ups of Phu Wiang's FY2560 villages in FY2561 and FY2562 with their visits, and
    a programme in the fiscal year of today, in which phuwiang-officer1 logs a visit today."""
    import datetime as dt

    from django.utils import timezone

    from assignments.models import FollowUp, Stage, VillageAssignment
    from districts.lib.thai import fiscal_year_of
    from fieldwork.models import FieldVisit

    run_demo()
    followups = FollowUp.objects.filter(target__district_id="4016", target__year_id=2560)
    assert set(followups.values_list("from_year", flat=True)) == {2561, 2562}
    mine = followups.live().filter(officer__user__username="phuwiang-officer1")
    assert mine.count() == 2
    later = FieldVisit.objects.filter(
        target__in=followups.values("target"), date__gt=dt.date(2017, 9, 30)
    )
    years = {fiscal_year_of(d) for d in later.values_list("date", flat=True)}
    assert years == {2561, 2562}
    for visit in later:  # each held by its officer on its day
        visit.full_clean()

    today = timezone.localdate()
    current = fiscal_year_of(today)
    this_year = TargetVillage.objects.filter(year_id=current)
    assert this_year.filter(district_id="4016").count() == 12 and this_year.count() == 22
    officer1 = VillageAssignment.objects.active().filter(
        target__year_id=current, officer__user__username="phuwiang-officer1"
    )
    assert officer1.exists()

    client.login(request=HttpRequest(), username="phuwiang-officer1", password="sammachip-demo")
    form = client.get("/visits/new/").context["form"]
    assert form.initial["date"] == today
    assert form.initial["target"] in set(officer1.values_list("target", flat=True))
    response = client.post(
        "/visits/new/",
        {
            "target": form.initial["target"],
            "date": f"{today.day:02d}/{today.month:02d}/{today.year + 543}",
            "stage": Stage.objects.order_by("order").first().pk,
            "activity": "ประชุมชี้แจงผู้นำหมู่บ้าน",
            "support_team_count": "3",
            "household_count": "0",
        },
    )
    assert response.status_code == 302
    counts = (FollowUp.objects.count(), TargetVillage.objects.count(), FieldVisit.objects.count())
    run_demo()
    assert (
        FollowUp.objects.count(),
        TargetVillage.objects.count(),
        FieldVisit.objects.count(),
    ) == counts


def test_demo_has_budget_lines_disbursements_and_a_few_late_advances(khon_kaen):
    import datetime as dt

    from django.db.models import Sum

    from fieldwork.budget import BudgetLine, Disbursement

    run_demo()
    lines = BudgetLine.objects.filter(target__year_id=2560)
    assert lines.values("target").distinct().count() == 528
    # the lines add up to each village's allocation
    allocated = TargetVillage.objects.filter(year_id=2560).aggregate(s=Sum("budget_allocated"))
    assert lines.aggregate(s=Sum("planned_amount"))["s"] == allocated["s"]
    paid = Disbursement.objects.filter(line__target__year_id=2560)
    assert paid.count() > 2000
    # mostly in the planned month
    on_time = sum(
        1 for d in paid.select_related("line") if d.date.month == d.line.planned_month.month
    )
    assert on_time / paid.count() > 0.6
    late = Disbursement.objects.late_advances(district_id="4016", today=dt.date.today())
    assert 1 <= late.filter(line__target__year_id=2560).count() <= 6
    before = Disbursement.objects.count()
    run_demo()
    assert Disbursement.objects.count() == before


@pytest.mark.today_decides_the_year
def test_demo_gives_phu_wiang_a_plan_with_two_late_stages_and_three_meetings(khon_kaen):
    import datetime as dt

    from django.utils import timezone

    from assignments.models import Meeting, MeetingAction
    from districts.lib.thai import fiscal_year_of
    from fieldwork.plan import district_plan

    run_demo()
    today = timezone.localdate()
    plan = district_plan("4016", fiscal_year_of(today), today=today)
    assert [i.stage.code for i in plan.late] == ["train-team", "train-team"]
    assert Meeting.objects.filter(district_id="4016").count() == 3
    still_open = MeetingAction.objects.filter(meeting__district_id="4016", done_at__isnull=True)
    assert still_open.filter(due__lt=today).count() == 1
    assert still_open.filter(due__gte=today).count() == 1
    assert today - dt.timedelta(days=70) < Meeting.objects.order_by("date").first().date
