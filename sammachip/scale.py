"""A national-scale synthetic programme on the real geography, written in bulk.

Per fiscal year: about 23,600 target villages clustered in whole tambons as real allocations
are, 5-12 officers and a head per district, assignments from the fair-distribution engine,
about 500,000 visits (some villages neglected), 20 households and a sage per village, a
sage network with forums, and evaluations; from the second year on, a fifth of the year
before's targets followed up (``--years 3`` gives dashboards three years to read). Users
are named ``scale-<district>-...``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from assignments.models import FiscalYear, FollowUp, Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts import changes
from districts.lib import balance
from districts.models import Officer, Role, Tambon, TambonResponsibility, User, Village
from districts.services import load_geography, refresh_planner_statistics
from evaluations.models import VillageEvaluation
from evaluations.services import dashboard_figures
from fieldwork.models import FieldVisit, Household, IncomeRound
from people.models import Forum, Sage, SageNetwork

TARGETS_PER_YEAR = 23_600
VISITS_PER_TARGET = 21  # about 500,000 a year
HOUSEHOLDS_PER_TARGET = 20
DEMO_USERNAMES = re.compile(r"^(admin|support|khonkaen|phuwiang-.+|kk\d{4}-.+|scale-.+)$")


class RealDataError(RuntimeError):
    pass


def _income_rounds(households, incomes) -> None:
    """A baseline round at the year's start and a follow-up at its end per household."""
    IncomeRound.objects.bulk_create(
        [
            IncomeRound(household_id=h.pk, kind=kind, date=day, income=max(Decimal(0), income))
            for h, (before, after, fy) in zip(households, incomes, strict=True)
            for kind, day, income in (
                ("baseline", fy.start_date, before),
                ("followup", fy.end_date, after),
            )
        ],
        batch_size=5000,
    )


def check_demo_only() -> None:
    """Refuse to touch a database with real people in it."""
    real = [
        name
        for name in User.objects.values_list("username", flat=True)
        if not DEMO_USERNAMES.match(name)
    ]
    if real:
        raise RealDataError(
            f"This database has {len(real)} real users (e.g. {real[0]}): seed_scale refuses."
        )


def seed(
    *, years: int, first_year: int, seed_value: int = 1, log=print, load_geo: bool = True
) -> dict:
    check_demo_only()
    if load_geo and Village.objects.count() < 75_000:
        log("loading the national geography ...")
        load_geography()
    ensure_default_stages(Stage)
    counts: dict[str, int] = {}
    with transaction.atomic():
        officers_by_district = _people(random.Random(seed_value), counts)
        changes.record([changes.SITE])  # bulk writes: no signals
    for year in range(first_year, first_year + years):
        if TargetVillage.objects.filter(
            year_id=year, district_id__in=officers_by_district
        ).exists():
            log(f"FY{year}: already seeded, skipped")
            continue
        # a generator per year, so a year drawn alone is the same as drawn after others
        rng = random.Random(f"{seed_value}-{year}")
        with transaction.atomic():
            _year(rng, year, officers_by_district, counts, log)
            # bulk writes send no signals: every summary row is behind the count after it
            changes.record([changes.SITE])
    refresh_planner_statistics(
        TargetVillage, VillageAssignment, FieldVisit, Household, IncomeRound, VillageEvaluation,
        Officer, User,
        TambonResponsibility, Sage, Forum,
    )  # fmt: skip
    for year in range(first_year, first_year + years):
        started = time.perf_counter()
        dashboard_figures(year)
        seconds = time.perf_counter() - started
        log(f"FY{year}: dashboard summary of every district in {seconds:.1f} s")
    return counts


FOLLOWED_UP_SHARE = 0.2  # of the year before's targets, followed up in the next year


def _followups(rng, fy, officers_by_district, counts, log) -> None:
    """A fifth of the year before's targets followed up from this year, each by an officer
    of its district, so several seeded years give the board and the pages their follow-ups."""
    start = timezone.make_aware(dt.datetime.combine(fy.start_date, dt.time(9)))
    earlier = TargetVillage.objects.filter(
        year_id=fy.year - 1, district_id__in=officers_by_district
    ).exclude(pk__in=FollowUp.objects.live().values("target_id"))
    rows = [
        FollowUp(
            target_id=pk,
            officer_id=rng.choice(officers_by_district[district])[0],
            from_year=fy,
            started_at=start,
        )
        for pk, district in earlier.values_list("pk", "district_id").order_by("pk")
        if rng.random() < FOLLOWED_UP_SHARE
    ]
    FollowUp.objects.bulk_create(rows, batch_size=5000)
    counts["followups"] = counts.get("followups", 0) + len(rows)
    if rows:
        log(f"FY{fy.year}: {len(rows)} villages of FY{fy.year - 1} followed up")


def _people(rng, counts) -> dict[str, list[tuple[int, frozenset]]]:
    """Officers and heads for every district with villages; returns officer ids and tambons."""
    tambons: dict[str, list[str]] = {}
    for code, district in (
        Tambon.objects.annotate(n=Count("villages"))
        .filter(n__gt=0)
        .values_list("code", "district_id")
    ):
        tambons.setdefault(district, []).append(code)
    existing = set(
        User.objects.filter(username__startswith="scale-").values_list("username", flat=True)
    )
    password = make_password("sammachip-demo")
    users, plan = [], []
    for district, codes in sorted(tambons.items()):
        n = min(12, max(5, len(codes) - 1))
        names = [f"scale-{district}-head"] + [f"scale-{district}-o{i}" for i in range(1, n + 1)]
        for name in names:
            if name not in existing:
                users.append(User(username=name, first_name=name, password=password))
        plan.append((district, codes, names))
    User.objects.bulk_create(users, batch_size=5000)
    user_ids = dict(
        User.objects.filter(username__startswith="scale-").values_list("username", "id")
    )
    have = set(
        Officer.objects.filter(user_id__in=user_ids.values()).values_list("user_id", flat=True)
    )
    officers = []
    for district, _codes, names in plan:
        for k, name in enumerate(names):
            if user_ids[name] not in have:
                officers.append(
                    Officer(
                        user_id=user_ids[name],
                        role=Role.HEAD if k == 0 else Role.OFFICER,
                        district_id=district,
                        province_id=district[:2],
                        position="พัฒนากร",
                    )
                )
    Officer.objects.bulk_create(officers, batch_size=5000)
    counts["officers"] = len(officers)
    officer_ids = dict(
        Officer.objects.filter(user_id__in=user_ids.values()).values_list("user__username", "id")
    )
    responsibilities, result = [], {}
    has_tambons = set(
        TambonResponsibility.objects.filter(officer_id__in=officer_ids.values()).values_list(
            "officer_id", flat=True
        )
    )
    for district, codes, names in plan:
        field = names[1:]
        result[district] = []
        for i, name in enumerate(field):
            mine = codes[i :: len(field)] or [codes[i % len(codes)]]
            officer_id = officer_ids[name]
            result[district].append((officer_id, frozenset(mine)))
            if officer_id not in has_tambons:
                responsibilities.extend(
                    TambonResponsibility(
                        officer_id=officer_id, tambon_id=t, start_date=dt.date(2015, 10, 1)
                    )
                    for t in mine
                )
    TambonResponsibility.objects.bulk_create(responsibilities, batch_size=5000)
    return result


def _year(rng, year, officers_by_district, counts, log) -> None:
    fy, _created = FiscalYear.objects.get_or_create(year=year)
    stages = list(Stage.objects.order_by("order"))
    where = {
        c: (a, o)
        for c, a, o in Tambon.objects.filter(lat__isnull=False).values_list("code", "lat", "lon")
    }
    villages_by_tambon: dict[str, list[str]] = {}
    for code, tambon in Village.objects.values_list("code", "tambon_id").iterator(chunk_size=20000):
        villages_by_tambon.setdefault(tambon, []).append(code)
    sizes = dict.fromkeys(officers_by_district, 0)
    for tambon, codes in villages_by_tambon.items():
        if tambon[:4] in sizes:
            sizes[tambon[:4]] += len(codes)
    total = sum(sizes.values())
    taken = set(TargetVillage.objects.filter(year=fy).values_list("village_id", flat=True))
    targets = []
    for district, size in sorted(sizes.items()):
        quota = max(1, round(TARGETS_PER_YEAR * size / total))
        tambons = sorted(t for t in villages_by_tambon if t.startswith(district))
        rng.shuffle(tambons)
        chosen: list[str] = []
        for t in tambons:
            chosen.extend(v for v in villages_by_tambon[t][: quota - len(chosen)] if v not in taken)
            if len(chosen) >= quota:
                break
        for v in chosen:
            targets.append(
                TargetVillage(
                    village_id=v,
                    year=fy,
                    district_id=district,
                    budget_allocated=Decimal(rng.randrange(400, 601) * 100),
                    budget_spent=Decimal(rng.randrange(200, 401) * 100),
                    livelihood="ทอผ้าไหม",
                    stage=rng.choice(stages),
                )
            )
    TargetVillage.objects.bulk_create(targets, batch_size=5000)
    counts["targets"] = counts.get("targets", 0) + len(targets)
    log(f"FY{year}: {len(targets)} target villages")
    saved = list(
        TargetVillage.objects.filter(year=fy, district_id__in=officers_by_district).values_list(
            "pk", "village_id", "district_id"
        )
    )
    by_district: dict[str, list] = {}
    for pk, village, district in saved:
        by_district.setdefault(district, []).append((pk, village))
    assignments = []
    start = timezone.make_aware(dt.datetime.combine(fy.start_date, dt.time(9)))
    officer_of: dict[int, int] = {}
    for district, rows in by_district.items():
        officers = [balance.OfficerIn(id=o, tambons=t) for o, t in officers_by_district[district]]
        result = balance.balance(
            [balance.VillageIn(id=pk, tambon=village[:6]) for pk, village in rows], officers, where
        )
        for pk, officer in result.assignment.items():
            officer_of[pk] = officer
            assignments.append(
                VillageAssignment(target_id=pk, officer_id=officer, assigned_at=start)
            )
    VillageAssignment.objects.bulk_create(assignments, batch_size=5000)
    log(f"FY{year}: {len(assignments)} assignments from the fair-distribution engine")
    _followups(rng, fy, officers_by_district, counts, log)

    visits, households, evaluations = 0, 0, 0
    batch_visits, batch_households, batch_evals, batch_incomes = [], [], [], []
    for pk, _village, _district in saved:
        neglected = rng.random() < 0.15
        stop = fy.start_date + dt.timedelta(days=rng.randint(60, 200)) if neglected else fy.end_date
        day = fy.start_date + dt.timedelta(days=rng.randint(3, 20))
        n = 0
        while day <= stop and n < VISITS_PER_TARGET * 2:
            batch_visits.append(
                FieldVisit(
                    target_id=pk,
                    officer_id=officer_of[pk],
                    date=day,
                    stage=stages[
                        min(len(stages) - 1, (day - fy.start_date).days * len(stages) // 366)
                    ],
                    activity="ติดตามการดำเนินงาน",
                    household_count=rng.randint(5, 20),
                    created_at=start,
                )
            )
            n += 1
            day += dt.timedelta(days=rng.randint(9, 25))
        for k in range(HOUSEHOLDS_PER_TARGET):
            baseline = Decimal(rng.randrange(2000, 9000, 100))
            batch_households.append(
                Household(
                    target_id=pk,
                    head_name=f"ครัวเรือน {k + 1}",
                    livelihood="ทอผ้าไหม",
                    still_practising=rng.random() < 0.8,
                )
            )
            batch_incomes.append((baseline, baseline + Decimal(rng.randrange(-300, 3000, 100)), fy))
        if rng.random() < 0.7:
            batch_evals.append(
                VillageEvaluation(target_id=pk, status="approved", households_total=20)
            )
        if len(batch_visits) > 50_000:
            FieldVisit.objects.bulk_create(batch_visits, batch_size=5000)
            Household.objects.bulk_create(batch_households, batch_size=5000)
            _income_rounds(batch_households, batch_incomes)
            visits += len(batch_visits)
            households += len(batch_households)
            batch_visits, batch_households, batch_incomes = [], [], []
    FieldVisit.objects.bulk_create(batch_visits, batch_size=5000)
    Household.objects.bulk_create(batch_households, batch_size=5000)
    _income_rounds(batch_households, batch_incomes)
    VillageEvaluation.objects.bulk_create(batch_evals, batch_size=5000)
    visits += len(batch_visits)
    households += len(batch_households)
    evaluations += len(batch_evals)
    counts["visits"] = counts.get("visits", 0) + visits
    counts["households"] = counts.get("households", 0) + households
    log(f"FY{year}: {visits} visits, {households} households, {evaluations} evaluations")

    have_sage = set(Sage.objects.values_list("village_id", flat=True))
    sages = [
        Sage(name=f"ปราชญ์ {village}", village_id=village, district_id=district, expertise="ทอผ้าไหม")
        for _pk, village, district in saved
        if village not in have_sage
    ]
    Sage.objects.bulk_create(sages, batch_size=5000)
    networks = {n.district_id: n for n in SageNetwork.objects.filter(district_id__in=by_district)}
    new = [
        SageNetwork(district_id=d, name=f"เครือข่ายปราชญ์ {d}")
        for d in by_district
        if d not in networks
    ]
    SageNetwork.objects.bulk_create(new, batch_size=2000)
    forums = [
        Forum(
            network=network,
            date=fy.start_date + dt.timedelta(days=90 * q + 30),
            place="หอประชุมอำเภอ",
            topic="แลกเปลี่ยนเรียนรู้",
            status="held",
        )
        for network in SageNetwork.objects.filter(district_id__in=by_district)
        for q in range(4)
    ]
    Forum.objects.bulk_create(forums, batch_size=5000)
    log(f"FY{year}: {len(sages)} new sages, {len(forums)} forums")
