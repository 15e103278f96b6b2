from decimal import Decimal

from districts.lib.spread import spread_households, spread_over_time, spread_share


def test_spread_is_practising_and_neighbours_over_the_villages_households():
    # 14 still practising + 6 neighbours = 20 of 160 households: 12.5%
    assert spread_households(14, 6) == 20
    assert spread_share(14, 6, 160) == Decimal("12.5")
    # 17 + 0 of 120 = 14.1666…% -> 14.2 (half up)
    assert spread_share(17, 0, 120) == Decimal("14.2")
    # 1 of 8 = 12.5 exactly; 1 of 6 = 16.666… -> 16.7
    assert spread_share(1, 0, 8) == Decimal("12.5")
    assert spread_share(0, 1, 6) == Decimal("16.7")


def test_spread_is_unknown_without_the_villages_size_and_never_above_all_of_it():
    assert spread_share(10, 2, None) is None
    assert spread_share(10, 2, 0) is None
    assert spread_share(30, 5, 20) == Decimal(100)


def test_spread_over_time_shares_each_point():
    points = [("round 1", 15, 2), ("round 2", 16, 9), ("now", 14, 12)]
    assert spread_over_time(points, 200) == [
        ("round 1", 17, Decimal("8.5")),
        ("round 2", 25, Decimal("12.5")),
        ("now", 26, Decimal("13.0")),
    ]
