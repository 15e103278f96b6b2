"""Rendered pages kept against the versions of the records they show.

A page that reads a few dozen rows costs 10-30 ms of Python to build and render, several
times the SQL it needs (docs/performance.md). Most requests find nothing changed since the
last time the same person asked: a district's records change a few times a day, and a
head's dashboard is opened many more. So the busiest pages are kept, rendered, in the cache,
under a key made of everything they depend on:

- who asks: the user, so what one person may see is never served to another; the CSRF
  token of each response is the asking session's own (``csrf_mark``), so a person's page
  serves each of their sessions (a computer and a phone, the next login);
- what is asked: the full address, the htmx header, the language and today's date (the
  "last 30 days" figures and the overdue lists move with the calendar);
- the version of the records: the number of writes to the records a page shows
  (``pagecache.models``; ``pagecache.signals`` counts them, bulk writes call ``bump``).

The scope check runs first, on every request: a cached page is served only to a session
that may see it now. A page with a message to show, an error, or a response that sets a
cookie is not kept. The cache is the process's own memory by default (settings.CACHES):
every worker keeps its own pages and reads the versions from the database, so a write made
through one worker is seen by the next request to any.
"""

import hashlib

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from districts import changes

CACHE = "pages"
CSRF_MARK = "pagecache-csrf-token-mark"


def bump(scopes) -> None:
    changes.record(scopes)


def version(*, districts=None, province: str | None = None) -> int:
    return changes.count(districts=districts, province=province)


def _key(request, scope: str, version: int) -> str:
    parts = [
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
    """``render()``'s response, or the one it gave this person for the same request while
    ``version`` (of ``scope``, a label: the district's code, the province's, "country")
    has not changed. Call it after the scope check.

    A page is rendered with a mark where its CSRF token goes (``csrf_mark``), and each
    response gets the token of its own session there. ``fresh`` maps other marks to a
    function that makes what replaces them in each response (a form's one-time token)."""
    if (
        request.method != "GET"
        or not request.user.is_authenticated
        or len(get_messages(request))  # shown once, then gone: not kept in a page
    ):
        return _refreshed(render(), fresh)
    fresh = {**(fresh or {}), CSRF_MARK: lambda: get_token(request)}
    cache = caches[CACHE]
    key = _key(request, scope, version)
    kept = cache.get(key)
    if kept is not None:
        content_type, content = kept
        return _refreshed(HttpResponse(content, content_type=content_type), fresh)
    request.pagecache_rendering = True
    try:
        response = render()
    finally:
        del request.pagecache_rendering
    if (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not len(get_messages(request))
    ):
        cache.set(key, (response["Content-Type"], response.content))
    return _refreshed(response, fresh)


def district_page(request, district: str, render, *, fresh: dict | None = None) -> HttpResponse:
    """``cached_page`` for a page that shows one district's records (``district``: its
    code)."""
    return cached_page(
        request, render, scope=district, version=version(districts=[district]), fresh=fresh
    )


def csrf_mark(request) -> dict:
    """Context processor (the last): a page rendered to be kept holds a mark where its CSRF
    token goes, not the token of the session that happened to ask first."""
    return {"csrf_token": CSRF_MARK} if getattr(request, "pagecache_rendering", False) else {}


def _refreshed(response, fresh):
    if fresh and not response.streaming:
        content = response.content
        for mark, make in fresh.items():
            if mark.encode() in content:
                content = content.replace(mark.encode(), make().encode())
        response.content = content
    return response
