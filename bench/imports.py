r"""Time the spreadsheet import on the whole national village list. Prints figures only.

    .venv/bin/python bench/imports.py                    # a scratch SQLite file
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import \
        .venv/bin/python bench/imports.py

Builds an .xlsx of all 75,206 villages from the reference data, then in one run prints:
the time to merely read it with openpyxl in read-only mode (the floor), and the time, rows
per second and peak memory of the import itself (read, check every row, write in bulk) into
an empty village table. The database is a scratch one: it is created, migrated and dropped.
"""

import csv
import gzip
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
scratch = Path(tempfile.mkdtemp()) / "bench-import.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")

import django

django.setup()

from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from districts.models import Village
from districts.services import load_geography
from imports import services as imports
from imports.models import ImportBatch


class Admin:
    is_authenticated = is_active = is_superuser = True
    officer_or_none = None


def build_xlsx() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("villages")
    sheet.append(["รหัสหมู่บ้าน", "รหัสตำบล", "หมู่ที่", "ชื่อหมู่บ้าน", "ชื่อภาษาอังกฤษ"])
    with gzip.open(ROOT / "districts/data/villages.csv.gz", "rt", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            moo = int(r["moo"])
            sheet.append(
                [r["code"], r["tambon_code"], moo, r["name_th"] or f"หมู่ที่ {moo}", r["name_en"]]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main():
    call_command("migrate", verbosity=0)
    load_geography()
    Village.objects.all().delete()
    data = build_xlsx()
    print(f"database: {django.db.connection.vendor}; file: {len(data) / 1e6:.1f} MB, 75,206 rows")

    start = time.perf_counter()
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    n = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    bare = time.perf_counter() - start
    print(f"bare openpyxl read-only read: {bare:.2f} s ({n} rows)")

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    table = imports.read(data, "villages.xlsx")
    read_s = time.perf_counter() - start
    result = imports.preview("villages", table, user=Admin())
    check_s = time.perf_counter() - start - read_s
    batch = ImportBatch.objects.create(kind="villages", filename="villages.xlsx")
    imports.apply(batch=batch, result=result, user=None)
    total = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert result.ok and Village.objects.count() == 75206, (result.error, result.count("refused"))
    print(
        f"import: {total:.2f} s in all (read {read_s:.2f} s, check {check_s:.2f} s, "
        f"write {total - read_s - check_s:.2f} s), {75206 / total:,.0f} rows/s, "
        f"{total / bare:.1f}x the bare read"
    )
    print(f"peak memory: {rss_after / 1024:.0f} MB (grew {(rss_after - rss_before) / 1024:.0f} MB)")
    start = time.perf_counter()
    again = imports.preview("villages", imports.read(data, "villages.xlsx"), user=Admin())
    print(
        f"second import of the same file: {time.perf_counter() - start:.2f} s, "
        f"{again.count('unchanged')} unchanged, {again.count('new')} new"
    )


if __name__ == "__main__":
    main()
