"""Time the pages people use most on a national-scale database. Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale \
        .venv/bin/python manage.py seed_scale --years 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale \
        .venv/bin/python bench/pages.py [--repeat 20]

Each page is requested through Django's test client (the whole stack but the network:
middleware, sessions, ORM, templates) ``--repeat`` times after one warm-up; it prints the
median and 95th percentile, the number of queries, and the "bare SQL floor": the same SQL
statements the page ran, executed directly on a cursor, so the page's cost reads as a
ratio to what the database alone needs. The pages are a district's officer, head, province
and the country's (dashboards and budgets), the largest district's, and a village's page
(``/targets/<pk>/``, and its budget) with the longest programme history the database has
(the village a target in the most years).

Each page is timed twice: rendered on every request (nothing kept: the first request after
a write to what the page shows), then with its body kept (districts/fragments.py: every
later request until the next write; the tokens of the visit form and the board are
rendered live around their kept bodies), with the kept page's ratio to the rendered page's
floor. Last, the country dashboard
with every district's summary row stale (a new day before the nightly refresh_figures: the
page shows the rows as they were and leaves them to the worker) and with one district's
(after a write there: the page computes it).
"""

import argparse
import datetime as dt
import gc
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# as in production: no debug bookkeeping, hashed static files (collectstatic has run)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(24).hex())
# the refreshes a page asks for are not run here: the stale case stays stale while timed
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.crypto import get_random_string

from assignments.models import FollowUp, TargetVillage
from districts import changes
from districts.models import Officer, Role, User
from evaluations.models import DistrictFigures
from evaluations.services import dashboard_figures


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def timed(client, url, repeat):
    """``url`` requested once to warm up (caches, the sliding session's first touch), then
    ``repeat`` times timed, then once more with its queries captured: (times, the last
    response, the captured queries)."""
    client.get(url)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return times, response, captured


# nothing kept: every request renders its page
RENDERED = override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
)


def logged_in(user):
    """A test client logged in as ``user``, with the CSRF cookie a browser has from the login
    page (without it, every page it gets would set one)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(32)
    return client


def measure(client, url, repeat):
    times, _, captured = timed(client, url, repeat)
    # the reads the page made: SELECTs, and the SELECT inside a server-side cursor (form
    # choices iterate with one on PostgreSQL); not savepoints or session writes
    statements = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE") and " FOR SELECT " in sql:
            sql = sql[sql.index(" FOR SELECT ") + len(" FOR ") :]
        if sql.startswith("SELECT"):
            statements.append(sql)
    floors = []
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
        floors.append(time.perf_counter() - start)
    return (
        statistics.median(times),
        percentile(times, 0.95),
        len(statements),
        statistics.median(floors),
        explained(statements),
    )


def explained(statements) -> tuple[float, float] | None:
    """PostgreSQL's own planning and execution time for the statements (EXPLAIN ANALYZE,
    the third run of each), in seconds: what the database itself needs of the floor."""
    if connection.vendor != "postgresql":
        return None
    planning = execution = 0.0
    with connection.cursor() as cursor:
        for sql in statements:
            for _ in range(3):
                cursor.execute(f"EXPLAIN ANALYZE {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            planning += float(re.search(r"Planning Time: ([\d.]+)", plan).group(1))
            execution += float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))
    return planning / 1000, execution / 1000


class CollectorPauses:
    """Python's cyclic garbage collector, watched while pages are timed: a full (oldest
    generation) collection stops the request it lands in, which is what a p95 far above its
    median shows."""

    def __init__(self):
        self.pauses = {0: [], 1: [], 2: []}
        gc.callbacks.append(self)

    def __call__(self, phase, info):
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self.started)

    def report(self):
        for generation, pauses in self.pauses.items():
            if pauses:
                print(
                    f"garbage collector, generation {generation}: {len(pauses)} collections, "
                    f"longest {max(pauses) * 1000:.1f}ms"
                )


def people():
    """The users whose pages are timed: the first scale officer with villages in the newest
    year, their head, a provincial user of their province and an admin (both made here)."""
    year = TargetVillage.objects.order_by("-year_id").values_list("year_id", flat=True).first()
    busiest = (
        Officer.objects.filter(
            role=Role.OFFICER,
            user__username__startswith="scale-",
            assignments__target__year_id=year,
            assignments__ended_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    head = Officer.objects.get(role=Role.HEAD, district_id=busiest.district_id, is_active=True)
    province_user, _ = User.objects.get_or_create(username="scale-province")
    Officer.objects.update_or_create(
        user=province_user,
        defaults={"role": Role.PROVINCE, "province_id": busiest.district_id[:2]},
    )
    admin, _ = User.objects.get_or_create(
        username="scale-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    return year, busiest, head.user, province_user, admin


def heaviest(year):
    """The district with the most target villages in ``year``, its head's user, and the
    earliest fiscal year with targets."""
    largest = (
        TargetVillage.objects.filter(year_id=year)
        .values("district_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "district_id")
        .first()["district_id"]
    )
    head = Officer.objects.get(role=Role.HEAD, district_id=largest, is_active=True)
    earliest = TargetVillage.objects.order_by("year_id").values_list("year_id", flat=True)[0]
    return largest, head.user, earliest


def longest_history(year):
    """A target village of ``year`` whose village was a target in the most years, one followed
    up if any is, with the most households and groups: the village page's history and
    over-years sections at their fullest; and its district head's user."""
    target = (
        TargetVillage.objects.filter(year_id=year)
        .annotate(
            years=Count("village__targets", distinct=True),
            followed=Exists(FollowUp.objects.filter(target__village=OuterRef("village"))),
        )
        .order_by("-years", "-followed", "pk")
        .first()
    )
    head = Officer.objects.get(role=Role.HEAD, district_id=target.district_id, is_active=True)
    return target, target.years, head.user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="move every object made at start-up out of the garbage collector's reach first",
    )
    parser.add_argument(
        "--gc-threshold",
        help="the collector's thresholds, e.g. 700,10,100 (Python's default is 700,10,10)",
    )
    parser.add_argument("--only", help="time only the pages whose name holds this, e.g. plan")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each line as it comes, into a file too
    if args.gc_freeze:
        gc.freeze()
    if args.gc_threshold:
        gc.set_threshold(*map(int, args.gc_threshold.split(",")))
    year, busiest, head, province_user, admin = people()
    # the rows as the nightly refresh_figures leaves them (the worker, after each write)
    # order_by: the model orders by village, which DISTINCT would take in (one per target)
    for y in TargetVillage.objects.order_by("year_id").values_list("year_id", flat=True).distinct():
        dashboard_figures(y)
    collector = CollectorPauses()
    district, province = busiest.district_id, busiest.district_id[:2]
    print(
        f"{connection.vendor}; FY{year}: {TargetVillage.objects.filter(year_id=year).count():,} "
        f"targets; district {district}, province {province}; {args.repeat} requests each"
    )
    pages = [
        # a logged-in request that does nothing: session, user, the middleware
        ("trivial, logged in", busiest.user, "/healthz"),
        # the seeded year, not today's (the default): the busiest officer's villages are there
        ("officer home", busiest.user, f"/?year={year}"),
        ("visit form", busiest.user, f"/visits/new/?year={year}"),
        ("district dashboard", head, f"/districts/{district}/?year={year}"),
        ("assignment board", head, f"/districts/{district}/assignments/?year={year}"),
        ("visit list", head, f"/districts/{district}/visits/?year={year}"),
        # rendered on every request (nothing of it is kept): plan, deadlines, visits
        ("district plan", head, f"/districts/{district}/plan/?year={year}"),
        ("province dashboard", province_user, f"/provinces/{province}/?year={year}"),
        ("country dashboard", admin, f"/country/?year={year}"),
        # the money (fieldwork/budget*.py): lines and disbursements summed per area and month
        ("district budget", head, f"/districts/{district}/budget/?year={year}"),
        ("province budget", province_user, f"/provinces/{province}/budget/?year={year}"),
        ("country budget", admin, f"/country/budget/?year={year}"),
    ]
    # and the heaviest of a district's pages: its district with the most target villages,
    # and the visit list of the earliest year kept, which the newest visits do not lead to
    largest, largest_head, earliest = heaviest(year)
    pages += [
        ("district, largest", largest_head, f"/districts/{largest}/?year={year}"),
        ("board, largest", largest_head, f"/districts/{largest}/assignments/?year={year}"),
        ("plan, largest", largest_head, f"/districts/{largest}/plan/?year={year}"),
        (f"visits, FY{earliest}", largest_head, f"/districts/{largest}/visits/?year={earliest}"),
    ]
    # a village's page (households and their rounds, groups, projects, evaluation rounds) with
    # its programme over the years: the village with the longest history
    target, years, target_head = longest_history(year)
    print(f"village page: target {target.pk}, village {target.village_id}, {years} years")
    pages.append((f"village, {years} years", target_head, f"/targets/{target.pk}/"))
    pages.append(("village budget", target_head, f"/targets/{target.pk}/budget/"))
    if args.only:
        pages = [p for p in pages if p[0] == "trivial, logged in" or args.only in p[0]]
    print("rendered: the page made on every request (nothing kept)")
    print(
        f"{'page':<20} {'median':>9} {'p95':>9} {'queries':>8} {'SQL floor':>10} {'ratio':>6}"
        "   of the floor, PostgreSQL's planning + execution"
    )
    floors = {}
    for name, user, url in pages:
        with RENDERED:
            median, p95, queries, floor, plans = measure(logged_in(user), url, args.repeat)
        floors[name] = floor
        ratio = f"{median / floor:6.1f}" if queries else f"{'':>6}"
        own = f"   {plans[0] * 1000:.1f} + {plans[1] * 1000:.1f} ms" if plans and queries else ""
        print(
            f"{name:<20} {median * 1000:7.1f}ms {p95 * 1000:7.1f}ms {queries:>8} "
            f"{floor * 1000:8.1f}ms {ratio}{own}"
        )
    print("kept: the same pages, their body from the cache (nothing written since the first)")
    print(
        f"{'page':<20} {'median':>9} {'p95':>9} {'queries':>8} {'its SQL':>10} "
        f"{'ratio to the rendered floor':>28}"
    )
    for name, user, url in pages[1:]:  # the trivial view is not kept
        median, p95, queries, own_floor, _plans = measure(logged_in(user), url, args.repeat)
        print(
            f"{name:<20} {median * 1000:7.1f}ms {p95 * 1000:7.1f}ms {queries:>8} "
            f"{own_floor * 1000:8.1f}ms {median / floors[name]:28.1f}"
        )
    if args.only:  # the country dashboard's stale rows below are timed in a full run only
        collector.report()
        return
    # The country dashboard when summary rows are stale: every district's (a new day before
    # the nightly refresh: shown as they were, left to the worker), or one district's (after
    # a write there: computed by the page).
    client = logged_in(admin)
    url = f"/country/?year={year}"
    day = DistrictFigures.objects.filter(year_id=year).values_list("as_of", flat=True).first()
    with RENDERED:  # nothing kept, as the first request after a write
        # (the captured queries are read at once: the next request clears Django's log)
        times, response, captured = timed(client, url, max(3, args.repeat // 2))
        current_queries = len(captured)
        DistrictFigures.objects.filter(year_id=year).update(as_of=day - dt.timedelta(days=1))
        stale_times, response, captured = timed(client, url, args.repeat)
        stale_queries = len(captured)
        assert b'id="figures-age"' in response.content  # the page says how old they are
        DistrictFigures.objects.filter(year_id=year).update(as_of=day)
        one = []
        for _ in range(max(3, args.repeat // 2)):
            changes.record([district])
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            one.append(time.perf_counter() - start)
    for label, values, queries in (
        ("every row current", times, current_queries),
        ("every district's row stale", stale_times, stale_queries),
        ("one district's row stale", one, None),
    ):
        print(
            f"country dashboard, {label}: median {statistics.median(values) * 1000:.1f}ms, "
            f"p95 {percentile(values, 0.95) * 1000:.1f}ms over {len(values)} requests"
            + (f", {queries} queries" if queries is not None else "")
        )
    collector.report()


if __name__ == "__main__":
    main()
