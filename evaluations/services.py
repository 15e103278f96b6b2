"""Evaluations, officer reviews and the figures every dashboard shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.access import can_edit_target
from assignments.models import FiscalYear, TargetVillage, VillageAssignment
from districts import changes
from districts.changes import SITE
from districts.lib import balance
from districts.lib.spread import spread_share
from districts.models import (
    District,
    Officer,
    Role,
    Tambon,
    TambonResponsibility,
    can_manage_district,
    scope_of,
)
from evaluations import notices
from evaluations.models import (
    DistrictFigures,
    ExtractStatus,
    NationalExtract,
    OfficerReview,
    ReviewStatus,
    VillageEvaluation,
)
from fieldwork import selectors as field_selectors
from fieldwork.budget import Disbursement, money_sums, spent_per_target
from fieldwork.models import (
    FieldVisit,
    GroupStatus,
    Household,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
    ProjectStatus,
)
from fieldwork.selectors import neglect_reference_day
from people.models import Forum

RECENT_DAYS = 30


def household_figures() -> dict:
    """Aggregates over households (a ``Household.objects...with_income()`` queryset): target
    households, practising, income rose, average monthly income change from the baseline
    round to the latest follow-up round (among those followed up), neighbours who joined
    (the spread)."""
    own = Q(is_neighbour=False)
    followed = own & Q(latest_income__isnull=False, baseline_income__isnull=False)
    return {
        "total": Count("pk", filter=own),
        "practising": Count("pk", filter=own & Q(still_practising=True)),
        "rose": Count("pk", filter=followed & Q(latest_income__gt=F("baseline_income"))),
        "change_total": Sum("income_gain", filter=followed),
        "followed": Count("pk", filter=followed),
        "neighbours": Count("pk", filter=Q(is_neighbour=True)),
    }


def average_change(total, followed: int, places: Decimal) -> Decimal | None:
    """Average monthly income change of the households followed up (None if none were)."""
    return (Decimal(total) / followed).quantize(places) if followed else None


# --- Village evaluation ----------------------------------------------------------------------


def village_indicators(target: TargetVillage) -> dict:
    """What the household and partner records already say about a village (two queries)."""
    r = Household.objects.filter(target=target).with_income().aggregate(**household_figures())
    figures = {
        "households_total": r["total"],
        "households_practising": r["practising"],
        "households_income_rose": r["rose"],
        "income_change_avg": average_change(r["change_total"], r["followed"], Decimal("0.01")),
        "neighbours_joined": r["neighbours"],
    }
    figures["partners_backing"] = (
        PartnerSupport.objects.filter(target=target)
        .exclude(project="")
        .exclude(status__in=[ProjectStatus.CANCELLED, ProjectStatus.PLANNED])
        .values("partner")
        .distinct()
        .count()
    )
    figures["groups_active"] = LivelihoodGroup.objects.filter(
        target=target, status=GroupStatus.ACTIVE
    ).count()
    figures["village_households"] = target.village.households
    return figures


def latest_round(target) -> VillageEvaluation | None:
    return VillageEvaluation.objects.filter(target=target).order_by("-round").first()


@transaction.atomic
def evaluation_save(*, target, user, submit: bool, **answers) -> VillageEvaluation:
    """Save what the officer answered; on submit, freeze the computed indicators with it."""
    if not can_edit_target(user, target):
        raise PermissionDenied
    # the village's row is the lock: two first saves must not both make a round 1
    TargetVillage.objects.select_for_update().filter(pk=target.pk).first()
    evaluation = latest_round(target) or VillageEvaluation(target=target, round=1)
    if evaluation.status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        raise ValidationError(_("This evaluation is with the district head and cannot change."))
    for name, value in answers.items():
        setattr(evaluation, name, value)
    for name, value in village_indicators(target).items():
        setattr(evaluation, name, value)
    if submit:
        evaluation.status = ReviewStatus.SUBMITTED
        evaluation.submitted_by, evaluation.submitted_at = user, timezone.now()
    evaluation.updated_at = timezone.now()
    evaluation._history_user = user
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_round_start(*, target, user) -> VillageEvaluation:
    """A follow-up evaluation round after an approved one: a new draft with the indicators
    as the records say today. The earlier rounds keep what they froze."""
    if not can_edit_target(user, target):
        raise PermissionDenied
    TargetVillage.objects.select_for_update().filter(pk=target.pk).first()
    last = latest_round(target)
    if last is None or last.status != ReviewStatus.APPROVED:
        raise ValidationError(_("A new round starts once the last one is approved."))
    evaluation = VillageEvaluation(
        target=target,
        round=last.round + 1,
        date=timezone.localdate(),
        group_formed=last.group_formed,
        group_name=last.group_name,
        **village_indicators(target),
    )
    evaluation._history_user = user
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_review(*, evaluation, user, approve: bool, comment: str = "") -> VillageEvaluation:
    if not can_manage_district(user, evaluation.target.district_id):
        raise PermissionDenied
    if evaluation.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted evaluation can be reviewed."))
    if not approve and not comment.strip():
        raise ValidationError(_("Say why the evaluation is returned."))
    evaluation.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    evaluation.review_comment = comment.strip()
    evaluation.reviewed_by, evaluation.reviewed_at = user, timezone.now()
    evaluation._history_user = user
    evaluation.save()
    notices.evaluation_reviewed(evaluation)
    return evaluation


# --- Dashboard figures -----------------------------------------------------------------------


@dataclass
class Figures:
    """One row of a dashboard: a district (or a province, or the country)."""

    key: str = ""
    targets: int = 0
    assigned: int = 0
    visited_recently: int = 0
    budget_allocated: Decimal = Decimal(0)
    budget_spent: Decimal = Decimal(0)
    households: int = 0
    practising: int = 0
    income_rose: int = 0
    income_followed: int = 0  # households with a follow-up income
    income_change_total: Decimal = Decimal(0)
    neighbours: int = 0
    evaluations_approved: int = 0  # villages with an approved round (the latest counts)
    village_households: int = 0  # households of the target villages whose size is known
    spread_households: int = 0  # practising + neighbours, in those villages
    partner_active: int = 0  # villages with an active partner project
    stages: dict = field(default_factory=dict)  # stage order -> villages
    income_latest: dt.date | None = None  # the latest follow-up income round

    @property
    def spread_pct(self):
        """The spread as a share of the households of the villages whose size is known."""
        return spread_share(self.spread_households, 0, self.village_households)

    @property
    def income_latest_age(self):
        return field_selectors.age(self.income_latest)

    @staticmethod
    def share(part, whole) -> int | None:
        """Per cent, whole; None when there is no whole (no targets: not "0% assigned")."""
        return round(100 * part / whole) if whole else None

    @property
    def income_change_avg(self) -> Decimal | None:
        """Average monthly income change of the households followed up, whole baht."""
        return average_change(self.income_change_total, self.income_followed, Decimal("1"))

    @property
    def assigned_pct(self):
        return self.share(self.assigned, self.targets)

    @property
    def visited_pct(self):
        return self.share(self.visited_recently, self.targets)

    @property
    def practising_pct(self):
        return self.share(self.practising, self.households)

    @property
    def spent_pct(self):
        return self.share(self.budget_spent, self.budget_allocated)

    @property
    def approved_pct(self):
        return self.share(self.evaluations_approved, self.targets)


# What a DistrictFigures row stores besides its stage counts: every figure of the dataclass.
COUNTED = tuple(f.name for f in fields(Figures) if f.name not in ("key", "stages", "income_latest"))


def compute_figures(year: int, district_ids=None) -> dict[str, Figures]:
    """Figures per district for ``year``, from the records themselves: seven grouped queries,
    whatever the data size. ``district_ids``: only those districts (None: every one)."""
    targets = TargetVillage.objects.filter(year_id=year)
    if district_ids is not None:
        targets = targets.filter(district_id__in=district_ids)
    rows: dict[str, Figures] = {}

    def row(key) -> Figures:
        return rows.setdefault(key, Figures(key=key))

    for r in targets.values("district_id").annotate(
        n=Count("pk"), allocated=Sum("budget_allocated")
    ):
        f = row(r["district_id"])
        f.targets, f.budget_allocated = r["n"], r["allocated"]
    # spent is what was disbursed against the villages' budget lines (fieldwork/budget.py)
    via = "line__target__district_id"
    for r in (
        Disbursement.objects.filter(line__target__in=targets)
        .order_by()
        .values(via)
        .annotate(**money_sums())
    ):
        row(r[via]).budget_spent = r["used"]
    for r in targets.values("district_id", "stage__order").annotate(n=Count("pk")):
        row(r["district_id"]).stages[r["stage__order"]] = r["n"]
    via = "target__district_id"
    for r in (
        VillageAssignment.objects.active()
        .filter(target__in=targets)
        .values(via)
        .annotate(n=Count("target", distinct=True))
    ):
        row(r[via]).assigned = r["n"]
    day = neglect_reference_day(year)
    for r in (
        FieldVisit.objects.filter(
            target__in=targets, date__gt=day - dt.timedelta(days=RECENT_DAYS), date__lte=day
        )
        .values(via)
        .annotate(n=Count("target", distinct=True))
    ):
        row(r[via]).visited_recently = r["n"]
    sized = Q(target__village__households__isnull=False)
    for r in (
        Household.objects.filter(target__in=targets)
        .with_income()
        .values(via)
        .annotate(
            **household_figures(),
            spread=Count(
                "pk",
                filter=sized
                & (Q(is_neighbour=True) | Q(is_neighbour=False, still_practising=True)),
            ),
        )
    ):
        f = row(r[via])
        f.households, f.practising, f.income_rose = r["total"], r["practising"], r["rose"]
        f.neighbours, f.income_followed = r["neighbours"], r["followed"]
        f.income_change_total = r["change_total"] or Decimal(0)
        f.spread_households = r["spread"]
    for r in (
        targets.filter(village__households__isnull=False)
        .values("district_id")
        .annotate(n=Sum("village__households"))
    ):
        row(r["district_id"]).village_households = r["n"]
    for r in (
        IncomeRound.objects.filter(household__target__in=targets, kind="followup")
        .values("household__target__district_id")
        .annotate(last=Max("date"))
    ):
        row(r["household__target__district_id"]).income_latest = r["last"]
    for r in (
        PartnerSupport.objects.filter(target__in=targets, status=ProjectStatus.ACTIVE)
        .values(via)
        .annotate(n=Count("target", distinct=True))
    ):
        row(r[via]).partner_active = r["n"]
    for r in (
        VillageEvaluation.objects.filter(target__in=targets, status=ReviewStatus.APPROVED)
        .values(via)
        .annotate(n=Count("target", distinct=True))
    ):
        row(r[via]).evaluations_approved = r["n"]
    return rows


def _from_row(row: dict) -> Figures:
    # stage order as text, "" for villages with no stage yet
    stages = {int(k) if k else None: n for k, n in row["stages"].items()}
    return Figures(
        key=row["district_id"],
        stages=stages,
        income_latest=row["income_latest"],
        **{n: row[n] for n in COUNTED},
    )


# A page computes at most this many summary rows itself: those of the districts changed in
# the last moments, before the worker has refreshed them. More (the first request of a day
# before the nightly refresh_figures, when every row's day is old) and the page shows the
# rows as they were, says how old they are, and leaves them to the worker.
COMPUTED_BY_A_PAGE = 8


@dataclass
class AreaFigures:
    """Figures per district or province; ``old_since``: when the oldest of the rows shown
    though no longer current was computed (None: every row is current)."""

    rows: dict[str, Figures]
    old_since: dt.datetime | None = None


def area_figures(
    year: int,
    *,
    district_ids=None,
    by: str = "district",
    compute_at_most: int | None = None,
    counts: dict[str, int] | None = None,
) -> AreaFigures:
    """Figures per district (``by="district"``) or per province (``by="province"``) for the
    districts ``district_ids`` (None: the whole country) in ``year``.

    They are read from the summary table (one query) with the districts' change counts (one
    more); rows that are missing or no longer current are computed first (seven grouped
    queries for all of them together) and saved, unless there are more than
    ``compute_at_most`` of them (None: no limit): then the rows that exist are shown as they
    are and the worker is asked to refresh them. ``counts``: the districts' change counts
    (``changes.counts``), when the page has read them already for its own key.
    """
    day = neglect_reference_day(year)
    districts = District.objects.all()
    if district_ids is not None:
        districts = districts.filter(code__in=district_ids)
    province_of = dict(districts.order_by("code").values_list("code", "province_id"))
    # read before the rows: a write landing after this leaves what is computed behind it
    if counts is None:
        counts = changes.counts(None if district_ids is None else list(province_of))
    rows_of_year = DistrictFigures.objects.filter(year_id=year)
    if district_ids is not None:
        rows_of_year = rows_of_year.filter(district_id__in=province_of)
    # plain values, not model objects: the country reads 928 rows
    saved = {
        r["district_id"]: r
        for r in rows_of_year.values(
            "district_id", "changes", "as_of", "computed_at", "stages", "income_latest", *COUNTED
        )
    }

    def current(r) -> bool:
        return r["as_of"] == day and r["changes"] == counts.get(r["district_id"], counts[SITE])

    rows = {code: _from_row(r) for code, r in saved.items() if current(r)}
    todo = [code for code in province_of if code not in rows]
    old_since = None
    if compute_at_most is not None and len(todo) > compute_at_most:
        behind = [code for code in todo if code in saved]
        if behind:
            rows |= {code: _from_row(saved[code]) for code in behind}
            old_since = min(saved[code]["computed_at"] for code in behind)
            _ask_worker(year, None if district_ids is None else behind)
        todo = [code for code in todo if code not in saved]  # nothing to show but computed
    if todo:
        everything = district_ids is None and len(todo) == len(province_of)
        computed = compute_figures(year, None if everything else todo)
        for code in todo:
            rows[code] = computed.get(code) or Figures(key=code)
        if computed:  # else nothing to keep (and perhaps no such fiscal year to refer to)
            _save_figures(year, day, [rows[code] for code in todo], counts)
    if by == "district":
        return AreaFigures({code: f for code, f in rows.items() if f.targets}, old_since)
    by_province: dict[str, list[Figures]] = {}
    for code, f in rows.items():
        by_province.setdefault(province_of[code], []).append(f)
    totals = {
        province: total(figures, key=province)
        for province, figures in by_province.items()
        if any(f.targets for f in figures)
    }
    return AreaFigures(totals, old_since)


def dashboard_figures(year: int, *, district_ids=None, by: str = "district") -> dict[str, Figures]:
    """``area_figures`` with every row current, however many must be computed (commands,
    exports, the worker)."""
    return area_figures(year, district_ids=district_ids, by=by).rows


def refresh_figures(year: int, district_ids=None) -> int:
    """Make these districts' rows of ``year`` current (None: every district's); returns the
    number of districts with targets."""
    return len(dashboard_figures(year, district_ids=district_ids))


def _ask_worker(year: int, district_ids) -> None:
    """Once a minute at most, whatever the number of pages that found the rows old: each
    would otherwise queue the same work."""
    from evaluations.tasks import refresh_district_figures

    key = f"figures-refresh:{year}:{','.join(district_ids) if district_ids else '*'}"
    if cache.add(key, True, timeout=60):
        transaction.on_commit(
            lambda: refresh_district_figures.enqueue(year=year, district_ids=district_ids)
        )


def _save_figures(year, day, figures: list[Figures], counts: dict[str, int]) -> None:
    """Insert or replace the rows just computed, each with the change count read before it
    was computed. Two computations may race; the one that saves last with an older count
    leaves its row behind the count, to be computed again, never wrong and current."""
    now = timezone.now()
    DistrictFigures.objects.bulk_create(
        [
            DistrictFigures(
                year_id=year,
                district_id=f.key,
                changes=counts.get(f.key, counts[SITE]),
                as_of=day,
                computed_at=now,
                stages={"" if o is None else str(o): n for o, n in f.stages.items()},
                income_latest=f.income_latest,
                **{name: getattr(f, name) for name in COUNTED},
            )
            for f in figures
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["year", "district"],
        update_fields=["changes", "as_of", "computed_at", "stages", "income_latest", *COUNTED],
    )


def total(rows, *, key: str = "total") -> Figures:
    """The sum of several rows (a province from its districts)."""
    out = Figures(key=key)
    for f in rows:
        for name in COUNTED:
            setattr(out, name, getattr(out, name) + (getattr(f, name) or 0))
        for order, n in f.stages.items():
            out.stages[order] = out.stages.get(order, 0) + n
        if f.income_latest and (out.income_latest is None or f.income_latest > out.income_latest):
            out.income_latest = f.income_latest
    return out


# --- Officers' programme work ----------------------------------------------------------------


@dataclass
class OfficerWork:
    officer: Officer
    villages: int = 0
    cross_tambon: int = 0
    distance_km: float = 0
    visits: int = 0
    stage_avg: float = 0
    evaluations_approved: int = 0
    forums: int = 0
    review: OfficerReview | None = None

    @property
    def visits_per_village(self) -> float:
        return round(self.visits / self.villages, 1) if self.villages else 0

    @property
    def workload(self) -> float:
        """Villages assigned, with cross-tambon work and travel counted extra: a hard share
        weighs more, so the same results on it are worth more."""
        return round(self.villages + 0.5 * self.cross_tambon + self.distance_km / 20, 1)


def officer_work(district, year: int) -> list[OfficerWork]:
    """Every officer's programme work in a year, normalised for workload (fixed queries)."""
    officers = list(
        Officer.objects.filter(district=district, role=Role.OFFICER)
        .select_related("user")
        .order_by("user__username")
    )
    rows = {o.pk: OfficerWork(officer=o) for o in officers}
    own: dict[int, set] = {}
    for officer_id, tambon_id in (
        TambonResponsibility.objects.current()
        .filter(officer__district=district)
        .values_list("officer_id", "tambon_id")
    ):
        own.setdefault(officer_id, set()).add(tambon_id)
    where = {
        c: (lat, lon)
        for c, lat, lon in Tambon.objects.filter(district=district, lat__isnull=False).values_list(
            "code", "lat", "lon"
        )
    }
    office = district.office_point  # counted as the engine does: from here, with no tambon
    for officer_id, tambon_id, stage in (
        VillageAssignment.objects.active()
        .filter(target__district=district, target__year_id=year, officer__in=officers)
        .values_list("officer_id", "target__village__tambon_id", "target__stage__order")
    ):
        w = rows[officer_id]
        w.villages += 1
        w.stage_avg += stage or 0
        mine = own.get(officer_id, set())
        if tambon_id not in mine:
            w.cross_tambon += 1
            w.distance_km += balance.distance_m(tambon_id, mine, where, office) / 1000
    for w in rows.values():
        w.stage_avg = round(w.stage_avg / w.villages, 1) if w.villages else 0
        w.distance_km = round(w.distance_km, 1)
    for officer_id, n in (
        FieldVisit.objects.filter(target__district=district, target__year_id=year)
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "n")
    ):
        if officer_id in rows:
            rows[officer_id].visits = n
    for officer_id, n in (
        VillageEvaluation.objects.filter(
            target__district=district, target__year_id=year, status=ReviewStatus.APPROVED
        )
        .filter(target__assignments__ended_at__isnull=True)
        .values("target__assignments__officer_id")
        .annotate(n=Count("target", distinct=True))
        .values_list("target__assignments__officer_id", "n")
    ):
        if officer_id in rows:
            rows[officer_id].evaluations_approved = n
    fy = FiscalYear(year=year)
    for officer_id, n in (
        Forum.objects.filter(
            network__district=district, status="held", date__range=(fy.start_date, fy.end_date)
        )
        .values("officers")
        .annotate(n=Count("pk"))
        .values_list("officers", "n")
    ):
        if officer_id in rows:
            rows[officer_id].forums = n
    for review in OfficerReview.objects.filter(officer__in=officers, year_id=year):
        rows[review.officer_id].review = review
    return list(rows.values())


@transaction.atomic
def officer_review_save(*, officer, year: int, user, rating: str, comment: str) -> OfficerReview:
    if not can_manage_district(user, officer.district_id):
        raise PermissionDenied
    review, _created = OfficerReview.objects.update_or_create(
        officer=officer,
        year_id=year,
        defaults={
            "rating": rating,
            "comment": comment,
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
        },
    )
    return review


# --- The department's national extract -------------------------------------------------------


def extract_headers() -> list[str]:
    return [
        _("Village code"),
        _("Province"),
        _("District"),
        _("Tambon"),
        _("Village"),
        _("Fiscal year"),
        _("Stage"),
        _("Officer"),
        _("Budget allocated (baht)"),
        _("Budget spent (baht)"),
        _("Visits"),
        _("Last visit"),
        _("Target households"),
        _("Neighbouring households"),
        _("Still practising"),
        _("Households with a follow-up income"),
        _("Baseline income, total (baht a month)"),
        _("Latest income, total (baht a month)"),
        _("Evaluation round"),
        _("Evaluation status"),
        _("Households practising (evaluation)"),
    ]


def _baht(amount) -> Decimal:
    """Baht with satang, whatever the database gave back for a sum (SQLite: 3000)."""
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def extract_rows(year: int):
    """One row per target village of ``year``, the whole country, in five queries whatever
    the size: households only as counts and sums (no name leaves the district)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    visits = (
        FieldVisit.objects.filter(target=OuterRef("pk"))
        .order_by()
        .values("target")
        .annotate(n=Count("pk"), last=Max("date"))
    )
    targets = (
        TargetVillage.objects.filter(year_id=year)
        .select_related("village__tambon__district__province", "stage")
        .annotate(
            n_visits=Coalesce(Subquery(visits.values("n")), 0),
            last_visit=Subquery(visits.values("last")),
            budget_spent=spent_per_target(),
        )
        .order_by("village_id")
    )
    names = {
        o.pk: o.user.display_name
        for o in Officer.objects.filter(
            assignments__target__year_id=year, assignments__ended_at__isnull=True
        )
        .distinct()
        .select_related("user")
    }
    officer_of = dict(
        VillageAssignment.objects.active()
        .filter(target__year_id=year)
        .values_list("target_id", "officer_id")
    )
    households = {
        row["target_id"]: row
        for row in Household.objects.filter(target__year_id=year)
        .with_income()
        .order_by()
        .values("target_id")
        .annotate(
            own=Count("pk", filter=Q(is_neighbour=False)),
            neighbours=Count("pk", filter=Q(is_neighbour=True)),
            practising=Count("pk", filter=Q(still_practising=True)),
            followed=Count("latest_income"),
            baseline=Sum("baseline_income"),
            latest=Sum("latest_income"),
        )
    }
    evaluations = {}
    for ev in VillageEvaluation.objects.filter(target__year_id=year).order_by("target_id", "round"):
        evaluations[ev.target_id] = ev  # the latest round wins
    for t in targets.iterator(chunk_size=2000):
        village = t.village
        h = households.get(t.pk, {})
        ev = evaluations.get(t.pk)
        yield [
            village.code,
            village.tambon.district.province.name_th,
            village.tambon.district.name_th,
            village.tambon.name_th,
            f"{village.name_th} {_('Moo')} {village.moo}",
            t.year_id,
            t.stage.name if t.stage else "",
            names.get(officer_of.get(t.pk), ""),
            _baht(t.budget_allocated),
            _baht(t.budget_spent),
            t.n_visits,
            t.last_visit,
            h.get("own", 0),
            h.get("neighbours", 0),
            h.get("practising", 0),
            h.get("followed", 0),
            _baht(h.get("baseline")),
            _baht(h.get("latest")),
            ev.round if ev else "",
            ev.get_status_display() if ev else "",
            ev.households_practising if ev else "",
        ]


@transaction.atomic
def extract_request(*, year: int, user) -> NationalExtract:
    """A national extract of ``year`` asked of the worker: the department's staff and the
    system admin only (the whole country)."""
    if not scope_of(user).everything:
        raise PermissionDenied
    year_row = FiscalYear.objects.filter(pk=year).first()
    if year_row is None:
        raise ValidationError({"year": _("There is no such fiscal year.")})
    extract = NationalExtract.objects.create(year=year_row, requested_by=user)
    from evaluations.tasks import build_national_extract

    transaction.on_commit(lambda: build_national_extract.enqueue(extract.pk))
    return extract


@transaction.atomic
def extract_build(*, extract: NationalExtract) -> NationalExtract:
    """Write the extract's CSV and .xlsx (default storage) and mark it ready (the worker's
    task marks it failed if this raises)."""
    import csv
    import io

    from django.core.files.base import ContentFile

    from districts.lib.spreadsheets import safe_cell, xlsx_bytes

    headers = extract_headers()
    rows = [
        [safe_cell(v) if isinstance(v, str) else v for v in row]
        for row in extract_rows(extract.year_id)
    ]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    name = f"extract-{extract.year_id}-{extract.pk}"
    # UTF-8 with its mark: Excel opens a Thai CSV right only with it
    extract.csv.save(f"{name}.csv", ContentFile(text.getvalue().encode("utf-8-sig")), save=False)
    extract.xlsx.save(
        f"{name}.xlsx",
        ContentFile(xlsx_bytes(str(_("Target villages")), headers, rows)),
        save=False,
    )
    extract.rows = len(rows)
    extract.status = ExtractStatus.READY
    extract.finished_at = timezone.now()
    extract.save()
    return extract
