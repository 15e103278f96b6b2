"""The demo's money: budget lines for every target village of FY2560 and of the demo's current
year, disbursements that mostly follow the plan, and a few advances not cleared in time.

Drawn from the demo's seeded generators (one per village), so it is the same on every machine;
a year whose lines are written already is left alone, so running the demo twice changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from assignments.models import TargetVillage, VillageAssignment
from fieldwork.budget import (
    DEFAULT_QUARTER_TARGETS,
    BudgetLine,
    Disbursement,
    QuarterTargets,
    ensure_categories,
)

# category order -> (share of the allocation, month of the fiscal year it is planned for:
# 0 = October). Speakers and materials early (training the team, teaching the households),
# the study visit mid-year, the rest later.
PLAN = {1: (Decimal("0.30"), 1), 2: (Decimal("0.25"), 2), 3: (Decimal("0.25"), 1),
        4: (Decimal("0.15"), 4), 5: (Decimal("0.05"), 6)}  # fmt: skip
PURPOSES = {
    1: "ค่าตอบแทนวิทยากรถ่ายทอดความรู้",
    2: "ค่าอาหารกลางวันและอาหารว่างผู้เข้าร่วมอบรม",
    3: "ค่าวัสดุฝึกอบรมอาชีพ",
    4: "ค่าเช่ารถศึกษาดูงานกับปราชญ์ต้นแบบ",
    5: "ค่าป้ายและเอกสารประกอบการอบรม",
}
CENT = Decimal("0.01")
YEARS_DONE = 2560  # the article's year: over long ago, its advances cleared or listed


def month_of(year_start: dt.date, offset: int) -> dt.date:
    m = year_start.month - 1 + offset
    return dt.date(year_start.year + m // 12, m % 12 + 1, 1)


def build_budget(demo, years: list[int]) -> int:
    """Lines and disbursements of ``years``' target villages; returns the disbursements made."""
    today = timezone.localdate()
    made = 0
    for year in years:
        QuarterTargets.objects.get_or_create(
            year_id=year,
            defaults=dict(zip(("q1", "q2", "q3", "q4"), DEFAULT_QUARTER_TARGETS, strict=True)),
        )
        targets = list(TargetVillage.objects.filter(year_id=year).select_related("year"))
        if not targets or BudgetLine.objects.filter(target__year_id=year).exists():
            continue
        categories = {c.order: c for c in ensure_categories(year)}
        holders = dict(
            VillageAssignment.objects.active()
            .filter(target__year_id=year)
            .values_list("target_id", "officer__user_id")
        )
        lines, plans = [], []
        for target in targets:
            start = target.year.start_date
            rest = target.budget_allocated
            for order, (share, offset) in PLAN.items():
                amount = (
                    rest
                    if order == max(PLAN)
                    else (target.budget_allocated * share).quantize(CENT, ROUND_DOWN)
                )
                rest -= amount
                line = BudgetLine(
                    target=target,
                    category=categories[order],
                    planned_amount=amount,
                    planned_month=month_of(start, offset),
                )
                lines.append(line)
                plans.append((target, order, line))
        BudgetLine.objects.bulk_create(lines)
        # this year's first two Phu Wiang villages took an advance for their speakers in
        # October and have not cleared it: late by now (the office's 30 days)
        started = targets[0].year.start_date + dt.timedelta(days=5)
        late = (
            {t.pk for t in sorted(targets, key=lambda t: t.village_id) if t.district_id == "4016"}
            if year != YEARS_DONE and (today - started).days > 30
            else set()
        )
        late = set(sorted(late)[:2])
        disbursements = []
        for target, order, line in plans:
            rng = demo.rng(f"budget-{target.village_id}-{order}")
            user_id = holders.get(target.pk)
            if target.pk in late and order == 1:
                disbursements.append(
                    Disbursement(
                        line=line,
                        kind="advance",
                        date=started,
                        amount=line.planned_amount,
                        purpose="ยืมเงินค่าตอบแทนวิทยากรล่วงหน้า",
                        recorded_by_id=user_id,
                        recorded_at=timezone.make_aware(dt.datetime.combine(started, dt.time(9))),
                    )
                )
                continue
            # most lines are paid in their month or the next; a few a month or two late
            late_by = rng.choices([0, 1, 2], weights=[70, 22, 8])[0]
            day = month_of(line.planned_month, late_by) + dt.timedelta(days=rng.randint(3, 25))
            if day > today or day > target.year.end_date:
                continue
            share = Decimal(rng.randint(85, 100)) / 100
            amount = (line.planned_amount * share).quantize(CENT, ROUND_DOWN)
            if amount <= 0:
                continue
            purpose = PURPOSES[order]
            if order in (2, 4) or rng.random() < 0.15:  # meals and the bus: an advance first
                cleared = day + dt.timedelta(days=rng.randint(5, 25))
                # a few advances are never cleared: the district's list of late advances
                open_advance = rng.random() < 0.04 or cleared > today
                spent = (amount * Decimal(rng.randint(92, 100)) / 100).quantize(CENT)
                disbursements.append(
                    Disbursement(
                        line=line,
                        kind="advance",
                        date=day,
                        amount=amount,
                        purpose=purpose,
                        recorded_by_id=user_id,
                        cleared_on=None if open_advance else cleared,
                        cleared_amount=None if open_advance else spent,
                        cleared_by_id=None if open_advance else user_id,
                        recorded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))),
                    )
                )
            else:
                disbursements.append(
                    Disbursement(
                        line=line,
                        kind="expense",
                        date=day,
                        amount=amount,
                        purpose=purpose,
                        recorded_by_id=user_id,
                        recorded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))),
                    )
                )
        Disbursement.objects.bulk_create(disbursements)
        made += len(disbursements)
    return made
