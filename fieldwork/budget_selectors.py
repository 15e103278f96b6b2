"""Reads of the villages' money that the budget pages and their exports share: money per
village, district or province, and month by month against the quarterly targets. Every sum
is a grouped query (a fixed number, whatever the number of villages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from assignments.models import TargetVillage
from districts.lib.thai import fiscal_year_bounds
from fieldwork.budget import ZERO, BudgetLine, Disbursement, QuarterTargets, money_sums

QUARTER_MONTHS = 3


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """Per cent with one decimal, None when there is nothing to take a share of."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


@dataclass
class Money:
    """The money of a village, a district, a province or the country."""

    key: object = None
    name: str = ""
    allocated: Decimal = ZERO
    planned: Decimal = ZERO  # the lines' planned amounts
    used: Decimal = ZERO  # disbursed: payments, and advances (what was accounted, once cleared)
    outstanding: Decimal = ZERO  # advances not cleared yet
    targets: int = 0
    extra: dict = field(default_factory=dict)  # what a row links to (a village's target)

    @property
    def cleared(self) -> Decimal:
        return self.used - self.outstanding

    @property
    def left(self) -> Decimal:
        return self.allocated - self.used

    @property
    def used_pct(self) -> Decimal | None:
        return share(self.used, self.allocated)

    def add(self, other: Money) -> None:
        self.allocated += other.allocated
        self.planned += other.planned
        self.used += other.used
        self.outstanding += other.outstanding
        self.targets += other.targets


def money_by(targets: QuerySet, key: str) -> dict:
    """Money of ``targets`` grouped by ``key`` (a path from a target: "pk", "district_id",
    "district__province_id"): three grouped queries."""
    rows: dict = {}

    def row(k) -> Money:
        return rows.setdefault(k, Money(key=k))

    for r in (
        targets.order_by()
        .values(key)
        .annotate(n=Count("pk"), allocated=Coalesce(Sum("budget_allocated"), ZERO))
    ):
        m = row(r[key])
        m.targets, m.allocated = r["n"], r["allocated"]
    via = f"target__{key}"
    for r in (
        BudgetLine.objects.filter(target__in=targets)
        .order_by()
        .values(via)
        .annotate(planned=Sum("planned_amount"))
    ):
        row(r[via]).planned = r["planned"]
    via = f"line__target__{key}"
    for r in (
        Disbursement.objects.filter(line__target__in=targets)
        .order_by()
        .values(via)
        .annotate(**money_sums())
    ):
        m = row(r[via])
        m.used, m.outstanding = r["used"], r["outstanding"]
    return rows


def money_by_province(targets: QuerySet) -> dict:
    """Money of ``targets`` per province: summed per district (no join to the districts: a
    district's code starts with its province's), then folded: 0.36 s against 0.40 s through
    the districts table at national scale (docs/performance.md)."""
    rows: dict = {}
    for code, m in money_by(targets, "district_id").items():
        rows.setdefault(code[:2], Money(key=code[:2])).add(m)
    return rows


def total_of(rows) -> Money:
    total = Money()
    for r in rows:
        total.add(r)
    return total


@dataclass
class Period:
    """A month or a quarter: what was planned and disbursed in it, and up to its end."""

    label: str
    start: dt.date
    planned: Decimal = ZERO
    used: Decimal = ZERO
    planned_to_date: Decimal = ZERO
    used_to_date: Decimal = ZERO
    target_pct: int | None = None  # the quarter's cumulative target (quarters only)
    allocated: Decimal = ZERO
    months: list = field(default_factory=list)  # a quarter's months
    future: bool = False  # not begun yet: nothing to compare
    ended: bool = True  # over: its target was due

    @property
    def used_pct(self) -> Decimal | None:
        if self.future:
            return None
        return share(self.used_to_date, self.allocated)

    @property
    def planned_pct(self) -> Decimal | None:
        return share(self.planned_to_date, self.allocated)

    @property
    def behind(self) -> bool:
        """An ended quarter that did not reach its target."""
        pct = self.used_pct
        return (
            self.ended and self.target_pct is not None and pct is not None and pct < self.target_pct
        )


def months_of(year: int) -> list[dt.date]:
    start, _end = fiscal_year_bounds(year)
    return [
        dt.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
        for i in range(12)
    ]


def over_the_year(targets: QuerySet, year: int, allocated: Decimal, today: dt.date):
    """Months and fiscal quarters of ``year``: planned and disbursed, each month's and up to
    its end, and per quarter the admin's cumulative target (two grouped queries and the
    year's targets). Periods after ``today`` have no disbursed share yet."""
    months = months_of(year)
    planned = dict(
        BudgetLine.objects.filter(target__in=targets)
        .order_by()
        .values_list("planned_month")
        .annotate(s=Sum("planned_amount"))
    )
    used = _used_by_month(targets)
    rows, p_to_date, u_to_date = [], ZERO, ZERO
    for month in months:
        p, u = planned.get(month, ZERO), used.get(month, ZERO)
        p_to_date += p
        u_to_date += u
        rows.append(Period("", month, p, u, p_to_date, u_to_date, None, allocated))
        rows[-1].future = month > today
    quarter_targets = QuarterTargets.for_year(year)
    quarters = []
    for q in range(4):
        part = rows[q * QUARTER_MONTHS : (q + 1) * QUARTER_MONTHS]
        quarters.append(
            Period(
                str(q + 1),
                part[0].start,
                sum((m.planned for m in part), ZERO),
                sum((m.used for m in part), ZERO),
                part[-1].planned_to_date,
                part[-1].used_to_date,
                quarter_targets[q],
                allocated,
                part,
                future=part[0].start > today,
                ended=month_after(part[-1].start) <= today,
            )
        )
    return rows, quarters


def month_after(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _used_by_month(targets: QuerySet) -> dict[dt.date, Decimal]:
    out = {}
    for r in (
        Disbursement.objects.filter(line__target__in=targets)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(**money_sums())
    ):
        month = r["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        out[month] = r["used"]
    return out


def current_quarter(year: int, today: dt.date) -> int | None:
    """The fiscal quarter (0-3) ``today`` falls in, if it is in ``year``."""
    start, end = fiscal_year_bounds(year)
    if not start <= today <= end:
        return None
    return ((today.year - start.year) * 12 + today.month - start.month) // QUARTER_MONTHS


def village_targets(targets: QuerySet) -> list[TargetVillage]:
    return list(targets.select_related("village__tambon").order_by("village_id"))
