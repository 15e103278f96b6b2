"""Named operations on the work in the target villages: visits and the head's advice, the
not-visited thresholds, each village's support team, households and partner support."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.access import can_edit_target
from assignments.models import Stage, TargetVillage
from districts import changes
from districts.lib import balance
from districts.models import District, can_manage_district
from fieldwork import notices
from fieldwork.access import loggable_targets
from fieldwork.models import (
    Attendance,
    FieldVisit,
    Household,
    IncomeKind,
    IncomeRound,
    LivelihoodGroup,
    NeglectThreshold,
    PartnerSupport,
    SupportTeamMember,
    TeamRole,
    VisitAdvice,
    VisitPhoto,
)


@dataclass(frozen=True)
class LoggedVisit:
    visit: FieldVisit
    repeated: bool  # the same form sent again: the visit was saved the first time


@transaction.atomic
def visit_log(
    *, user, target: TargetVillage, photos: list | None = None, change_reason: str = "", **fields
) -> LoggedVisit:
    """Record a visit, its photos, and move the village on to the visit's stage if later.

    A form sent again with the same ``submission`` token finds the visit it saved the first
    time (``repeated``) and writes nothing.
    """
    officer = user.officer_or_none
    if not loggable_targets(user).filter(pk=target.pk).exists():
        raise PermissionDenied
    # Lock the village's row before anything else: two phones sending visits to one village
    # at once queue here, so the later stage always wins (taking the lock after inserting the
    # visit could deadlock against the other insert's foreign-key lock).
    locked = TargetVillage.objects.select_for_update().only("stage_id").get(pk=target.pk)
    if fields.get("submission"):  # the same form sent again (a double tap, a retry)
        repeated = FieldVisit.objects.filter(
            submission=fields["submission"], officer=officer
        ).first()
        if repeated is not None:
            return LoggedVisit(visit=repeated, repeated=True)
    visit = FieldVisit(target=target, officer=officer, **fields)
    tambon = target.village.tambon
    if visit.lat is not None and visit.lon is not None and tambon.lat is not None:
        visit.distance_km = (
            balance.haversine_m((visit.lat, visit.lon), (tambon.lat, tambon.lon)) / 1000
        )
        visit.far_from_village = visit.distance_km > settings.VISIT_FAR_KM
    visit.full_clean()
    if change_reason:  # django-simple-history keeps it with the record (the audit log shows it)
        visit._change_reason = change_reason
    visit.save()
    for photo in photos or []:
        record = VisitPhoto(visit=visit, kept_location=photo.kept_location)
        record.image.save("photo.jpg", ContentFile(photo.original), save=False)
        record.display.save("display.jpg", ContentFile(photo.display), save=False)
        record.thumb.save("thumb.jpg", ContentFile(photo.thumb), save=False)
        record.save()
    # A later stage moves the village on; an earlier one (a late record) never moves it back.
    current = Stage.objects.filter(pk=locked.stage_id).values_list("order", flat=True).first()
    if current is None or current < visit.stage.order:
        # no bump: the visit's own save recorded a change in this district, in this transaction
        TargetVillage.objects.filter(pk=target.pk).update(
            stage=visit.stage, updated_at=timezone.now()
        )
    return LoggedVisit(visit=visit, repeated=False)


@transaction.atomic
def advice_add(*, visit: FieldVisit, user, text: str, needs_more=False, needs_more_reason=""):
    if not can_manage_district(user, visit.target.district_id):
        raise PermissionDenied
    advice = VisitAdvice.objects.create(visit=visit, author=user, text=text.strip())
    visit.needs_more = needs_more
    visit.needs_more_reason = needs_more_reason.strip() if needs_more else ""
    visit.save(update_fields=["needs_more", "needs_more_reason"])
    notices.advice_given(advice)
    return advice


@transaction.atomic
def advice_mark_read(*, visit: FieldVisit, user) -> int:
    """The visit's officer opened it: their unread advice is read now."""
    if visit.officer.user_id != user.pk:
        return 0
    read = VisitAdvice.objects.filter(visit=visit, read_at__isnull=True).update(
        read_at=timezone.now(), updated_at=timezone.now()
    )
    if read:
        changes.record([visit.target.district_id])
    return read


# --- Not-visited thresholds ------------------------------------------------------------------

THRESHOLD_DAYS = range(1, 366)


@transaction.atomic
def thresholds_set(*, district: District, days: dict[int, int], actor) -> None:
    """The district office's own "not visited in N days", per stage id: every stage's, or
    none."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    stages = {s.pk: s for s in Stage.objects.filter(pk__in=days)}
    if stages.keys() != days.keys() or any(d not in THRESHOLD_DAYS for d in days.values()):
        raise ValidationError(_("Enter a number of days from 1 to 365."))
    for stage_id, n in days.items():
        NeglectThreshold.objects.update_or_create(
            district=district, stage=stages[stage_id], defaults={"days": n}
        )


# --- The village's support team, households and partners -------------------------------------


def _check_can_edit(actor, target: TargetVillage) -> None:
    if not can_edit_target(actor, target):
        raise PermissionDenied


@transaction.atomic
def team_member_add(*, member: SupportTeamMember, actor) -> SupportTeamMember:
    """Add a member to a village's support team; its leader is the village's sage."""
    _check_can_edit(actor, member.target)
    member.full_clean()
    if member.sage and member.sage.district_id != member.target.district_id:
        raise ValidationError({"sage": _("The sage is not of this village's district.")})
    member.save()
    if member.role == TeamRole.LEADER:
        target = member.target
        TargetVillage.objects.filter(pk=target.pk).update(
            sage=member.sage, updated_at=timezone.now()
        )
        changes.record([target.district_id])
    return member


@transaction.atomic
def team_member_remove(*, member: SupportTeamMember, actor) -> None:
    _check_can_edit(actor, member.target)
    member.delete()


@transaction.atomic
def partner_support_save(*, support: PartnerSupport, actor) -> PartnerSupport:
    """Add or change a partner's project in a village (or for one of its groups); the partner
    is of the village's district."""
    _check_can_edit(actor, support.target)
    support.full_clean()
    if support.partner.district_id != support.target.district_id:
        raise ValidationError({"partner": _("The partner is not of this village's district.")})
    support.save()
    return support


partner_support_add = partner_support_save  # the name the earlier callers use


@transaction.atomic
def household_save(
    *, household: Household, actor, baseline_income=None, baseline_date=None
) -> Household:
    """Add or change a household of a target village the actor may edit; a new one comes
    with its baseline round when ``baseline_income`` is given."""
    household.full_clean()
    _check_can_edit(actor, household.target)
    new = household.pk is None
    household._history_user = actor
    household.save()
    if new and baseline_income is not None:
        income_round_add(
            round=IncomeRound(
                household=household,
                kind=IncomeKind.BASELINE,
                date=baseline_date or timezone.localdate(),
                income=baseline_income,
            ),
            actor=actor,
        )
    return household


@transaction.atomic
def income_round_add(*, round: IncomeRound, actor) -> IncomeRound:
    """Record a household's income on a day, as recorded by ``actor``: one baseline, then
    follow-ups after it, at most one round a day."""
    household = Household.objects.select_for_update().get(pk=round.household_id)
    _check_can_edit(actor, household.target)
    round.household = household
    round.recorded_by = actor
    round.recorded_at = timezone.now()
    round.full_clean()
    rounds = IncomeRound.objects.filter(household=household)
    baseline = rounds.filter(kind=IncomeKind.BASELINE).first()
    if round.kind == IncomeKind.BASELINE and baseline is not None:
        raise ValidationError({"kind": _("This household has its baseline already.")})
    if round.kind == IncomeKind.FOLLOWUP and (baseline is None or round.date <= baseline.date):
        raise ValidationError({"date": _("A follow-up comes after the baseline.")})
    round.save()
    return round


@transaction.atomic
def group_save(*, group: LivelihoodGroup, members, actor) -> LivelihoodGroup:
    """Add or change a village's livelihood group and its members, households of the same
    village (target or neighbouring)."""
    _check_can_edit(actor, group.target)
    members = list(members)
    if any(h.target_id != group.target_id for h in members):
        raise ValidationError({"members": _("A member is not a household of this village.")})
    group.updated_at = timezone.now()
    group.full_clean()
    group.save()
    group.members.set(members)
    return group


@transaction.atomic
def attendance_set(*, visit: FieldVisit, households, actor) -> int:
    """Record which households came to a visit's activity (the sign-in sheet): the given
    ones, replacing what was recorded. The visit's count of target households present
    follows the sheet. Returns the number present."""
    _check_can_edit(actor, visit.target)
    households = list(households)
    if any(h.target_id != visit.target_id for h in households):
        raise ValidationError(_("A household is not of this visit's village."))
    Attendance.objects.filter(visit=visit).exclude(household__in=households).delete()
    have = set(Attendance.objects.filter(visit=visit).values_list("household_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(visit=visit, household=h) for h in households if h.pk not in have]
    )
    present = sum(1 for h in households if not h.is_neighbour)
    FieldVisit.objects.filter(pk=visit.pk).update(
        household_count=present, updated_at=timezone.now()
    )
    changes.record([visit.target.district_id])
    return len(households)
