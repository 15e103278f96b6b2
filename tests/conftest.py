"""Personas shared by every test: two districts in one province, a district in another."""

import time
from dataclasses import dataclass

import pytest
from django.core.cache import caches

from districts.models import Officer, Role
from tests.factories import (
    DistrictFactory,
    OfficerFactory,
    ProvinceFactory,
    TambonFactory,
    TambonResponsibilityFactory,
    TargetVillageFactory,
    UserFactory,
    VillageFactory,
)


@dataclass
class Area:
    """A district with two tambons, three villages each, and two target villages per tambon."""

    district: object
    tambons: list
    villages: list
    targets: list


def make_area(province, district_code: str, name: str) -> Area:
    district = DistrictFactory(province=province, code=district_code, name_th=name)
    tambons = [TambonFactory(district=district, code=f"{district_code}{i:02d}") for i in (1, 2)]
    villages = [
        VillageFactory(tambon=t, moo=m, code=f"{t.code}{m:02d}") for t in tambons for m in (1, 2, 3)
    ]
    targets = [TargetVillageFactory(village=v) for v in villages if v.moo in (1, 2)]
    return Area(district, tambons, villages, targets)


@pytest.fixture(autouse=True)
def _nothing_kept():
    """The cache lives in the process, the records in a transaction rolled back after each
    test: a fragment kept by one test, under a change count that the next test's records
    reach again, must not be shown to the next."""
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _the_suites_year(request, monkeypatch):
    """The suite's records are of FY2560 (tests/factories.py), so its pages show FY2560 when
    no year is asked for, as if today fell in it; a test marked ``today_decides_the_year``
    sees the real rule (the fiscal year of today, which it may fake)."""
    if "today_decides_the_year" not in request.keywords:
        monkeypatch.setattr("assignments.years.current_year", lambda: 2560)


@pytest.fixture
def render_every_time(settings):
    """Nothing kept: every request renders, as the first one after a write does (the query
    counts of rendering; tests/test_page_cache.py pins those of a kept fragment)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def area_a(db):
    province = ProvinceFactory(code="40", name_th="ขอนแก่น", name_en="Khon Kaen")
    return make_area(province, "4016", "ภูเวียง")


@pytest.fixture
def area_a2(area_a):
    """A second district of the same province as A."""
    return make_area(area_a.district.province, "4001", "เมืองขอนแก่น")


@pytest.fixture
def area_b(db):
    province = ProvinceFactory(code="41", name_th="อุดรธานี", name_en="Udon Thani")
    return make_area(province, "4101", "เมืองอุดรธานี")


@pytest.fixture
def head_a(area_a) -> Officer:
    return OfficerFactory(
        user=UserFactory(username="head-a"), role=Role.HEAD, district=area_a.district
    )


@pytest.fixture
def officer_a(area_a) -> Officer:
    officer = OfficerFactory(user=UserFactory(username="officer-a"), district=area_a.district)
    TambonResponsibilityFactory(officer=officer, tambon=area_a.tambons[0])
    return officer


@pytest.fixture
def officer_b(area_b) -> Officer:
    officer = OfficerFactory(user=UserFactory(username="officer-b"), district=area_b.district)
    TambonResponsibilityFactory(officer=officer, tambon=area_b.tambons[0])
    return officer


@pytest.fixture
def head_b(area_b) -> Officer:
    return OfficerFactory(
        user=UserFactory(username="head-b"), role=Role.HEAD, district=area_b.district
    )


@pytest.fixture
def province_staff_a(area_a) -> Officer:
    return OfficerFactory(
        user=UserFactory(username="prov-a"),
        role=Role.PROVINCE,
        district=None,
        province=area_a.district.province,
    )


@pytest.fixture
def province_staff_b(area_b) -> Officer:
    return OfficerFactory(
        user=UserFactory(username="prov-b"),
        role=Role.PROVINCE,
        district=None,
        province=area_b.district.province,
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def login(client):
    """``login(user_or_officer)`` logs the test client in and returns it."""

    def _login(who):
        client.force_login(getattr(who, "user", who))
        # as if the sliding session was renewed a moment ago, so that query counts below
        # are those of a working day, not of the first request after a login
        session = client.session
        session["_touched"] = int(time.time())
        session.save()
        return client

    return _login
