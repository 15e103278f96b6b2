"""The money of the target villages: spending categories per fiscal year, each village's
budget lines (its allocation split by category and month), what was spent against them
(disbursements, advances and their clearance) and the quarterly disbursement targets.

A module of its own, imported by ``fieldwork.models``: money is spent in the villages, often
for a visit's activity (so a disbursement may name the visit), which is fieldwork's; the
district's plan and meetings live in ``assignments`` (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import FiscalYear, TargetVillage
from districts.lib.thai import fiscal_year_bounds
from districts.models import District, scope_of

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2}

# The programme's usual spending categories (order, Thai name): seeded for a year the first
# time a line of that year is written, and by the data migration for the years there were.
DEFAULT_CATEGORIES = [
    (1, "ค่าตอบแทนวิทยากร"),
    (2, "ค่าอาหารและเครื่องดื่ม"),
    (3, "ค่าวัสดุฝึกอบรม"),
    (4, "ค่าศึกษาดูงานและเดินทาง"),
    (5, "อื่น ๆ"),
]
# The government's usual cumulative disbursement targets by fiscal quarter (%), for a year
# the admin has set none for.
DEFAULT_QUARTER_TARGETS = (30, 54, 77, 100)
# An advance is cleared within 30 days of receiving the money (the Finance ministry's rule
# for advances), unless the district office sets another period.
DEFAULT_ADVANCE_DAYS = 30


class SpendingCategory(models.Model):
    """A spending category of the programme in a fiscal year (configurable by the admin)."""

    year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("fiscal year")
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    change_district = None  # a year's categories are the whole country's

    class Meta:
        ordering = ["year", "order", "name"]
        verbose_name = _("spending category")
        verbose_name_plural = _("spending categories")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"], name="fieldwork_spendingcategory_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year_id})"


def ensure_categories(year_id: int) -> list[SpendingCategory]:
    """The year's categories, the default ones created first if the year has none."""
    categories = list(SpendingCategory.objects.filter(year_id=year_id))
    if not categories:
        categories = SpendingCategory.objects.bulk_create(
            [SpendingCategory(year_id=year_id, order=o, name=n) for o, n in DEFAULT_CATEGORIES]
        )
    return categories


class QuarterTargets(models.Model):
    """The cumulative share of the allocation to be disbursed by the end of each fiscal
    quarter of a year (set by the admin)."""

    year = models.OneToOneField(
        FiscalYear,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("fiscal year"),
    )
    q1 = models.PositiveSmallIntegerField(
        _("by the end of quarter 1 (%)"), validators=[MaxValueValidator(100)]
    )
    q2 = models.PositiveSmallIntegerField(
        _("by the end of quarter 2 (%)"), validators=[MaxValueValidator(100)]
    )
    q3 = models.PositiveSmallIntegerField(
        _("by the end of quarter 3 (%)"), validators=[MaxValueValidator(100)]
    )
    q4 = models.PositiveSmallIntegerField(
        _("by the end of quarter 4 (%)"), validators=[MaxValueValidator(100)]
    )

    change_district = None

    class Meta:
        verbose_name = _("quarterly disbursement targets")
        verbose_name_plural = _("quarterly disbursement targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(q1__lte=F("q2"), q2__lte=F("q3"), q3__lte=F("q4"), q4__lte=100),
                name="fieldwork_quartertargets_cumulative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year_id}: {self.q1}/{self.q2}/{self.q3}/{self.q4}"

    def clean(self):
        values = [self.q1, self.q2, self.q3, self.q4]
        if None not in values and values != sorted(values):
            raise ValidationError(
                _("The targets add up over the year: each quarter's is at least the one before.")
            )

    @classmethod
    def for_year(cls, year_id: int) -> tuple[int, int, int, int]:
        row = cls.objects.filter(year_id=year_id).first()
        return (row.q1, row.q2, row.q3, row.q4) if row else DEFAULT_QUARTER_TARGETS


class AdvanceRuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))


class AdvanceRule(models.Model):
    """The district office's period for clearing an advance."""

    district = models.OneToOneField(
        District,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("district"),
    )
    days = models.PositiveSmallIntegerField(
        _("days to clear an advance"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    change_district = "district_id"

    objects = AdvanceRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("advance clearing period")
        verbose_name_plural = _("advance clearing periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1, days__lte=365), name="fieldwork_advancerule_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id}: {self.days}"

    @classmethod
    def days_for(cls, district_id: str) -> int:
        row = cls.objects.filter(district_id=district_id).first()
        return row.days if row else DEFAULT_ADVANCE_DAYS


class BudgetLineQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))


class BudgetLine(models.Model):
    """A share of a target village's allocation: a spending category, planned for a month."""

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("village"),
    )
    category = models.ForeignKey(
        SpendingCategory,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("spending category"),
    )
    planned_amount = models.DecimalField(
        _("planned amount (baht)"), **MONEY, validators=[MinValueValidator(0)]
    )
    planned_month = models.DateField(
        _("planned month"), help_text=_("The first day of the month the money is planned for.")
    )

    change_district = "target__district_id"

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["planned_month", "category__order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "category", "planned_month"],
                name="fieldwork_budgetline_once_per_month",
            ),
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0), name="fieldwork_budgetline_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} {self.planned_month:%Y-%m}"

    def clean(self):
        if self.planned_month:
            self.planned_month = self.planned_month.replace(day=1)
        if self.planned_month and self.target_id and self.category_id:
            start, end = fiscal_year_bounds(self.target.year_id)
            if not start <= self.planned_month <= end:
                raise ValidationError(
                    {"planned_month": _("The planned month is outside the village's fiscal year.")}
                )
            if self.category.year_id != self.target.year_id:
                raise ValidationError(
                    {"category": _("The category is not one of the village's fiscal year.")}
                )


class DisbursementKind(models.TextChoices):
    EXPENSE = "expense", _("payment")
    ADVANCE = "advance", _("advance")


def receipt_path(instance, filename: str) -> str:
    # random names, as visit photos: receipts are served only after a scope check
    return f"receipts/{instance.date:%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def money_sums(prefix: str = "") -> dict:
    """Aggregates of disbursements (reached through ``prefix``): used, outstanding advances."""
    p = prefix

    def with_prefix(expr_field):
        return F(p + expr_field) if p else F(expr_field)

    used = Case(
        When(
            **{
                f"{p}kind": DisbursementKind.ADVANCE,
                f"{p}cleared_on__isnull": False,
                "then": with_prefix("cleared_amount"),
            }
        ),
        default=with_prefix("amount"),
    )
    outstanding = Q(**{f"{p}kind": DisbursementKind.ADVANCE, f"{p}cleared_on__isnull": True})
    return {
        "used": Coalesce(Sum(used), ZERO, output_field=models.DecimalField(**MONEY)),
        "outstanding": Coalesce(
            Sum(with_prefix("amount"), filter=outstanding),
            ZERO,
            output_field=models.DecimalField(**MONEY),
        ),
    }


class DisbursementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("line__target__district"))

    def late_advances(self, *, district_id: str, today: dt.date):
        """The district's advances not cleared within its office's period."""
        days = AdvanceRule.days_for(district_id)
        return self.filter(
            line__target__district_id=district_id,
            kind=DisbursementKind.ADVANCE,
            cleared_on__isnull=True,
            date__lt=today - dt.timedelta(days=days),
        )


class Disbursement(models.Model):
    """Money spent against a budget line: a payment, or an advance (ยืมเงิน) and, once the
    officer accounts for it, its clearance (ส่งใช้) on the same row."""

    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("budget line"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=DisbursementKind.choices, default=DisbursementKind.EXPENSE
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (baht)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    purpose = models.CharField(_("what for"), max_length=300)
    receipt = models.FileField(
        _("receipt (photo or scan)"), upload_to=receipt_path, blank=True, max_length=200
    )
    visit = models.ForeignKey(
        "fieldwork.FieldVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disbursements",
        verbose_name=_("visit or activity"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_amount = models.DecimalField(
        _("amount accounted for (baht)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("What the receipts of the advance add up to; the rest was returned."),
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    over_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overspend approved by"),
        help_text=_("The district head who let this payment take the line over its plan."),
    )
    over_reason = models.CharField(_("why the overspend was approved"), max_length=300, blank=True)

    change_district = "line__target__district_id"

    objects = DisbursementQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="fieldwork_disbursement_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True, cleared_amount__isnull=True)
                | Q(
                    kind="advance",
                    cleared_on__isnull=False,
                    cleared_amount__isnull=False,
                    cleared_amount__gte=0,
                    cleared_amount__lte=F("amount"),
                ),
                name="fieldwork_disbursement_clearance",
            ),
            models.CheckConstraint(
                condition=Q(over_approved_by__isnull=True, over_reason="")
                | (Q(over_approved_by__isnull=False) & ~Q(over_reason="")),
                name="fieldwork_disbursement_approval_with_reason",
            ),
        ]
        indexes = [
            # the late-advances list and the outstanding figure: uncleared advances only
            models.Index(
                fields=["line"],
                condition=Q(kind="advance", cleared_on__isnull=True),
                name="fieldwork_disb_open_advance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.date})"

    @property
    def used(self) -> Decimal:
        if self.kind == DisbursementKind.ADVANCE and self.cleared_on is not None:
            return self.cleared_amount
        return self.amount

    @property
    def is_open_advance(self) -> bool:
        return self.kind == DisbursementKind.ADVANCE and self.cleared_on is None


def spent_per_target():
    """What each target village has used (``money_sums``), as an annotation of a
    TargetVillage queryset: one subquery over its lines' disbursements."""
    used = (
        Disbursement.objects.filter(line__target=OuterRef("pk"))
        .order_by()
        .values("line__target")
        .annotate(used=money_sums()["used"])
        .values("used")
    )
    return Coalesce(Subquery(used), ZERO, output_field=models.DecimalField(**MONEY))
