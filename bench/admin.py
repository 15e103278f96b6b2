"""Time every admin page of the portal's own models on a national-scale database: each
model's list, the change form of its newest record and its add form; then the target
village list's export, of every year and of one. Prints figures only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale \
        .venv/bin/python bench/admin.py [--repeat 5]

As a system admin, through Django's test client with DEBUG off, after one warm-up request:
the median time, the number of queries and the size of the HTML.
"""

import argparse
import io
import re
import statistics
import time

from pages import people, timed  # first: it sets Django up

# isort: split
from django.contrib import admin
from django.test import Client
from openpyxl import load_workbook

APPS = ("districts", "assignments", "evaluations")
OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]+)</option>')
FIELD = re.compile(r'name="(targetvillageresource_[^"]+)"')


def measure(client, url, repeat):
    times, response, captured = timed(client, url, repeat)
    return statistics.median(times), len(captured), len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    year, *_, admin_user = people()
    client = Client()
    client.force_login(admin_user)
    print(f"{'page':<56} {'median':>10} {'queries':>8} {'HTML':>9}")
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
    for label, query in (("every year", ""), ("one year", f"?year__year__exact={year}")):
        for kind in ("csv", "xlsx"):
            seconds, rows, size = export_targets(client, kind, query)
            print(
                f"export of target villages, {label}, {kind}: {rows:,} rows, "
                f"{seconds:.2f}s, {size / 1024 / 1024:.1f}MB"
            )


def export_targets(client, kind, query):
    """The target village list's export (django-import-export: choose the format and the
    fields, then download), of what the list shows after ``query``'s filter."""
    url = f"/admin/assignments/targetvillage/export/{query}"
    form = client.get(url).content.decode()
    formats = {name.strip().lower(): value for value, name in OPTION.findall(form)}
    data = {"format": formats[kind], "resource": "0"}
    data.update((field, "on") for field in sorted(set(FIELD.findall(form))))
    start = time.perf_counter()
    response = client.post(url, data)
    seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    if kind == "csv":
        rows = response.content.count(b"\n") - 1  # the header
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = sheet.max_row - 1
    return seconds, rows, len(response.content)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


if __name__ == "__main__":
    main()
