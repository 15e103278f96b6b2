"""The fiscal year a page shows: read from the request by views (services are given the year,
never the request).

The year is the one the date says (the fiscal year of today) unless the person picked another
with a page's year picker (``?year=…&picked=1``): the pick is kept in their session, so every
page with a year shows the picked one until they pick again. Links that name a year
(``?year=``) show it without changing the pick. A new year's target list, imported before
1 October, so moves no page: only the calendar, or the person, does.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assignments.models import MAX_YEAR, MIN_YEAR, FiscalYear
from districts.fragments import YEAR_SESSION_KEY
from districts.lib.thai import fiscal_year_of

PICKED = "picked"  # sent by templates/_year_picker.html


def current_year() -> int:
    """The fiscal year of today's date."""
    return fiscal_year_of(timezone.localdate())


def years_with_targets(targets) -> list[int]:
    """The fiscal years, newest first, in which a set of target villages has any: one index
    probe per fiscal year, rather than a DISTINCT over every target of the country."""
    return list(
        FiscalYear.objects.filter(Exists(targets.filter(year=OuterRef("pk"))))
        .order_by("-year")
        .values_list("year", flat=True)
    )


def picker_years(years, *also: int) -> list[int]:
    """The years a picker offers, newest first: ``years`` and ``also`` (this year, the one
    shown), so the person can always come back to the year the date says."""
    return sorted({*years, *also}, reverse=True)


def page_year(request, targets) -> tuple[int, list[int]]:
    """The fiscal year a page shows and the years it can switch to, for a set of targets."""
    year = selected_year(request)
    return year, picker_years(years_with_targets(targets), year, current_year())


def selected_year(request) -> int:
    """The fiscal year a page shows: ``?year=`` if given, else the one picked last in this
    session (``remember_pick``), else the fiscal year of today."""
    year = year_of(request.GET.get("year", ""))
    if year is not None:
        return year
    session = getattr(request, "session", None)
    if session is not None:
        kept = session.get(YEAR_SESSION_KEY)
        if isinstance(kept, int) and MIN_YEAR <= kept <= MAX_YEAR:
            return kept
    return current_year()


def remember_pick(request) -> None:
    """Keep the year a picker sent (``?year=…&picked=1``) in the session. Done for every
    request before its view (sammachip.middleware.YearPickMiddleware), not while a page is
    rendered: a page whose body is kept in the cache is not rendered again, and the pick must
    hold all the same. A link to one year's page (a village of FY2560, the board of the year
    shown) names the year without ``picked`` and changes nothing."""
    if not request.GET.get(PICKED):
        return
    year = year_of(request.GET.get("year", ""))
    session = getattr(request, "session", None)
    if year is not None and session is not None and session.get(YEAR_SESSION_KEY) != year:
        session[YEAR_SESSION_KEY] = year


def year_of(raw: str) -> int | None:
    """A fiscal year from a form or address, or None: only Buddhist-era years a programme can
    have (anything else, 1 or 99999, would fail further on as a bad date or reference)."""
    raw = (raw or "").strip()
    if raw.isdecimal() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return None


def posted_year(request) -> int:
    """The fiscal year a board form was showing, else the current one."""
    return year_of(request.POST.get("year", "")) or current_year()
