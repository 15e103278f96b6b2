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
from django.db.models import Count, IntegerField
from django.db.models.functions import Cast, Mod, Substr
from django.utils import timezone

from assignments.models import (
    FiscalYear,
    FollowUp,
    PlannedDate,
    Stage,
    StageDeadline,
    TargetVillage,
    VillageAssignment,
)
from assignments.stages import ensure_default_stages
from districts import changes
from districts.lib import balance
from districts.models import Officer, Role, Tambon, TambonResponsibility, User, Village
from districts.services import load_geography, refresh_planner_statistics
from evaluations.models import VillageEvaluation
from evaluations.services import dashboard_figures
from fieldwork.budget import BudgetLine, Disbursement, ensure_categories
from fieldwork.models import (
    Attendance,
    FieldVisit,
    GroupStatus,
    Household,
    IncomeKind,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
    ProjectStatus,
)
from people.models import Forum, Partner, Sage, SageNetwork

TARGETS_PER_YEAR = 23_600
VISITS_PER_TARGET = 21  # about 500,000 a year
HOUSEHOLDS_PER_TARGET = 20  # and 0-4 neighbours who took the livelihood up after them
ATTENDED_SHARE = 0.12  # of visits with a sign-in sheet of 3-10 of the village's households
GROUPED_SHARE = 0.6  # of target villages with 1-3 livelihood groups of 4-12 households each
PARTNERED_SHARE = 0.3  # of target villages with 1-2 partner projects
MIDYEAR_SHARE = 0.5  # of households with a follow-up income round at mid-year too
SECOND_ROUND_SHARE = 0.3  # of the year before's evaluated villages, evaluated again
PARTNERS_PER_DISTRICT = 3
BATCH = 5000
DEMO_USERNAMES = re.compile(r"^(admin|support|khonkaen|phuwiang-.+|kk\d{4}-.+|scale-.+)$")


class RealDataError(RuntimeError):
    pass


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
        TargetVillage, VillageAssignment, FollowUp, FieldVisit, Household, IncomeRound,
        Attendance, LivelihoodGroup, LivelihoodGroup.members.through, PartnerSupport,
        VillageEvaluation, Officer, User, TambonResponsibility, Sage, Forum, Partner, Village,
        BudgetLine, Disbursement,
        PlannedDate,
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
    have_partners = set(
        Partner.objects.filter(district_id__in=result).values_list("district_id", flat=True)
    )
    Partner.objects.bulk_create(
        [
            Partner(district_id=district, name=f"{agency} {district}")
            for district in result
            if district not in have_partners
            for agency in PARTNER_AGENCIES[:PARTNERS_PER_DISTRICT]
        ],
        batch_size=BATCH,
    )
    return result


PARTNER_AGENCIES = ("สำนักงานเกษตรอำเภอ", "ธ.ก.ส. สาขา", "กศน. อำเภอ")


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
                    livelihood="ทอผ้าไหม",
                    # the draw of the spent figure this replaced, kept so the draws after it
                    # keep their values (spent comes from disbursements: _budget)
                    stage=rng.choice(stages) if rng.randrange(200, 401) else None,
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
    _plan(rng, fy, saved, stages, counts, log)
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

    sizes = _village_households([village for _pk, village, _district in saved])
    _programme(rng, fy, saved, sizes, officer_of, stages, start, counts, log)
    _second_rounds(rng, fy, counts, log)

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
    # a generator of its own: the money adds no draw to what came before
    _budget(random.Random(f"budget-{year}"), fy, officer_of, counts, log)


# category order -> (share of the allocation, month of the fiscal year: 0 = October)
BUDGET_PLAN = {1: (Decimal("0.30"), 1), 2: (Decimal("0.25"), 2), 3: (Decimal("0.25"), 1),
               4: (Decimal("0.15"), 4), 5: (Decimal("0.05"), 6)}  # fmt: skip
ADVANCE_SHARE = 0.3  # of payments made as an advance first; 3 % of those never cleared


def _budget(rng, fy, officer_of, counts, log) -> None:
    """Five budget lines per target village (the allocation split by category and month)
    and a payment or an advance against most of them, mostly in the planned month."""
    categories = {c.order: c.pk for c in ensure_categories(fy.year)}
    users = dict(
        Officer.objects.filter(pk__in=set(officer_of.values())).values_list("pk", "user_id")
    )
    today = timezone.localdate()
    lines, plans = [], []
    for pk, allocated in TargetVillage.objects.filter(year=fy).values_list(
        "pk", "budget_allocated"
    ):
        rest = allocated
        for order, (share, offset) in BUDGET_PLAN.items():
            amount = rest if order == 5 else (allocated * share).quantize(Decimal("0.01"))
            rest -= amount
            m = fy.start_date.month - 1 + offset
            month = dt.date(fy.start_date.year + m // 12, m % 12 + 1, 1)
            lines.append(
                BudgetLine(target_id=pk, category_id=categories[order], planned_amount=amount,
                           planned_month=month)
            )  # fmt: skip
            plans.append(users.get(officer_of.get(pk)))
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
    paid = []
    for line, user_id in zip(lines, plans, strict=True):
        if rng.random() < 0.1:  # a tenth of the lines not spent yet
            continue
        day = line.planned_month + dt.timedelta(days=rng.randint(2, 27) + 30 * (rng.random() < 0.2))
        if day > min(today, fy.end_date):
            continue
        amount = (line.planned_amount * Decimal(rng.randint(85, 100)) / 100).quantize(
            Decimal("0.01")
        )
        if amount <= 0:
            continue
        row = Disbursement(line_id=line.pk, kind="expense", date=day, amount=amount,
                           purpose="ค่าใช้จ่ายตามแผน", recorded_by_id=user_id)  # fmt: skip
        if rng.random() < ADVANCE_SHARE:
            row.kind = "advance"
            cleared = day + dt.timedelta(days=rng.randint(5, 25))
            if rng.random() > 0.03 and cleared <= today:
                row.cleared_on, row.cleared_amount, row.cleared_by_id = cleared, amount, user_id
        paid.append(row)
    Disbursement.objects.bulk_create(paid, batch_size=BATCH)
    counts["budget_lines"] = counts.get("budget_lines", 0) + len(lines)
    counts["disbursements"] = counts.get("disbursements", 0) + len(paid)
    log(f"FY{fy.year}: {len(lines)} budget lines, {len(paid)} disbursements")


def _programme(rng, fy, saved, sizes, officer_of, stages, start, counts, log) -> None:
    """Each target village's year: visits (some villages neglected), 20 households and a few
    neighbours with a baseline income round and one or two follow-ups, sign-in sheets on some
    visits, livelihood groups with members, partner projects and a first evaluation round;
    written in batches of about 50,000 visits, each table by bulk_create (rows get their ids,
    which the rows pointing at them need)."""
    partners: dict[str, list[int]] = {}
    for pk, district in Partner.objects.filter(
        district_id__in={d for _pk, _v, d in saved}
    ).values_list("pk", "district_id"):
        partners.setdefault(district, []).append(pk)
    midyear = fy.start_date + dt.timedelta(days=182)
    total = dict.fromkeys(
        ("visits", "households", "income_rounds", "attendance", "groups", "members",
         "partner_projects", "evaluations"), 0,
    )  # fmt: skip
    pending: list[tuple] = []  # (target pk, village, district, visits, households, incomes)
    n_visits = 0

    def flush():
        visits = [v for p in pending for v in p[3]]
        households = [h for p in pending for h in p[4]]
        FieldVisit.objects.bulk_create(visits, batch_size=BATCH)
        Household.objects.bulk_create(households, batch_size=BATCH)
        rounds, attendance, groups, projects, evaluations = [], [], [], [], []
        members: list[tuple[int, list[int]]] = []  # (group index, household ids)
        for pk, village, district, target_visits, target_households, incomes in pending:
            ids = [h.pk for h in target_households]
            own = [h for h in target_households if not h.is_neighbour]
            for h, (baseline, middle, after) in zip(target_households, incomes, strict=True):
                day = h.joined_on or fy.start_date
                rounds.append(IncomeRound(household_id=h.pk, kind=IncomeKind.BASELINE,
                                          date=day, income=baseline))  # fmt: skip
                if middle is not None and day < midyear:
                    rounds.append(IncomeRound(household_id=h.pk, kind=IncomeKind.FOLLOWUP,
                                              date=midyear, income=middle))  # fmt: skip
                rounds.append(IncomeRound(household_id=h.pk, kind=IncomeKind.FOLLOWUP,
                                          date=fy.end_date, income=after))  # fmt: skip
            for visit in target_visits:
                if rng.random() < ATTENDED_SHARE:
                    attendance.extend(
                        Attendance(visit_id=visit.pk, household_id=h)
                        for h in rng.sample(ids, min(len(ids), rng.randint(3, 10)))
                    )
            first = len(groups)
            if rng.random() < GROUPED_SHARE:
                for g in range(rng.randint(1, 3)):
                    groups.append(
                        LivelihoodGroup(
                            target_id=pk,
                            name=f"กลุ่มอาชีพทอผ้าไหม {g + 1}",
                            livelihood="ทอผ้าไหม",
                            products="ผ้าไหมมัดหมี่",
                            monthly_sales=Decimal(rng.randrange(5, 80) * 1000),
                            status=rng.choice(
                                (GroupStatus.ACTIVE, GroupStatus.ACTIVE, GroupStatus.FORMING)
                            ),
                            created_at=start,
                            updated_at=start,
                        )
                    )
                    members.append((len(groups) - 1, rng.sample(ids, rng.randint(4, 12))))
            mine = groups[first:]
            if rng.random() < PARTNERED_SHARE and partners.get(district):
                for partner in rng.sample(partners[district], rng.randint(1, 2)):
                    projects.append(
                        PartnerSupport(
                            partner_id=partner,
                            target_id=pk,
                            group=rng.choice(mine) if mine and rng.random() < 0.5 else None,
                            project="อุปกรณ์ทอผ้าและการตลาด",
                            amount=Decimal(rng.randrange(10, 100) * 1000),
                            start_date=fy.start_date + dt.timedelta(days=rng.randint(30, 120)),
                            status=rng.choice((ProjectStatus.ACTIVE, ProjectStatus.DONE)),
                        )
                    )
            if rng.random() < 0.7:
                rose = sum(1 for b, _m, a in incomes[: len(own)] if a > b)
                change = sum(a - b for b, _m, a in incomes[: len(own)]) / len(own)
                evaluations.append(
                    VillageEvaluation(
                        target_id=pk,
                        round=1,
                        date=fy.end_date,
                        status="approved",
                        group_formed=bool(mine),
                        group_name=mine[0].name if mine else "",
                        households_total=len(own),
                        households_practising=sum(1 for h in own if h.still_practising),
                        households_income_rose=rose,
                        income_change_avg=change.quantize(Decimal("0.01")),
                        neighbours_joined=len(target_households) - len(own),
                        partners_backing=sum(1 for p in projects if p.target_id == pk),
                        village_households=sizes.get(village),
                        groups_active=sum(1 for g in mine if g.status == GroupStatus.ACTIVE),
                    )
                )
        IncomeRound.objects.bulk_create(rounds, batch_size=BATCH)
        Attendance.objects.bulk_create(attendance, batch_size=BATCH)
        LivelihoodGroup.objects.bulk_create(groups, batch_size=BATCH)
        Member = LivelihoodGroup.members.through
        memberships = [
            Member(livelihoodgroup_id=groups[g].pk, household_id=h) for g, hs in members for h in hs
        ]
        Member.objects.bulk_create(memberships, batch_size=BATCH)
        PartnerSupport.objects.bulk_create(projects, batch_size=BATCH)
        VillageEvaluation.objects.bulk_create(evaluations, batch_size=BATCH)
        for key, rows in (
            ("visits", visits), ("households", households), ("income_rounds", rounds),
            ("attendance", attendance), ("groups", groups), ("members", memberships),
            ("partner_projects", projects), ("evaluations", evaluations),
        ):  # fmt: skip
            total[key] += len(rows)
        pending.clear()

    for pk, village, district in saved:
        neglected = rng.random() < 0.15
        stop = fy.start_date + dt.timedelta(days=rng.randint(60, 200)) if neglected else fy.end_date
        day = fy.start_date + dt.timedelta(days=rng.randint(3, 20))
        visits = []
        while day <= stop and len(visits) < VISITS_PER_TARGET * 2:
            visits.append(
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
            day += dt.timedelta(days=rng.randint(9, 25))
        households, incomes = [], []
        neighbours = rng.randint(0, 4)
        for k in range(HOUSEHOLDS_PER_TARGET + neighbours):
            neighbour = k >= HOUSEHOLDS_PER_TARGET
            households.append(
                Household(
                    target_id=pk,
                    head_name=f"ครัวเรือน {k + 1}",
                    livelihood="ทอผ้าไหม",
                    still_practising=neighbour or rng.random() < 0.8,
                    is_neighbour=neighbour,
                    joined_on=fy.start_date + dt.timedelta(days=rng.randint(90, 270))
                    if neighbour
                    else None,
                )
            )
            baseline = Decimal(rng.randrange(2000, 9000, 100))
            after = max(Decimal(0), baseline + Decimal(rng.randrange(-300, 3000, 100)))
            middle = (baseline + after) / 2 if rng.random() < MIDYEAR_SHARE else None
            incomes.append((baseline, middle, after))
        pending.append((pk, village, district, visits, households, incomes))
        n_visits += len(visits)
        if n_visits > 50_000:
            flush()
            n_visits = 0
    flush()
    for key, n in total.items():
        counts[key] = counts.get(key, 0) + n
    log(
        f"FY{fy.year}: {total['visits']} visits, {total['households']} households, "
        f"{total['income_rounds']} income rounds, {total['attendance']} attendances, "
        f"{total['groups']} groups ({total['members']} members), "
        f"{total['partner_projects']} partner projects, {total['evaluations']} evaluations"
    )


def _plan(rng, fy, saved, stages, counts, log) -> None:
    """The department's deadline for each stage, and every target's planned date for each
    (the district plan page reads them): about a month apart through the year."""
    StageDeadline.objects.bulk_create(
        [
            StageDeadline(year=fy, stage=stage, due=fy.start_date + dt.timedelta(days=55 * (i + 1)))
            for i, stage in enumerate(stages)
        ]
    )
    rows = [
        PlannedDate(
            target_id=pk,
            stage=stage,
            date=fy.start_date + dt.timedelta(days=45 * (i + 1) + rng.randrange(-10, 10)),
        )
        for pk, _village, _district in saved
        for i, stage in enumerate(stages)
    ]
    PlannedDate.objects.bulk_create(rows, batch_size=BATCH)
    counts["planned_dates"] = counts.get("planned_dates", 0) + len(rows)
    log(f"FY{fy.year}: {len(rows)} planned dates")


def _village_households(villages) -> dict[str, int]:
    """Every target village's number of households (the village record's, which the spread
    is a share of), set where the record has none yet; returns them."""
    number = 60 + Mod(Cast(Substr("code", 5, 4), IntegerField()) * 37, 190)
    for i in range(0, len(villages), BATCH):
        Village.objects.filter(households__isnull=True, code__in=villages[i : i + BATCH]).update(
            households=number
        )
    return dict(
        Village.objects.filter(code__in=villages).values_list("code", "households").iterator()
    )


def _second_rounds(rng, fy, counts, log) -> None:
    """A second evaluation round, at the end of this year, for some of the year before's
    villages evaluated once: the spread and income a year on."""
    rows = []
    for e in (
        VillageEvaluation.objects.filter(target__year_id=fy.year - 1, round=1)
        .exclude(target__evaluations__round=2)
        .order_by("pk")
    ):
        if rng.random() < SECOND_ROUND_SHARE:
            rows.append(
                VillageEvaluation(
                    target_id=e.target_id,
                    round=2,
                    date=fy.end_date,
                    status="approved",
                    group_formed=e.group_formed,
                    group_name=e.group_name,
                    households_total=e.households_total,
                    households_practising=max(0, e.households_practising - rng.randint(0, 3)),
                    households_income_rose=e.households_income_rose,
                    income_change_avg=e.income_change_avg + Decimal(rng.randrange(0, 800, 50)),
                    neighbours_joined=e.neighbours_joined + rng.randint(0, 6),
                    partners_backing=e.partners_backing,
                    village_households=e.village_households,
                    groups_active=e.groups_active,
                )
            )
    VillageEvaluation.objects.bulk_create(rows, batch_size=BATCH)
    counts["second_rounds"] = counts.get("second_rounds", 0) + len(rows)
    if rows:
        log(f"FY{fy.year}: {len(rows)} villages of FY{fy.year - 1} evaluated a second time")
