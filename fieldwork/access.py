"""Who may see and change the work in the target villages: single objects for a user (404
when out of scope, 403 when visible but not theirs to change) and the rules behind them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from assignments.access import can_edit_target
from assignments.models import FollowUp, TargetVillage, VillageAssignment
from districts.access import get_district_for_user, id_or_404
from districts.models import District, Role, can_manage_district, is_system_admin, scope_of
from fieldwork.models import (
    FieldVisit,
    Household,
    LivelihoodGroup,
    PartnerSupport,
    SupportTeamMember,
    VisitPhoto,
)


def loggable_targets(user, year: int | None = None) -> models.QuerySet:
    """The target villages a user may log a visit to: an officer's own (assigned) villages
    and those whose follow-up they hold, from any year; a district head's whole district.
    Nobody logs a visit to a village they do not work. With ``year``: the year's own villages
    and, for an officer, the follow-ups besides (the visit's date decides the rest, in
    FieldVisit.clean)."""
    officer = user.officer_or_none if user.is_authenticated else None
    qs = TargetVillage.objects.select_related("village__tambon", "year").order_by("village_id")
    if officer is None or not officer.is_active:
        return qs.none()
    if officer.role == Role.HEAD:
        qs = qs.filter(district_id=officer.district_id)
        return qs.filter(year_id=year) if year is not None else qs
    if officer.role == Role.OFFICER:
        # the officer's few target ids, then the targets by primary key: an OR of two EXISTS
        # over the targets read every target of every year (1.2 s at national scale)
        own = VillageAssignment.objects.active().filter(officer=officer)
        if year is not None:
            own = own.filter(target__year_id=year)
        held = FollowUp.objects.live().filter(officer=officer)
        ids = own.order_by().values("target_id").union(held.order_by().values("target_id"))
        return qs.filter(pk__in=ids)
    return qs.none()


def followup_targets(user) -> set[int]:
    """The targets whose follow-up the user holds now (as an officer)."""
    officer = user.officer_or_none if user.is_authenticated else None
    if officer is None:
        return set()
    return set(FollowUp.objects.live().filter(officer=officer).values_list("target_id", flat=True))


def can_see_households(user, district) -> bool:
    """Household records are personal data: only inside the district (and the admin)."""
    scope = scope_of(user)
    return scope.admin or scope.district_id == district.pk


def get_household_district_for_user(user, code: str) -> District:
    """A district whose household records the user may read: 404 out of scope, 403 when
    the district is visible (to provincial staff) but its households are not."""
    district = get_district_for_user(user, code)
    if not can_see_households(user, district):
        raise PermissionDenied
    return district


def get_visit_for_user(user, pk, *, write: bool = False, related=()) -> FieldVisit:
    """A visit the user may see (else 404) and, with ``write``, advise on: the district
    head's (else 403)."""
    visit = get_object_or_404(
        FieldVisit.objects.visible_to(user).select_related("target", *related), pk=id_or_404(pk)
    )
    if write and not can_manage_district(user, visit.target.district_id):
        raise PermissionDenied
    return visit


def get_photo_for_user(user, pk, *, only=()) -> VisitPhoto:
    """A visit's photo, for those who may see the visit (else 404)."""
    return get_object_or_404(
        VisitPhoto.objects.filter(visit__in=FieldVisit.objects.visible_to(user)).only(*only),
        pk=id_or_404(pk),
    )


def get_household_for_user(user, pk, *, write: bool = False) -> Household:
    """A household the user may see (else 404) and, with ``write``, change: one of a target
    village the user may edit (else 403)."""
    household = get_object_or_404(
        Household.objects.visible_to(user).select_related("target__district"), pk=id_or_404(pk)
    )
    if write and not can_edit_target(user, household.target):
        raise PermissionDenied
    return household


def get_team_member_for_user(user, pk, *, write: bool = False) -> SupportTeamMember | None:
    """A support team member the user may see (else 404) and, with ``write``, change (else
    403); None when there is no such member at all any more: removed already, by the same
    removal sent twice."""
    pk = id_or_404(pk)
    member = (
        SupportTeamMember.objects.filter(target__in=TargetVillage.objects.visible_to(user), pk=pk)
        .select_related("target")
        .first()
    )
    if member is None:
        if SupportTeamMember.objects.filter(pk=pk).exists():
            raise Http404  # someone else's
        return None
    if write and not can_edit_target(user, member.target):
        raise PermissionDenied
    return member


def get_group_for_user(user, pk, *, write: bool = False) -> LivelihoodGroup:
    """A livelihood group the user may see (else 404) and, with ``write``, change: one of a
    target village the user may edit (else 403)."""
    group = get_object_or_404(
        LivelihoodGroup.objects.visible_to(user).select_related("target"), pk=id_or_404(pk)
    )
    if write and not can_edit_target(user, group.target):
        raise PermissionDenied
    return group


def get_support_for_user(user, pk, *, write: bool = False) -> PartnerSupport:
    """A partner project the user may see (else 404) and, with ``write``, change (else 403)."""
    support = get_object_or_404(
        PartnerSupport.objects.visible_to(user).select_related("target", "partner"),
        pk=id_or_404(pk),
    )
    if write and not can_edit_target(user, support.target):
        raise PermissionDenied
    return support


def can_set_village_households(user, district_id: str) -> bool:
    """The district's own staff (head and field officers) keep its villages' number of
    households (districts.services.village_households_set says the same)."""
    if not user.is_authenticated:
        return False
    if is_system_admin(user):
        return True
    officer = user.officer_or_none
    return bool(
        officer
        and officer.is_active
        and officer.role in (Role.HEAD, Role.OFFICER)
        and officer.district_id == district_id
    )
