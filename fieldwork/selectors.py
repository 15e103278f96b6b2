"""Reads that several pages share: what each target village's last visit was, and which are
overdue for one."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import models
from django.db.models import Count, Max
from django.utils import timezone

from assignments.models import FiscalYear, FollowUp, TargetVillage, VillageAssignment
from districts.lib.spread import spread_households, spread_share
from districts.models import Officer
from fieldwork.models import FieldVisit, NeglectThreshold

DEFAULT_NEGLECT_DAYS = 30


@dataclasses.dataclass(frozen=True)
class TargetRow:
    """A target village as the follow-up lists show it: who has it, when it was last
    visited and, once ``overdue`` has counted, how long ago against how long it may be."""

    target: TargetVillage
    officer: Officer | None
    last_visit: dt.date | None
    days_since: int | None = None
    threshold: int | None = None


def neglect_reference_day(year: int):
    """Neglect is counted up to today, or to the end of a fiscal year that is over."""
    return min(timezone.localdate(), FiscalYear(year=year).end_date)


def followed_up(targets: models.QuerySet, year: int) -> list[TargetRow]:
    """The year's target villages in village order, each with its last visit and its
    officer (None when nobody has it): two queries, whatever the number of villages."""
    return [
        TargetRow(
            target=t,
            officer=t.active_assignments[0].officer if t.active_assignments else None,
            last_visit=t.last_visit,
        )
        for t in targets.for_year(year)
        .annotate(last_visit=Max("visits__date"))
        .with_active_assignment()
        .order_by("village_id")
    ]


def overdue(rows: list[TargetRow], year: int) -> list[TargetRow]:
    """Those of ``rows`` whose last visit is older than their stage allows, most neglected
    first, with ``days_since`` (counted from the year's start when never visited) and
    ``threshold``. One query, for the districts' own thresholds."""
    day = neglect_reference_day(year)
    start = FiscalYear(year=year).start_date
    overrides = {
        (d, s): days
        for d, s, days in NeglectThreshold.objects.filter(
            district_id__in={r.target.district_id for r in rows}
        ).values_list("district_id", "stage_id", "days")
    }
    late = []
    for r in rows:
        t = r.target
        default = t.stage.neglect_days if t.stage else DEFAULT_NEGLECT_DAYS
        threshold = overrides.get((t.district_id, t.stage_id), default)
        days_since = (day - (r.last_visit or start)).days
        if days_since > threshold:
            late.append(dataclasses.replace(r, days_since=days_since, threshold=threshold))
    late.sort(key=lambda r: (-(r.days_since - r.threshold), r.target.village_id))
    return late


@dataclasses.dataclass(frozen=True)
class Age:
    """How long ago a day was: days, and whole months for the longer ones."""

    day: dt.date
    days: int

    @property
    def months(self) -> int:
        return self.days * 12 // 365


def age(day: dt.date | None) -> Age | None:
    return Age(day=day, days=(timezone.localdate() - day).days) if day else None


@dataclasses.dataclass(frozen=True)
class SpreadPoint:
    """The spread at one time: a frozen evaluation round, or now (``round`` None)."""

    round: int | None
    date: dt.date | None
    practising: int
    neighbours: int
    households: int  # practising + neighbours
    share: object  # Decimal per cent, or None when the village's size is not known


def spread_of(target: TargetVillage, practising: int, neighbours: int) -> list[SpreadPoint]:
    """The village's spread over time: as each evaluation round froze it (read through the
    ``evaluations`` relation the higher app declares, one query), then as the records say
    today, each as a share of the village's households."""
    village_households = target.village.households
    points = [
        SpreadPoint(
            round=r["round"],
            date=r["date"],
            practising=r["households_practising"],
            neighbours=r["neighbours_joined"],
            households=spread_households(r["households_practising"], r["neighbours_joined"]),
            share=spread_share(
                r["households_practising"],
                r["neighbours_joined"],
                r["village_households"] or village_households,
            ),
        )
        for r in target.evaluations.order_by("round").values(
            "round", "date", "households_practising", "neighbours_joined", "village_households"
        )
    ]
    points.append(
        SpreadPoint(
            round=None,
            date=timezone.localdate(),
            practising=practising,
            neighbours=neighbours,
            households=spread_households(practising, neighbours),
            share=spread_share(practising, neighbours, village_households),
        )
    )
    return points


HISTORY_VISITS = 10  # the village page's newest visits across all years; the rest a link away


@dataclasses.dataclass(frozen=True)
class HistoryYear:
    """One fiscal year of a village's programme: its target, who held it that year (the
    assignment rows) and who followed it up after (the follow-up rows), its visits."""

    target: TargetVillage
    assignments: list[VillageAssignment]
    followups: list[FollowUp]
    visit_count: int


@dataclasses.dataclass(frozen=True)
class VillageHistory:
    years: list[HistoryYear]
    visits: list[FieldVisit]  # newest first, at most HISTORY_VISITS
    visit_count: int

    @property
    def more_visits(self) -> int:
        return self.visit_count - len(self.visits)


def village_history(village_id: str) -> VillageHistory:
    """A village's programme across fiscal years, newest first: four queries whatever the
    number of years or visits (targets with their visit counts, assignments, follow-ups,
    the newest visits)."""
    targets = list(
        TargetVillage.objects.filter(village_id=village_id)
        .annotate(visit_count=Count("visits"))
        .select_related("stage")
        .order_by("-year_id")
    )
    assignments: dict[int, list] = {}
    for a in (
        VillageAssignment.objects.filter(target__village_id=village_id)
        .select_related("officer__user")
        .order_by("assigned_at")
    ):
        assignments.setdefault(a.target_id, []).append(a)
    followups: dict[int, list] = {}
    for f in (
        FollowUp.objects.filter(target__village_id=village_id)
        .select_related("officer__user")
        .order_by("started_at")
    ):
        followups.setdefault(f.target_id, []).append(f)
    visits = list(
        FieldVisit.objects.filter(target__village_id=village_id)
        .select_related("officer__user", "stage", "target")
        .order_by("-date", "-pk")[:HISTORY_VISITS]
    )
    return VillageHistory(
        years=[
            HistoryYear(
                target=t,
                assignments=assignments.get(t.pk, []),
                followups=followups.get(t.pk, []),
                visit_count=t.visit_count,
            )
            for t in targets
        ],
        visits=visits,
        visit_count=sum(t.visit_count for t in targets),
    )
