"""The demo's plan and team meetings: Phu Wiang in the fiscal year of today.

The department's deadlines for the year (and Khon Kaen's earlier one for the third stage),
Phu Wiang's planned dates for each of its villages and stages, two of them late (the second
stage of the first two villages was planned a few days ago and no visit has reached it), and
three monthly meetings of the district team with their decisions and actions: one action
still open, one overdue, the others done. The year is the demo's "current" one, so its dates
are counted from the day the demo runs; run once (a second run finds the meetings).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assignments.models import (
    FiscalYear,
    Meeting,
    MeetingAction,
    PlannedDate,
    Stage,
    StageDeadline,
    TargetVillage,
)
from districts.lib.thai import fiscal_year_of
from districts.models import Officer, Role

MEETINGS = [
    (
        63,
        "ชี้แจงแนวทางโครงการสร้างสัมมาชีพชุมชนปีนี้ งบประมาณ และหมู่บ้านเป้าหมาย\nมอบหมายพื้นที่ให้พัฒนากรทุกคน",
        "พัฒนากรทุกคนรับหมู่บ้านเป้าหมายอย่างน้อยหนึ่งหมู่บ้าน รวมนอกตำบลที่รับผิดชอบ\nประชุมทีมทุกวันจันทร์แรกของเดือน",
        [("ส่งรายชื่อปราชญ์ที่คัดเลือกของทุกหมู่บ้าน", 2, -45, True)],
    ),
    (
        35,
        "ติดตามการคัดเลือกปราชญ์และทีมวิทยากร\nวางแผนวันอบรมปราชญ์",
        "อบรมปราชญ์และทีมวิทยากรร่วมกันที่หอประชุมอำเภอ\nพัฒนากรลงพื้นที่กับปราชญ์ทุกครั้ง",
        [
            ("จองหอประชุมอำเภอและประสานวิทยากรเกษตรอำเภอ", 3, -20, True),
            ("บันทึกวันที่วางแผนของทุกขั้นตอนในระบบ", 1, -10, False),  # overdue
        ],
    ),
    (
        7,
        "ทบทวนแผนงานรายหมู่บ้าน ขั้นตอนที่ล่าช้า และการเบิกจ่าย",
        "หมู่บ้านที่ล่าช้าให้พัฒนากรเจ้าของพื้นที่เสนอวิธีเร่งรัดในการประชุมครั้งหน้า",
        [
            ("เสนอแผนเร่งรัดหมู่บ้านที่อบรมทีมวิทยากรล่าช้า", 1, 21, False),  # still open
            ("สรุปรายชื่อครัวเรือนเป้าหมายที่ยังไม่ได้บันทึก", 2, -2, True),
        ],
    ),
]


def clamp(day: dt.date, year: FiscalYear) -> dt.date:
    return min(max(day, year.start_date), year.end_date)


def build_plan(demo) -> None:
    """``demo``: the demo being built (sammachip.demo.Demo)."""
    from sammachip.demo import PHU_WIANG, PROVINCE

    today = timezone.localdate()
    current = fiscal_year_of(today)
    if current <= 2562 or Meeting.objects.filter(district_id=PHU_WIANG).exists():
        return
    year = FiscalYear.objects.get_or_create(year=current)[0]
    stages = list(Stage.objects.order_by("order"))
    head = Officer.objects.select_related("user").get(user__username="phuwiang-head").user
    # the department's deadlines: the first stage a fortnight from the day the demo runs, the
    # others a month apart; Khon Kaen wants the third stage ten days before the department
    deadlines = {
        stage.pk: clamp(today + dt.timedelta(days=15 + 30 * i), year)
        for i, stage in enumerate(stages)
    }
    rows = [StageDeadline(year=year, stage=stage, due=deadlines[stage.pk]) for stage in stages]
    if len(stages) >= 3:
        rows.append(
            StageDeadline(
                year=year,
                stage=stages[2],
                province_id=PROVINCE,
                due=clamp(deadlines[stages[2].pk] - dt.timedelta(days=10), year),
            )
        )
    StageDeadline.objects.bulk_create(rows)
    targets = list(
        TargetVillage.objects.filter(district_id=PHU_WIANG, year=year)
        .prefetch_related("visits")
        .order_by("village_id")
    )
    planned = []
    for i, target in enumerate(targets):
        first_visit = min((v.date for v in target.visits.all()), default=None)
        for k, stage in enumerate(stages):
            if k == 0:  # reached on the day planned, or planned a week ahead
                day = first_visit or today + dt.timedelta(days=7 + i)
            elif k == 1 and i < 2:  # the two late ones: planned days ago, not reached
                day = today - dt.timedelta(days=6 - 3 * i)
            else:
                day = today + dt.timedelta(days=10 + 28 * (k - 1) + i)
            planned.append(
                PlannedDate(target=target, stage=stage, date=clamp(day, year), set_by=head)
            )
    PlannedDate.objects.bulk_create(planned)
    build_meetings(demo, today)


def build_meetings(demo, today: dt.date) -> None:
    from sammachip.demo import PHU_WIANG

    staff = list(
        Officer.objects.filter(district_id=PHU_WIANG, role__in=[Role.HEAD, Role.OFFICER])
        .select_related("user")
        .order_by("role", "user__username")
    )
    head = next(o for o in staff if o.role == Role.HEAD)
    by_number = {o.user.username.removeprefix("phuwiang-officer"): o for o in staff}
    rng = demo.rng("meetings")
    officers = [o for o in staff if o.role == Role.OFFICER]
    meetings = []
    for days_ago, agenda, decisions, _actions in MEETINGS:
        day = today - dt.timedelta(days=days_ago)
        meetings.append(
            Meeting(
                district_id=PHU_WIANG,
                date=day,
                agenda=agenda,
                decisions=decisions,
                created_by=head.user,
                created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(15))),
            )
        )
    # bulk writes, as the rest of the demo: build_demo records the site's change once
    Meeting.objects.bulk_create(meetings)
    attended, actions = [], []
    for meeting, (_days, _agenda, _decisions, decided) in zip(meetings, MEETINGS, strict=True):
        for officer in [head, *rng.sample(officers, max(1, len(officers) - 2))]:
            attended.append(Meeting.attendees.through(meeting=meeting, officer=officer))
        for text, number, due_in, done in decided:
            due = today + dt.timedelta(days=due_in)
            owner = by_number.get(str(number), head)
            actions.append(
                MeetingAction(
                    meeting=meeting,
                    text=text,
                    owner=owner,
                    due=due,
                    done_at=(
                        timezone.make_aware(dt.datetime.combine(due, dt.time(11))) if done else None
                    ),
                    done_by=owner.user if done else None,
                )
            )
    Meeting.attendees.through.objects.bulk_create(attended)
    MeetingAction.objects.bulk_create(actions)
