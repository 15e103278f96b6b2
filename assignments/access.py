"""Who may see and change the programme year's records: single objects for a user (404 when
out of scope, 403 when visible but not theirs to change) and the rules behind them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from assignments.models import AssignmentOrder, FollowUp, TargetVillage, VillageAssignment
from assignments.plans import Meeting, MeetingAction
from districts.access import active_field_officer, get_district_for_user, id_or_404
from districts.models import Officer, Role, can_manage_district, scope_of


def can_edit_target(user, target: TargetVillage) -> bool:
    """The district's head (or the admin) for the whole district; an officer for their own
    villages and those whose follow-up they hold."""
    if can_manage_district(user, target.district_id):
        return True
    officer = active_field_officer(user)
    return bool(
        officer
        and (
            VillageAssignment.objects.active().filter(target=target, officer=officer).exists()
            or FollowUp.objects.live().filter(target=target, officer=officer).exists()
        )
    )


def can_edit_plan(user, target: TargetVillage) -> bool:
    """Who sets a target village's planned dates: the district's head (or the admin) for
    every target of the district, the officer holding the village for theirs (the same people
    who change its households and team)."""
    return can_edit_target(user, target)


def can_set_deadlines(user, province_id: str | None) -> bool:
    """The department's deadlines (``province_id`` None): the system admin; a province's own:
    its provincial staff too."""
    scope = scope_of(user)
    if scope.admin:  # not the department's staff, who read everything and change nothing
        return True
    return bool(province_id and scope.province_id == province_id and not scope.district_id)


def get_meeting_for_user(user, pk, *, write: bool = False):
    """A team meeting of a district the user may see (else 404); with ``write``, one the
    user may change: the district's head (else 403)."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related("district", "created_by"),
        pk=id_or_404(pk),
    )
    if write and not can_manage_district(user, meeting.district_id):
        raise PermissionDenied
    return meeting


def get_action_for_user(user, pk) -> MeetingAction:
    """A meeting's action the user may see (else 404) and mark done: its owner or the
    district's head (else 403)."""
    action = get_object_or_404(
        MeetingAction.objects.visible_to(user).select_related("meeting", "owner"),
        pk=id_or_404(pk),
    )
    owner = action.owner
    if not (
        (owner.user_id == user.pk and owner.is_active)
        or can_manage_district(user, action.meeting.district_id)
    ):
        raise PermissionDenied
    return action


def editable_targets(user, district) -> models.QuerySet:
    """Target villages whose households and team a user may add or edit."""
    qs = TargetVillage.objects.filter(district=district).select_related("year")
    if can_manage_district(user, district.pk):
        return qs
    officer = active_field_officer(user)
    if officer:
        return qs.filter(
            Exists(
                VillageAssignment.objects.active().filter(target=OuterRef("pk"), officer=officer)
            )
            | Exists(FollowUp.objects.live().filter(target=OuterRef("pk"), officer=officer))
        )
    return qs.none()


def get_target_for_user(user, pk, *, write: bool = False, related=()) -> TargetVillage:
    """A target village the user may see (else 404) and, with ``write``, change (else 403)."""
    target = get_object_or_404(
        TargetVillage.objects.visible_to(user).select_related(*related), pk=id_or_404(pk)
    )
    if write and not can_edit_target(user, target):
        raise PermissionDenied
    return target


def district_field_officers(district) -> models.QuerySet:
    """The people who can be given villages: active field officers of the district."""
    return Officer.objects.filter(district=district, role=Role.OFFICER, is_active=True)


def get_district_officer(district, pk, *, active=True) -> Officer:
    """A field officer of a district the board names (``active``: one who can be given
    villages); 404 for anyone else."""
    officers = (
        district_field_officers(district)
        if active
        else Officer.objects.filter(district=district, role=Role.OFFICER)
    )
    return get_object_or_404(officers.select_related("user"), pk=id_or_404(pk))


def get_order_for_user(user, code: str, pk) -> AssignmentOrder:
    """An office order of a district the user may see (else 404)."""
    district = get_district_for_user(user, code)
    return get_object_or_404(
        AssignmentOrder.objects.filter(district=district).select_related("district"),
        pk=id_or_404(pk),
    )
