"""Scope is one rule: a user of one district never reads another's."""

import pytest

from assignments.models import TargetVillage
from districts.models import District, Officer, Province, Role, Tambon, Village, scope_of
from tests.factories import UserFactory


def codes(qs):
    return set(qs.values_list("pk", flat=True))


def test_district_staff_see_only_their_district(area_a, area_a2, area_b, officer_a, head_a):
    for person in (officer_a, head_a):
        user = person.user
        assert codes(District.objects.visible_to(user)) == {"4016"}
        assert codes(Tambon.objects.visible_to(user)) == {t.code for t in area_a.tambons}
        assert codes(Village.objects.visible_to(user)) == {v.code for v in area_a.villages}
        assert codes(TargetVillage.objects.visible_to(user)) == {t.pk for t in area_a.targets}
        assert codes(Province.objects.visible_to(user)) == set()
        assert set(Officer.objects.visible_to(user)) == {officer_a, head_a}


def test_provincial_staff_see_their_province_only(
    area_a, area_a2, area_b, province_staff_a, officer_a, officer_b
):
    user = province_staff_a.user
    assert codes(District.objects.visible_to(user)) == {"4016", "4001"}
    assert codes(Province.objects.visible_to(user)) == {"40"}
    assert codes(TargetVillage.objects.visible_to(user)) == {
        t.pk for t in area_a.targets + area_a2.targets
    }
    assert set(Officer.objects.visible_to(user)) == {province_staff_a, officer_a}


def test_admin_sees_everything(area_a, area_b, admin_user):
    # the superuser, and an ordinary account with an admin profile (the Role.ADMIN branch:
    # the superuser alone never reaches it)
    profile = Officer.objects.create(
        user=UserFactory(username="admin-profile"), role=Role.ADMIN, district=None
    )
    for user in (admin_user, profile.user):
        assert scope_of(user).everything
        assert codes(District.objects.visible_to(user)) == {"4016", "4101"}


def test_a_deactivated_account_sees_nothing_whatever_its_profile(area_a, officer_a):
    officer_a.user.is_active = False
    officer_a.user.save()
    assert scope_of(officer_a.user) == scope_of(None)
    assert not TargetVillage.objects.visible_to(officer_a.user).exists()


def test_a_user_without_a_role_sees_nothing(area_a, django_user_model):
    user = django_user_model.objects.create(username="nobody")
    assert not District.objects.visible_to(user).exists()
    assert not TargetVillage.objects.visible_to(user).exists()


def test_an_anonymous_visitor_sees_nothing(area_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Village.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("url", ["/districts/4101/", "/provinces/41/"])
def test_district_a_users_get_404_for_district_b(url, login, area_b, officer_a, head_a):
    for person in (officer_a, head_a):
        assert login(person).get(url).status_code == 404


def test_provincial_staff_get_404_for_another_province(login, area_b, province_staff_a):
    client = login(province_staff_a)
    assert client.get("/provinces/41/").status_code == 404
    assert client.get("/districts/4101/").status_code == 404


def test_admin_list_pages_are_scoped_too(client, area_a, area_b, officer_a):
    officer_a.user.is_staff = True
    officer_a.user.save()
    client.force_login(officer_a.user)
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/districts/district/")
    request.user = officer_a.user
    admin = site._registry[District]
    assert codes(admin.get_queryset(request)) == {"4016"}
    admin = site._registry[TargetVillage]
    assert codes(admin.get_queryset(request)) == {t.pk for t in area_a.targets}
