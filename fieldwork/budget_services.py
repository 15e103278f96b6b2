"""Named writes on the villages' money: recording a disbursement, clearing an advance, the
district's advance period, and budget lines from an import. Each is atomic and keyword-only
and is given values, never a request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from assignments.access import can_edit_target
from assignments.models import TargetVillage
from districts import changes
from districts.lib.thai import fiscal_year_bounds, format_baht
from districts.models import District, can_manage_district
from fieldwork.budget import (
    AdvanceRule,
    BudgetLine,
    Disbursement,
    DisbursementKind,
    SpendingCategory,
    ensure_categories,
    money_sums,
)


def line_used(line_id: int) -> Decimal:
    return Disbursement.objects.filter(line_id=line_id).aggregate(**money_sums())["used"]


def _check_day(day: dt.date, target: TargetVillage, field: str) -> None:
    start, end = fiscal_year_bounds(target.year_id)
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not start <= day <= end:
        raise ValidationError(
            {
                field: _("The date must fall in the village's fiscal year %(year)s.")
                % {"year": target.year_id}
            }
        )


@transaction.atomic
def disbursement_record(
    *,
    user,
    line: BudgetLine,
    kind: str,
    date: dt.date,
    amount: Decimal,
    purpose: str,
    receipt=None,
    visit=None,
    approve_over: bool = False,
    over_reason: str = "",
) -> Disbursement:
    """Record money spent (or advanced) against a budget line of a village the user holds.

    A line is never taken over its planned amount unless the district head approves it here,
    with a reason (kept on the row with who approved). The line's row is locked first, so two
    officers spending the last of a line at once cannot both pass the check.
    """
    target = line.target
    if not can_edit_target(user, target):
        raise PermissionDenied
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    _check_day(date, target, "date")
    if visit is not None and visit.target_id != target.pk:
        raise ValidationError({"visit": _("The visit is not one of this village's.")})
    locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
    left = locked.planned_amount - line_used(locked.pk)
    approved_by, reason = None, ""
    if amount > left:
        if not approve_over:
            raise ValidationError(
                {
                    "amount": _(
                        "This would take the line over its plan: %(left)s baht is left of "
                        "%(planned)s. Only the district head can approve spending more."
                    )
                    % {
                        "left": format_baht(max(left, Decimal(0)), satang=True),
                        "planned": format_baht(locked.planned_amount, satang=True),
                    }
                }
            )
        if not can_manage_district(user, target.district_id):
            raise PermissionDenied
        reason = (over_reason or "").strip()
        if not reason:
            raise ValidationError({"over_reason": _("Say why the overspend is approved.")})
        approved_by = user
    disbursement = Disbursement(
        line=locked,
        kind=kind,
        date=date,
        amount=amount,
        purpose=purpose.strip(),
        visit=visit,
        recorded_by=user,
        over_approved_by=approved_by,
        over_reason=reason,
    )
    if receipt is not None:
        disbursement.receipt.save(receipt.name, receipt, save=False)
    disbursement.full_clean(exclude=["receipt", "line", "visit", "recorded_by"])
    disbursement.save()
    return disbursement


@transaction.atomic
def advance_clear(
    *, user, disbursement: Disbursement, cleared_on: dt.date, cleared_amount: Decimal, receipt=None
) -> Disbursement:
    """Clear (ส่งใช้) an advance: what its receipts add up to, the rest returned."""
    locked = (
        Disbursement.objects.select_for_update()
        .select_related("line__target")
        .get(pk=disbursement.pk)
    )
    target = locked.line.target
    if not can_edit_target(user, target):
        raise PermissionDenied
    if locked.kind != DisbursementKind.ADVANCE:
        raise ValidationError(_("Only an advance is cleared."))
    if locked.cleared_on is not None:
        raise ValidationError(_("This advance is cleared already."))
    if cleared_amount is None or cleared_amount < 0:
        raise ValidationError({"cleared_amount": _("The amount cannot be negative.")})
    if cleared_amount > locked.amount:
        raise ValidationError(
            {"cleared_amount": _("The receipts cannot add up to more than the advance.")}
        )
    _check_day(cleared_on, target, "cleared_on")
    if cleared_on < locked.date:
        raise ValidationError({"cleared_on": _("An advance is cleared after it was taken.")})
    locked.cleared_on, locked.cleared_amount, locked.cleared_by = cleared_on, cleared_amount, user
    if receipt is not None:
        locked.receipt.save(receipt.name, receipt, save=False)
    locked.save()
    return locked


@transaction.atomic
def advance_days_set(*, user, district: District, days: int) -> AdvanceRule:
    """The district office's period for clearing an advance (the head sets it)."""
    if not can_manage_district(user, district.pk):
        raise PermissionDenied
    if not 1 <= days <= 365:
        raise ValidationError({"days": _("Between 1 and 365 days.")})
    rule, _created = AdvanceRule.objects.update_or_create(
        district=district, defaults={"days": days}
    )
    return rule


def category_by_name(year_id: int) -> dict[str, SpendingCategory]:
    return {c.name: c for c in ensure_categories(year_id)}


@transaction.atomic
def budget_lines_import(
    *,
    year_id: int,
    rows: Iterable[tuple[TargetVillage, SpendingCategory, dt.date, Decimal]],
    user=None,
    reason: str = "",
) -> int:
    """Write budget lines from an import (already checked, all or nothing): a line of the same
    village, category and month takes the new amount, others are added; lines the sheet does
    not name are kept. Each village's allocation becomes the sum of its lines."""
    rows = list(rows)
    targets = {t.pk: t for t, *_ in rows}
    existing = {
        (line.target_id, line.category_id, line.planned_month): line
        for line in BudgetLine.objects.filter(target_id__in=targets)
    }
    new, changed = [], []
    for target, category, month, amount in rows:
        line = existing.get((target.pk, category.pk, month))
        if line is None:
            new.append(
                BudgetLine(
                    target=target, category=category, planned_month=month, planned_amount=amount
                )
            )
        else:
            line.planned_amount = amount
            changed.append(line)
    BudgetLine.objects.bulk_create(new)
    BudgetLine.objects.bulk_update(changed, ["planned_amount"])
    sums = dict(
        BudgetLine.objects.filter(target_id__in=targets)
        .values_list("target_id")
        .annotate(s=Sum("planned_amount"))
    )
    updated = []
    for pk, target in targets.items():
        target.budget_allocated = sums.get(pk, Decimal(0))
        updated.append(target)
    # the allocation's change is kept in the target's history, as the target import keeps it
    bulk_update_with_history(
        updated,
        TargetVillage,
        ["budget_allocated"],
        batch_size=1000,
        default_user=user,
        default_change_reason=reason or "budget lines",
    )
    changes.record({t.district_id for t in targets.values()})
    return len(new) + len(changed)
