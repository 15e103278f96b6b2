"""Who may write through the admin: the system admin; other staff read their own scope, and
the support role keeps accounts without handing out more than it has."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments.models import TargetVillage
from districts.models import Officer, Province, Role, User, Village
from fieldwork.models import Household
from tests.factories import OfficerFactory, UserFactory


def staff(officer, *codenames):
    officer.user.is_staff = True
    officer.user.save()
    officer.user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return officer


@pytest.fixture
def household_b(area_b):
    return Household.objects.create(
        target=area_b.targets[0], head_name="นางลับ เฉพาะบี", livelihood="x"
    )


def household_post(target, head_name):
    return {
        "target": target.pk,
        "head_name": head_name,
        "livelihood": "x",
        "still_practising": "unknown",
        "joined_on": "",
    }


def test_the_history_of_another_districts_record_is_not_there(login, head_a, household_b):
    client = login(staff(head_a, "view_household", "change_household"))
    base = f"/admin/fieldwork/household/{household_b.pk}"
    version = household_b.history.latest().history_id
    for url in (f"{base}/history/", f"{base}/history/{version}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "นางลับ" not in response.content.decode()
    response = client.post(f"{base}/history/{version}/", household_post(household_b.target, "ยึด"))
    assert response.status_code == 404
    household_b.refresh_from_db()
    assert household_b.head_name == "นางลับ เฉพาะบี"


def test_the_history_of_a_record_in_scope_is_read_not_reverted(login, head_a, area_a):
    household = Household.objects.create(target=area_a.targets[0], head_name="เดิม", livelihood="x")
    client = login(staff(head_a, "view_household"))
    version = household.history.latest().history_id
    url = f"/admin/fieldwork/household/{household.pk}/history/"
    assert client.get(url).status_code == 200
    assert client.get(f"{url}{version}/").status_code == 200
    # reverting to a version is a change, which only the system admin makes here
    response = client.post(f"{url}{version}/", household_post(household.target, "ผ่านประวัติ"))
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.head_name == "เดิม"
    # and an id that is no number is not there, not a server error
    assert client.get("/admin/fieldwork/household/abc/history/").status_code == 404


def test_staff_other_than_the_system_admin_change_nothing_through_the_admin(
    login, area_a, officer_a, admin_user
):
    target = area_a.targets[3]  # not officer_a's: the portal refuses its households to her
    household = Household.objects.create(target=target, head_name="เดิม", livelihood="x")
    assert login(officer_a).get(f"/households/{household.pk}/").status_code == 403
    client = login(staff(officer_a, "view_household", "change_household", "delete_household"))
    url = f"/admin/fieldwork/household/{household.pk}/change/"
    assert client.get(url).status_code == 200  # read, in scope
    client.post(url, household_post(target, "แก้โดยพัฒนากร"))
    household.refresh_from_db()
    assert household.head_name == "เดิม"
    assert client.post(f"/admin/fieldwork/household/{household.pk}/delete/").status_code == 403
    # the system admin still does
    response = login(admin_user).post(url, household_post(target, "แก้โดยผู้ดูแลระบบ"))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.head_name == "แก้โดยผู้ดูแลระบบ"


@pytest.mark.parametrize(
    ("model", "sheet"),
    [
        ("province", "code,name_th,name_en,lat,lon\n41,จังหวัดปลอม,Fake,,\n"),
        ("village", "code,tambon_code,moo,name_th,name_en\n{tambon}77,{tambon},77,บ้านปลอม,\n"),
    ],
)
def test_only_the_system_admin_imports_reference_data(login, area_b, officer_a, model, sheet):
    client = login(staff(officer_a, "view_village", "view_province", "add_village"))
    data = sheet.format(tambon=area_b.tambons[0].code).encode()
    response = client.post(
        f"/admin/districts/{model}/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("s.csv", data)},
    )
    assert response.status_code == 403
    assert not Province.objects.filter(name_th="จังหวัดปลอม").exists()
    assert not Village.objects.filter(name_th="บ้านปลอม").exists()


def test_province_staff_with_officer_rights_reach_no_account(login, officer_a, province_staff_a):
    client = login(staff(province_staff_a, "view_officer", "change_officer", "change_user"))
    assert client.get("/admin/districts/officer/").status_code == 403
    response = client.post(
        f"/admin/districts/officer/{province_staff_a.pk}/change/",
        officer_post(province_staff_a, role="admin", province=""),
    )
    assert response.status_code == 403
    province_staff_a.refresh_from_db()
    assert province_staff_a.role == Role.PROVINCE


@pytest.fixture
def support(area_a):
    person = OfficerFactory(
        user=UserFactory(username="support", is_staff=True), role=Role.SUPPORT, district=None
    )
    person.user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="districts",
            content_type__model__in=["user", "officer", "tambonresponsibility"],
        )
    )
    return person


def officer_post(officer, **changes):
    data = {
        "user": officer.user_id,
        "role": officer.role,
        "province": officer.province_id or "",
        "district": officer.district_id or "",
        "position": officer.position,
        "civil_servant_id": officer.civil_servant_id,
        "capacity_weight": "1",
        "is_active": "on",
        "tambon_responsibilities-TOTAL_FORMS": "0",
        "tambon_responsibilities-INITIAL_FORMS": "0",
        "tambon_responsibilities-MIN_NUM_FORMS": "0",
        "tambon_responsibilities-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def user_post(user, officer, **changes):
    data = {
        "username": user.username,
        "title": "",
        "first_name": "ชื่อ",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "01/01/2567",  # Buddhist era, as every date box
        "date_joined_1": "00:00:00",
        "officer-TOTAL_FORMS": "1",
        "officer-INITIAL_FORMS": "1",
        "officer-MIN_NUM_FORMS": "0",
        "officer-MAX_NUM_FORMS": "1",
        "officer-0-id": officer.pk,
        "officer-0-user": user.pk,
        "officer-0-role": officer.role,
        "officer-0-province": officer.province_id or "",
        "officer-0-district": officer.district_id or "",
        "officer-0-position": "",
        "officer-0-civil_servant_id": "",
        "officer-0-capacity_weight": "1",
        "officer-0-is_active": "on",
    }
    data.update(changes)
    return data


def test_support_keeps_accounts_but_gives_no_admin_rights(client, support, officer_a):
    client.force_login(support.user)
    assert client.get("/country/").status_code == 404
    # an officer's account: changed, but "superuser" and "staff" are not the support's to tick
    response = client.post(
        f"/admin/districts/user/{officer_a.user.pk}/change/", user_post(officer_a.user, officer_a)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(pk=officer_a.user.pk)
    assert user.first_name == "ชื่อ" and not user.is_superuser and not user.is_staff
    # no officer made a system admin or a support account
    response = client.post(
        f"/admin/districts/officer/{officer_a.pk}/change/", officer_post(officer_a, role="admin")
    )
    assert response.status_code == 200  # the form refuses the choice
    officer_a.refresh_from_db()
    assert officer_a.role == Role.OFFICER


def test_support_cannot_change_its_own_or_an_admins_account(client, support, admin_user):
    client.force_login(support.user)
    own = f"/admin/districts/user/{support.user.pk}/change/"
    assert client.post(own, user_post(support.user, support)).status_code == 403
    assert client.post(f"/admin/districts/user/{admin_user.pk}/password/").status_code == 403


def test_support_cannot_hang_a_profile_on_an_admins_account(client, support, officer_a, admin_user):
    """A superuser's account is not among the support's choices for an officer's account."""
    client.force_login(support.user)
    response = client.post(
        f"/admin/districts/officer/{officer_a.pk}/change/",
        officer_post(officer_a, user=admin_user.pk),
    )
    assert response.status_code == 200  # the form refuses the choice
    assert "user" in response.context["adminform"].form.errors
    officer_a.refresh_from_db()
    assert officer_a.user_id != admin_user.pk
    assert not Officer.objects.filter(user=admin_user).exists()


def test_an_inactive_profile_reads_nothing(login, area_a, area_b, province_staff_a):
    former = OfficerFactory(
        user=UserFactory(username="ex-admin"), role=Role.ADMIN, district=None, is_active=False
    )
    client = login(former)
    assert client.get("/country/").status_code == 404
    assert client.get("/districts/4101/assignments/").status_code == 404
    province_staff_a.is_active = False
    province_staff_a.save()
    client = login(province_staff_a)
    assert client.get("/provinces/40/").status_code == 404
    assert client.get("/imports/").status_code == 403
    assert not TargetVillage.objects.visible_to(province_staff_a.user).exists()


def test_a_switched_off_support_profile_keeps_no_accounts(client, support, officer_a):
    support.is_active = False
    support.save()
    client.force_login(support.user)
    assert client.get("/audit/").status_code == 404
    home = client.get("/")  # told why, not sent on to the audit log's 404
    assert home.status_code == 403 and "ปิดการใช้งาน" in home.content.decode()
    assert client.get(f"/admin/districts/user/{officer_a.user.pk}/change/").status_code == 403


def test_a_switched_off_officer_is_told_so_at_home(login, area_a, officer_a, head_a):
    from assignments.models import VillageAssignment

    VillageAssignment.objects.create(target=area_a.targets[0], officer=officer_a)
    for person in (officer_a, head_a):
        person.is_active = False
        person.save()
        response = login(person).get("/")
        text = response.content.decode()
        assert response.status_code == 403 and "ปิดการใช้งาน" in text
        assert area_a.targets[0].village.name_th not in text


def test_department_staff_read_the_country_in_the_admin_and_change_nothing(login, area_a, area_b):
    """The department reads every province's records (not households: counts only) and
    changes none, even given every permission."""
    department = Officer.objects.create(
        user=UserFactory(username="department"), role=Role.DEPARTMENT
    )
    household = Household.objects.create(
        target=area_b.targets[0], head_name="นางลับเฉพาะ", livelihood="x"
    )
    client = login(
        staff(
            department,
            "view_targetvillage",
            "change_targetvillage",
            "delete_targetvillage",
            "view_household",
        )
    )
    target = area_b.targets[0]
    url = f"/admin/assignments/targetvillage/{target.pk}/change/"
    assert client.get(url).status_code == 200  # another province's: read
    client.post(url, {"village": target.village_id, "year": 2560, "livelihood": "แก้"})
    target.refresh_from_db()
    assert target.livelihood != "แก้"
    delete = f"/admin/assignments/targetvillage/{target.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert TargetVillage.objects.filter(pk=target.pk).exists()
    listed = client.get("/admin/fieldwork/household/")
    assert "นางลับเฉพาะ" not in listed.content.decode()
    assert client.get(f"/admin/fieldwork/household/{household.pk}/change/").status_code in (
        302,
        404,
    )
