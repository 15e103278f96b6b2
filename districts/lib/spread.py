"""No Django: the spread of a livelihood as a share of a village's households."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def spread_households(practising: int, neighbours: int) -> int:
    """Households practising the livelihood: target households still practising it, and
    neighbouring households that took it up."""
    return (practising or 0) + (neighbours or 0)


def spread_share(
    practising: int, neighbours: int, village_households: int | None
) -> Decimal | None:
    """Per cent of the village's households practising the livelihood, one decimal place
    (half up); None when the village's number of households is not known (or zero). Never
    above 100: a village record older than its households is read as "all of them"."""
    if not village_households:
        return None
    part = spread_households(practising, neighbours)
    share = Decimal(100 * part) / Decimal(village_households)
    return min(share, Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spread_over_time(points, village_households: int | None):
    """``points``: (label, practising, neighbours) in time order; each with its share."""
    return [
        (label, spread_households(p, n), spread_share(p, n, village_households))
        for label, p, n in points
    ]
