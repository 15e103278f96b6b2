import pytest

from assignments.models import VillageAssignment
from tests.factories import OfficerFactory, TambonResponsibilityFactory, UserFactory


@pytest.fixture
def board_a(area_a, head_a, officer_a):
    """District A with three active officers and one inactive; every target with officer_a."""
    second = OfficerFactory(user=UserFactory(username="officer-a2"), district=area_a.district)
    TambonResponsibilityFactory(officer=second, tambon=area_a.tambons[1])
    third = OfficerFactory(user=UserFactory(username="officer-a3"), district=area_a.district)
    gone = OfficerFactory(
        user=UserFactory(username="officer-gone"), district=area_a.district, is_active=False
    )
    for target in area_a.targets:
        VillageAssignment.objects.create(target=target, officer=officer_a, assigned_by=head_a.user)
    return {"officers": [officer_a, second, third], "inactive": gone, "area": area_a}


def active_officer(target):
    assignment = VillageAssignment.objects.active().filter(target=target).first()
    return assignment.officer if assignment else None
