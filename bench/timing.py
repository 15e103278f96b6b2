"""Median time of the most used pages, for the checkout in $ROOT: run by bench/compare.py in
a worktree of each revision it compares, so it imports nothing of this checkout but Django.

Prints one line per page: "name<TAB>milliseconds".
"""

import os
import statistics
import sys
import time

ROOT = os.environ["ROOT"]
sys.path.insert(0, ROOT)
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(24).hex())
# the same plain static storage for every revision: no collectstatic in the worktrees
os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

import warnings

warnings.filterwarnings("ignore", message="No directory at")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.test import Client


def users():
    """The first scale officer with villages in the newest year, their head, and the
    provincial user and admin bench/pages.py makes (run it once first)."""
    from assignments.models import TargetVillage, VillageAssignment

    year = TargetVillage.objects.order_by("-year_id").values_list("year_id", flat=True).first()
    assignment = (
        VillageAssignment.objects.filter(
            ended_at__isnull=True,
            target__year_id=year,
            officer__user__username__startswith="scale-",
            officer__role="officer",
        )
        .select_related("officer__user")
        .order_by("officer_id")
        .first()
    )
    officer = assignment.officer
    User = get_user_model()
    head = User.objects.get(
        officer__role="head", officer__district_id=officer.district_id, officer__is_active=True
    )
    return (
        year,
        officer,
        head,
        User.objects.get(username="scale-province"),
        User.objects.get(username="scale-admin"),
    )


def largest(year):
    """The district with the most target villages in ``year``, its head, and the earliest
    fiscal year with targets (as bench/pages.py's heaviest())."""
    from django.db.models import Count

    from assignments.models import TargetVillage

    code = (
        TargetVillage.objects.filter(year_id=year)
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "district_id")
        .first()["district_id"]
    )
    head = get_user_model().objects.get(
        officer__role="head", officer__district_id=code, officer__is_active=True
    )
    earliest = TargetVillage.objects.order_by("year_id").values_list("year_id", flat=True)[0]
    return code, head, earliest


def main():
    year, officer, head, province, admin = users()
    d = officer.district_id
    pages = {
        "officer-home": (officer.user, "/"),
        "visit-form": (officer.user, f"/visits/new/?year={year}"),
        "district": (head, f"/districts/{d}/?year={year}"),
        "board": (head, f"/districts/{d}/assignments/?year={year}"),
        "visit-list": (head, f"/districts/{d}/visits/?year={year}"),
        "province": (province, f"/provinces/{d[:2]}/?year={year}"),
        "country": (admin, f"/country/?year={year}"),
    }
    big, big_head, earliest = largest(year)
    pages |= {
        "district-largest": (big_head, f"/districts/{big}/?year={year}"),
        "board-largest": (big_head, f"/districts/{big}/assignments/?year={year}"),
        "visits-earliest": (big_head, f"/districts/{big}/visits/?year={earliest}"),
    }
    repeat = int(os.environ.get("REPEAT", "40"))
    for name in sys.argv[1:] or pages:
        user, url = pages[name]
        client = Client()
        client.force_login(user)
        for _ in range(3):
            assert client.get(url).status_code == 200, (name, url)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        print(f"{name}\t{statistics.median(times) * 1000:.1f}", flush=True)


if __name__ == "__main__":
    main()
