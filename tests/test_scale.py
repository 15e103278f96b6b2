from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assignments.models import FollowUp, TargetVillage, VillageAssignment
from districts.models import Officer
from fieldwork.models import FieldVisit, Household
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
    assert Household.objects.count() == 20 * TargetVillage.objects.count()
    assert FieldVisit.objects.count() > 5 * TargetVillage.objects.count()
    # the second year follows up about a fifth of the first year's villages
    followed = FollowUp.objects.filter(from_year=2567, target__year=2566)
    assert counts["followups"] == followed.count() > 0.1 * counts["targets"] // 2
    before = (TargetVillage.objects.count(), FieldVisit.objects.count(), Officer.objects.count())
    scale.seed(years=2, first_year=2566, load_geo=False, log=lambda *_: None)
    assert (
        TargetVillage.objects.count(),
        FieldVisit.objects.count(),
        Officer.objects.count(),
    ) == before
