"""The district's plan against what the visits show: each target village and stage of a year
with its planned date (the district's), its deadline (the province's, else the department's)
and the day it was reached (the first visit at that stage or a later one), and what is late.

A selector (a read several pages share): the plan page, the district page and the officer's
home. Six queries whatever the number of villages: stages, deadlines, targets, their active
officers, planned dates, and the first visit per village and stage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Exists, Min, OuterRef
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    PlannedDate,
    Stage,
    TargetVillage,
    VillageAssignment,
)
from assignments.plans import effective_deadlines
from districts.models import Officer
from fieldwork.models import FieldVisit


class Status:
    LATE = "late"  # a planned date or the deadline has passed, the stage not reached
    REACHED_LATE = "reached_late"  # reached after the deadline
    REACHED = "reached"
    PLANNED = "planned"  # due later
    UNPLANNED = "unplanned"  # neither a planned date nor a deadline


# each status's badge: its words and its Bootstrap classes (set here, not by an include per
# row: the largest district's plan has some 600 rows, each shown twice)
BADGES = {
    Status.LATE: (_("late"), "text-bg-danger"),
    Status.REACHED_LATE: (_("reached late"), "text-bg-warning"),
    Status.REACHED: (_("reached"), "text-bg-success"),
    Status.PLANNED: (_("planned"), "text-bg-light border"),
    Status.UNPLANNED: (_("not planned"), "text-bg-light border text-muted"),
}


@dataclass(frozen=True)
class PlanItem:
    """One target village and stage on the plan (not persisted: a page's row)."""

    target: TargetVillage
    stage: Stage
    officer: Officer | None
    planned: dt.date | None
    deadline: dt.date | None
    reached: dt.date | None
    status: str

    @property
    def badge(self) -> tuple[str, str]:
        return BADGES[self.status]

    @property
    def is_late(self) -> bool:
        return self.status in (Status.LATE, Status.REACHED_LATE)

    @property
    def when(self) -> dt.date | None:
        """The day the item belongs to on the calendar: when it was reached, else the first
        of its planned date and deadline."""
        if self.reached:
            return self.reached
        days = [d for d in (self.planned, self.deadline) if d]
        return min(days) if days else None


@dataclass
class Plan:
    stages: list[Stage]
    deadlines: dict[int, dt.date]  # stage id: the district's deadline
    items: list[PlanItem] = field(default_factory=list)

    @property
    def late(self) -> list[PlanItem]:
        """What is late, the longest overdue first."""
        return sorted(
            (i for i in self.items if i.is_late),
            key=lambda i: (i.status != Status.LATE, i.when or dt.date.max, i.target.village_id),
        )

    @property
    def months(self) -> list[tuple[dt.date, list[PlanItem]]]:
        """The dated items grouped by month (the month's first day), in date order."""
        dated = sorted(
            (i for i in self.items if i.when),
            key=lambda i: (i.when, i.stage.order, i.target.village_id),
        )
        return [
            (month, list(rows))
            for month, rows in groupby(dated, key=lambda i: i.when.replace(day=1))
        ]

    @property
    def undated(self) -> list[PlanItem]:
        return [i for i in self.items if not i.when]


def status_of(
    planned: dt.date | None, deadline: dt.date | None, reached: dt.date | None, today: dt.date
) -> str:
    if reached:
        return Status.REACHED_LATE if deadline and reached > deadline else Status.REACHED
    due = [d for d in (planned, deadline) if d]
    if not due:
        return Status.UNPLANNED
    return Status.LATE if min(due) < today else Status.PLANNED


def district_plan(
    district_id: str,
    year: int,
    *,
    today: dt.date,
    officer: Officer | None = None,
    stages: list[Stage] | None = None,
) -> Plan:
    """The year's plan of a district (``officer``: only the villages they hold; ``stages``:
    the stages in order, if the page has them already)."""
    stages = list(Stage.objects.order_by("order")) if stages is None else stages
    plan = Plan(stages=stages, deadlines=effective_deadlines(district_id, year))
    targets = TargetVillage.objects.filter(district_id=district_id, year_id=year)
    if officer is not None:
        targets = targets.filter(
            Exists(
                VillageAssignment.objects.active().filter(target=OuterRef("pk"), officer=officer)
            )
        )
    targets = list(targets.with_active_assignment().order_by("village_id"))
    if not targets:
        return plan
    in_plan = {"target__district_id": district_id, "target__year_id": year}
    planned = {
        (p["target_id"], p["stage_id"]): p["date"]
        for p in PlannedDate.objects.filter(**in_plan).values("target_id", "stage_id", "date")
    }
    # the first visit per village and stage; a stage counts as reached by a visit at it or
    # at any later stage (a visit logged at stage 3 means stages 1 and 2 are behind it)
    first_at = defaultdict(dict)
    for row in (
        FieldVisit.objects.filter(**in_plan)
        .values("target_id", "stage_id")
        .annotate(first=Min("date"))
        .order_by()
    ):
        first_at[row["target_id"]][row["stage_id"]] = row["first"]
    for target in targets:
        officer_of = target.active_assignments[0].officer if target.active_assignments else None
        firsts = first_at.get(target.pk, {})
        reached_by = None
        reached = {}
        for stage in reversed(stages):  # the earliest visit at this stage or a later one
            day = firsts.get(stage.pk)
            if day and (reached_by is None or day < reached_by):
                reached_by = day
            reached[stage.pk] = reached_by
        for stage in stages:
            planned_day = planned.get((target.pk, stage.pk))
            deadline = plan.deadlines.get(stage.pk)
            plan.items.append(
                PlanItem(
                    target=target,
                    stage=stage,
                    officer=officer_of,
                    planned=planned_day,
                    deadline=deadline,
                    reached=reached[stage.pk],
                    status=status_of(planned_day, deadline, reached[stage.pk], today),
                )
            )
    return plan
