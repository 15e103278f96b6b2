"""Time the fair-distribution engine. Prints figures; asserts nothing about time.

    .venv/bin/python bench/balance.py            # needs `make run` data (geography + demo)

1. Khon Kaen as one pool: the demo's 528 FY2560 target villages and every officer of the
   province, one solve.
2. Every district of the country with a synthetic national-scale programme: about 25 target
   villages per district (23,600 / 928), clustered in whole tambons, 5-12 officers each with
   a tambon, all starting with the officer of the village's tambon. One solve per district.
3. Phu Wiang through the service, with its database queries.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")

import django

django.setup()

from assignments.models import TargetVillage, VillageAssignment
from districts.lib import balance, services
from districts.models import District, Officer, Role, Tambon, TambonResponsibility, Village


def timed(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, times


def khon_kaen_pool():
    where = {
        c: (a, o)
        for c, a, o in Tambon.objects.filter(
            district__province_id="40", lat__isnull=False
        ).values_list("code", "lat", "lon")
    }
    tambons = {}
    for officer_id, tambon_id in (
        TambonResponsibility.objects.current()
        .filter(officer__district__province_id="40", officer__role=Role.OFFICER)
        .values_list("officer_id", "tambon_id")
    ):
        tambons.setdefault(officer_id, set()).add(tambon_id)
    officers = [
        balance.OfficerIn(id=o, tambons=frozenset(tambons.get(o, ())))
        for o in Officer.objects.filter(
            district__province_id="40", role=Role.OFFICER, is_active=True
        ).values_list("pk", flat=True)
    ]
    current = dict(
        VillageAssignment.objects.active()
        .filter(target__district__province_id="40")
        .values_list("target_id", "officer_id")
    )
    villages = [
        balance.VillageIn(id=t, tambon=tambon, current=current.get(t))
        for t, tambon in TargetVillage.objects.filter(
            district__province_id="40", year_id=2560
        ).values_list("pk", "village__tambon_id")
    ]
    return villages, officers, where


def national_districts(seed=2560):
    rng = random.Random(seed)
    where = {
        c: (a, o)
        for c, a, o in Tambon.objects.filter(lat__isnull=False).values_list("code", "lat", "lon")
    }
    villages_by_tambon = {}
    for code, tambon in Village.objects.values_list("code", "tambon_id").iterator(chunk_size=10000):
        villages_by_tambon.setdefault(tambon, []).append(code)
    by_district = {}
    for tambon in sorted(villages_by_tambon):
        by_district.setdefault(tambon[:4], []).append(tambon)
    offices = {
        c: (a or b, o or p)
        for c, a, o, b, p in District.objects.values_list(
            "code", "office_lat", "office_lon", "lat", "lon"
        )
    }
    cases = []
    for district, tambons in sorted(by_district.items()):
        n_officers = min(12, max(5, len(tambons) - 1))
        quota = max(1, round(rng.gauss(25.4, 8)))
        order = tambons[:]
        rng.shuffle(order)
        chosen = []
        for t in order:
            chosen.extend((v, t) for v in villages_by_tambon[t][: quota - len(chosen)])
            if len(chosen) >= quota:
                break
        officers = [
            balance.OfficerIn(
                id=i, tambons=frozenset(tambons[i::n_officers]), base=offices[district]
            )
            for i in range(n_officers)
        ]
        owner = {t: o.id for o in officers for t in o.tambons}
        villages = [balance.VillageIn(id=v, tambon=t, current=owner.get(t)) for v, t in chosen]
        cases.append((district, villages, officers, where))
    return cases


def report(label, times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    median = statistics.median(times) * 1000
    print(
        f"{label:<52} median {median:8.1f} ms   p95 {p95 * 1000:8.1f} ms"
        f"   max {times[-1] * 1000:8.1f} ms   n={len(times)}"
    )


def main():
    print(f"numpy/scipy solver on {os.cpu_count()} cores")
    villages, officers, where = khon_kaen_pool()
    if not villages:
        sys.exit("No Khon Kaen FY2560 targets: run `make run` (or load_geography + demo) first.")
    result, times = timed(lambda: balance.balance(villages, officers, where))
    report(f"Khon Kaen pool: {len(villages)} villages, {len(officers)} officers", times)
    low, high = min(result.loads.values()), max(result.loads.values())
    print(
        f"    loads {low}..{high}, travel {result.distance_m / 1000:.0f} km, moves {result.moves}"
    )

    cases = national_districts()
    per_district = []
    total_villages = 0
    start = time.perf_counter()
    for _district, v, o, w in cases:
        t0 = time.perf_counter()
        balance.balance(v, o, w)
        per_district.append(time.perf_counter() - t0)
        total_villages += len(v)
    total = time.perf_counter() - start
    report(
        f"National: {len(cases)} districts, {total_villages} villages (per district)", per_district
    )
    print(f"    whole country, one district after another: {total:.2f} s")

    phu_wiang = District.objects.get(pk="4016")
    _proposal, times = timed(
        lambda: services.balance_district(district=phu_wiang, year=2560), repeat=20
    )
    report("Phu Wiang through balance_district (with its 5 queries)", times)


if __name__ == "__main__":
    main()
