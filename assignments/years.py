"""The fiscal year a page shows: read from the request by views (services are given the year,
never the request)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assignments.models import MAX_YEAR, MIN_YEAR, FiscalYear
from districts.lib.thai import fiscal_year_of


def years_with_targets(targets) -> list[int]:
    """The fiscal years, newest first, in which a set of target villages has any: one index
    probe per fiscal year, rather than a DISTINCT over every target of the country."""
    return list(
        FiscalYear.objects.filter(Exists(targets.filter(year=OuterRef("pk"))))
        .order_by("-year")
        .values_list("year", flat=True)
    )


def page_year(request, targets) -> tuple[int, list[int]]:
    """The fiscal year a page shows and the years it can switch to, for a set of targets."""
    years = years_with_targets(targets)
    return selected_year(request, years), years


def selected_year(request, years: list[int]) -> int:
    """The fiscal year a page shows: ``?year=`` if given, else the newest of ``years``.

    Falls back to the current fiscal year when there are no target villages at all.
    """
    year = year_of(request.GET.get("year", ""))
    if year is not None:
        return year
    return years[0] if years else fiscal_year_of(timezone.localdate())


def year_of(raw: str) -> int | None:
    """A fiscal year from a form or address, or None: only Buddhist-era years a programme can
    have (anything else, 1 or 99999, would fail further on as a bad date or reference)."""
    raw = (raw or "").strip()
    if raw.isdecimal() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return None


def posted_year(request) -> int:
    """The fiscal year a board form was showing, else the current one."""
    return year_of(request.POST.get("year", "")) or fiscal_year_of(timezone.localdate())
