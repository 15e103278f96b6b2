"""The demo's programme over years: what lasts after Khon Kaen's FY2560.

Villages get their number of households; some villages are followed up with income rounds
6 and 12 months after the year's end (in FY2561 and FY2562), rising for most households and
falling for some; livelihood groups are formed (one has ended); partner projects have dates,
money or kind, and results; households signed in at some visits; a few villages have a
second evaluation round. Seeded like the rest of the demo, and run once: a second run finds
the groups and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assignments.models import FiscalYear, TargetVillage
from districts.models import User, Village
from evaluations.models import ReviewStatus, VillageEvaluation
from evaluations.services import village_indicators
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

SIX_MONTHS = dt.date(2018, 4, 2)  # FY2561
TWELVE_MONTHS = dt.date(2018, 10, 15)  # FY2562
GROUP_NAMES = ["กลุ่ม{}บ้าน{}", "กลุ่มแม่บ้าน{}บ้าน{}"]
MARKETS = ["ตลาดนัดชุมชน", "ร้านค้าประชารัฐ", "ขายออนไลน์", "ตลาดอำเภอ", "ร้านของฝากในจังหวัด"]
RESULTS = [
    "กลุ่มมีเครื่องมือใช้ร่วมกัน ลดต้นทุนได้ราวหนึ่งในห้า",
    "สมาชิกได้ตลาดประจำ ขายได้ทุกสัปดาห์",
    "ได้รับการรับรองมาตรฐานผลิตภัณฑ์ชุมชน (มผช.)",
    "สมาชิกบางส่วนเลิกทำ เพราะวัตถุดิบขาดช่วงหน้าแล้ง",
]


def build_livelihood(demo) -> None:
    """``demo``: the demo being built (its seeded generators, sammachip.demo.Demo)."""
    from sammachip.demo import PHU_WIANG, PROVINCE, YEAR

    if LivelihoodGroup.objects.filter(target__district__province_id=PROVINCE).exists():
        return
    year = FiscalYear(year=YEAR)
    targets = list(
        TargetVillage.objects.filter(year_id=YEAR, district__province_id=PROVINCE)
        .select_related("village")
        .prefetch_related(Prefetch("households", queryset=Household.objects.order_by("pk")))
        .order_by("village_id")
    )
    if not targets:
        return
    villages = []
    for target in targets:
        rng = demo.rng(f"village-size-{target.village_id}")
        target.village.households = rng.randint(80, 260)
        villages.append(target.village)
    Village.objects.bulk_update(villages, ["households"], batch_size=2000)

    head = User.objects.filter(username="phuwiang-head").first()
    # each household's follow-up at the year's end, where the later rounds go on from
    year_end_income = dict(
        IncomeRound.objects.filter(
            household__target__in=targets, kind=IncomeKind.FOLLOWUP
        ).values_list("household_id", "income")
    )
    rounds, groups, members = [], [], []
    ended_one = False
    for target in targets:
        rng = demo.rng(f"over-years-{target.village_id}")
        households = list(target.households.all())
        followed = target.district_id == PHU_WIANG or rng.random() < 0.3
        if followed:
            falling_village = rng.random() < 0.15
            for h in households:
                base = year_end_income.get(h.pk, Decimal(rng.randrange(3000, 9000, 100)))
                falls = falling_village or rng.random() < 0.15
                step = Decimal(rng.randrange(100, 900, 50))
                six = base - step if falls else base + step
                twelve = six - step if falls else six + Decimal(rng.randrange(0, 1200, 50))
                rounds.append(
                    IncomeRound(
                        household=h,
                        kind=IncomeKind.FOLLOWUP,
                        date=SIX_MONTHS,
                        income=max(Decimal(0), six),
                        recorded_by=head if target.district_id == PHU_WIANG else None,
                    )
                )
                rounds.append(
                    IncomeRound(
                        household=h,
                        kind=IncomeKind.FOLLOWUP,
                        date=TWELVE_MONTHS,
                        income=max(Decimal(0), twelve),
                        recorded_by=head if target.district_id == PHU_WIANG else None,
                    )
                )
        if households and (followed or rng.random() < 0.2):
            status = rng.choice(
                [GroupStatus.ACTIVE] * 5 + [GroupStatus.FORMING, GroupStatus.PAUSED]
            )
            if target.district_id == PHU_WIANG and not ended_one:
                status, ended_one = GroupStatus.ENDED, True
            livelihood = target.livelihood or "ทอผ้าไหม"
            group = LivelihoodGroup(
                target=target,
                name=rng.choice(GROUP_NAMES).format(livelihood, target.village.name),
                livelihood=livelihood,
                products=livelihood,
                markets=", ".join(rng.sample(MARKETS, 2)),
                monthly_sales=Decimal(rng.randrange(3000, 60000, 500))
                if status != GroupStatus.FORMING
                else None,
                status=status,
                support="อบรมจากสำนักงานเกษตรอำเภอ" if rng.random() < 0.5 else "",
                created_at=timezone.make_aware(dt.datetime(2017, rng.randint(5, 9), 1)),
            )
            groups.append(group)
            chosen = rng.sample(households, min(len(households), rng.randint(6, 15)))
            members.append((group, chosen))
    IncomeRound.objects.bulk_create(rounds, batch_size=2000)
    LivelihoodGroup.objects.bulk_create(groups, batch_size=2000)
    Through = LivelihoodGroup.members.through
    Through.objects.bulk_create(
        [Through(livelihoodgroup=g, household=h) for g, hs in members for h in hs],
        batch_size=2000,
    )

    supports = list(
        PartnerSupport.objects.filter(target__in=targets)
        .exclude(project="")
        .select_related("target")
        .order_by("pk")
    )
    group_of = {g.target_id: g for g in groups}
    for s in supports:
        rng = demo.rng(f"project-{s.pk}")
        s.start_date = year.start_date + dt.timedelta(days=rng.randint(60, 300))
        s.status = rng.choice(
            [ProjectStatus.DONE, ProjectStatus.ACTIVE, ProjectStatus.ACTIVE, ProjectStatus.PLANNED]
        )
        if rng.random() < 0.6:
            s.amount = Decimal(rng.randrange(5000, 80000, 1000))
        else:
            s.in_kind = rng.choice(["เครื่องทอผ้า", "อบรมการทำบรรจุภัณฑ์", "พื้นที่ขายในตลาด"])
        if s.status == ProjectStatus.DONE:
            s.end_date = s.start_date + dt.timedelta(days=rng.randint(90, 360))
            s.result = rng.choice(RESULTS)
        s.group = group_of.get(s.target_id) if rng.random() < 0.5 else None
    PartnerSupport.objects.bulk_update(
        supports,
        ["start_date", "end_date", "status", "amount", "in_kind", "result", "group"],
        batch_size=2000,
    )

    phu_wiang = [t for t in targets if t.district_id == PHU_WIANG]
    by_target = {t.pk: [h for h in t.households.all() if not h.is_neighbour] for t in phu_wiang}
    attendance = []
    for visit in FieldVisit.objects.filter(target__in=phu_wiang).order_by("pk"):
        rng = demo.rng(f"attendance-{visit.pk}")
        own = by_target.get(visit.target_id, [])
        if not own or rng.random() < 0.5:
            continue
        came = rng.sample(own, min(len(own), visit.household_count or rng.randint(5, 15)))
        attendance += [Attendance(visit=visit, household=h) for h in came]
        FieldVisit.objects.filter(pk=visit.pk).update(household_count=len(came))
    Attendance.objects.bulk_create(attendance, batch_size=2000)

    # evaluation rounds: a few Phu Wiang villages approved at the year's end, and followed
    # up with a second round a year later
    for k, target in enumerate(phu_wiang[:6]):
        figures = village_indicators(target)
        first = VillageEvaluation.objects.create(
            target=target,
            round=1,
            date=year.end_date,
            status=ReviewStatus.APPROVED,
            group_formed=target.pk in group_of,
            group_name=group_of[target.pk].name if target.pk in group_of else "",
            lessons="ครัวเรือนที่มาร่วมกิจกรรมสม่ำเสมอมีรายได้เพิ่มขึ้นชัดเจน",
            reviewed_by=head,
            **figures,
        )
        if k < 3:
            VillageEvaluation.objects.create(
                target=target,
                round=2,
                date=TWELVE_MONTHS,
                status=ReviewStatus.APPROVED if k < 2 else ReviewStatus.DRAFT,
                group_formed=first.group_formed,
                group_name=first.group_name,
                lessons="ติดตามผล 12 เดือน: กลุ่มยังดำเนินการต่อ มีครัวเรือนข้างเคียงเข้าร่วม",
                reviewed_by=head if k < 2 else None,
                **{**figures, "neighbours_joined": figures["neighbours_joined"] + 2 + k},
            )
