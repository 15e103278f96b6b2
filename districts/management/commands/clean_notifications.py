from django.core.management.base import BaseCommand

from districts.notify.services import KEPT_DAYS, notifications_clean


class Command(BaseCommand):
    help = f"Delete notifications older than {KEPT_DAYS} days (nightly, with refresh_figures)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing")

    def handle(self, *args, dry_run=False, **options):
        n = notifications_clean(dry_run=dry_run)
        self.stdout.write(f"{n} notifications {'would be ' if dry_run else ''}deleted")
