"""Who may see and change the work in the target villages."""

from __future__ import annotations

from django.db import models

from assignments.models import TargetVillage
from districts.models import Role


def loggable_targets(user, year: int | None = None) -> models.QuerySet:
    """The target villages a user may log a visit to: an officer's own (assigned) villages;
    a district head's whole district. Nobody logs a visit to a village they do not work."""
    officer = user.officer_or_none if user.is_authenticated else None
    qs = TargetVillage.objects.select_related("village__tambon", "year").order_by("village_id")
    if year is not None:
        qs = qs.filter(year_id=year)
    if officer is None or not officer.is_active:
        return qs.none()
    if officer.role == Role.HEAD:
        return qs.filter(district_id=officer.district_id)
    if officer.role == Role.OFFICER:
        return qs.filter(assignments__officer=officer, assignments__ended_at__isnull=True)
    return qs.none()
