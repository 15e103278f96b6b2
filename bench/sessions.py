"""Print 'path<TAB>session-cookie' lines for the page mix of bench/load.sh (scale database);
with --trivial, one line: the trivial view /healthz with the field officer's session (the
ceiling for logged-in pages: session and user are read, nothing else)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.test import Client

from bench.pages import people


def cookie(user):
    client = Client()
    client.force_login(user)  # a real session row, which gunicorn reads from the same database
    return client.cookies["sessionid"].value


year, officer, head, province, _admin = people()
district = officer.district_id
mix = [
    (officer.user, "/"),
    (officer.user, f"/visits/new/?year={year}"),
    (head, f"/districts/{district}/?year={year}"),
    (head, f"/districts/{district}/assignments/?year={year}"),
    (head, f"/districts/{district}/visits/?year={year}"),
    (province, f"/provinces/{district[:2]}/?year={year}"),
]
if "--trivial" in sys.argv:
    mix = [(officer.user, "/healthz")]
for user, path in mix:
    print(f"{path}\t{cookie(user)}")
