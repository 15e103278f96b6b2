from io import StringIO

import pytest
from django.core.management import call_command

from districts.models import District, Province, Tambon, Village


@pytest.mark.django_db
def test_load_geography_loads_the_whole_country_exactly_once_twice_in_a_row():
    for _run in (1, 2):
        out = StringIO()
        call_command("load_geography", stdout=out)
        assert (Province.objects.count(), District.objects.count()) == (77, 928)
        assert (Tambon.objects.count(), Village.objects.count()) == (7436, 75206)
    assert "village: 0 new, 0 changed" in out.getvalue()


@pytest.mark.django_db
def test_load_geography_restores_a_changed_name_and_keeps_the_rest():
    call_command("load_geography", province="40", stdout=StringIO())
    Village.objects.filter(pk="40160101").update(name_th="ผิด")
    out = StringIO()
    call_command("load_geography", province="40", stdout=out)
    assert Village.objects.get(pk="40160101").name_th == "บ้านเรือ"
    assert "village: 0 new, 1 changed" in out.getvalue()


@pytest.mark.django_db
def test_phu_wiang_has_its_real_tambons_and_villages():
    call_command("load_geography", province="40", stdout=StringIO())
    phu_wiang = District.objects.get(pk="4016")
    assert phu_wiang.name_th == "ภูเวียง"
    assert phu_wiang.tambons.count() == 11
    assert Village.objects.filter(tambon__district=phu_wiang).count() == 114
    assert Tambon.objects.get(pk="401605").villages.count() == 15
    assert District.objects.filter(province_id="40").count() == 26
