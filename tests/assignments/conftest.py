import pytest

from assignments.models import VillageAssignment
from tests.factories import OfficerFactory, TambonResponsibilityFactory, UserFactory


@pytest.fixture
def board_a(area_a, head_a, officer_a):
    """District A with three active officers and one inactive; every target with officer_a.

    Fixed places, so the fair distribution is known: tambon 1 and the office lie close
    together, tambon 0 farther off. The best share leaves officer_a her two villages of
    tambon 0 and moves the two of tambon 1: one to its own officer, one to officer-a3,
    who works from the office.
    """
    from districts.models import District, Tambon

    Tambon.objects.filter(pk=area_a.tambons[0].pk).update(lat=16.60, lon=102.40)
    Tambon.objects.filter(pk=area_a.tambons[1].pk).update(lat=16.70, lon=102.50)
    District.objects.filter(pk=area_a.district.pk).update(office_lat=16.71, office_lon=102.51)
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
