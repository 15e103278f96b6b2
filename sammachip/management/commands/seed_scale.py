import time

from django.core.management.base import BaseCommand, CommandError

from sammachip.scale import RealDataError, seed


class Command(BaseCommand):
    help = "Fill the database with a national-scale synthetic programme (demo databases only)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--first-year", type=int, default=2566, help="First fiscal year (BE)")

    def handle(self, *args, years, first_year, **options):
        started = time.perf_counter()
        try:
            counts = seed(years=years, first_year=first_year, log=self.stdout.write)
        except RealDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{counts} in {time.perf_counter() - started:.0f} s")
