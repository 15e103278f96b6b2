"""Reads that several pages share: what each target village's last visit was, and which are
overdue for one."""

from __future__ import annotations

from django.db import models
from django.db.models import Max
from django.utils import timezone

from assignments.models import FiscalYear, TargetVillage
from fieldwork.models import NeglectThreshold

DEFAULT_NEGLECT_DAYS = 30


def neglect_reference_day(year: int):
    """Neglect is counted up to today, or to the end of a fiscal year that is over."""
    return min(timezone.localdate(), FiscalYear(year=year).end_date)


def followed_up(targets: models.QuerySet, year: int) -> list[TargetVillage]:
    """The year's target villages in village order, each with its ``last_visit`` and its
    ``officer`` (None when nobody has it): two queries, whatever the number of villages."""
    rows = list(
        targets.for_year(year)
        .annotate(last_visit=Max("visits__date"))
        .with_active_assignment()
        .order_by("village_id")
    )
    for t in rows:
        t.officer = t.active_assignments[0].officer if t.active_assignments else None
    return rows


def overdue(rows: list[TargetVillage], year: int) -> list[TargetVillage]:
    """Those of ``rows`` (as ``followed_up`` gives them: with ``last_visit`` and ``officer``)
    whose last visit is older than their stage allows, most neglected first; each gains
    ``days_since`` (counted from the year's start when never visited) and ``threshold``.
    One query, for the districts' own thresholds."""
    day = neglect_reference_day(year)
    start = FiscalYear(year=year).start_date
    overrides = {
        (d, s): days
        for d, s, days in NeglectThreshold.objects.filter(
            district_id__in={t.district_id for t in rows}
        ).values_list("district_id", "stage_id", "days")
    }
    late = []
    for t in rows:
        default = t.stage.neglect_days if t.stage else DEFAULT_NEGLECT_DAYS
        t.threshold = overrides.get((t.district_id, t.stage_id), default)
        t.days_since = (day - (t.last_visit or start)).days
        if t.days_since > t.threshold:
            late.append(t)
    late.sort(key=lambda t: (-(t.days_since - t.threshold), t.village_id))
    return late
