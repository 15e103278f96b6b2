"""The fair-distribution engine against brute force on small random districts."""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from districts.lib.balance import (
    OfficerIn,
    UnderFair,
    VillageIn,
    balance,
    haversine_m,
    load_bounds,
)

TAMBONS = {f"t{i}": (16.5 + 0.03 * (i % 4), 102.3 + 0.04 * (i // 4)) for i in range(8)}


@st.composite
def districts(draw, max_villages=7, max_officers=3, weights=False, pins=False):
    m = draw(st.integers(1, max_officers))
    officers = []
    for j in range(m):
        tambons = draw(st.sets(st.sampled_from(sorted(TAMBONS)), max_size=2))
        weight = draw(st.sampled_from([1, 1, 2, Fraction(1, 2)])) if weights else 1
        officers.append(
            OfficerIn(id=f"o{j}", weight=weight, tambons=frozenset(tambons), base=(16.6, 102.4))
        )
    n = draw(st.integers(0, max_villages))
    villages = []
    for i in range(n):
        current = draw(st.sampled_from([None] + [o.id for o in officers]))
        pinned = pins and current is not None and draw(st.booleans())
        villages.append(
            VillageIn(
                id=f"v{i}",
                tambon=draw(st.sampled_from(sorted(TAMBONS))),
                current=current,
                pinned=pinned,
            )
        )
    return villages, officers


def distance_to(village, officer):
    if village.tambon in officer.tambons:
        return 0
    places = [TAMBONS[t] for t in officer.tambons] or [officer.base]
    return min(haversine_m(TAMBONS[village.tambon], p) for p in places)


def brute_force(villages, officers):
    """The best (distance, moves) over every assignment that keeps the load rule."""
    bounds = load_bounds(len(villages), {o.id: Fraction(o.weight) for o in officers})
    best = None
    for choice in itertools.product(officers, repeat=len(villages)):
        if any(v.pinned and v.current != o.id for v, o in zip(villages, choice, strict=True)):
            continue
        loads = {o.id: 0 for o in officers}
        for officer in choice:
            loads[officer.id] += 1
        if any(not bounds[o][0] <= loads[o] <= bounds[o][1] for o in loads):
            continue
        distance = sum(distance_to(v, o) for v, o in zip(villages, choice, strict=True))
        moves = sum(v.current != o.id for v, o in zip(villages, choice, strict=True))
        if best is None or (distance, moves) < best:
            best = (distance, moves)
    return best


def assert_load_rule(result, villages, officers):
    n, m = len(villages), len(officers)
    total = sum(Fraction(o.weight) for o in officers)
    assert sum(result.loads.values()) == n
    for officer in officers:
        share = Fraction(n) * Fraction(officer.weight) / total
        load = result.loads[officer.id]
        assert abs(load - share) < 1 or (n >= m and load == 1), (load, share)
        if n >= m:
            assert load >= 1


@settings(max_examples=150, deadline=None)
@given(districts())
def test_solver_matches_brute_force_and_keeps_the_load_rule(district):
    villages, officers = district
    result = balance(villages, officers, TAMBONS)
    assert set(result.assignment) == {v.id for v in villages}
    assert_load_rule(result, villages, officers)
    assert (result.distance_m, result.moves) == brute_force(villages, officers)


@settings(max_examples=100, deadline=None)
@given(districts(max_villages=6, weights=True))
def test_weighted_shares_match_brute_force(district):
    villages, officers = district
    result = balance(villages, officers, TAMBONS)
    assert_load_rule(result, villages, officers)
    assert (result.distance_m, result.moves) == brute_force(villages, officers)


@settings(max_examples=100, deadline=None)
@given(districts(max_villages=40, max_officers=10))
def test_equal_weights_give_floor_or_ceil_of_n_over_m(district):
    villages, officers = district
    result = balance(villages, officers, TAMBONS)
    n, m = len(villages), len(officers)
    assert all(math.floor(n / m) <= load <= math.ceil(n / m) for load in result.loads.values())


def test_phu_wiang_shape_gives_everyone_two_or_three():
    # 27 villages in three tambons, 10 officers with one tambon each.
    officers = [OfficerIn(id=j, tambons=frozenset({f"t{j % 8}"})) for j in range(10)]
    villages = [VillageIn(id=i, tambon=f"t{i % 3}", current=i % 3) for i in range(27)]
    result = balance(villages, officers, TAMBONS)
    assert sorted(result.loads.values()) == [2, 2, 2, 3, 3, 3, 3, 3, 3, 3]


def test_pinned_villages_stay_with_their_officer():
    officers = [
        OfficerIn(id="a", tambons=frozenset({"t0"})),
        OfficerIn(id="b", tambons=frozenset({"t1"})),
    ]
    villages = [
        VillageIn(id=1, tambon="t1", current="a", pinned=True),
        VillageIn(id=2, tambon="t1", current="a"),
        VillageIn(id=3, tambon="t0", current="a"),
        VillageIn(id=4, tambon="t0", current="a"),
    ]
    result = balance(villages, officers, TAMBONS)
    assert result.assignment[1] == "a"
    assert result.loads == {"a": 2, "b": 2}
    assert result.assignment[2] == "b"  # the nearby officer takes the unpinned one


@settings(max_examples=150, deadline=None)
@given(districts(max_villages=6, weights=True, pins=True))
def test_pins_are_kept_and_the_rest_matches_brute_force(district):
    """Pinned villages never move; where the load rule can still hold, the rest is the best
    share there is; where pins break it, a note says so."""
    villages, officers = district
    result = balance(villages, officers, TAMBONS)
    assert all(result.assignment[v.id] == v.current for v in villages if v.pinned)
    best = brute_force(villages, officers)
    if best is not None:
        assert (result.distance_m, result.moves) == best
        assert result.notes == []
    else:
        assert result.notes


def test_pins_that_leave_an_officer_short_are_told():
    officers = [
        OfficerIn(id="o0", weight=1, tambons=frozenset({"t0"})),
        OfficerIn(id="o1", weight=2, tambons=frozenset({"t1"})),
        OfficerIn(id="o2", weight=1, tambons=frozenset({"t2"})),
    ]
    villages = [
        VillageIn(id=1, tambon="t0", current="o0", pinned=True),
        VillageIn(id=2, tambon="t2", current="o2", pinned=True),
    ]
    result = balance(villages, officers, TAMBONS)
    assert result.loads == {"o0": 1, "o1": 0, "o2": 1}
    assert result.notes == [UnderFair("o1", 0, 1)]


def test_no_officer_is_an_error():
    with pytest.raises(ValueError):
        balance([VillageIn(id=1, tambon="t0")], [], TAMBONS)
