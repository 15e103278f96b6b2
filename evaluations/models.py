"""Outcomes: the evaluation of each target village and of each officer's programme work."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assignments.models import FiscalYear, TargetVillage
from districts.lib.spread import spread_share
from districts.models import District, Officer, scope_of


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class VillageEvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))


class VillageEvaluation(models.Model):
    """How a target village did in its year. What the records know is computed and stored
    when the evaluation is submitted; the form asks only for the rest."""

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("target village"),
    )
    # Round 1 at the end of the target's year, then follow-up rounds; each freezes its own
    # indicators when it is saved, and a later round never touches an earlier one.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    date = models.DateField(_("date of the round"), default=timezone.localdate)
    group_formed = models.BooleanField(_("a livelihood group was formed"), default=False)
    group_name = models.CharField(_("name of the group"), max_length=200, blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    # Computed from the household and partner records at submission.
    households_total = models.PositiveIntegerField(_("target households"), default=0)
    households_practising = models.PositiveIntegerField(_("still practising"), default=0)
    households_income_rose = models.PositiveIntegerField(_("income rose"), default=0)
    income_change_avg = models.DecimalField(
        _("average monthly income change (baht)"), max_digits=10, decimal_places=2, null=True
    )
    neighbours_joined = models.PositiveIntegerField(_("neighbouring households joined"), default=0)
    partners_backing = models.PositiveIntegerField(_("partners backing a project"), default=0)
    village_households = models.PositiveIntegerField(
        _("households in the village"), null=True, blank=True
    )
    groups_active = models.PositiveIntegerField(_("active livelihood groups"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    review_comment = models.TextField(_("head's comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    change_district = "target__district_id"

    objects = VillageEvaluationQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of a village evaluation"),
        verbose_name_plural=_("history of village evaluations"),
    )

    class Meta:
        verbose_name = _("village evaluation")
        verbose_name_plural = _("village evaluations")
        ordering = ["target", "round"]
        constraints = [
            models.UniqueConstraint(fields=["target", "round"], name="evaluations_round_once"),
            models.CheckConstraint(condition=Q(round__gte=1), name="evaluations_round_positive"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="evaluations_returned_has_comment",
            ),
            models.CheckConstraint(
                condition=Q(households_practising__lte=models.F("households_total")),
                name="evaluations_practising_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} #{self.round} — {self.get_status_display()}"

    @property
    def spread_pct(self):
        """The spread this round froze, as a share of the village's households."""
        return spread_share(
            self.households_practising, self.neighbours_joined, self.village_households
        )


class Rating(models.TextChoices):
    EXCELLENT = "5", _("Excellent")
    VERY_GOOD = "4", _("Very good")
    GOOD = "3", _("Good")
    FAIR = "2", _("Fair")
    IMPROVE = "1", _("Needs improvement")


class OfficerReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("officer__district"))


class OfficerReview(models.Model):
    """The district head's rating of an officer's programme work for the merit review."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("officer")
    )
    year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("fiscal year")
    )
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    change_district = "officer__district_id"

    objects = OfficerReviewQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of an officer review"),
        verbose_name_plural=_("history of officer reviews"),
    )

    class Meta:
        verbose_name = _("officer review")
        verbose_name_plural = _("officer reviews")
        constraints = [
            models.UniqueConstraint(fields=["officer", "year"], name="evaluations_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.year_id}"


class DistrictFigures(models.Model):
    """Summary table: one district's dashboard figures for a fiscal year, so the province and
    country dashboards read one row per district instead of grouping a year's visits and
    households on every request (docs/performance.md has the measurements).

    A row is current while its district's change count (districts.changes) is the one it was
    computed at (``changes``) and the day the figures count to (``as_of``) is the page's
    (the "visited in the last 30 days" figure moves with the calendar). Any write to the
    district's records raises the count, in the writer's transaction; the count is read
    before the figures are computed, so a write that lands during the computation leaves the
    row behind the count, not hidden by it.
    """

    change_quiet = True  # computed from records whose writes raised the count

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    changes = models.PositiveBigIntegerField(
        default=0, help_text="The district's change count the row was computed at."
    )
    as_of = models.DateField(null=True)
    computed_at = models.DateTimeField(null=True)
    targets = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    visited_recently = models.PositiveIntegerField(default=0)
    budget_allocated = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    budget_spent = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    households = models.PositiveIntegerField(default=0)
    practising = models.PositiveIntegerField(default=0)
    income_rose = models.PositiveIntegerField(default=0)
    income_followed = models.PositiveIntegerField(default=0)  # households with a follow-up
    income_change_total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    neighbours = models.PositiveIntegerField(default=0)
    evaluations_approved = models.PositiveIntegerField(default=0)  # villages, latest approved
    village_households = models.PositiveIntegerField(default=0)
    spread_households = models.PositiveIntegerField(default=0)
    partner_active = models.PositiveIntegerField(default=0)
    income_latest = models.DateField(null=True)
    stages = models.JSONField(default=dict)  # stage order as text ("": no stage yet) -> villages

    class Meta:
        verbose_name = _("district figures")
        verbose_name_plural = _("district figures")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "district"], name="evaluations_districtfigures_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year_id}"


class ExtractStatus(models.TextChoices):
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class NationalExtract(models.Model):
    """The department's national extract of a fiscal year: one row per target village
    (assignment, stage, visits, households as counts, incomes, the latest evaluation), as
    CSV and .xlsx, made by the worker (``tasks.build_national_extract``)."""

    change_quiet = True  # no programme page shows it

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, verbose_name=_("fiscal year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ExtractStatus.choices, default=ExtractStatus.PENDING
    )
    csv = models.FileField(_("CSV file"), upload_to="extracts/%Y/", blank=True)
    xlsx = models.FileField(_(".xlsx file"), upload_to="extracts/%Y/", blank=True)
    rows = models.PositiveIntegerField(_("target villages"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("national extract")
        verbose_name_plural = _("national extracts")

    def __str__(self) -> str:
        return f"{self.year_id} {self.requested_at:%Y-%m-%d %H:%M}"
