from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from districts.lib.thai import fiscal_year_of
from fieldwork.notices import overdue_digest


class Command(BaseCommand):
    help = (
        "The morning summary of villages overdue for a visit: one notification per officer "
        "with their villages, one per head with the district's. Run it at 07:30 Bangkok time "
        "(cron); run again the same day it sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Fiscal year (BE); default: the current one")
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing")

    def handle(self, *args, year=None, dry_run=False, **options):
        year = year or fiscal_year_of(timezone.localdate())
        with transaction.atomic():
            made = overdue_digest(year=year)
            if dry_run:
                transaction.set_rollback(True)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"FY{year}: {made} summaries {verb}")
