"""The programme year: fiscal years, stages, target villages."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import (
    District,
    Officer,
    Partner,
    PhoneField,
    Sage,
    Village,
    by_given_name,
    localized,
    scope_of,
)
from districts.thai import fiscal_year_bounds, fiscal_year_of, format_be_input


class FiscalYear(models.Model):
    """A Thai fiscal year, named by its Buddhist-era year: FY2560 = 1 Oct 2016 - 30 Sep 2017."""

    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), primary_key=True)

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


class TargetVillage(models.Model):
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
    budget_spent = models.DecimalField(
        _("budget spent (baht)"),
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
                condition=Q(budget_allocated__gte=0) & Q(budget_spent__gte=0),
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

    @property
    def budget_left(self):
        return self.budget_allocated - self.budget_spent


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


# --- Field work ------------------------------------------------------------------------------


class NeglectThreshold(models.Model):
    """A district office's own "not visited in N days" for a stage (default: the stage's)."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="+", verbose_name=_("stage")
    )
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])

    class Meta:
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
        """What a visit list row shows, in one query."""
        return self.select_related("target__village__tambon", "officer__user", "stage").order_by(
            "-date", "-created_at"
        )


class FieldVisit(models.Model):
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
    # The form's one-time token: a double tap or a phone's retry of the same POST finds the
    # visit the first one saved instead of saving it twice.
    submission = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False
    )

    objects = FieldVisitQuerySet.as_manager()

    class Meta:
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
        its target's fiscal year, and no more target households present than the village
        has on record (when it has any on record)."""
        if self.target_id is None:
            return
        errors = {}
        year = self.target.year
        if self.date and not year.start_date <= self.date <= year.end_date:
            errors["date"] = _(
                "The date is outside fiscal year %(year)s of this target village."
            ) % {"year": year.pk}
        if self.household_count:
            on_record = self.target.households.filter(is_neighbour=False).count()
            if on_record and self.household_count > on_record:
                errors["household_count"] = _(
                    "The village has %(n)d target households on record, so no more can "
                    "have taken part. Add the others to its households first."
                ) % {"n": on_record}
        if errors:
            raise ValidationError(errors)


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

    class Meta:
        ordering = ["pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return f"{self.visit} #{self.pk}"


class VisitAdvice(models.Model):
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

    class Meta:
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

    class Meta:
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
    def visible_to(self, user):
        """Villagers' names and incomes stay inside the district, household by household.

        Provincial staff see households only as figures (counts, sums) on their pages.
        """
        scope = scope_of(user)
        if scope.everything:
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
    baseline_income = models.DecimalField(
        _("monthly income before (baht)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    still_practising = models.BooleanField(
        _("still practising at follow-up"), null=True, blank=True
    )
    followup_income = models.DecimalField(
        _("monthly income at follow-up (baht)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_neighbour = models.BooleanField(
        _("neighbouring household"),
        default=False,
        help_text=_("Not in the target group: joined later (the spread)."),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of a household"),
        verbose_name_plural=_("history of households"),
    )

    class Meta:
        ordering = ["is_neighbour", "head_name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_income__gte=0)
                & (Q(followup_income__isnull=True) | Q(followup_income__gte=0)),
                name="assignments_household_income_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.head_name

    @property
    def income_change(self):
        if self.followup_income is None:
            return None
        return self.followup_income - self.baseline_income


class PartnerSupport(models.Model):
    """A partner agency backs a target village, or a follow-up project in it."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="supports", verbose_name=_("partner")
    )
    target = models.ForeignKey(
        TargetVillage,
        on_delete=models.CASCADE,
        related_name="partner_supports",
        verbose_name=_("target village"),
    )
    project = models.CharField(
        _("follow-up project"), max_length=300, blank=True, help_text=_("What the partner backs.")
    )

    class Meta:
        verbose_name = _("partner support")
        verbose_name_plural = _("partner supports")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "target", "project"], name="assignments_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.target}"


# --- Spreadsheet imports ---------------------------------------------------------------------


class ImportKind(models.TextChoices):
    VILLAGES = "villages", _("Villages (master list)")
    TARGETS = "targets", _("Target villages of a fiscal year")
    OFFICERS = "officers", _("Officers and their tambons")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking")
    PREVIEW = "preview", _("Preview")
    APPLYING = "applying", _("Applying")
    APPLIED = "applied", _("Applied")
    REFUSED = "refused", _("Refused")


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.province_id and not scope.district_id:
            return self.filter(uploaded_by=user)
        return self.none()


class ImportBatch(models.Model):
    """One uploaded file: previewed, then applied whole or not at all."""

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("fiscal year")
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        help_text=_("Empty for an import from the command line."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    changed_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    report = models.JSONField(
        _("check report"),
        default=dict,
        editable=False,
        help_text=_("The file error, the rows to show, and every refused row's reasons."),
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"
