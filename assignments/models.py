"""The programme year: fiscal years, stages, target villages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.lib.thai import fiscal_year_bounds, fiscal_year_of
from districts.models import District, Officer, Synced, Village, localized, scope_of
from people.models import Sage

MIN_YEAR, MAX_YEAR = 2500, 2700  # fiscal years, Buddhist era: what a form or address may name


class FiscalYear(models.Model):
    """A Thai fiscal year, named by its Buddhist-era year: FY2560 = 1 Oct 2016 - 30 Sep 2017."""

    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), primary_key=True)

    change_district = None

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2500, year__lte=2700),
                name="assignments_fiscalyear_buddhist_era",
            )
        ]

    def __str__(self) -> str:
        return str(_("Fiscal year %(year)s") % {"year": self.year})

    @property
    def start_date(self) -> dt.date:
        return fiscal_year_bounds(self.year)[0]

    @property
    def end_date(self) -> dt.date:
        return fiscal_year_bounds(self.year)[1]

    @classmethod
    def for_date(cls, day: dt.date) -> FiscalYear:
        year, _created = cls.objects.get_or_create(year=fiscal_year_of(day))
        return year


class Stage(models.Model):
    """A step of the programme in a village; the list is configurable and seeded with defaults."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    neglect_days = models.PositiveSmallIntegerField(
        _("days before a village counts as not visited"),
        default=30,
        help_text=_("A target village at this stage with no visit for longer is flagged."),
    )

    change_district = None

    class Meta:
        ordering = ["order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class TargetVillageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))

    def for_year(self, year: int):
        return self.filter(year_id=year)

    def with_active_assignment(self):
        """Each target with its village, stage, and ``active_assignments`` (0 or 1, with the
        officer): what the board and the not-visited lists show, in two queries."""
        return self.select_related("village__tambon", "stage").prefetch_related(
            models.Prefetch(
                "assignments",
                queryset=VillageAssignment.objects.active().select_related("officer__user"),
                to_attr="active_assignments",
            )
        )


class TargetVillage(Synced):
    """A village chosen for the programme in a fiscal year, with its budget and progress."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="targets", verbose_name=_("village")
    )
    year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="targets", verbose_name=_("fiscal year")
    )
    # The village's district, kept on the row so scoping and per-district pages need no joins
    # through tambon and village (the most common filter of the portal). Set from the code.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="targets", verbose_name=_("district")
    )
    budget_allocated = models.DecimalField(
        _("budget allocated (baht)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    livelihood = models.CharField(
        _("livelihood"), max_length=200, blank=True, help_text=_("What the village learns.")
    )
    stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("stage"),
    )

    sage = models.ForeignKey(
        Sage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("sage"),
        help_text=_("The sage who leads the programme in this village this year."),
    )

    change_district = "district_id"

    objects = TargetVillageQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of a target village"),
        verbose_name_plural=_("history of target villages"),
    )

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("target village")
        verbose_name_plural = _("target villages")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="assignments_targetvillage_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(budget_allocated__gte=0),
                name="assignments_targetvillage_budget_not_negative",
            ),
        ]
        # District pages filter on district and year: the district_id index leaves a few
        # dozen rows per year, and a (district, year) index measured no faster (0.03 ms both;
        # docs/performance.md).

    def __str__(self) -> str:
        return f"{self.village} ({self.year_id})"

    def save(self, *args, **kwargs):
        self.district_id = self.village_id[:4]
        super().save(*args, **kwargs)


class VillageAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))

    def active(self):
        return self.filter(ended_at__isnull=True)


class VillageAssignment(models.Model):
    """Which officer works a target village, from when until when (the second kind of work).

    A change ends the active row and starts a new one, so the rows are the history: who
    assigned it, when, and who had it before.
    """

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("target village"),
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("officer")
    )
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("The fair-distribution suggestion never moves a pinned village."),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    order = models.ForeignKey(
        "AssignmentOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("office order"),
        help_text=_("The order that made this assignment official."),
    )

    change_district = "target__district_id"

    objects = VillageAssignmentQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of a village assignment"),
        verbose_name_plural=_("history of village assignments"),
    )

    class Meta:
        ordering = ["target_id", "-assigned_at"]
        verbose_name = _("village assignment")
        verbose_name_plural = _("village assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(ended_at__isnull=True),
                name="assignments_villageassignment_one_active_per_target",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("assigned_at")),
                name="assignments_villageassignment_ends_after_start",
            ),
        ]
        # No index beyond the foreign keys': at national scale the planner chose the
        # officer_id index over a partial "active by officer" one (bench/indexes.py history
        # in docs/performance.md).

    def __str__(self) -> str:
        return f"{self.target} → {self.officer}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))

    def live(self):
        return self.filter(ended_at__isnull=True)

    def held_in(self, year: int):
        """Follow-ups that are work in fiscal year ``year``: held from that year or an earlier
        one, and not ended before the year began."""
        return self.filter(
            Q(ended_at__isnull=True) | Q(ended_at__date__gte=fiscal_year_bounds(year)[0]),
            from_year_id__lte=year,
        )

    def live_on(self, day: dt.date):
        """Follow-ups an officer may log a visit under on ``day``: held from that day's fiscal
        year or an earlier one, and not ended before it."""
        return self.filter(
            Q(ended_at__isnull=True) | Q(ended_at__date__gte=day),
            from_year_id__lte=fiscal_year_of(day),
        )


class FollowUp(models.Model):
    """A target village of an earlier fiscal year that an officer keeps following up.

    Not a kind of ``VillageAssignment``: an assignment is the year's work on the year's
    target (one per target, on the year's board, in the year's office order, moved by the
    fair-share suggestion); a follow-up is held in *later* years by someone who may not be
    the year's officer, so both can exist for one target at once. Like assignments, a move
    ends the live row and starts a new one: the rows are the history.
    """

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="followups",
        verbose_name=_("target village"),
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="followups", verbose_name=_("officer")
    )
    from_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("held from fiscal year"),
        help_text=_("The first fiscal year of the follow-up, after the target's own."),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    change_district = "target__district_id"

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of a follow-up"),
        verbose_name_plural=_("history of follow-ups"),
    )

    class Meta:
        ordering = ["target_id", "-started_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(ended_at__isnull=True),
                name="assignments_followup_one_live_per_target",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="assignments_followup_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} ↻ {self.officer}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None


class AssignmentOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))


class AssignmentOrder(models.Model):
    """An office order (คำสั่ง) that makes a district's assignments official.

    ``snapshot`` keeps the officers, their tambons and their villages as they were when the
    order was issued, so the printed order never changes when the board does.
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="orders", verbose_name=_("district")
    )
    year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="orders", verbose_name=_("fiscal year")
    )
    number = models.CharField(_("order number"), max_length=30, help_text=_("e.g. 15/2560"))
    date = models.DateField(_("order date"))
    subject = models.CharField(_("subject"), max_length=300)
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_position = models.CharField(_("signer's position"), max_length=200)
    snapshot = models.JSONField(_("assignments at issue"), default=dict, editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    change_district = "district_id"

    objects = AssignmentOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-issued_at"]
        verbose_name = _("office order")
        verbose_name_plural = _("office orders")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "number"], name="assignments_order_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Order')} {self.number}"


# The district's plan and its team meetings: a module of their own (docs/architecture.md).
from assignments.plans import (  # noqa: E402, F401
    Meeting,
    MeetingAction,
    PlannedDate,
    StageDeadline,
)
