"""Parts of pages kept in Django's cache under the change count of the districts they show.

A page that reads a few dozen rows costs 10-60 ms of Python to build and render, several
times the SQL it needs (docs/performance.md), and most requests find nothing changed since
the last one: a district's records change a few times a day, its head's dashboard is opened
many more. So the part of a page that shows records (its body: tables, figures, charts) is
kept, rendered, under a key of everything it depends on:

- the change count of the districts it shows (districts.changes), which every write raises:
  a fragment kept under an older count is never used again;
- the address (year, filters, page), the htmx header, the language and the day (the
  "last 30 days" figures and the overdue lists move with the calendar), and the fiscal year
  the person picked last (a page without ``?year=`` shows it);
- ``vary``: whatever of the person asking the body shows (an officer's own villages, the
  head's links); the scope check runs before, on every request, so a kept body is only
  ever shown to someone who may see its district.

What belongs to a session is rendered live around it, never kept: the CSRF token (a body
that asked for one is not kept), the visit form's one-time token, bound forms (what was
typed, the errors), messages. A kept body may hold forms all the same: each names itself
with ``{% form_id %}`` (districts/templatetags/fragments.py) and holds no token; the page
renders, live, one token input per named form, outside the body and joined to its form by
the input's ``form`` attribute (HTML's form-associated controls), so the bytes kept are
never rewritten.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)

# The fiscal year the person picked last (assignments/years.py): a page without ``?year=``
# shows that one, so it is part of what a kept fragment depends on.
YEAR_SESSION_KEY = "fiscal_year"
# where a body's {% form_id %} tags write the ids they gave out (render_with_forms)
FORM_IDS = "fragment_form_ids"


def _key(request, name: str, count: int, vary) -> str:
    parts = [
        name,
        str(count),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        str(_session_year(request)),
        *(str(v) for v in vary),
    ]
    return "fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _session_year(request):
    session = getattr(request, "session", None)
    return session.get(YEAR_SESSION_KEY, "") if session is not None else ""


def kept_fragment(
    request, name: str, *, count: int, render: Callable[[], tuple[str, bool]], vary=()
) -> SafeString:
    """The HTML ``render()`` made for the same key, or ``render()``'s now. ``render``
    returns the HTML and whether it may be kept (figures shown as they were, waiting for
    the worker, are not: the count would not move when they are brought up to date)."""
    html = kept(request, name, count=count, render=lambda: _as_str(render()), vary=vary)
    return mark_safe(html)  # noqa: S308 (rendered by our templates, escaped there)


def _as_str(rendered):
    html, keep = rendered
    return str(html), keep


class FormsBody(NamedTuple):
    """A body with forms, and the ids of those forms (``{% form_id %}``): the page puts a
    live token input beside the body for each (``{% form_tokens body.forms %}``)."""

    html: SafeString
    forms: tuple[str, ...]


def render_with_forms(template_name: str, context: dict, request=None) -> FormsBody:
    """``template_name`` rendered, with the ids its ``{% form_id %}`` tags gave out."""
    forms: list[str] = []
    html = render_to_string(template_name, {**context, FORM_IDS: forms}, request=request)
    return FormsBody(html, tuple(forms))


def kept_forms_body(
    request, name: str, *, count: int, render: Callable[[], FormsBody], vary=()
) -> FormsBody:
    """``kept_fragment`` for a body with forms: the HTML and its form ids are kept together."""

    def build():
        body = render()
        return (str(body.html), body.forms), True

    html, forms = kept(request, name, count=count, render=build, vary=vary)
    return FormsBody(mark_safe(html), tuple(forms))  # noqa: S308 (escaped by our templates)


def kept(request, name: str, *, count: int, render: Callable[[], tuple[object, bool]], vary=()):
    """What ``render()`` made for the same key (any value the cache can pickle), or what it
    makes now, kept if it says so and asked for no CSRF token."""
    cache = caches[settings.FRAGMENT_CACHE]
    key = _key(request, name, count, vary)
    value = cache.get(key)
    if value is not None:
        return value
    # Django's get_token marks the request; cleared around the rendering, the mark tells
    # whether the body holds this session's token
    asked_before = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", False)
    value, keep = render()
    asked = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    if asked_before or asked:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    if asked:
        log.error("%s holds a CSRF token: not kept", name)
    elif keep:
        cache.set(key, value)
    return value
