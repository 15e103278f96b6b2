"""The records of the two-server test (tests/ops/test_two_servers.py), written by a process
of their own with the production settings, as an administrator would."""

import django

PASSWORD = "two-servers-password-4016"  # a throwaway database of the test


def main() -> None:
    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from assignments.models import FiscalYear, Stage, TargetVillage, VillageAssignment
    from assignments.stages import ensure_default_stages
    from districts.lib.thai import fiscal_year_of
    from districts.models import Role
    from tests.conftest import make_area
    from tests.factories import OfficerFactory, ProvinceFactory, UserFactory

    year = fiscal_year_of(timezone.localdate())
    with transaction.atomic():
        FiscalYear.objects.get_or_create(year=year)
        FiscalYear.objects.get_or_create(year=year + 1)  # the imported list's year
        ensure_default_stages(Stage)
        province = ProvinceFactory(code="40", name_th="ขอนแก่น", name_en="Khon Kaen")
        area = make_area(province, "4016", "ภูเวียง")
        TargetVillage.objects.update(year_id=year)
        people = {
            "officer1": OfficerFactory(
                user=UserFactory(username="officer1"), district=area.district
            ),
            "officer2": OfficerFactory(
                user=UserFactory(username="officer2"), district=area.district
            ),
            "head": OfficerFactory(
                user=UserFactory(username="head"), role=Role.HEAD, district=area.district
            ),
            "province": OfficerFactory(
                user=UserFactory(username="province"),
                role=Role.PROVINCE,
                district=None,
                province=province,
            ),
        }
        for officer in people.values():
            officer.user.set_password(PASSWORD)  # the production hasher
            officer.user.save()
        for target in area.targets[:2]:
            VillageAssignment.objects.create(target=target, officer=people["officer1"])


if __name__ == "__main__":
    main()
