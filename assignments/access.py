"""Who may see and change the programme year's records: single objects for a user (404 when
out of scope, 403 when visible but not theirs to change) and the rules behind them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from assignments.models import TargetVillage, VillageAssignment
from districts.access import active_field_officer
from districts.models import can_manage_district


def can_edit_target(user, target: TargetVillage) -> bool:
    """The district's head (or the admin) for the whole district; an officer for their own."""
    if can_manage_district(user, target.district_id):
        return True
    officer = active_field_officer(user)
    return bool(
        officer
        and VillageAssignment.objects.active().filter(target=target, officer=officer).exists()
    )


def editable_targets(user, district) -> models.QuerySet:
    """Target villages whose households and team a user may add or edit."""
    qs = TargetVillage.objects.filter(district=district).select_related("year")
    if can_manage_district(user, district.pk):
        return qs
    officer = active_field_officer(user)
    if officer:
        return qs.filter(assignments__officer=officer, assignments__ended_at__isnull=True)
    return qs.none()


def get_target_for_user(user, pk, *, write: bool = False, related=()) -> TargetVillage:
    """A target village the user may see (else 404) and, with ``write``, change (else 403)."""
    target = get_object_or_404(
        TargetVillage.objects.visible_to(user).select_related(*related), pk=pk
    )
    if write and not can_edit_target(user, target):
        raise PermissionDenied
    return target
