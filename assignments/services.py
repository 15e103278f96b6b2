"""Named operations on the programme year. Views, admin, commands and tests all call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assignments import notices
from assignments.access import can_edit_plan, can_set_deadlines, district_field_officers
from assignments.models import (
    AssignmentOrder,
    FiscalYear,
    FollowUp,
    TargetVillage,
    VillageAssignment,
)
from assignments.plans import Meeting, MeetingAction, PlannedDate, StageDeadline
from districts import changes
from districts.lib import balance
from districts.models import (
    Officer,
    Role,
    Tambon,
    TambonResponsibility,
    can_manage_district,
)

# --- The district's plan and its team meetings (assignments/plans.py) ------------------------


@transaction.atomic
def planned_dates_set(*, target: TargetVillage, dates: dict, actor) -> int:
    """Set a target village's planned date for each stage (``{stage: date or None}``; None
    clears it). The head of the district, or the officer holding the village
    (``access.can_edit_plan``). Every date is checked before any is written. Returns how
    many rows changed."""
    if not can_edit_plan(actor, target):
        raise PermissionDenied
    return _dated_per_stage(
        PlannedDate.objects.filter(target=target),
        dates,
        new=lambda stage: PlannedDate(target=target, stage=stage),
        field="date",
        exclude=["target", "stage"],
        actor=actor,
    )


@transaction.atomic
def deadlines_set(*, year: int, province_id: str | None, dates: dict, actor) -> int:
    """Set or clear (None) the deadline of each stage (``{stage: date or None}``) of a fiscal
    year: the department's (``province_id`` None; the system admin) or a province's own (its
    provincial staff or the admin), which may only be earlier than the department's
    (``StageDeadline.clean``). Every date is checked before any is written; returns how many
    rows changed."""
    if not can_set_deadlines(actor, province_id):
        raise PermissionDenied
    FiscalYear.objects.get_or_create(year=year)
    return _dated_per_stage(
        StageDeadline.objects.filter(year_id=year, province_id=province_id),
        dates,
        new=lambda stage: StageDeadline(year_id=year, stage=stage, province_id=province_id),
        field="due",
        exclude=["year", "stage", "province"],
        actor=actor,
    )


def _dated_per_stage(rows, values: dict, *, new, field: str, exclude: list[str], actor) -> int:
    """Set or clear (None) the date ``field`` of one row a stage among ``rows``
    (``{stage: date or None}``), made by ``new(stage)`` where missing. Every date is checked
    by the model before any is written (errors by stage code); returns how many rows
    changed."""
    existing = {row.stage_id: row for row in rows}
    to_save, to_delete, errors = [], [], {}
    for stage, value in values.items():
        row = existing.get(stage.pk)
        if value is None:
            if row is not None:
                to_delete.append(row.pk)
            continue
        if row is not None and getattr(row, field) == value:
            continue
        row = row or new(stage)
        setattr(row, field, value)
        row.set_by, row.set_at = actor, timezone.now()
        try:
            row.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            errors[stage.code] = error.messages
            continue
        to_save.append(row)
    if errors:
        raise ValidationError(errors)
    rows.model.objects.filter(pk__in=to_delete).delete()
    for row in to_save:
        row.save()
    return len(to_save) + len(to_delete)


@transaction.atomic
def meeting_save(*, meeting: Meeting, attendees, actions: list[MeetingAction], actor) -> Meeting:
    """Record or change a team meeting with who attended and its new actions: the district's
    head (or the admin) only. The actions' owners must be the district's staff."""
    if not can_manage_district(actor, meeting.district_id):
        raise PermissionDenied
    if meeting.pk is None:
        meeting.created_by = actor
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    for action in actions:
        action.meeting = meeting
        action.full_clean()
        action.save()
    return meeting


@transaction.atomic
def meeting_action_done(*, action: MeetingAction, actor, done: bool = True) -> MeetingAction:
    """Mark an action done (or open again): its owner, or the district's head."""
    owner = action.owner
    is_owner = owner.user_id == actor.pk and owner.is_active
    if not (is_owner or can_manage_district(actor, action.meeting.district_id)):
        raise PermissionDenied
    action.done_at = timezone.now() if done else None
    action.done_by = actor if done else None
    action.save(update_fields=["done_at", "done_by"])
    return action


# --- Assignments -----------------------------------------------------------------------------


class BoardChanged(Exception):
    """Someone changed these villages since the page showed them: nothing was written."""

    def __init__(self, targets):
        super().__init__(f"{len(targets)} target villages changed meanwhile")
        self.targets = targets


@transaction.atomic
def assignment_change(
    *,
    district,
    target_ids: list[int],
    officer: Officer | None,
    actor,
    expected: dict[int, int | None] | None = None,
) -> int:
    """Give target villages to ``officer`` (or to nobody). Returns how many changed.

    ``expected`` maps each target to the officer the page showed for it; if any differs now,
    ``BoardChanged`` is raised and nothing is written (two heads' browsers: one wins, the
    other is told). The target rows are locked, so concurrent changes queue on PostgreSQL;
    the partial unique index keeps one active officer per target whatever happens.
    """
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    if officer is not None and not (
        officer.district_id == district.pk and officer.is_active and officer.role == Role.OFFICER
    ):
        raise ValidationError(_("Villages can only go to an active officer of this district."))
    ids = sorted(set(target_ids))
    locked = list(
        TargetVillage.objects.select_for_update()
        .filter(pk__in=ids, district=district)
        .only("pk", "year_id")
    )
    if len(locked) != len(ids):
        raise ValidationError(_("Some of the villages are not target villages of this district."))
    current = {a.target_id: a for a in VillageAssignment.objects.active().filter(target_id__in=ids)}
    if expected is not None:
        # a village that already has the officer asked for is no conflict: the same change
        # sent twice (a double tap, a retry on a bad line) is done, not refused
        wanted = officer.pk if officer else None
        changed = [
            t
            for t in ids
            if (current[t].officer_id if t in current else None) not in (expected.get(t), wanted)
        ]
        if changed:
            raise BoardChanged(changed)
    now = timezone.now()
    ending, starting, changed = [], [], 0
    for target_id in ids:
        before = current.get(target_id)
        if (before.officer_id if before else None) == (officer.pk if officer else None):
            continue
        changed += 1
        if before:
            before.ended_at, before.ended_by = now, actor
            ending.append(before)
        if officer:
            starting.append(
                VillageAssignment(
                    target_id=target_id,
                    officer=officer,
                    pinned=before.pinned if before else False,
                    assigned_at=now,
                    assigned_by=actor,
                )
            )
    if ending:
        bulk_update_with_history(
            ending, VillageAssignment, ["ended_at", "ended_by"], default_user=actor
        )
    if starting:
        bulk_create_with_history(starting, VillageAssignment, default_user=actor)
    if changed:
        changes.record([district.pk])
        notices.assignments_changed(district=district, started=starting, ended=ending)
    return changed


@transaction.atomic
def assignment_pin(*, district, target_id: int, pinned: bool, actor) -> VillageAssignment:
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    assignment = (
        VillageAssignment.objects.active()
        .select_for_update()
        .filter(target_id=target_id, target__district=district)
        .first()
    )
    if assignment is None:
        raise ValidationError(_("Only an assigned village can be pinned."))
    assignment.pinned = pinned
    assignment._history_user = actor
    assignment.save(update_fields=["pinned"])
    return assignment


@transaction.atomic
def tambons_set(*, district, officer: Officer, tambon_ids: list[str], actor, order_number=""):
    """Make ``tambon_ids`` the tambons ``officer`` answers for (the first kind of work)."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    if officer.district_id != district.pk:
        raise ValidationError(_("The officer does not work in this district."))
    wanted = set(tambon_ids)
    if len(Tambon.objects.filter(pk__in=wanted, district=district)) != len(wanted):
        raise ValidationError(_("Some of the tambons are not in this district."))
    today = timezone.localdate()
    current = {r.tambon_id: r for r in officer.tambon_responsibilities.filter(end_date=None)}
    for tambon_id, responsibility in current.items():
        if tambon_id not in wanted:
            responsibility.end(today)
    TambonResponsibility.objects.bulk_create(
        TambonResponsibility(
            officer=officer, tambon_id=t, start_date=today, order_number=order_number
        )
        for t in sorted(wanted - current.keys())
    )
    changes.record([district.pk])


# --- Follow-up after the target's fiscal year ------------------------------------------------


def _followup_officer_check(district, officer: Officer) -> None:
    if not (
        officer.district_id == district.pk and officer.is_active and officer.role == Role.OFFICER
    ):
        raise ValidationError(_("Villages can only go to an active officer of this district."))


def _live_followup(district, target_id: int) -> FollowUp | None:
    return (
        FollowUp.objects.live()
        .select_for_update()
        .filter(target_id=target_id, target__district=district)
        .first()
    )


@transaction.atomic
def followup_start(*, district, target_id: int, officer: Officer, year: int, actor) -> FollowUp:
    """The head decides that a target village of an earlier fiscal year is followed up from
    fiscal year ``year`` on, by ``officer``."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    _followup_officer_check(district, officer)
    target = (
        TargetVillage.objects.select_for_update()
        .filter(pk=target_id, district=district)
        .only("pk", "year_id", "district_id")
        .first()
    )
    if target is None:
        raise ValidationError(_("Some of the villages are not target villages of this district."))
    if target.year_id >= year:
        raise ValidationError(
            _(
                "A village is followed up after its own fiscal year: this one is a target of "
                "fiscal year %(target)s, so its follow-up starts in %(next)s or later."
            )
            % {"target": target.year_id, "next": target.year_id + 1}
        )
    if FollowUp.objects.live().filter(target=target).exists():
        raise ValidationError(_("This village is already followed up: move or end that first."))
    FiscalYear.objects.get_or_create(year=year)
    followup = FollowUp(target=target, officer=officer, from_year_id=year, started_by=actor)
    followup._history_user = actor
    followup.save()
    return followup


@transaction.atomic
def followup_move(*, district, target_id: int, officer: Officer, actor) -> FollowUp:
    """Another officer takes over a live follow-up: the old row ends, a new one starts (held
    from the same fiscal year), so the rows keep who held it when."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    _followup_officer_check(district, officer)
    before = _live_followup(district, target_id)
    if before is None:
        raise ValidationError(_("This village is not followed up any more."))
    if before.officer_id == officer.pk:
        return before
    now = timezone.now()
    before.ended_at, before.ended_by = now, actor
    before._history_user = actor
    before.save(update_fields=["ended_at", "ended_by"])
    after = FollowUp(
        target_id=before.target_id,
        officer=officer,
        from_year_id=before.from_year_id,
        started_at=now,
        started_by=actor,
    )
    after._history_user = actor
    after.save()
    return after


@transaction.atomic
def followup_end(*, district, target_id: int, actor) -> FollowUp | None:
    """The village is no longer followed up. Ending one already ended is done, not an error
    (the same form sent twice)."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    followup = _live_followup(district, target_id)
    if followup is None:
        return None
    followup.ended_at, followup.ended_by = timezone.now(), actor
    followup._history_user = actor
    followup.save(update_fields=["ended_at", "ended_by"])
    return followup


# --- The fair-distribution suggestion --------------------------------------------------------


# What the engine's notes say to the head
NOTES = {
    balance.OverPinned: gettext_lazy(
        "The villages pinned to %(name)s are %(count)d, more than a fair %(fair)d: "
        "unpin some to share them out."
    ),
    balance.UnderFair: gettext_lazy(
        "%(name)s gets %(count)d villages, fewer than a fair %(fair)d, because of the villages "
        "pinned to others: unpin some to share them out."
    ),
}


@dataclass
class Move:
    target_id: int
    village: str
    tambon: str
    from_officer: Officer | None
    to_officer: Officer
    cross_tambon: bool


@dataclass
class Proposal:
    officers: list[Officer]
    moves: list[Move]
    loads_before: dict[int, int]
    loads_after: dict[int, int]
    distance_before_m: int
    distance_after_m: int
    notes: list[str] = field(default_factory=list)

    @property
    def added_travel_km(self) -> int:
        """Kilometres the suggestion adds to today's travel (0 when it saves some): fairness
        comes first, so a district whose loads are uneven may travel more."""
        return max(0, round((self.distance_after_m - self.distance_before_m) / 1000))

    @property
    def rows(self):
        """Officers with their loads before and after, for the page."""
        return [
            (o, self.loads_before.get(o.pk, 0), self.loads_after.get(o.pk, 0))
            for o in self.officers
        ]


def balance_district(*, district, year: int) -> Proposal:
    """Suggest a fair distribution of a district's target villages (nothing is written).

    Five queries whatever the size: targets with their tambons, active assignments, active
    officers, their tambons, the district's tambon centroids.
    """
    targets = list(
        TargetVillage.objects.filter(district=district, year_id=year)
        .select_related("village__tambon")
        .order_by("village_id")
    )
    current = {
        a.target_id: a
        for a in VillageAssignment.objects.active()
        .filter(target__district=district, target__year_id=year)
        .select_related("officer__user")
    }
    officers = list(
        district_field_officers(district).with_current_tambons().order_by("user__username")
    )
    if not officers:
        raise ValidationError(_("The district has no active officer to share villages among."))
    where = {
        code: (lat, lon)
        for code, lat, lon in Tambon.objects.filter(
            district=district, lat__isnull=False
        ).values_list("code", "lat", "lon")
    }
    officer_ins = [
        balance.OfficerIn(
            id=o.pk,
            weight=Fraction(str(o.capacity_weight)),
            tambons=frozenset(r.tambon_id for r in o.current_tambons),
            base=district.office_point,
        )
        for o in officers
    ]
    active_ids = {o.pk for o in officers}
    village_ins = []
    for t in targets:
        a = current.get(t.pk)
        officer_id = a.officer_id if a else None
        village_ins.append(
            balance.VillageIn(
                id=t.pk,
                tambon=t.village.tambon_id,
                current=officer_id,
                pinned=bool(a and a.pinned and officer_id in active_ids),
            )
        )
    result = balance.balance(village_ins, officer_ins, where)
    by_id = {o.pk: o for o in officers}
    tambons_of = {o.id: o.tambons for o in officer_ins}
    moves = []
    for t, v in zip(targets, village_ins, strict=True):
        new = result.assignment[t.pk]
        if new != v.current:
            moves.append(
                Move(
                    target_id=t.pk,
                    village=str(t.village),
                    tambon=t.village.tambon.name,
                    from_officer=current[t.pk].officer if t.pk in current else None,
                    to_officer=by_id[new],
                    cross_tambon=v.tambon not in tambons_of[new],
                )
            )
    loads_before: dict[int, int] = {}
    for a in current.values():
        loads_before[a.officer_id] = loads_before.get(a.officer_id, 0) + 1
    before = {v.id: v.current for v in village_ins}
    return Proposal(
        officers=officers,
        moves=moves,
        loads_before=loads_before,
        loads_after=result.loads,
        distance_before_m=balance.total_distance(before, village_ins, officer_ins, where),
        distance_after_m=result.distance_m,
        notes=[
            NOTES[type(note)]
            % {
                "name": by_id[note.officer].user.display_name,
                "count": note.count,
                "fair": note.fair,
            }
            for note in result.notes
        ],
    )


@transaction.atomic
def proposal_apply(*, district, accepted: list[tuple[int, int | None, int]], actor) -> int:
    """Apply the accepted rows of a proposal: (target, from officer, to officer) each.

    All or nothing: if any village changed since the proposal was made, nothing is applied.
    """
    officers = {o.pk: o for o in district_field_officers(district)}
    by_officer: dict[int, list[int]] = {}
    expected = {}
    for target_id, from_id, to_id in accepted:
        if to_id not in officers:
            raise ValidationError(_("Villages can only go to an active officer of this district."))
        by_officer.setdefault(to_id, []).append(target_id)
        expected[target_id] = from_id
    changed = 0
    for to_id, target_ids in by_officer.items():
        changed += assignment_change(
            district=district,
            target_ids=target_ids,
            officer=officers[to_id],
            actor=actor,
            expected={t: expected[t] for t in target_ids},
        )
    return changed


# --- Office orders ---------------------------------------------------------------------------


@transaction.atomic
def order_issue(
    *,
    district,
    year: int,
    number: str,
    date,
    subject: str,
    signer_name: str,
    signer_position: str,
    actor,
) -> AssignmentOrder:
    """Issue an office order: snapshot who answers for which tambons and villages."""
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied
    if AssignmentOrder.objects.filter(district=district, number=number).exists():
        raise ValidationError({"number": _("This district already has an order with this number.")})
    fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
    officers = list(
        district_field_officers(district).with_current_tambons().order_by("user__username")
    )
    assignments = list(
        VillageAssignment.objects.active()
        .filter(target__district=district, target__year=fiscal_year)
        .select_related("target__village__tambon")
        .order_by("target__village_id")
    )
    villages_of: dict[int, list] = {}
    for a in assignments:
        villages_of.setdefault(a.officer_id, []).append(a)
    snapshot = {"officers": []}
    for o in officers:
        own = {r.tambon_id for r in o.current_tambons}
        snapshot["officers"].append(
            {
                "name": o.user.display_name,
                "position": o.position,
                "tambons": [r.tambon.name_th for r in o.current_tambons],
                "villages": [
                    {
                        "code": a.target.village_id,
                        "name": a.target.village.name_th,
                        "moo": a.target.village.moo,
                        "tambon": a.target.village.tambon.name_th,
                        "cross_tambon": a.target.village.tambon_id not in own,
                    }
                    for a in villages_of.get(o.pk, [])
                ],
            }
        )
    order = AssignmentOrder.objects.create(
        district=district,
        year=fiscal_year,
        number=number,
        date=date,
        subject=subject,
        signer_name=signer_name,
        signer_position=signer_position,
        snapshot=snapshot,
        issued_by=actor,
    )
    VillageAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(order=order)
    changes.record([district.pk])
    notices.order_issued(order, officers)
    return order
