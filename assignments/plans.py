"""The district's plan and its team meetings (models; imported by assignments/models.py).

- ``StageDeadline``: the department's deadline for a programme stage in a fiscal year (no
  province), or a province's own, which may only be earlier (a province hurries its districts,
  it never gives them more time than the department does). A district's deadline for a stage is
  its province's if there is one, else the department's (``effective_deadlines``).
- ``PlannedDate``: the day a district plans a target village to reach a stage; set by the
  district head for any target of the district, or by the officer holding the village.
- ``Meeting`` and ``MeetingAction``: the district team's monthly meeting (date, agenda, who
  attended, decisions) and its follow-up actions, each with an owner of the district's staff
  and a due date, shown until the owner or the head marks it done. The head writes meetings;
  every member of the district reads them.

What was actually reached comes from the visits (fieldwork), so the plan page that puts the
three together lives in fieldwork (``fieldwork.plan``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.lib.thai import fiscal_year_bounds, format_be_input
from districts.models import District, Officer, Province, Role, scope_of


class StageDeadlineQuerySet(models.QuerySet):
    def for_district(self, district_id: str, year: int):
        """The department's deadlines of a year and those of the district's province."""
        return self.filter(Q(province__isnull=True) | Q(province_id=district_id[:2]), year_id=year)


class StageDeadline(models.Model):
    """The day by which target villages should reach a stage in a fiscal year."""

    year = models.ForeignKey(
        "assignments.FiscalYear",
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("fiscal year"),
    )
    stage = models.ForeignKey(
        "assignments.Stage",
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("stage"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("province"),
        help_text=_(
            "Empty: the department's deadline for the whole country. A province's own "
            "deadline may be earlier than the department's, never later."
        ),
    )
    due = models.DateField(_("deadline"))
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )

    # a deadline shows on the plan of every district of its province (or of the country)
    change_district = None

    objects = StageDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["year_id", "stage__order", "province_id"]
        verbose_name = _("stage deadline")
        verbose_name_plural = _("stage deadlines")
        constraints = [
            # two partial constraints rather than one with NULLS NOT DISTINCT, which SQLite
            # does not know: one department deadline, one per province, per year and stage
            models.UniqueConstraint(
                fields=["year", "stage"],
                condition=Q(province__isnull=True),
                name="assignments_stagedeadline_one_department",
            ),
            models.UniqueConstraint(
                fields=["year", "stage", "province"],
                condition=Q(province__isnull=False),
                name="assignments_stagedeadline_one_per_province",
            ),
        ]

    def __str__(self) -> str:
        where = self.province_id or _("department")
        return f"{self.year_id} {self.stage_id} {where}: {format_be_input(self.due)}"

    def clean(self):
        if self.year_id is None or self.due is None:
            return
        first, last = fiscal_year_bounds(self.year_id)
        if not first <= self.due <= last:
            raise ValidationError(
                {
                    "due": _("The deadline must fall in fiscal year %(year)s (%(first)s–%(last)s).")
                    % {
                        "year": self.year_id,
                        "first": format_be_input(first),
                        "last": format_be_input(last),
                    }
                }
            )
        if self.province_id and self.stage_id:
            department = (
                StageDeadline.objects.filter(
                    year_id=self.year_id, stage_id=self.stage_id, province__isnull=True
                )
                .values_list("due", flat=True)
                .first()
            )
            if department and self.due > department:
                raise ValidationError(
                    {
                        "due": _(
                            "A province's deadline may be earlier than the department's "
                            "(%(due)s), not later."
                        )
                        % {"due": format_be_input(department)}
                    }
                )


def effective_deadlines(district_id: str, year: int) -> dict:
    """A district's deadline per stage id: its province's where the province set one, else
    the department's (a province may only set an earlier one: ``StageDeadline.clean``)."""
    department, province = {}, {}
    for row in StageDeadline.objects.for_district(district_id, year):
        (province if row.province_id else department)[row.stage_id] = row.due
    return {**department, **province}


class PlannedDateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("target__district"))


class PlannedDate(models.Model):
    """The day the district plans a target village to reach a stage."""

    target = models.ForeignKey(
        "assignments.TargetVillage",
        on_delete=models.CASCADE,
        related_name="planned_dates",
        verbose_name=_("target village"),
    )
    stage = models.ForeignKey(
        "assignments.Stage",
        on_delete=models.CASCADE,
        related_name="planned_dates",
        verbose_name=_("stage"),
    )
    date = models.DateField(_("planned date"))
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )

    change_district = "target__district_id"

    objects = PlannedDateQuerySet.as_manager()

    class Meta:
        ordering = ["target_id", "stage__order"]
        verbose_name = _("planned date")
        verbose_name_plural = _("planned dates")
        constraints = [
            models.UniqueConstraint(
                fields=["target", "stage"], name="assignments_planneddate_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.stage_id}: {format_be_input(self.date)}"

    def clean(self):
        if self.target_id is None or self.date is None:
            return
        first, last = fiscal_year_bounds(self.target.year_id)
        if not first <= self.date <= last:
            raise ValidationError(
                {
                    "date": _(
                        "The planned date must fall in fiscal year %(year)s of the village "
                        "(%(first)s–%(last)s)."
                    )
                    % {
                        "year": self.target.year_id,
                        "first": format_be_input(first),
                        "last": format_be_input(last),
                    }
                }
            )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))

    def in_year(self, year: int):
        first, last = fiscal_year_bounds(year)
        return self.filter(date__range=(first, last))


class Meeting(models.Model):
    """The district team's monthly meeting, where the head builds shared understanding."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("district")
    )
    date = models.DateField(_("meeting date"))
    agenda = models.TextField(_("agenda"))
    attendees = models.ManyToManyField(
        Officer, blank=True, related_name="meetings", verbose_name=_("who attended")
    )
    decisions = models.TextField(_("decisions"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    change_district = "district_id"

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")
        indexes = [
            # a district's meetings of a fiscal year, newest first (the meeting list)
            models.Index(fields=["district", "-date"], name="assign_meeting_district_date"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {format_be_input(self.date)}"


def district_staff(district_id: str):
    """Who can attend a district's meetings and own its actions: its active head and officers."""
    return Officer.objects.filter(
        district_id=district_id, is_active=True, role__in=[Role.HEAD, Role.OFFICER]
    )


class MeetingActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("meeting__district"))

    def open(self):
        return self.filter(done_at__isnull=True)

    def for_list(self):
        """An open-actions list row: the owner's name and the meeting's date, one query."""
        return self.select_related("owner__user", "meeting").order_by("due", "pk")


class MeetingAction(models.Model):
    """A follow-up action decided at a meeting: what, who owns it, by when; shown until done."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="meeting_actions",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )

    change_district = "meeting__district_id"

    objects = MeetingActionQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("meeting action")
        verbose_name_plural = _("meeting actions")
        indexes = [
            # an owner's open actions (the officer's home)
            models.Index(
                fields=["owner", "due"],
                condition=Q(done_at__isnull=True),
                name="assign_action_owner_open",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def clean(self):
        if self.owner_id is None or self.meeting_id is None:
            return
        if not district_staff(self.meeting.district_id).filter(pk=self.owner_id).exists():
            raise ValidationError(
                {"owner": _("The owner must be a member of the district's staff.")}
            )
