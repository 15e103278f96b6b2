"""The database keeps the rules, whatever path a write takes."""

import pytest
from django.db import IntegrityError, transaction

from assignments.models import FiscalYear, TargetVillage
from districts.models import Officer, Role, TambonResponsibility, Village
from tests.factories import OfficerFactory, TargetVillageFactory, UserFactory


def integrity_error():
    return pytest.raises(IntegrityError)


def test_a_moo_number_is_unique_within_a_tambon(area_a):
    village = area_a.villages[0]
    with integrity_error(), transaction.atomic():
        Village.objects.create(code="99999999", tambon=village.tambon, moo=village.moo, name_th="x")


def test_a_district_has_one_active_head(area_a, head_a):
    with integrity_error(), transaction.atomic():
        OfficerFactory(role=Role.HEAD, district=area_a.district)
    head_a.is_active = False
    head_a.save()
    OfficerFactory(role=Role.HEAD, district=area_a.district)  # the successor


def test_district_staff_need_a_district_and_provincial_staff_a_province(db):
    with integrity_error(), transaction.atomic():
        Officer.objects.create(user=UserFactory(), role=Role.OFFICER)
    with integrity_error(), transaction.atomic():
        Officer.objects.create(user=UserFactory(), role=Role.PROVINCE)


def test_capacity_weight_must_be_positive(area_a):
    with integrity_error(), transaction.atomic():
        OfficerFactory(district=area_a.district, capacity_weight=0)


def test_an_officer_holds_a_tambon_once_at_a_time(officer_a, area_a):
    with integrity_error(), transaction.atomic():
        TambonResponsibility.objects.create(officer=officer_a, tambon=area_a.tambons[0])


def test_a_village_is_a_target_once_per_fiscal_year(area_a):
    target = area_a.targets[0]
    with integrity_error(), transaction.atomic():
        TargetVillage.objects.create(village=target.village, year=target.year)
    TargetVillageFactory(village=target.village, year=FiscalYear.objects.create(year=2561))


def test_budget_cannot_be_negative(area_a):
    with integrity_error(), transaction.atomic():
        TargetVillageFactory(village=area_a.villages[2], budget_allocated=-1)


def test_a_target_village_knows_its_district_from_its_code(area_a, area_b):
    # TargetVillageFactory fills district_id itself, so build the rows by hand: one without
    # a district, one that claims the wrong one; save() must take it from the village code
    year = FiscalYear.objects.create(year=2561)
    unset = TargetVillage.objects.create(village=area_a.villages[2], year=year)
    wrong = TargetVillage(village=area_a.villages[5], year=year, district=area_b.district)
    wrong.save()
    for target in (unset, wrong):
        target.refresh_from_db()
        assert target.district_id == area_a.district.pk == target.village.code[:4]
