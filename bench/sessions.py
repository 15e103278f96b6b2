"""Print 'path<TAB>cookie-header' lines for the page mix of bench/load.sh (scale database);
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

from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from bench.pages import people


def cookie(user):
    """The Cookie header of a browser logged in as ``user``: a real session row, which
    gunicorn reads from the same database, and the CSRF cookie the login page set."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32)
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"


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
