"""Print 'path<TAB>session-cookie' lines for the page mix of bench/load.sh (scale database)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.test import Client

from assignments.models import TargetVillage
from districts.models import Officer, Role, User


def cookie(user):
    client = Client()
    client.force_login(user)  # a real session row, which gunicorn reads from the same database
    return client.cookies["sessionid"].value


year = TargetVillage.objects.order_by("-year_id").values_list("year_id", flat=True).first()
officer = (
    Officer.objects.filter(
        role=Role.OFFICER,
        user__username__startswith="scale-",
        assignments__target__year_id=year,
        assignments__ended_at__isnull=True,
    )
    .order_by("pk")
    .first()
)
district = officer.district_id
head = Officer.objects.get(role=Role.HEAD, district_id=district, is_active=True)
province = User.objects.get(username="scale-province")
admin = User.objects.get(username="scale-admin")
mix = [
    (officer.user, "/"),
    (officer.user, f"/visits/new/?year={year}"),
    (head.user, f"/districts/{district}/?year={year}"),
    (head.user, f"/districts/{district}/assignments/?year={year}"),
    (head.user, f"/districts/{district}/visits/?year={year}"),
    (province, f"/provinces/{district[:2]}/?year={year}"),
]
for user, path in mix:
    print(f"{path}\t{cookie(user)}")
