"""The demo: Khon Kaen province (40), fiscal year 2560, on the real villages; follow-ups of
some Phu Wiang villages in FY2561 and FY2562, and a programme in the fiscal year of today.

Everything is drawn from one seeded random generator, so the demo is the same on every
machine, and every row is found by its natural key before it is created, so running it twice
changes nothing. Personal names are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from assignments import services
from assignments.models import FiscalYear, FollowUp, Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts import changes
from districts.lib.thai import fiscal_year_of
from districts.models import District, Officer, Role, Tambon, TambonResponsibility, User, Village
from fieldwork.models import (
    FieldVisit,
    Household,
    IncomeRound,
    PartnerSupport,
    SupportTeamMember,
    VisitAdvice,
)
from people.models import Forum, Partner, Sage, SageNetwork
from sammachip.demo_budget import build_budget
from sammachip.demo_livelihood import build_livelihood
from sammachip.demo_plan import build_plan

PASSWORD = "sammachip-demo"
PROVINCE = "40"
YEAR = 2560
TOTAL_TARGETS = 528  # Khon Kaen's FY2560 allocation, from the source article
PHU_WIANG = "4016"
PHU_WIANG_TARGETS = 27

FIRST_NAMES_M = [
    "สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย", "สุริยา", "อนุชา", "ธนากร", "กิตติพงษ์", "ชาญวิทย์",
    "ณัฐพล", "บุญมี", "ทองดี", "ไพโรจน์", "สุรชัย", "วีระพงษ์", "อำนาจ", "เกียรติศักดิ์", "พงศกร",
]  # fmt: skip
FIRST_NAMES_F = [
    "สมหญิง", "มาลัย", "วิไลวรรณ", "จันทร์เพ็ญ", "ศิริพร", "อรุณี", "กาญจนา", "พรทิพย์", "นงลักษณ์",
    "ปิยะนุช", "สุกัญญา", "รัตนา", "เพ็ญศรี", "ดวงใจ", "อัญชลี", "ลำดวน", "บุษบา", "นิภาพร",
]  # fmt: skip
SURNAMES = [
    "ศรีสุข", "ใจดี", "บุญเรือง", "แสนทวีสุข", "พรหมมา", "ทองมา", "ภูมิพันธ์", "คำแก้ว", "สีหามาตย์",
    "วงศ์ษา", "ชัยวงศ์", "จันทร์แก้ว", "ศรีวงษ์", "โคตรภูเวียง", "แก้วมณี", "บุตรดี", "สุวรรณชาติ",
    "พิมพ์ทอง", "ประทุมวัน", "มะลิวัลย์", "อุดมศักดิ์", "นามวงศ์", "ปัญญาดี", "สายทอง",
]  # fmt: skip
LIVELIHOODS = [
    "ทอผ้าไหม", "เลี้ยงไก่พื้นเมือง", "ปลูกผักปลอดสารพิษ", "ทำปุ๋ยอินทรีย์", "เพาะเห็ดนางฟ้า",
    "จักสานไม้ไผ่", "แปรรูปอาหาร", "เลี้ยงปลาดุก", "ทำขนมไทย", "ปลูกหม่อนเลี้ยงไหม",
    "ทำน้ำยาอเนกประสงค์", "เลี้ยงกบ", "ทำไม้กวาดดอกหญ้า", "เลี้ยงโคขุน",
]  # fmt: skip
OFFICER_POSITIONS = [
    "นักวิชาการพัฒนาชุมชนปฏิบัติการ",
    "นักวิชาการพัฒนาชุมชนชำนาญการ",
    "เจ้าพนักงานพัฒนาชุมชนชำนาญงาน",
]


@dataclass
class DemoReport:
    users: int = 0
    targets: int = 0

    def __str__(self) -> str:
        return f"{self.users} new users, {self.targets} new target villages"


class Demo:
    def __init__(self, seed: int = YEAR):
        self.seed = seed
        self.password_hash = make_password(PASSWORD)  # hashed once: 300 users, one hash
        self.report = DemoReport()

    def rng(self, key: str) -> random.Random:
        """A generator of its own for each thing drawn, so one draw never shifts another."""
        return random.Random(f"{self.seed}:{key}")

    def person(self, key: str) -> tuple[str, str, str]:
        rng = self.rng(key)
        if rng.random() < 0.5:
            return "นาย", rng.choice(FIRST_NAMES_M), rng.choice(SURNAMES)
        return rng.choice(["นาง", "นางสาว"]), rng.choice(FIRST_NAMES_F), rng.choice(SURNAMES)

    def user(self, username: str, *, superuser: bool = False) -> User:
        title, first, last = self.person(username)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "title": title,
                "first_name": first,
                "last_name": last,
                "password": self.password_hash,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        self.report.users += created
        return user

    def officer(self, username: str, **fields) -> Officer:
        user = self.user(username)
        officer, _created = Officer.objects.get_or_create(user=user, defaults=fields)
        return officer

    # --- people ---------------------------------------------------------------------------

    def build_people(self) -> None:
        self.user("admin", superuser=True)
        support = self.officer("support", role=Role.SUPPORT, position="เจ้าหน้าที่ดูแลบัญชีผู้ใช้")
        if not support.user.is_staff:
            support.user.is_staff = True
            support.user.save(update_fields=["is_staff"])
            support.user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="districts",
                    content_type__model__in=["user", "officer", "tambonresponsibility"],
                )
            )
        self.officer(
            "department",
            role=Role.DEPARTMENT,
            position="นักวิชาการพัฒนาชุมชน กรมการพัฒนาชุมชน",
        )
        self.officer(
            "khonkaen",
            role=Role.PROVINCE,
            province_id=PROVINCE,
            position="นักวิชาการพัฒนาชุมชนชำนาญการพิเศษ",
        )
        districts = District.objects.filter(province_id=PROVINCE).order_by("code")
        tambons_by_district: dict[str, list[str]] = {}
        for code, district_id in (
            Tambon.objects.filter(district__province_id=PROVINCE)
            .annotate(n=Count("villages"))
            .filter(n__gt=0)
            .order_by("code")
            .values_list("code", "district_id")
        ):
            tambons_by_district.setdefault(district_id, []).append(code)
        for district in districts:
            prefix = "phuwiang" if district.code == PHU_WIANG else f"kk{district.code}"
            tambons = tambons_by_district.get(district.code, [])
            self.officer(
                f"{prefix}-head",
                role=Role.HEAD,
                district=district,
                position="พัฒนาการอำเภอ" + district.name_th,
            )
            # 5-12 officers, about one per tambon: Phu Wiang's 11 tambons give its 10 officers.
            count = min(12, max(5, len(tambons) - 1))
            for i in range(1, count + 1):
                officer = self.officer(
                    f"{prefix}-officer{i}",
                    role=Role.OFFICER,
                    district=district,
                    position=self.rng(f"position-{prefix}-{i}").choice(OFFICER_POSITIONS),
                )
                mine = tambons[i - 1 :: count] or (
                    [tambons[(i - 1) % len(tambons)]] if tambons else []
                )
                for tambon_id in mine:
                    TambonResponsibility.objects.get_or_create(
                        officer=officer,
                        tambon_id=tambon_id,
                        end_date=None,
                        defaults={
                            "order_number": f"1/{YEAR}",
                            "start_date": FiscalYear(year=YEAR).start_date,
                        },
                    )

    # --- target villages ------------------------------------------------------------------

    def quotas(self) -> dict[str, int]:
        """528 targets over the districts: 27 to Phu Wiang, the rest by number of villages."""
        sizes = dict(
            Village.objects.filter(tambon__district__province_id=PROVINCE)
            .values("tambon__district_id")
            .annotate(n=Count("code"))
            .values_list("tambon__district_id", "n")
        )
        others = {code: n for code, n in sizes.items() if code != PHU_WIANG}
        remaining = TOTAL_TARGETS - PHU_WIANG_TARGETS
        total = sum(others.values())
        exact = {code: remaining * n / total for code, n in others.items()}
        quotas = {code: int(share) for code, share in exact.items()}
        leftover = remaining - sum(quotas.values())
        for code in sorted(exact, key=lambda c: exact[c] - quotas[c], reverse=True)[:leftover]:
            quotas[code] += 1
        quotas[PHU_WIANG] = PHU_WIANG_TARGETS
        return quotas

    def build_targets(self) -> None:
        year, _created = FiscalYear.objects.get_or_create(year=YEAR)
        ensure_default_stages(Stage)
        stages = list(Stage.objects.order_by("order"))
        villages_by_tambon: dict[str, list[str]] = {}
        for code, tambon_id in (
            Village.objects.filter(tambon__district__province_id=PROVINCE)
            .order_by("code")
            .values_list("code", "tambon_id")
        ):
            villages_by_tambon.setdefault(tambon_id, []).append(code)
        existing = set(TargetVillage.objects.filter(year=year).values_list("village_id", flat=True))
        new = []
        for district_id, quota in sorted(self.quotas().items()):
            rng = self.rng(f"targets-{district_id}")
            tambons = sorted(t for t in villages_by_tambon if t.startswith(district_id))
            rng.shuffle(tambons)
            # Clustered as the article describes: whole tambons are funded, one partly, the
            # rest not at all.
            chosen: list[str] = []
            for tambon_id in tambons:
                chosen.extend(villages_by_tambon[tambon_id][: quota - len(chosen)])
                if len(chosen) >= quota:
                    break
            for village_id in chosen:
                if village_id in existing:
                    continue
                rng = self.rng(f"target-{village_id}")
                allocated = Decimal(rng.randrange(400, 601) * 100)
                # drawn still, so the draws after it keep their values (spent now comes from
                # the disbursements: sammachip/demo_budget.py)
                rng.uniform(0.55, 1.0)
                new.append(
                    TargetVillage(
                        village_id=village_id,
                        district_id=district_id,
                        year=year,
                        budget_allocated=allocated,
                        livelihood=rng.choice(LIVELIHOODS),
                        stage=rng.choice(stages[: rng.randint(1, len(stages))]) if stages else None,
                    )
                )
        TargetVillage.objects.bulk_create(new)
        self.report.targets += len(new)

    # --- assignments ----------------------------------------------------------------------

    def build_assignments(self) -> None:
        """The article's starting point: each village goes to the officer of its tambon.

        Every district but Phu Wiang then takes the fair-distribution suggestion and issues
        order 2/2560; Phu Wiang is left as it was, for the head to balance in the demo.
        """
        year = FiscalYear.objects.get(year=YEAR)
        if VillageAssignment.objects.filter(target__year=year).exists():
            return
        officer_of_tambon = {}
        for tambon_id, officer_id in (
            TambonResponsibility.objects.filter(
                officer__district__province_id=PROVINCE, officer__role=Role.OFFICER
            )
            .order_by("tambon_id", "officer__user__username")
            .values_list("tambon_id", "officer_id")
        ):
            officer_of_tambon.setdefault(tambon_id, officer_id)
        heads = {
            o.district_id: o.user
            for o in Officer.objects.filter(
                role=Role.HEAD, district__province_id=PROVINCE
            ).select_related("user")
        }
        start = timezone.make_aware(dt.datetime.combine(year.start_date, dt.time(9)))
        VillageAssignment.objects.bulk_create(
            VillageAssignment(
                target=target,
                officer_id=officer_of_tambon[target.village.tambon_id],
                assigned_at=start,
                assigned_by=heads[target.district_id],
            )
            for target in TargetVillage.objects.filter(year=year).select_related("village")
            if target.village.tambon_id in officer_of_tambon
        )
        for district in District.objects.filter(province_id=PROVINCE).exclude(code=PHU_WIANG):
            head = heads[district.code]
            proposal = services.balance_district(district=district, year=YEAR)
            services.proposal_apply(
                district=district,
                accepted=[
                    (m.target_id, m.from_officer.pk if m.from_officer else None, m.to_officer.pk)
                    for m in proposal.moves
                ],
                actor=head,
            )
            # The demo's balancing happened in November 2016, not today.
            balanced_at = timezone.make_aware(dt.datetime(2016, 11, 14, 10))
            in_district = VillageAssignment.objects.filter(target__district=district)
            in_district.filter(ended_at__isnull=False).update(ended_at=balanced_at)
            in_district.filter(assigned_at__gt=start).update(assigned_at=balanced_at)
            services.order_issue(
                district=district,
                year=YEAR,
                number=f"2/{YEAR}",
                date=dt.date(2016, 11, 15),
                subject=f"มอบหมายเจ้าหน้าที่รับผิดชอบหมู่บ้านเป้าหมายโครงการสร้างสัมมาชีพชุมชน ปีงบประมาณ {YEAR}",
                signer_name=head.display_name,
                signer_position=head.officer.position,
                actor=head,
            )

    # --- field visits ---------------------------------------------------------------------

    def build_visits(self) -> None:
        """A year of visits: most villages visited every few weeks, some left for months."""
        year = FiscalYear.objects.get(year=YEAR)
        if FieldVisit.objects.filter(target__year=year).exists():
            return
        stages = {s.order: s for s in Stage.objects.all()}
        if not stages:
            return
        start, end = year.start_date, year.end_date
        heads = {
            o.district_id: o.user
            for o in Officer.objects.filter(
                role=Role.HEAD, district__province_id=PROVINCE
            ).select_related("user")
        }
        visits, advice_for = [], []
        targets = (
            TargetVillage.objects.filter(year=year)
            .select_related("stage")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=VillageAssignment.objects.order_by("assigned_at"),
                    to_attr="all_assignments",
                )
            )
            .order_by("village_id")
        )
        for target in targets:
            rng = self.rng(f"visits-{target.village_id}")
            officer_id = target.all_assignments[-1].officer_id if target.all_assignments else None
            if officer_id is None:
                continue
            kind = rng.random()
            if kind < 0.2:  # neglected: a good start, then nobody for months
                gap, stop = (10, 30), start + dt.timedelta(days=rng.randint(60, 180))
            elif kind < 0.85:
                gap, stop = (14, 35), end
            else:
                gap, stop = (6, 14), end
            top = target.stage.order if target.stage else 1
            day = start + dt.timedelta(days=rng.randint(10, 40))
            while day <= stop:
                progress = (day - start).days / 365
                order = max(1, min(top, 1 + int(progress * len(stages))))
                visits.append(
                    FieldVisit(
                        target=target,
                        officer_id=officer_id,
                        date=day,
                        stage=stages[order],
                        activity=rng.choice(ACTIVITIES[min(order, len(ACTIVITIES)) - 1]),
                        sage_took_part=rng.random() < 0.7,
                        support_team_count=rng.randint(1, 5),
                        household_count=rng.randint(5, 20),
                        partners=rng.choice(PARTNERS),
                        created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(16))),
                    )
                )
                if rng.random() < 0.08:
                    advice_for.append((len(visits) - 1, heads[target.district_id], rng))
                day += dt.timedelta(days=rng.randint(*gap))
        created = FieldVisit.objects.bulk_create(visits, batch_size=2000)
        advice = []
        for index, head, rng in advice_for:
            visit = created[index]
            text = rng.choice(ADVICE)
            when = timezone.make_aware(dt.datetime.combine(visit.date, dt.time(9)))
            read = when + dt.timedelta(days=2) if rng.random() < 0.8 else None
            advice.append(
                VisitAdvice(visit=visit, author=head, text=text, created_at=when, read_at=read)
            )
        VisitAdvice.objects.bulk_create(advice, batch_size=2000)
        needing = [a.visit for a in advice if "เพิ่มเติม" in a.text]
        for visit in needing:
            visit.needs_more = True
            visit.needs_more_reason = "ขอให้นัดครัวเรือนเป้าหมายที่ยังไม่มาร่วมกิจกรรม"
        FieldVisit.objects.bulk_update(needing, ["needs_more", "needs_more_reason"])

    # --- people of the programme ----------------------------------------------------------

    def build_people_of_villages(self) -> None:
        """A sage, a team of five and about 20 households per target village; partners;
        Phu Wiang's sage network with forums held and planned."""
        year = FiscalYear.objects.get(year=YEAR)
        if Sage.objects.filter(district__province_id=PROVINCE).exists():
            return
        targets = list(
            TargetVillage.objects.filter(year=year).select_related("village").order_by("village_id")
        )
        sages = []
        for target in targets:
            rng = self.rng(f"sage-{target.village_id}")
            title, first, last = self.person(f"sage-{target.village_id}")
            sages.append(
                Sage(
                    name=f"{title}{first} {last}",
                    village=target.village,
                    district_id=target.district_id,
                    expertise=target.livelihood or rng.choice(LIVELIHOODS),
                    phone=f"08{rng.randint(10000000, 99999999)}",
                )
            )
        Sage.objects.bulk_create(sages, batch_size=2000)
        sage_of = {s.village_id: s for s in Sage.objects.filter(district__province_id=PROVINCE)}
        for target in targets:
            target.sage = sage_of[target.village_id]
        TargetVillage.objects.bulk_update(targets, ["sage"], batch_size=2000)

        team, households, incomes = [], [], []
        for target in targets:
            rng = self.rng(f"households-{target.village_id}")
            sage = sage_of[target.village_id]
            team.append(SupportTeamMember(target=target, name=sage.name, role="leader", sage=sage))
            for k in range(4):
                title, first, last = self.person(f"team-{target.village_id}-{k}")
                team.append(
                    SupportTeamMember(target=target, name=f"{title}{first} {last}", role="member")
                )
            count = rng.randint(18, 22)
            neighbours = rng.choice([0, 0, 1, 2, 3, 5])
            for k in range(count + neighbours):
                title, first, last = self.person(f"household-{target.village_id}-{k}")
                baseline = Decimal(rng.randrange(2000, 9000, 100))
                practising = rng.random() < 0.8
                change = Decimal(rng.randrange(-300, 3500, 100)) if practising else Decimal(0)
                joined = (
                    dt.date(2017, rng.randint(3, 8), rng.randint(1, 28)) if k >= count else None
                )
                households.append(
                    Household(
                        target=target,
                        head_name=f"{title}{first} {last}",
                        livelihood=target.livelihood,
                        still_practising=practising,
                        is_neighbour=k >= count,
                        joined_on=joined,
                    )
                )
                # the baseline when the household joined (else the year's start), the
                # follow-up at the year's end, as the migration dates the old pairs
                incomes.append(
                    ((joined or year.start_date, baseline), (year.end_date, baseline + change))
                )
        SupportTeamMember.objects.bulk_create(team, batch_size=2000)
        Household.objects.bulk_create(households, batch_size=2000)
        IncomeRound.objects.bulk_create(
            [
                IncomeRound(household=h, kind=kind, date=day, income=max(Decimal(0), income))
                for h, pair in zip(households, incomes, strict=True)
                for kind, (day, income) in zip(("baseline", "followup"), pair, strict=True)
            ],
            batch_size=2000,
        )

        partners, supports = [], []
        for district in District.objects.filter(province_id=PROVINCE):
            for name, contact in PARTNER_AGENCIES:
                rng = self.rng(f"partner-{district.code}-{name}")
                partners.append(
                    Partner(
                        district=district,
                        name=f"{name}{district.name_th}",
                        contact_name=contact,
                        phone=f"043{rng.randint(100000, 999999)}",
                    )
                )
        Partner.objects.bulk_create(partners)
        by_district: dict[str, list] = {}
        for partner in Partner.objects.filter(district__province_id=PROVINCE):
            by_district.setdefault(partner.district_id, []).append(partner)
        for target in targets:
            rng = self.rng(f"support-{target.village_id}")
            for partner in rng.sample(by_district[target.district_id], rng.randint(0, 2)):
                supports.append(
                    PartnerSupport(partner=partner, target=target, project=rng.choice(PROJECTS))
                )
        PartnerSupport.objects.bulk_create(supports)

        phu_wiang = District.objects.get(pk=PHU_WIANG)
        network = SageNetwork.objects.create(
            district=phu_wiang, name="เครือข่ายปราชญ์สัมมาชีพชุมชนอำเภอภูเวียง"
        )
        members = [s for s in sage_of.values() if s.district_id == PHU_WIANG]
        network.members.set(members)
        staff = list(Officer.objects.filter(district=phu_wiang, role__in=[Role.HEAD, Role.OFFICER]))
        for k, (day, place, topic, learned) in enumerate(FORUMS):
            rng = self.rng(f"forum-{k}")
            held = learned is not None
            forum = Forum.objects.create(
                network=network,
                date=day,
                place=place,
                topic=topic,
                status="held" if held else "planned",
                learned=learned or "",
                follow_up="ปราชญ์แต่ละหมู่บ้านนำความรู้ไปถ่ายทอดต่อ และนัดติดตามในเวทีครั้งถัดไป" if held else "",
            )
            if held:
                forum.sages.set(rng.sample(members, min(len(members), rng.randint(12, 20))))
                forum.officers.set(rng.sample(staff, rng.randint(4, len(staff))))


# (village's place among Phu Wiang's FY2560 targets, officer number, followed up from,
# ended at the end of that fiscal year): officer1 keeps two, one handed back after a year
FOLLOW_UPS = [(0, 1, 2561, False), (1, 1, 2562, False), (2, 2, 2561, True), (3, 3, 2561, False)]
# the current year's programme: Phu Wiang and a few others, villages per district
CURRENT_YEAR_TARGETS = {PHU_WIANG: 12, "4001": 6, "4005": 4}
FOLLOW_UP_ACTIVITIES = [
    "ติดตามผลการประกอบอาชีพของครัวเรือนเป้าหมาย",
    "ติดตามยอดขายกลุ่มอาชีพและวางแผนการตลาด",
    "ประชุมครัวเรือนเป้าหมายและเพื่อนบ้านที่สนใจเข้าร่วม",
]


class Years:
    """The programme over years: follow-ups of Phu Wiang's FY2560 villages in FY2561 and
    FY2562, and a programme for the fiscal year of today (computed when the demo runs)."""

    def __init__(self, demo: Demo):
        self.demo = demo

    def build(self) -> None:
        self.build_followups()
        self.build_current_year()

    def build_followups(self) -> None:
        if FollowUp.objects.filter(target__district_id=PHU_WIANG).exists():
            return
        head = Officer.objects.select_related("user").get(user__username="phuwiang-head").user
        stage = Stage.objects.order_by("-order").first()
        targets = list(
            TargetVillage.objects.filter(district_id=PHU_WIANG, year_id=YEAR).order_by("village_id")
        )
        officers = {
            o.user.username: o
            for o in Officer.objects.filter(district_id=PHU_WIANG).select_related("user")
        }
        visits = []
        for index, number, first_year, handed_back in FOLLOW_UPS:
            if index >= len(targets):
                continue
            target, officer = targets[index], officers[f"phuwiang-officer{number}"]
            year = FiscalYear.objects.get_or_create(year=first_year)[0]
            started = timezone.make_aware(dt.datetime.combine(year.start_date, dt.time(10)))
            ended = (
                timezone.make_aware(dt.datetime.combine(year.end_date, dt.time(16)))
                if handed_back
                else None
            )
            FollowUp.objects.create(
                target=target,
                officer=officer,
                from_year=year,
                started_at=started + dt.timedelta(days=14),
                started_by=head,
                ended_at=ended,
                ended_by=head if ended else None,
            )
            # a follow-up visit every two months or so, while it is held, up to FY2562's end
            rng = self.demo.rng(f"followup-{target.village_id}")
            last = (ended.date() if ended else FiscalYear(year=2562).end_date) - dt.timedelta(
                days=10
            )
            day = year.start_date + dt.timedelta(days=rng.randint(20, 40))
            while day <= last:
                visits.append(
                    FieldVisit(
                        target=target,
                        officer=officer,
                        date=day,
                        stage=stage,
                        activity=rng.choice(FOLLOW_UP_ACTIVITIES),
                        sage_took_part=rng.random() < 0.6,
                        support_team_count=rng.randint(1, 4),
                        household_count=rng.randint(8, 20),
                        partners=rng.choice(PARTNERS),
                        created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(16))),
                    )
                )
                day += dt.timedelta(days=rng.randint(45, 75))
        FieldVisit.objects.bulk_create(visits)

    def build_current_year(self) -> None:
        """Targets and assignments of the fiscal year of today, so that a new user logs a
        visit dated today without changing the date; a few visits since the year began."""
        today = timezone.localdate()
        current = fiscal_year_of(today)
        if current <= 2562:  # the demo's own years already tell it
            return
        year = FiscalYear.objects.get_or_create(year=current)[0]
        if TargetVillage.objects.filter(year=year, district_id=PHU_WIANG).exists():
            return
        stages = list(Stage.objects.order_by("order"))
        heads = {
            o.district_id: o.user
            for o in Officer.objects.filter(
                role=Role.HEAD, district_id__in=CURRENT_YEAR_TARGETS
            ).select_related("user")
        }
        assigned_at = timezone.make_aware(
            dt.datetime.combine(min(today, year.start_date + dt.timedelta(days=20)), dt.time(9))
        )
        targets, assignments, visits = [], [], []
        for district_id, count in CURRENT_YEAR_TARGETS.items():
            rng = self.demo.rng(f"current-{district_id}")
            villages = list(
                Village.objects.filter(tambon__district_id=district_id)
                .order_by("code")
                .values_list("code", flat=True)
            )
            officers = list(
                Officer.objects.filter(
                    district_id=district_id, role=Role.OFFICER, is_active=True
                ).order_by("user__username")
            )
            # officer1 first: the one a new user of the demo logs in as
            officers.sort(key=lambda o: (not o.user.username.endswith("officer1"), o.pk))
            for i, village_id in enumerate(sorted(rng.sample(villages, min(count, len(villages))))):
                target = TargetVillage(
                    village_id=village_id,
                    district_id=district_id,
                    year=year,
                    budget_allocated=Decimal(rng.randrange(400, 601) * 100),
                    livelihood=rng.choice(LIVELIHOODS),
                    stage=stages[0] if stages else None,
                )
                targets.append(target)
                if officers:
                    officer = officers[i % len(officers)]
                    assignments.append(
                        VillageAssignment(
                            target=target,
                            officer=officer,
                            assigned_at=assigned_at,
                            assigned_by=heads.get(district_id),
                        )
                    )
                    # a first visit, when the year is old enough to have had one
                    day = year.start_date + dt.timedelta(days=rng.randint(10, 40))
                    if day < today and stages:
                        visits.append(
                            FieldVisit(
                                target=target,
                                officer=officer,
                                date=day,
                                stage=stages[0],
                                activity=rng.choice(ACTIVITIES[0]),
                                support_team_count=rng.randint(1, 5),
                                household_count=rng.randint(5, 20),
                                created_at=timezone.make_aware(
                                    dt.datetime.combine(day, dt.time(16))
                                ),
                            )
                        )
        TargetVillage.objects.bulk_create(targets)
        VillageAssignment.objects.bulk_create(assignments)
        FieldVisit.objects.bulk_create(visits)
        self.demo.report.targets += len(targets)


ACTIVITIES = [
    ["ประชุมชี้แจงผู้นำหมู่บ้าน", "สำรวจข้อมูลครัวเรือน", "คัดเลือกปราชญ์สัมมาชีพ"],
    ["อบรมปราชญ์และทีมวิทยากร", "ศึกษาดูงานกับปราชญ์", "วางแผนหลักสูตรอาชีพ"],
    ["ถ่ายทอดความรู้ให้ครัวเรือนเป้าหมาย", "ฝึกปฏิบัติอาชีพ", "ติดตามการฝึกอาชีพ"],
    ["สนับสนุนวัสดุอุปกรณ์", "ติดตามการประกอบอาชีพ", "ให้คำปรึกษาการผลิต"],
    ["ประชุมจัดตั้งกลุ่มอาชีพ", "เชื่อมโยงตลาด", "ขยายผลสู่ครัวเรือนข้างเคียง"],
    ["ติดตามผลการดำเนินงาน", "ประเมินผลครัวเรือน", "ถอดบทเรียน"],
]
PARTNERS = ["", "", "", "อบต.", "เกษตรอำเภอ", "กศน.อำเภอ", "ธ.ก.ส.", "พัฒนาที่ดิน"]
PARTNER_AGENCIES = [
    ("สำนักงานเกษตรอำเภอ", "นายสมพงษ์ ทองคำ"),
    ("ธ.ก.ส. สาขา", "นางสาวจิราพร แสงทอง"),
    ("กศน.อำเภอ", "นางวันเพ็ญ ศรีสวัสดิ์"),
    ("องค์การบริหารส่วนตำบลในอำเภอ", "นายชัยยา บุญมาก"),
]
PROJECTS = ["ต่อยอดกลุ่มอาชีพ", "ตลาดชุมชน", "เงินทุนหมุนเวียน", "อบรมบรรจุภัณฑ์", ""]
FORUMS = [
    (dt.date(2016, 12, 8), "หอประชุมอำเภอภูเวียง", "เปิดเครือข่ายปราชญ์และแผนงานปี 2560",
     "ปราชญ์ทุกหมู่บ้านรู้บทบาทของตน และตกลงพบกันทุกสองเดือน"),
    (dt.date(2017, 2, 15), "บ้านสงเปือย หมู่ที่ 1", "แลกเปลี่ยนเทคนิคการทอผ้าไหมและการย้อมสีธรรมชาติ",
     "การย้อมสีจากเปลือกไม้ลดต้นทุนได้ และกลุ่มทอผ้าควรรวมกันซื้อเส้นไหม"),
    (dt.date(2017, 5, 24), "ศาลาประชาคมตำบลบ้านเรือ", "การตลาดและการรวมกลุ่มอาชีพ",
     "ขายผ่านตลาดนัดชุมชนและร้านค้าของ อบต. ได้ราคาดีกว่าขายพ่อค้าคนกลาง"),
    (dt.date(2017, 8, 30), "หอประชุมอำเภอภูเวียง", "ถอดบทเรียนและขยายผลสู่ครัวเรือนข้างเคียง",
     None),
]  # fmt: skip
ADVICE = [
    "ดีมาก ขอให้บันทึกรายได้ครัวเรือนทุกเดือน",
    "ขอให้ประสานเกษตรอำเภอมาร่วมให้ความรู้เพิ่มเติม",
    "ควรให้ปราชญ์เป็นผู้นำการฝึกปฏิบัติมากขึ้น",
    "ขอให้ติดตามครัวเรือนที่ยังไม่มาร่วมกิจกรรมเพิ่มเติม",
    "ถ่ายภาพกิจกรรมไว้ประกอบรายงานด้วย",
]


@transaction.atomic
def build_demo(seed: int = YEAR) -> DemoReport:
    if not Village.objects.filter(tambon__district__province_id=PROVINCE).exists():
        raise LookupError("Khon Kaen's villages are not loaded: run load_geography first.")
    demo = Demo(seed)
    demo.build_people()
    demo.build_targets()
    demo.build_assignments()
    demo.build_visits()
    demo.build_people_of_villages()
    build_livelihood(demo)
    Years(demo).build()
    build_budget(demo, [YEAR, fiscal_year_of(timezone.localdate())])
    build_plan(demo)
    # bulk writes send no signals: the dashboards' summary rows are computed afresh
    changes.record([changes.SITE])
    return demo.report


DEMO_LOGINS = [
    ("admin", "System admin"),
    ("khonkaen", "Provincial staff, Khon Kaen"),
    ("phuwiang-head", "District head, Phu Wiang (4016)"),
    ("phuwiang-officer1 … phuwiang-officer10", "Field officers, Phu Wiang"),
    ("support", "Support: audit log and accounts only, no programme data"),
]
