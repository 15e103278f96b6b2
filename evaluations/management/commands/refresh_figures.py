import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from assignments.models import TargetVillage
from districts.lib.thai import fiscal_year_of
from evaluations.services import dashboard_figures


class Command(BaseCommand):
    help = (
        "Compute the dashboards' summary rows that are missing or stale. Run it just after "
        "midnight (the current year's 30-day figures move with the date), so that the first "
        "person to open the country dashboard that day does not wait for every district."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, action="append", help="Fiscal year (BE); default: the current one"
        )

    def handle(self, *args, year, **options):
        years = year or [fiscal_year_of(timezone.localdate())]
        for y in years:
            if not TargetVillage.objects.filter(year_id=y).exists():
                self.stdout.write(f"FY{y}: no target villages")
                continue
            started = time.perf_counter()
            rows = dashboard_figures(y)
            self.stdout.write(
                f"FY{y}: {len(rows)} districts current in {time.perf_counter() - started:.1f} s"
            )
