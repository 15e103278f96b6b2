"""Named operations on the programme year. Views, admin, commands and tests all call these."""

from __future__ import annotations

from django.utils import timezone

from districts.thai import fiscal_year_of


def years_with_targets(targets) -> list[int]:
    """The fiscal years, newest first, in which a set of target villages has any."""
    return list(targets.order_by("-year_id").values_list("year_id", flat=True).distinct())


def selected_year(request, years: list[int]) -> int:
    """The fiscal year a page shows: ``?year=`` if given, else the newest of ``years``.

    Falls back to the current fiscal year when there are no target villages at all.
    """
    raw = request.GET.get("year", "")
    if raw.isdigit():
        return int(raw)
    return years[0] if years else fiscal_year_of(timezone.localdate())
