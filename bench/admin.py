"""Time every admin page of the portal's own models on a national-scale database: each
model's list, the change form of its newest record and its add form. Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale \
        .venv/bin/python bench/admin.py [--repeat 5]

As a system admin, through Django's test client with DEBUG off, after one warm-up request:
the median time, the number of queries and the size of the HTML.
"""

import argparse
import statistics

from pages import people, timed  # first: it sets Django up

# isort: split
from django.contrib import admin
from django.test import Client

APPS = ("districts", "assignments", "evaluations")


def measure(client, url, repeat):
    times, response, captured = timed(client, url, repeat)
    return statistics.median(times), len(captured), len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    *_, admin_user = people()
    client = Client()
    client.force_login(admin_user)
    print(f"{'page':<52} {'median':>10} {'queries':>8} {'HTML':>9}")
    slowest = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls = [base]
        newest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        if newest is not None:
            urls.append(f"{base}{newest}/change/")
        if model_admin.has_add_permission(_request(admin_user)):
            urls.append(f"{base}add/")
        for url in urls:
            median, queries, size = measure(client, url, args.repeat)
            slowest.append(median)
            shown = url.replace(str(newest), "<newest>") if newest is not None else url
            print(f"{shown:<56} {median * 1000:8.1f}ms {queries:>8} {size / 1024:7.0f}KB")
    print(f"slowest: {max(slowest) * 1000:.1f}ms of {len(slowest)} pages")


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


if __name__ == "__main__":
    main()
