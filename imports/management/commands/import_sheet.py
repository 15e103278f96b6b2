import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from assignments.models import FiscalYear
from districts.lib.sheets import SheetError
from imports import services as imports
from imports.models import YEAR_KINDS, ImportBatch, ImportKind


class Command(BaseCommand):
    help = "Import villages, targets or officers from an .xlsx or .csv file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, help="Fiscal year (BE) of a target list")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, kind, file, year, dry_run, **options):
        if kind in YEAR_KINDS and not year:
            raise CommandError("--year is required for a target list")
        data = file.read_bytes()
        try:
            table = imports.read(data, file.name)
        except SheetError as exc:
            raise CommandError(imports.sheet_error_message(exc)) from exc
        command_user = imports._CommandUser()
        result = imports.preview(kind, table, user=command_user, year=year)
        if result.error:
            raise CommandError(result.error)
        for row in result.rows:
            if row.status == "refused":
                self.stderr.write(f"row {row.number}: {'; '.join(row.reasons)}")
        counts = {s: result.count(s) for s in ("new", "changed", "unchanged", "refused")}
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
        if not result.ok:
            self.stderr.write("Refused: nothing was written.")
            sys.exit(1)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        batch = ImportBatch(
            kind=kind,
            year=FiscalYear.objects.get_or_create(year=year)[0] if year else None,
            filename=file.name,
        )
        batch.file.save(file.name, ContentFile(data), save=True)
        imports.apply(batch=batch, result=result, user=None)
        self.stdout.write(f"Applied as import #{batch.pk}.")
