"""What happens in the target villages: visits, their photos and the head's advice, the
not-visited thresholds, each village's support team, households and partner support.

The tables kept their names (``assignments_*``) when the models moved here from
``assignments``.
"""

from __future__ import annotations

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

from assignments.models import FollowUp, Stage, TargetVillage
from districts.lib.thai import fiscal_year_of, format_be_input
from districts.models import District, Officer, PhoneField, by_given_name, scope_of
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

    change_district = "target__district_id"

    objects = FieldVisitQuerySet.as_manager()

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

    change_district = "target__district_id"

    class Meta:
        db_table = "assignments_partnersupport"
        verbose_name = _("partner support")
        verbose_name_plural = _("partner supports")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "target", "project"], name="assignments_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} → {self.target}"
