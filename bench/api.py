"""Time the API's page of 100 target villages at national scale. Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale \
        .venv/bin/python manage.py seed_scale --years 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale \
        .venv/bin/python bench/api.py [--repeat 20]

Each address is requested through Django's test client with a personal access token (the
whole stack but the network: middleware, token lookup, throttle, ORM, serializers)
``--repeat`` times after one warm-up; it prints the median and 95th percentile and the
number of queries. The callers: the department (the whole country: the first page, a page
deep in the cursor, one province, one district, ``updated_since`` of an hour ago) and a
district head (their district).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(24).hex())
os.environ.setdefault("API_RATE", "100000/min")

import django

django.setup()

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignments.models import TargetVillage
from districts.models import ApiToken, Officer, Role, User
from districts.services import token_create


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def timed(client, url, key, repeat):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(url, **headers)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return times, response, captured


def person(username, role, **place):
    user, _ = User.objects.get_or_create(username=username)
    Officer.objects.update_or_create(user=user, defaults={"role": role, **place})
    ApiToken.objects.filter(user=user).delete()
    return token_create(user=user, name="bench", expires_at=None).key


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    year = TargetVillage.objects.order_by("-year_id").values_list("year_id", flat=True).first()
    busiest = (
        TargetVillage.objects.filter(year_id=year)
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    district = busiest["district_id"]
    department = person("bench-api-department", Role.DEPARTMENT, district=None, province=None)
    head_user = Officer.objects.filter(district_id=district, role=Role.HEAD, is_active=True)
    head = (
        token_create(user=head_user.first().user, name="bench", expires_at=None).key
        if head_user.exists()
        else None
    )
    client = Client()
    base = "/api/v1/targets/"
    first = client.get(
        f"{base}?year={year}&page_size=100", HTTP_AUTHORIZATION=f"Bearer {department}"
    ).json()
    deep = first["next"]
    for _ in range(50):  # 50 pages in: the cursor's cost does not grow with the depth
        deep = client.get(deep, HTTP_AUTHORIZATION=f"Bearer {department}").json()["next"]
    an_hour_ago = (timezone.now() - timezone.timedelta(hours=1)).isoformat()
    cases = [
        ("department, country, page 1", f"{base}?year={year}", department),
        ("department, country, page 52", deep, department),
        ("department, one province", f"{base}?year={year}&province={district[:2]}", department),
        ("department, one district", f"{base}?year={year}&district={district}", department),
        (
            "department, updated_since 1 h",
            f"{base}?updated_since={an_hour_ago.replace('+00:00', 'Z')}",
            department,
        ),
    ]
    if head:
        cases.append(("district head, own district", f"{base}?year={year}", head))
    print(f"targets: {TargetVillage.objects.count():,}; year {year}; district {district}")
    print(f"{'case':38} {'rows':>5} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url, key in cases:
        times, response, captured = timed(client, url, key, args.repeat)
        rows = len(response.json()["results"])
        print(
            f"{name:38} {rows:5d} {statistics.median(times) * 1000:10.1f} "
            f"{percentile(times, 0.95) * 1000:8.1f} {len(captured):8d}"
        )
    ApiToken.objects.filter(name="bench").delete()


if __name__ == "__main__":
    main()
