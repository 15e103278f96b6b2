"""Rendered pages kept against the versions of the records they show.

A page that reads a few dozen rows costs 10-30 ms of Python to build and render, several
times the SQL it needs (docs/performance.md). Most requests find nothing changed since the
last time the same person asked: a district's records change a few times a day, and a
head's dashboard is opened many more. So the busiest pages are kept, rendered, in the cache,
under a key made of everything they depend on:

- who asks: the session and its CSRF cookie, so a page, its forms' tokens and what the
  person may see are never served to another session;
- what is asked: the full address, the htmx header, the language and today's date (the
  "last 30 days" figures and the overdue lists move with the calendar);
- the version of the records: ``PageVersion`` counters, raised by every write of a record
  a page shows (``pagecache.signals``; bulk writes call ``bump`` themselves).

The scope check runs first, on every request: a cached page is served only to a session
that may see it now. A page with a message to show, an error, or a response that sets a
cookie is not kept. The cache is the process's own memory by default (settings.CACHES):
every worker keeps its own pages and reads the versions from the database, so a write made
through one worker is seen by the next request to any.
"""

import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.utils import timezone, translation

from pagecache.models import SITE, PageVersion

CACHE = "pages"


def bump(scopes, using: str = DEFAULT_DB_ALIAS) -> None:
    """The records shown on these districts' pages (``SITE``: on any page) have changed.

    One statement that adds a row or raises it, in the writer's transaction: a reader sees
    the new version only once the change itself is committed. Rows are written in code
    order, so two transactions never wait on each other's rows in opposite orders."""
    scopes = sorted(set(scopes))
    if not scopes:
        return
    connection = connections[using]
    table = connection.ops.quote_name(PageVersion._meta.db_table)
    rows = ", ".join(["(%s, 1)"] * len(scopes))  # the codes go as parameters
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, version) VALUES {rows} "  # noqa: S608 (no values)
            f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
            scopes,
        )


def version(*, districts=None, province: str | None = None) -> int:
    """The sum of the counters a page depends on: these districts' (or one province's, or
    with neither, every district's) and the site's. Counters only grow, so the sum changes
    with every write to any of them."""
    rows = PageVersion.objects.all()
    if districts is not None:
        rows = rows.filter(Q(scope=SITE) | Q(scope__in=districts))
    elif province is not None:
        rows = rows.filter(Q(scope=SITE) | Q(scope__startswith=province))
    return rows.aggregate(total=Sum("version"))["total"] or 0


def _key(request, scope: str, version: int) -> str:
    parts = [
        request.session.session_key,
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        str(request.user.pk),
        translation.get_language(),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        scope,
        str(version),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_page(
    request, render, *, scope: str, version: int, fresh: dict | None = None
) -> HttpResponse:
    """``render()``'s response, or the one it gave this session for the same request while
    ``version`` (of ``scope``, a label: the district's code, the province's, "country")
    has not changed. Call it after the scope check.

    ``fresh`` maps a mark the page is rendered with to a function that makes what replaces
    it in each response sent, kept or not (a form's one-time token)."""
    if (
        request.method != "GET"
        or not request.session.session_key
        or len(get_messages(request))  # shown once, then gone: not kept in a page
    ):
        return _refreshed(render(), fresh)
    cache = caches[CACHE]
    key = _key(request, scope, version)
    kept = cache.get(key)
    if kept is not None:
        content_type, content = kept
        return _refreshed(HttpResponse(content, content_type=content_type), fresh)
    response = render()
    if (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not len(get_messages(request))
    ):
        cache.set(key, (response["Content-Type"], response.content))
    return _refreshed(response, fresh)


def _refreshed(response, fresh):
    if fresh and not response.streaming:
        content = response.content
        for mark, make in fresh.items():
            content = content.replace(mark.encode(), make().encode())
        response.content = content
    return response
