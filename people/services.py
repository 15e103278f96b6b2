"""Named operations on the programme's people: sages, the sage network and its forums,
partners. Views, admin and commands call these; none writes these records on its own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from districts.models import District, can_manage_district
from people import notices
from people.access import editable_villages
from people.models import Forum, ForumStatus, Partner, Sage, SageNetwork


@transaction.atomic
def sage_save(*, sage: Sage, actor) -> Sage:
    """Add or change a sage of a village the actor works (``people.access.editable_villages``)."""
    # the district is not given: save() takes it from the village code
    sage.full_clean(exclude=["district"])
    district = District.objects.get(pk=sage.village_id[:4])
    if not editable_villages(actor, district).filter(pk=sage.village_id).exists():
        raise PermissionDenied
    sage.save()
    return sage


@transaction.atomic
def network_create(*, district: District, actor) -> SageNetwork:
    """Set up the district's sage network (one per district)."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    # a record's name, kept in Thai whatever language the head sets it up in
    network = SageNetwork(district=district, name=f"เครือข่ายปราชญ์สัมมาชีพชุมชนอำเภอ{district.name_th}")
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def network_members_set(*, network: SageNetwork, members, actor) -> None:
    """Make ``members`` the network's sages: sages of its own district only."""
    if not can_manage_district(actor, network.district_id):
        raise PermissionDenied
    if any(s.district_id != network.district_id for s in members):
        raise ValidationError(_("Only the district's own sages can be members of its network."))
    network.members.set(members)


@transaction.atomic
def forum_save(*, forum: Forum, sages, officers, actor) -> Forum:
    """Plan or record a forum of a network, with who attended."""
    if not can_manage_district(actor, forum.network.district_id):
        raise PermissionDenied
    forum.full_clean()
    before = (
        Forum.objects.filter(pk=forum.pk).values_list("date", "place", "topic").first()
        if forum.pk
        else None
    )
    forum.save()
    forum.sages.set(sages)
    forum.officers.set(officers)
    if forum.status == ForumStatus.PLANNED and before != (forum.date, forum.place, forum.topic):
        notices.forum_saved(forum, created=before is None, actor=actor)
    return forum


@transaction.atomic
def partner_save(*, partner: Partner, actor) -> Partner:
    """Add or change a partner agency of a district (its name is unique in the district)."""
    if not can_manage_district(actor, partner.district_id):
        raise PermissionDenied
    partner.full_clean()
    partner.save()
    return partner
