from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from assignments.models import FollowUp, TargetVillage, VillageAssignment
from districts.models import Officer
from evaluations.models import VillageEvaluation
from fieldwork.models import (
    Attendance,
    FieldVisit,
    Household,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
)
from sammachip import scale
from tests.factories import UserFactory


def test_seed_scale_refuses_a_database_with_real_users(db):
    UserFactory(username="somchai.real")
    with pytest.raises(CommandError, match="real users"):
        call_command("seed_scale", years=1, stdout=StringIO())


def test_seed_scale_fills_years_in_bulk_and_twice_adds_nothing(db, monkeypatch):
    call_command("load_geography", province="40", stdout=StringIO())
    monkeypatch.setattr(scale, "TARGETS_PER_YEAR", 300)
    counts = scale.seed(years=2, first_year=2566, load_geo=False, log=lambda *_: None)
    assert TargetVillage.objects.filter(year_id=2567).count() == counts["targets"] // 2 > 250
    assert Officer.objects.filter(district_id="4016").count() == 11
    # every target village has an officer from the engine, visits and 20 households
    assert VillageAssignment.objects.count() == TargetVillage.objects.count()
    targets = TargetVillage.objects.count()
    assert Household.objects.filter(is_neighbour=False).count() == 20 * targets
    assert Household.objects.filter(is_neighbour=True).count() > targets
    assert FieldVisit.objects.count() > 5 * targets
    # over the years: a baseline and one or two follow-up income rounds per household,
    # sign-in sheets, groups with members, partner projects, evaluation rounds
    households = Household.objects.count()
    assert IncomeRound.objects.filter(kind="baseline").count() == households
    assert households < IncomeRound.objects.filter(kind="followup").count() < 2 * households
    assert Attendance.objects.count() > 0.1 * 3 * FieldVisit.objects.count()
    assert 0.5 * targets < LivelihoodGroup.objects.count() < 3 * targets
    assert LivelihoodGroup.members.through.objects.count() >= 4 * LivelihoodGroup.objects.count()
    assert PartnerSupport.objects.filter(target__district_id=F("partner__district_id")).count() > 0
    assert not PartnerSupport.objects.exclude(target__district_id=F("partner__district_id"))
    firsts = VillageEvaluation.objects.filter(round=1)
    assert 0.6 * targets < firsts.count() < 0.8 * targets
    seconds = VillageEvaluation.objects.filter(round=2)
    assert (
        counts["second_rounds"] == seconds.count() > 0.2 * firsts.filter(target__year=2566).count()
    )
    assert not seconds.filter(target__year=2567)
    assert not TargetVillage.objects.filter(village__households__isnull=True)
    # the money: five budget lines per village adding up to its allocation, most of them spent
    from django.db.models import Sum

    from fieldwork.budget import BudgetLine, Disbursement

    assert BudgetLine.objects.count() == 5 * targets
    allocated = TargetVillage.objects.aggregate(s=Sum("budget_allocated"))["s"]
    assert BudgetLine.objects.aggregate(s=Sum("planned_amount"))["s"] == allocated
    assert 3 * targets < Disbursement.objects.count() < 5 * targets
    assert Disbursement.objects.filter(kind="advance", cleared_on__isnull=True).exists()
    # the second year follows up about a fifth of the first year's villages
    followed = FollowUp.objects.filter(from_year=2567, target__year=2566)
    assert counts["followups"] == followed.count() > 0.1 * counts["targets"] // 2
    before = (
        TargetVillage.objects.count(),
        FieldVisit.objects.count(),
        Officer.objects.count(),
        IncomeRound.objects.count(),
        VillageEvaluation.objects.count(),
    )
    scale.seed(years=2, first_year=2566, load_geo=False, log=lambda *_: None)
    assert (
        TargetVillage.objects.count(),
        FieldVisit.objects.count(),
        Officer.objects.count(),
        IncomeRound.objects.count(),
        VillageEvaluation.objects.count(),
    ) == before
