"""Why each index the portal adds exists: the query it serves, timed with and without it.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale
    .venv/bin/python bench/indexes.py

PostgreSQL only (the scale database of docs/performance.md). For each index it runs the
query of the page that needs it (or that it slows) with EXPLAIN ANALYZE five times and
prints the median execution time and the indexes the plan uses; then drops the index (or,
for one the portal dropped, makes it) inside a transaction, does the same, and rolls back,
so the database is left as it was.
"""

import datetime as dt
import os
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")

import django

django.setup()

from django.db import connection, transaction
from django.db.models import Count

from assignments.models import TargetVillage
from bench.pages import people
from fieldwork.models import FieldVisit
from fieldwork.selectors import neglect_reference_day

# Indexes measured and then dropped, with the statement that made them.
DROPPED = {
    "assign_visit_date": 'CREATE INDEX "assign_visit_date" ON "assignments_fieldvisit" ("date")',
}


class Rollback(Exception):
    pass


def timed(queryset) -> tuple[float, str]:
    sql, params = queryset.query.sql_with_params()
    times, plan = [], ""
    with connection.cursor() as cursor:
        for _ in range(5):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}", params)
            lines = [row[0] for row in cursor.fetchall()]
            times.append(float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1)))
            plan_text = "\n".join(lines)
            used = re.findall(r"Index (?:Only )?Scan(?: Backward)? using (\S+)", plan_text)
            used += re.findall(r"Bitmap Index Scan on (\S+)", plan_text)
            plan = ", ".join(dict.fromkeys(used)) or "no index"
    return statistics.median(times), plan


def main():
    if connection.vendor != "postgresql":
        sys.exit("bench/indexes.py measures PostgreSQL: set DATABASE_URL to the scale database")
    year, officer, _head, _province, _admin = people()
    district = officer.district_id
    day = neglect_reference_day(year)
    # the district with the most target villages, and the earliest year kept: the visit list
    # a (date) index slows, since the planner then walks visits newest first (see docs)
    largest = (
        TargetVillage.objects.filter(year_id=year)
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["district_id"]
    )
    earliest = TargetVillage.objects.order_by("year_id").values_list("year_id", flat=True)[0]
    cases = [
        ("assign_visit_officer_date", "an officer's latest visits",
         FieldVisit.objects.filter(officer=officer).order_by("-date")[:25]),
        ("assign_visit_date", "villages visited in the last 30 days, every district",
         FieldVisit.objects.filter(target__year_id=year, date__gt=day - dt.timedelta(days=30),
                                   date__lte=day)
         .values("target__district_id").annotate(n=Count("target", distinct=True))),
        ("assign_visit_date", f"district {largest}'s visit list, FY{earliest}, first page",
         FieldVisit.objects.filter(target__district_id=largest, target__year_id=earliest)
         .for_list()[:25]),
        ("assign_visit_date", f"district {largest}'s visit list, FY{year}, first page",
         FieldVisit.objects.filter(target__district_id=largest, target__year_id=year)
         .for_list()[:25]),
    ]  # fmt: skip
    print(f"district {district}, FY{year}, officer {officer.pk}; median of 5 EXPLAIN ANALYZE")
    print(f"{'index':<38} {'with':>8} {'without':>9}  query: indexes used with / without")
    for name, why, queryset in cases:
        # an index the portal has is dropped for the second measurement; one it dropped (in
        # DROPPED) is made for it; either way inside a transaction that is rolled back
        dropped = name in DROPPED
        first, first_plan = timed(queryset)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    quoted = connection.ops.quote_name(name)
                    cursor.execute(DROPPED[name] if dropped else f"DROP INDEX {quoted}")
                second, second_plan = timed(queryset)
                raise Rollback
        except Rollback:
            pass
        (with_index, plan), (without, plan_without) = (
            ((second, second_plan), (first, first_plan))
            if dropped
            else ((first, first_plan), (second, second_plan))
        )
        name = f"{name} (dropped)" if dropped else name
        print(f"{name:<38} {with_index:6.2f}ms {without:7.2f}ms  {why}: {plan} / {plan_without}")


if __name__ == "__main__":
    main()
