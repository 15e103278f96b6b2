"""What happens in the target villages: visits, their photos and the head's advice, the
not-visited thresholds, each village's support team, households and partner support.

The tables kept their names (``assignments_*``) when the models moved here from
``assignments``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assignments.models import FollowUp, Stage, TargetVillage
from districts.lib.thai import fiscal_year_of, format_be_input
from districts.models import District, Officer, PhoneField, Synced, by_given_name, scope_of
from people.models import Partner, Sage


class NeglectThreshold(models.Model):
    """A district office's own "not visited in N days" for a stage (default: the stage's)."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="+", verbose_name=_("stage")
    )
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])

    change_district = "district_id"

    class Meta:
        db_table = "assignments_neglectthreshold"
        verbose_name = _("not-visited threshold")
        verbose_name_plural = _("not-visited thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "stage"], name="assignments_neglect_once_per_stage"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="assignments_neglect_days_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.stage}: {self.days}"


class FieldVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))

    def for_list(self):
        """What a visit list row shows, in one query: with its number of photos, whether it
        has a GPS point, and whether the head has advised on it."""
        return (
            self.select_related("target__village__tambon", "officer__user", "stage")
            .annotate(
                n_photos=models.Count("photos", distinct=True),
                advised=models.Exists(VisitAdvice.objects.filter(visit=models.OuterRef("pk"))),
            )
            .order_by("-date", "-created_at")
        )


class FieldVisit(Synced):
    """An officer's visit to a target village: what was done, with whom, and where."""

    target = models.ForeignKey(
        TargetVillage, on_delete=models.PROTECT, related_name="visits", verbose_name=_("village")
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="visits", verbose_name=_("officer")
    )
    date = models.DateField(_("visit date"))
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="visits", verbose_name=_("stage")
    )
    activity = models.CharField(_("activity"), max_length=300)
    sage_took_part = models.BooleanField(_("the sage took part"), default=False)
    # Bounds that only a typing slip passes (a team is a handful, a village's target
    # households about 20); clean() also holds households to those on record.
    support_team_count = models.PositiveSmallIntegerField(
        _("support team members present"), default=0, validators=[MaxValueValidator(99)]
    )
    household_count = models.PositiveSmallIntegerField(
        _("target households present"), default=0, validators=[MaxValueValidator(999)]
    )
    partners = models.CharField(
        _("partner agencies"), max_length=300, blank=True, help_text=_("Who else came, if anyone.")
    )
    notes = models.TextField(_("notes"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    accuracy_m = models.FloatField(_("location accuracy (m)"), null=True, blank=True)
    distance_km = models.FloatField(
        _("distance from the tambon centre (km)"), null=True, blank=True, editable=False
    )
    far_from_village = models.BooleanField(
        _("far from the village"),
        default=False,
        help_text=_("The recorded point is far from the village's tambon: the head takes a look."),
    )
    needs_more = models.BooleanField(_("needs more"), default=False)
    needs_more_reason = models.CharField(_("what more is needed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # A visit kept in the phone's outbox with no signal reaches the server later: created_at
    # is when it arrived, this is when the officer saved it on the phone.
    saved_on_phone_at = models.DateTimeField(
        _("saved on the phone at"),
        null=True,
        blank=True,
        help_text=_("For a visit sent later from the phone's outbox: when it was saved there."),
    )
    # The form's one-time token: a double tap or a phone's retry of the same POST finds the
    # visit the first one saved instead of saving it twice.
    submission = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False
    )

    change_district = "target__district_id"

    objects = FieldVisitQuerySet.as_manager()
    # who logged a visit, from where (a token's name for the API: history_change_reason)
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        verbose_name=_("history of a field visit"),
        verbose_name_plural=_("history of field visits"),
    )

    class Meta:
        db_table = "assignments_fieldvisit"
        ordering = ["-date", "-created_at"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180)),
                name="assignments_fieldvisit_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(needs_more=False) | ~Q(needs_more_reason=""),
                name="assignments_fieldvisit_needs_more_has_reason",
            ),
        ]
        indexes = [
            # An officer's own visits, newest first (bench/indexes.py: 0.02 ms against 0.06 ms
            # on the officer_id index). "Last visit per village" needs no index of its own: a
            # village has a few dozen visits a year, found through target_id.
            models.Index(fields=["officer", "-date"], name="assign_visit_officer_date"),
            # No index on (date) alone: it saved the nightly summary 25 ms, but the planner
            # then walked every visit newest first for a district's visit list, 0.96 s for
            # an earlier year against 7 ms without it (bench/indexes.py, docs/performance.md).
        ]

    def __str__(self) -> str:
        return f"{self.target.village} {format_be_input(self.date)}"

    def clean(self):
        """What a visit can be, whoever records it (the form, an import, the admin): inside
        its target's fiscal year, or in a later one by the officer who holds the village's
        follow-up on that day (FollowUp: the programme goes on after its year); and no more
        target households present than the village has on record (when it has any)."""
        if self.target_id is None:
            return
        errors = {}
        year = self.target.year
        if self.date and self.date < year.start_date:
            errors["date"] = _(
                "The date is outside fiscal year %(year)s of this target village."
            ) % {"year": year.pk}
        elif self.date and self.date > year.end_date and not self._held_as_followup():
            errors["date"] = _(
                "The date is in fiscal year %(day_year)s, after fiscal year %(year)s of this "
                "target village: only the officer the district head gave its follow-up to "
                "logs visits to it in a later year."
            ) % {"year": year.pk, "day_year": fiscal_year_of(self.date)}
        if self.household_count:
            on_record = self.target.households.filter(is_neighbour=False).count()
            if on_record and self.household_count > on_record:
                errors["household_count"] = _(
                    "The village has %(n)d target households on record, so no more can "
                    "have taken part. Add the others to its households first."
                ) % {"n": on_record}
        if errors:
            raise ValidationError(errors)

    def _held_as_followup(self) -> bool:
        """Whether the visit's officer holds a follow-up of its target on its date."""
        return (
            self.officer_id is not None
            and FollowUp.objects.live_on(self.date)
            .filter(target_id=self.target_id, officer_id=self.officer_id)
            .exists()
        )


def photo_path(instance, filename: str) -> str:
    # Random names: a photo's address must not be guessable (photos are served only after a
    # scope check, but the files should not leak through a misconfigured web server either).
    return f"visits/{instance.visit.date:%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(
        FieldVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    display = models.ImageField(_("photo for display"), upload_to=photo_path)
    thumb = models.ImageField(_("thumbnail"), upload_to=photo_path)
    kept_location = models.BooleanField(
        _("location kept"),
        default=False,
        help_text=_("The photo's own GPS position was kept on purpose."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    change_district = "visit__target__district_id"

    class Meta:
        db_table = "assignments_visitphoto"
        ordering = ["pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit} #{self.pk}"


class VisitAdvice(Synced):
    """The district head's advice on a visit; the officer sees it until they have read it."""

    visit = models.ForeignKey(
        FieldVisit, on_delete=models.CASCADE, related_name="advice", verbose_name=_("visit")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    text = models.TextField(_("advice"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    change_district = "visit__target__district_id"

    class Meta:
        db_table = "assignments_visitadvice"
        ordering = ["created_at"]
        verbose_name = _("advice")
        verbose_name_plural = _("advice")

    def __str__(self) -> str:
        return self.text[:50]


# --- People of the target village ------------------------------------------------------------


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Team leader (the sage)")
    MEMBER = "member", _("Member")


class SupportTeamMember(models.Model):
    """ทีมวิทยากร: about five villagers per target village and year; the sage leads it."""

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="team",
        verbose_name=_("target village"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)
    sage = models.ForeignKey(
        Sage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("sage"),
        help_text=_("For the leader: the sage's record."),
    )
    phone = PhoneField(_("phone"), max_length=30, blank=True)

    change_district = "target__district_id"

    class Meta:
        db_table = "assignments_supportteammember"
        ordering = ["role", by_given_name()]
        verbose_name = _("support team member")
        verbose_name_plural = _("support team members")
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(role="leader"), name="assignments_team_one_leader"
            ),
            models.CheckConstraint(
                condition=Q(role="member") | Q(sage__isnull=False),
                name="assignments_team_leader_is_a_sage",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HouseholdQuerySet(models.QuerySet):
    def with_income(self):
        """Each household with its baseline income (``baseline_income``), its latest follow-up
        round's income and date (``latest_income``, ``latest_date``) and their difference
        (``income_gain``, None until both exist): correlated subqueries on the rounds'
        (household, date) index, so aggregates over them stay one query."""
        rounds = IncomeRound.objects.filter(household=models.OuterRef("pk"))
        baseline = rounds.filter(kind=IncomeKind.BASELINE).order_by("date")
        latest = rounds.filter(kind=IncomeKind.FOLLOWUP).order_by("-date")
        money = models.DecimalField(max_digits=10, decimal_places=2)
        return self.annotate(
            baseline_income=models.Subquery(baseline.values("income")[:1], output_field=money),
            latest_income=models.Subquery(latest.values("income")[:1], output_field=money),
            latest_date=models.Subquery(latest.values("date")[:1]),
        ).annotate(
            income_gain=models.ExpressionWrapper(
                models.F("latest_income") - models.F("baseline_income"), output_field=money
            )
        )

    def with_participation(self):
        """Each household with the number of activities it came to (``participation``)."""
        came = (
            Attendance.objects.filter(household=models.OuterRef("pk"))
            .values("household")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            participation=Coalesce(models.Subquery(came), 0, output_field=models.IntegerField())
        )

    def visible_to(self, user):
        """Villagers' names and incomes stay inside the district, household by household.

        Provincial and department staff see households only as figures (counts, sums) on
        their pages.
        """
        scope = scope_of(user)
        if scope.admin:
            return self
        if scope.district_id:
            return self.filter(target__district_id=scope.district_id)
        return self.none()


class Household(models.Model):
    """ครัวเรือนสัมมาชีพ: a target household (about 20 per village) or a neighbour who joined."""

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("target village"),
    )
    head_name = models.CharField(_("head of household"), max_length=200)
    livelihood = models.CharField(_("livelihood taken up"), max_length=200)
    still_practising = models.BooleanField(
        _("still practising at follow-up"), null=True, blank=True
    )
    is_neighbour = models.BooleanField(
        _("neighbouring household"),
        default=False,
        help_text=_("Not in the target group: joined later (the spread)."),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    change_district = "target__district_id"

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords(
        table_name="assignments_historicalhousehold",
        verbose_name=_("history of a household"),
        verbose_name_plural=_("history of households"),
    )

    class Meta:
        db_table = "assignments_household"
        ordering = ["is_neighbour", "head_name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.head_name

    def income_change(self, rounds=None) -> Decimal | None:
        """The latest follow-up round's monthly income minus the baseline's; None until the
        household has both. ``rounds``: its rounds when already fetched (a prefetch)."""
        rounds = list(self.income_rounds.all() if rounds is None else rounds)
        return income_change_of(rounds)


def income_change_of(rounds) -> Decimal | None:
    """Latest follow-up income minus the baseline's, from a household's rounds (any order)."""
    baseline = min(
        (r for r in rounds if r.kind == IncomeKind.BASELINE), key=lambda r: r.date, default=None
    )
    latest = max(
        (r for r in rounds if r.kind == IncomeKind.FOLLOWUP), key=lambda r: r.date, default=None
    )
    if baseline is None or latest is None:
        return None
    return latest.income - baseline.income


class IncomeKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FOLLOWUP = "followup", _("Follow-up")


class IncomeRound(models.Model):
    """A household's monthly income on a day: the baseline, then follow-ups (6, 12 months…).

    The change is never stored: it is the latest follow-up minus the baseline
    (``HouseholdQuerySet.with_income``, ``Household.income_change``)."""

    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="income_rounds",
        verbose_name=_("household"),
    )
    date = models.DateField(_("date of the round"))
    kind = models.CharField(
        pgettext_lazy("income round", "round"),
        max_length=10,
        choices=IncomeKind.choices,
        default=IncomeKind.FOLLOWUP,
    )
    income = models.DecimalField(
        _("monthly income (baht)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    change_district = "household__target__district_id"

    class Meta:
        ordering = ["household", "date"]
        verbose_name = _("income round")
        verbose_name_plural = _("income rounds")
        constraints = [
            # also the index of with_income's subqueries: a household's rounds by date
            models.UniqueConstraint(
                fields=["household", "date"], name="fieldwork_incomeround_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(kind="baseline"),
                name="fieldwork_incomeround_one_baseline",
            ),
            models.CheckConstraint(
                condition=Q(income__gte=0), name="fieldwork_incomeround_income_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {format_be_input(self.date)}: {self.income}"


class GroupStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class LivelihoodGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))


class LivelihoodGroup(models.Model):
    """กลุ่มอาชีพ: a village's occupation group; its members are households of the village,
    target or not, and a household may belong to several groups."""

    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("target village"),
    )
    name = models.CharField(_("name of the group"), max_length=200)
    livelihood = models.CharField(_("livelihood"), max_length=200)
    products = models.CharField(_("products"), max_length=300, blank=True)
    markets = models.CharField(
        _("where they sell"), max_length=300, blank=True, help_text=_("Markets, shops, online…")
    )
    monthly_sales = models.DecimalField(
        _("monthly sales (baht)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.FORMING
    )
    support = models.TextField(
        _("support received"), blank=True, help_text=_("From whom, what, when.")
    )
    members = models.ManyToManyField(
        Household, blank=True, related_name="groups", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    change_district = "target__district_id"

    objects = LivelihoodGroupQuerySet.as_manager()

    class Meta:
        ordering = ["target", "name"]
        verbose_name = _("livelihood group")
        verbose_name_plural = _("livelihood groups")
        constraints = [
            models.UniqueConstraint(fields=["target", "name"], name="fieldwork_group_name_once"),
            models.CheckConstraint(
                condition=Q(monthly_sales__isnull=True) | Q(monthly_sales__gte=0),
                name="fieldwork_group_sales_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """A household came to a visit's activity: the sign-in sheet offices keep as evidence
    for meal and training costs."""

    visit = models.ForeignKey(
        FieldVisit, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("visit")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("household"),
    )

    change_district = "visit__target__district_id"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["visit", "household"], name="fieldwork_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.household} @ {self.visit_id}"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PartnerSupportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))


class PartnerSupport(Synced):
    """A partner agency's project in a target village, or for one of its livelihood groups:
    what it supports, with money or in kind, when, how it stands and what came of it."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="supports", verbose_name=_("partner")
    )
    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="partner_supports",
        verbose_name=_("target village"),
    )
    group = models.ForeignKey(
        LivelihoodGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_projects",
        verbose_name=_("livelihood group"),
        help_text=_("When the project backs one group of the village."),
    )
    project = models.CharField(
        _("what it supports"), max_length=300, blank=True, help_text=_("What the partner backs.")
    )
    amount = models.DecimalField(
        _("amount (baht)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    in_kind = models.CharField(
        _("in kind"), max_length=300, blank=True, help_text=_("Equipment, training, a market…")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    result = models.TextField(_("result"), blank=True, help_text=_("What came of it."))

    change_district = "target__district_id"

    objects = PartnerSupportQuerySet.as_manager()

    class Meta:
        db_table = "assignments_partnersupport"
        verbose_name = _("partner project")
        verbose_name_plural = _("partner projects")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "target", "project"], name="assignments_support_once"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="fieldwork_partnersupport_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="fieldwork_partnersupport_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.target}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The project ends before it starts.")
        if self.group_id and self.target_id and self.group.target_id != self.target_id:
            errors["group"] = _("The group is not of this village.")
        if errors:
            raise ValidationError(errors)


# The villages' money: a module of its own (fieldwork/budget.py), imported here so Django
# finds its models.
from fieldwork.budget import (  # noqa: E402, F401
    AdvanceRule,
    BudgetLine,
    Disbursement,
    DisbursementKind,
    QuarterTargets,
    SpendingCategory,
)
