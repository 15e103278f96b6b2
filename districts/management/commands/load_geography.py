import time
from pathlib import Path

from django.core.management.base import BaseCommand

from districts.services import DATA_DIR, load_geography


class Command(BaseCommand):
    help = "Load provinces, districts, tambons and villages (Interior-ministry codes). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
        parser.add_argument("--province", help="Load only this province's districts and below.")

    def handle(self, *args, data_dir, province, **options):
        started = time.perf_counter()
        report = load_geography(data_dir=data_dir, province=province)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{report} ({elapsed:.1f} s)")
