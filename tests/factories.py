"""Test data. Codes follow the Interior-ministry pattern: each starts with its parent's code."""

import factory
from django.contrib.auth.hashers import make_password

from assignments.models import FiscalYear, TargetVillage
from districts.models import (
    District,
    Officer,
    Province,
    Role,
    Tambon,
    TambonResponsibility,
    User,
    Village,
)

PASSWORD = "pw-for-tests-only"
_PASSWORD_HASH = make_password(PASSWORD)  # hash once: PBKDF2 per user would dominate the suite


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{60 + n % 30:02d}")
    name_th = factory.Sequence(lambda n: f"จังหวัดทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test province {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    province = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.province.code}{n % 90 + 10:02d}")
    name_th = factory.Sequence(lambda n: f"อำเภอทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test district {n}")
    lat = 16.6
    lon = 102.4


class TambonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tambon
        django_get_or_create = ["code"]

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.district.code}{n % 90 + 10:02d}")
    name_th = factory.Sequence(lambda n: f"ตำบลทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Test tambon {n}")
    lat = factory.Sequence(lambda n: 16.5 + (n % 10) * 0.02)
    lon = factory.Sequence(lambda n: 102.3 + (n % 7) * 0.02)


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ["code"]

    tambon = factory.SubFactory(TambonFactory)
    moo = factory.Sequence(lambda n: n % 99 + 1)
    code = factory.LazyAttribute(lambda o: f"{o.tambon.code}{o.moo:02d}")
    name_th = factory.Sequence(lambda n: f"บ้านทดสอบ{n}")
    name_en = factory.Sequence(lambda n: f"Ban Test {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    title = "นาย"
    first_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    last_name = "ใจดี"
    password = _PASSWORD_HASH


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICER
    district = factory.SubFactory(DistrictFactory)
    position = "นักวิชาการพัฒนาชุมชน"


class TambonResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TambonResponsibility

    officer = factory.SubFactory(OfficerFactory)
    tambon = factory.SubFactory(TambonFactory)
    start_date = factory.LazyFunction(lambda: FiscalYear(year=2560).start_date)


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]

    year = 2560


class TargetVillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetVillage

    village = factory.SubFactory(VillageFactory)
    year = factory.SubFactory(FiscalYearFactory)
    district_id = factory.LazyAttribute(lambda o: o.village.code[:4])
    budget_allocated = 50000
    livelihood = "ทอผ้าไหม"


def household_with_income(target, baseline=None, followup=None, *, name="ครัวเรือน", **fields):
    """A household with a baseline round at its year's start and, when given, a follow-up
    round at the year's end (as the migration dates the old income pairs)."""
    import datetime as dt

    from fieldwork.models import Household, IncomeRound

    fields.setdefault("livelihood", "ทอผ้า")
    household = Household.objects.create(target=target, head_name=name, **fields)
    year = target.year_id - 543
    if baseline is not None:
        IncomeRound.objects.create(
            household=household, kind="baseline", date=dt.date(year - 1, 10, 1), income=baseline
        )
    if followup is not None:
        IncomeRound.objects.create(
            household=household, kind="followup", date=dt.date(year, 9, 30), income=followup
        )
    return household
