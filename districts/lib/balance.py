"""The fair-distribution engine: share target villages among officers, exactly.

No Django here: the inputs are plain values, so the solver can be tested against brute force
and timed on a whole country without a database.

The rule, in order of priority:

1. Loads. Officer i with capacity weight w_i gets either floor or ceil of its exact share
   n * w_i / sum(w) (with equal weights: floor(n/m) or ceil(n/m)); and when there are at
   least as many villages as officers, everyone gets at least one, so everyone learns.
2. Among all assignments with such loads, the smallest total distance from each village's
   tambon to the nearest tambon its officer answers for (0 inside the officer's own tambon).
3. Among those, the fewest moves away from today's assignment.

It is solved exactly as one linear assignment problem (scipy's ``linear_sum_assignment``)
over officer *slots*: officer i offers ``hi_i`` slots, of which the first ``lo_i`` carry a
bonus large enough that every optimum fills them. Distances are whole metres, multiplied by
(n + 1) so that one metre outweighs every possible saving in moves.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy.optimize import linear_sum_assignment

Point = tuple[float, float]  # (lat, lon) in degrees
EARTH_RADIUS_M = 6_371_000


def haversine_m(a: Point, b: Point) -> int:
    """Great-circle distance in whole metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(h)))


@dataclass(frozen=True)
class OfficerIn:
    id: Hashable
    weight: Fraction | float | int = 1
    tambons: frozenset = frozenset()
    base: Point | None = None  # where an officer with no tambon works from (the office)


@dataclass(frozen=True)
class VillageIn:
    id: Hashable
    tambon: Hashable
    current: Hashable | None = None  # today's officer
    pinned: bool = False  # the head fixed this one: it stays with ``current``


@dataclass
class Result:
    assignment: dict  # village id -> officer id
    loads: dict  # officer id -> number of villages
    bounds: dict  # officer id -> (lo, hi) the loads had to respect
    distance_m: int
    moves: int
    notes: list[OverPinned | UnderFair] = field(default_factory=list)


@dataclass(frozen=True)
class OverPinned:
    """The villages pinned to an officer are more than their fair share: the solver keeps
    them, so this officer carries ``count`` against a fair ``fair``."""

    officer: Hashable
    count: int
    fair: int


@dataclass(frozen=True)
class UnderFair:
    """The villages pinned to others leave too few to give this officer their fair share:
    they get ``count`` against a fair ``fair``."""

    officer: Hashable
    count: int
    fair: int


def load_bounds(n: int, weights: Mapping[Hashable, Fraction]) -> dict[Hashable, tuple[int, int]]:
    """Floor and ceil of each officer's exact share, with at least one each when n >= m."""
    total = sum(weights.values())
    bounds = {}
    for officer, weight in weights.items():
        share = Fraction(n) * Fraction(weight) / Fraction(total)
        bounds[officer] = (math.floor(share), math.ceil(share))
    if n >= len(weights):
        bounds = {o: (max(lo, 1), max(hi, 1)) for o, (lo, hi) in bounds.items()}
        # With very uneven weights, raising the smallest to one can ask for more than n.
        excess = sum(lo for lo, _ in bounds.values()) - n
        for officer in sorted(bounds, key=lambda o: -bounds[o][0]):
            if excess <= 0:
                break
            lo, hi = bounds[officer]
            cut = min(excess, lo - 1)
            bounds[officer] = (lo - cut, hi)
            excess -= cut
    return bounds


def distance_table(
    villages: Sequence[VillageIn],
    officers: Sequence[OfficerIn],
    where: Mapping[Hashable, Point],
) -> np.ndarray:
    """Metres from each village's tambon to the nearest place its officer works from."""
    table = np.zeros((len(villages), len(officers)), dtype=np.int64)
    cache: dict[tuple, int] = {}
    for j, officer in enumerate(officers):
        places = _places(officer.tambons, where, officer.base)
        for i, village in enumerate(villages):
            if village.tambon in officer.tambons:
                continue
            key = (village.tambon, j)
            if key not in cache:
                cache[key] = _nearest(where.get(village.tambon), places)
            table[i, j] = cache[key]
    return table


def distance_m(
    tambon: Hashable, own: Collection[Hashable], where: Mapping[Hashable, Point], base: Point | None
) -> int:
    """Metres from a village's tambon to the nearest place its officer works from: the nearest
    of their own tambons, or the office (``base``) for an officer with none. 0 for a village
    of their own tambons, or when a place has no position."""
    if tambon in own:
        return 0
    return _nearest(where.get(tambon), _places(own, where, base))


def _places(own, where, base) -> list[Point]:
    return [where[t] for t in own if t in where] or ([base] if base is not None else [])


def _nearest(origin: Point | None, places: list[Point]) -> int:
    return min(haversine_m(origin, p) for p in places) if origin and places else 0


def balance(
    villages: Sequence[VillageIn],
    officers: Sequence[OfficerIn],
    where: Mapping[Hashable, Point],
) -> Result:
    """Share ``villages`` among ``officers`` by the rule above. ``where``: tambon -> point."""
    if not officers:
        raise ValueError("no active officer to share the villages among")
    officer_ids = [o.id for o in officers]
    index = {o.id: j for j, o in enumerate(officers)}
    bounds = load_bounds(len(villages), {o.id: Fraction(o.weight) for o in officers})
    notes: list[OverPinned | UnderFair] = []

    fixed = {v.id: v.current for v in villages if v.pinned and v.current in index}
    pinned_load = dict.fromkeys(officer_ids, 0)
    for officer in fixed.values():
        pinned_load[officer] += 1
    for officer, count in pinned_load.items():
        lo, hi = bounds[officer]
        if count > hi:
            notes.append(OverPinned(officer, count, hi))
    free = [v for v in villages if v.id not in fixed]

    dist = distance_table(villages, officers, where)
    assignment = dict(fixed)
    if free:
        rows = [i for i, v in enumerate(villages) if v.id not in fixed]
        scale = len(villages) + 1
        slots, mandatory = [], []
        for officer in officer_ids:
            lo, hi = bounds[officer]
            done = pinned_load[officer]
            for k in range(max(hi - done, 0)):
                slots.append(index[officer])
                mandatory.append(k < lo - done)
        # there are always enough slots: the ceilings add up to at least len(villages), and a
        # pinned village takes a slot from its own officer only
        sub = dist[np.ix_(rows, slots)] * scale
        current = np.array([index.get(villages[i].current, -1) for i in rows])
        sub += (current[:, None] != np.array(slots)[None, :]).astype(np.int64)
        big = int(sub.max(initial=0)) * len(free) + 1
        cost = sub.astype(np.float64) - big * np.array(mandatory, dtype=np.float64)[None, :]
        row_ind, col_ind = linear_sum_assignment(cost)
        for r, c in zip(row_ind, col_ind, strict=True):
            assignment[villages[rows[r]].id] = officer_ids[slots[c]]

    loads = dict.fromkeys(officer_ids, 0)
    total_distance = moves = 0
    for i, village in enumerate(villages):
        officer = assignment[village.id]
        loads[officer] += 1
        total_distance += int(dist[i, index[officer]])
        moves += officer != village.current
    notes += [UnderFair(o, loads[o], bounds[o][0]) for o in officer_ids if loads[o] < bounds[o][0]]
    return Result(assignment, loads, bounds, total_distance, moves, notes)


def total_distance(
    assignment: Mapping[Hashable, Hashable],
    villages: Sequence[VillageIn],
    officers: Sequence[OfficerIn],
    where: Mapping[Hashable, Point],
) -> int:
    """The distance measure of any assignment (unassigned villages count 0)."""
    dist = distance_table(villages, officers, where)
    index = {o.id: j for j, o in enumerate(officers)}
    return sum(
        int(dist[i, index[assignment[v.id]]])
        for i, v in enumerate(villages)
        if assignment.get(v.id) in index
    )
