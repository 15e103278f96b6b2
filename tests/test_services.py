"""The write services refuse what no form should have let through: the rule is the service's,
whoever calls it (a view, the admin, a command)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assignments.models import Stage
from assignments.stages import ensure_default_stages
from fieldwork import services as fieldwork
from fieldwork.models import NeglectThreshold, SupportTeamMember
from people import services as people
from people.models import Partner, Sage, SageNetwork


def test_only_the_head_sets_the_not_visited_thresholds(area_a, head_a, officer_a):
    ensure_default_stages(Stage)
    days = {s.pk: 20 for s in Stage.objects.all()}
    with pytest.raises(PermissionDenied):
        fieldwork.thresholds_set(district=area_a.district, days=days, actor=officer_a.user)
    fieldwork.thresholds_set(district=area_a.district, days=days, actor=head_a.user)
    assert NeglectThreshold.objects.filter(district=area_a.district, days=20).count() == len(days)


def test_thresholds_are_days_of_a_year_for_stages_that_exist_or_nothing_is_set(area_a, head_a):
    ensure_default_stages(Stage)
    days = {s.pk: 20 for s in Stage.objects.all()}
    for wrong in ({**days, next(iter(days)): 366}, {**days, 999_999: 20}):
        with pytest.raises(ValidationError):
            fieldwork.thresholds_set(district=area_a.district, days=wrong, actor=head_a.user)
    assert not NeglectThreshold.objects.exists()


def test_a_team_leader_is_a_sage_of_the_villages_district(area_a, area_b, head_a):
    target = area_a.targets[0]
    foreign = Sage.objects.create(name="ปราชญ์บี", village=area_b.villages[0], expertise="x")
    member = SupportTeamMember(target=target, name="ก", role="leader", sage=foreign)
    with pytest.raises(ValidationError):
        fieldwork.team_member_add(member=member, actor=head_a.user)
    own = Sage.objects.create(name="ปราชญ์เอ", village=target.village, expertise="x")
    member = SupportTeamMember(target=target, name="ก", role="leader", sage=own)
    fieldwork.team_member_add(member=member, actor=head_a.user)
    target.refresh_from_db()
    assert target.sage == own


def test_a_network_takes_only_its_own_districts_sages(area_a, area_b, head_a):
    network = people.network_create(district=area_a.district, actor=head_a.user)
    assert network.name.endswith(area_a.district.name_th)
    foreign = Sage.objects.create(name="ปราชญ์บี", village=area_b.villages[0], expertise="x")
    with pytest.raises(ValidationError):
        people.network_members_set(network=network, members=[foreign], actor=head_a.user)
    assert not SageNetwork.objects.get(pk=network.pk).members.exists()


def test_a_partner_is_saved_only_by_its_districts_head(area_a, head_a, head_b):
    with pytest.raises(PermissionDenied):
        people.partner_save(
            partner=Partner(district=area_a.district, name="ภาคี"), actor=head_b.user
        )
    people.partner_save(partner=Partner(district=area_a.district, name="ภาคี"), actor=head_a.user)
    with pytest.raises(ValidationError):  # the name is the district's once
        people.partner_save(
            partner=Partner(district=area_a.district, name="ภาคี"), actor=head_a.user
        )
    assert Partner.objects.filter(district=area_a.district).count() == 1


def test_an_officer_saves_sages_of_their_own_villages_only(area_a, officer_a):
    own_tambon = officer_a.tambon_responsibilities.get().tambon_id
    elsewhere = next(v for v in area_a.villages if v.tambon_id != own_tambon)
    with pytest.raises(PermissionDenied):
        people.sage_save(
            sage=Sage(name="ก", village=elsewhere, expertise="x"), actor=officer_a.user
        )
    mine = next(v for v in area_a.villages if v.tambon_id == own_tambon)
    sage = people.sage_save(sage=Sage(name="ก", village=mine, expertise="x"), actor=officer_a.user)
    assert sage.district_id == area_a.district.pk
