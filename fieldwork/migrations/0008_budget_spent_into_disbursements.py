"""Seeds the usual spending categories for every fiscal year there is, and moves what the
admin had typed as a target's ``budget_spent`` into a budget line "อื่น ๆ" with one payment
of that amount, so the spent figure, now read from disbursements, keeps its value (nothing
is lost) and says where it came from; assignments' next migration drops the column."""

import datetime as dt

from django.db import migrations

CATEGORIES = [
    (1, "ค่าตอบแทนวิทยากร"),
    (2, "ค่าอาหารและเครื่องดื่ม"),
    (3, "ค่าวัสดุฝึกอบรม"),
    (4, "ค่าศึกษาดูงานและเดินทาง"),
    (5, "อื่น ๆ"),
]
OTHER = "อื่น ๆ"
PURPOSE = "ยอดใช้จ่ายที่บันทึกไว้ก่อนมีรายการเบิกจ่าย"


def forwards(apps, schema_editor):
    FiscalYear = apps.get_model("assignments", "FiscalYear")
    TargetVillage = apps.get_model("assignments", "TargetVillage")
    SpendingCategory = apps.get_model("fieldwork", "SpendingCategory")
    BudgetLine = apps.get_model("fieldwork", "BudgetLine")
    Disbursement = apps.get_model("fieldwork", "Disbursement")
    for year in FiscalYear.objects.all():
        for order, name in CATEGORIES:
            SpendingCategory.objects.get_or_create(year=year, name=name, defaults={"order": order})
    today = dt.date.today()
    for target in TargetVillage.objects.filter(budget_spent__gt=0).iterator():
        other = SpendingCategory.objects.get(year_id=target.year_id, name=OTHER)
        start = dt.date(target.year_id - 544, 10, 1)
        end = dt.date(target.year_id - 543, 9, 30)
        day = min(end, max(start, today))
        line = BudgetLine.objects.create(
            target=target,
            category=other,
            planned_amount=target.budget_spent,
            planned_month=day.replace(day=1),
        )
        Disbursement.objects.create(
            line=line, kind="expense", date=day, amount=target.budget_spent, purpose=PURPOSE
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0007_budget"),
        ("assignments", "0018_follow_ups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
