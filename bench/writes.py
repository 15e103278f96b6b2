"""Record changes in a district while bench/load.sh runs, so that its kept pages are made
again as they would be after real writes: ``--rate`` changes a second for ``--seconds``.

A change here is what any write there records (districts.changes.record): the pages of the
district and of its province and country change version, and each session's next request
renders its page again. The write's own cost is not what this measures.

    DATABASE_URL=... .venv/bin/python bench/writes.py [--district 1101] --rate 1 --seconds 20

The district is by default the one of bench/load.sh's page mix (bench/pages.py's people).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")

import django

django.setup()

from districts import changes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--district", help="default: the page mix's (bench/pages.py)")
    parser.add_argument("--rate", type=float, default=1.0, help="changes a second")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    if args.district is None:
        from bench.pages import people

        args.district = people()[1].district_id
    start = time.monotonic()
    count = 0
    while time.monotonic() - start < args.seconds:
        changes.record([args.district])
        count += 1
        time.sleep(max(0.0, start + count / args.rate - time.monotonic()))
    print(f"{count} changes in district {args.district} over {args.seconds:.0f} s")


if __name__ == "__main__":
    main()
