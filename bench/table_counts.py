"""Print every table's row count in the database DATABASE_URL names (default db.sqlite3).

Reads the database's own catalogue, not Django's models, so the same command counts a
database of any version of the project: bench/migrate_old_demo.sh compares the counts of a
database built at an older commit before and after it migrates to today's layout.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")

import django

django.setup()

from django.db import connection

with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        print(f"{table}\t{cursor.fetchone()[0]}")
