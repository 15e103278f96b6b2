"""A household's undated income pair becomes dated rounds; partner support becomes projects.

Dates of the rounds made from the old pair (the records never said when they were taken):
- the baseline is dated the day the household joined (``joined_on``) when known, else the
  first day of its target village's fiscal year (1 October);
- the follow-up is dated the last day of that fiscal year (30 September), the day a year's
  results were reported, or the day after the baseline when the household joined later.
Who recorded them is unknown (``recorded_by`` empty).

Existing partner support rows keep their partner, village and project text; they start on
the first day of their village's fiscal year and are ``active`` (the field's default).

Backwards, the baseline round and the latest follow-up round go back into the pair.
"""

import datetime as dt

from django.db import migrations

BATCH = 2000


def fiscal_year_bounds(year_be: int) -> tuple[dt.date, dt.date]:
    """FY2560 = 1 Oct 2016 – 30 Sep 2017 (Buddhist era minus 543)."""
    ad = year_be - 543
    return dt.date(ad - 1, 10, 1), dt.date(ad, 9, 30)


def round_dates(year_be: int, joined_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """The dates given to the old pair's baseline and follow-up (see the module's doc)."""
    start, end = fiscal_year_bounds(year_be)
    baseline = joined_on or start
    followup = max(end, baseline + dt.timedelta(days=1))
    return baseline, followup


def pairs_into_rounds(apps, schema_editor):
    Household = apps.get_model("fieldwork", "Household")
    IncomeRound = apps.get_model("fieldwork", "IncomeRound")
    rows = (
        Household.objects.filter(baseline_income__isnull=False)
        .values_list("pk", "baseline_income", "followup_income", "joined_on", "target__year_id")
        .order_by("pk")
    )
    batch = []
    for pk, before, after, joined, year in rows.iterator(chunk_size=BATCH):
        baseline, followup = round_dates(year, joined)
        batch.append(IncomeRound(household_id=pk, date=baseline, kind="baseline", income=before))
        if after is not None:
            batch.append(
                IncomeRound(household_id=pk, date=followup, kind="followup", income=after)
            )
        if len(batch) >= BATCH:
            IncomeRound.objects.bulk_create(batch)
            batch = []
    IncomeRound.objects.bulk_create(batch)
    PartnerSupport = apps.get_model("fieldwork", "PartnerSupport")
    for year in PartnerSupport.objects.values_list("target__year_id", flat=True).distinct():
        start, _end = fiscal_year_bounds(year)
        PartnerSupport.objects.filter(target__year_id=year, start_date__isnull=True).update(
            start_date=start
        )


def rounds_into_pairs(apps, schema_editor):
    Household = apps.get_model("fieldwork", "Household")
    IncomeRound = apps.get_model("fieldwork", "IncomeRound")
    pairs: dict[int, list] = {}
    for household, kind, income in IncomeRound.objects.order_by("household", "date").values_list(
        "household_id", "kind", "income"
    ):
        pair = pairs.setdefault(household, [None, None])
        pair[0 if kind == "baseline" else 1] = income
    for pk, (before, after) in pairs.items():
        Household.objects.filter(pk=pk).update(
            baseline_income=before if before is not None else 0, followup_income=after
        )
    Household.objects.filter(baseline_income__isnull=True).update(baseline_income=0)


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0002_rounds_groups_attendance_projects")]

    operations = [migrations.RunPython(pairs_into_rounds, rounds_into_pairs)]
