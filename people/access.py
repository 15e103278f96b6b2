"""Who may see and change the programme's people: single objects for a user (404 when out of
scope, 403 when visible but not theirs to change) and the rules behind them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from districts.access import (
    active_field_officer,
    get_district_for_user,
    id_or_404,
    worked_villages,
)
from districts.models import Village, can_manage_district
from people.models import Forum, Partner, Sage, SageNetwork


def editable_villages(user, district) -> models.QuerySet:
    """Villages whose sages a user may add or edit: the head's whole district; an officer's
    villages (their tambons and assigned target villages)."""
    if can_manage_district(user, district.pk):
        return Village.objects.filter(tambon__district=district)
    officer = active_field_officer(user)
    if officer and officer.district_id == district.pk:
        return worked_villages(officer)
    return Village.objects.none()


def editable_sage_ids(user, sages) -> set[int]:
    """Of these sages (a page of a list), the ones the user may edit: the rule of
    ``editable_villages``, in one query at most."""
    editable = {s.pk for s in sages if can_manage_district(user, s.district_id)}
    officer = active_field_officer(user)  # a head or the admin is none: they are done above
    own = [s for s in sages if officer and s.district_id == officer.district_id]
    if own:
        villages = set(
            worked_villages(officer)
            .filter(code__in={s.village_id for s in own})
            .values_list("code", flat=True)
        )
        editable |= {s.pk for s in own if s.village_id in villages}
    return editable


def get_sage_for_user(user, pk, *, write: bool = False) -> Sage:
    sage = get_object_or_404(
        Sage.objects.visible_to(user).select_related("district"), pk=id_or_404(pk)
    )
    if write and not editable_villages(user, sage.district).filter(pk=sage.village_id).exists():
        raise PermissionDenied
    return sage


def get_forum_for_user(user, pk, *, write: bool = False) -> Forum:
    forum = get_object_or_404(
        Forum.objects.visible_to(user).select_related("network__district"), pk=id_or_404(pk)
    )
    if write and not can_manage_district(user, forum.network.district_id):
        raise PermissionDenied
    return forum


def get_network_for_user(user, code: str, *, write: bool = False) -> SageNetwork:
    """The sage network of a district the user may see (else 404; also when it has none yet)
    and, with ``write``, manage (else 403)."""
    district = get_district_for_user(user, code, write=write)
    return get_object_or_404(SageNetwork.objects.select_related("district"), district=district)


def get_partner_for_user(user, code: str, pk, *, write: bool = False) -> Partner:
    """A partner of the district ``code`` the user may see (else 404) and, with ``write``,
    manage (else 403)."""
    district = get_district_for_user(user, code, write=write)
    return get_object_or_404(
        Partner.objects.filter(district=district).select_related("district"), pk=id_or_404(pk)
    )
