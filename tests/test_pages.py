"""The shell: login in Thai, home by role, district and province pages with fixed queries."""

from django.test import Client

from assignments.models import TargetVillage, VillageAssignment
from tests.conftest import make_area
from tests.factories import PASSWORD, OfficerFactory, TambonResponsibilityFactory, VillageFactory


def test_every_page_but_login_requires_a_login(client, area_a):
    for url in ("/", "/districts/4016/", "/provinces/40/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_is_in_thai(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "th"
    text = response.content.decode()
    assert "เข้าสู่ระบบ" in text
    assert "ชื่อผู้ใช้" in text
    assert "รหัสผ่าน" in text


def test_a_wrong_password_is_told_in_thai(client, officer_a):
    response = client.post("/accounts/login/", {"username": "officer-a", "password": "nope"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_a_browser_set_to_english_still_gets_thai(client, officer_a):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "th"
    assert "เข้าสู่ระบบ" in page.content.decode()
    client.force_login(officer_a.user)
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", follow=True)
    assert home.headers["Content-Language"] == "th"


def test_a_chosen_language_is_kept_with_the_account_on_another_browser(client, officer_a):
    client.post(
        "/accounts/login/", {"username": "officer-a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    officer_a.user.refresh_from_db()
    assert officer_a.user.language == "en"
    # another browser, no cookie of the first, set to Thai: English once logged in
    other = Client()
    assert other.get("/accounts/login/").headers["Content-Language"] == "th"
    other.post(
        "/accounts/login/", {"username": "officer-a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    page = other.get("/", HTTP_ACCEPT_LANGUAGE="th", follow=True)
    assert page.headers["Content-Language"] == "en"
    # and after logging out there, the login page stays in the language they chose
    other.post("/accounts/logout/")
    assert other.get("/accounts/login/").headers["Content-Language"] == "en"
    # back to Thai from the switch: kept with the account too
    other.post("/accounts/login/", {"username": "officer-a", "password": PASSWORD})
    other.post("/i18n/setlang/", {"language": "th", "next": "/"})
    officer_a.user.refresh_from_db()
    assert officer_a.user.language == "th"


def test_officer_home_lists_their_tambons_and_assigned_villages(login, officer_a, area_a):
    mine = [area_a.targets[0], area_a.targets[3]]  # one in her tambon, one across
    for target in mine:
        VillageAssignment.objects.create(target=target, officer=officer_a)
    response = login(officer_a).get("/")
    assert response.status_code == 200
    assert "home_officer.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "ตำบลของฉัน" in text
    assert [t.pk for t in response.context["targets"]] == [t.pk for t in mine]
    assert "ปีงบประมาณ 2560" in text


def test_an_officer_with_no_village_is_told_so_not_sent_to_a_refused_form(login, officer_a):
    text = login(officer_a).get("/").content.decode()
    assert "/visits/new/" not in text  # the visit form refuses an officer with no village
    assert "ยังไม่มีหมู่บ้านเป้าหมาย" in text
    assert "ขาดการลงพื้นที่นานเกินกำหนด" not in text  # not "every village visited recently"


def test_head_home_is_the_district_page(login, head_a):
    response = login(head_a).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/districts/4016/"


def test_provincial_staff_home_is_their_province(login, province_staff_a):
    assert login(province_staff_a).get("/")["Location"] == "/provinces/40/"


def test_district_page_shows_tambons_officers_and_targets_in_thai(login, head_a, officer_a, area_a):
    response = login(head_a).get("/districts/4016/")
    assert response.status_code == 200
    assert "evaluations/district_dashboard.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "อำเภอ ภูเวียง" in text
    assert "หมู่บ้านเป้าหมาย" in text
    assert officer_a.user.display_name in text
    assert len(response.context["targets"]) == len(area_a.targets)
    assert len(response.context["tambons"]) == 2


def test_district_page_query_count_does_not_grow_with_data(
    login, head_a, officer_a, area_a, django_assert_num_queries, render_every_time
):
    client = login(head_a)
    # session, user, officer (scope), district, its change count (the key of the body, and
    # the summary row's currency), years, district list + summary row, stages, targets with
    # last visit + their active officers, tambons + their responsibilities, officers + their
    # tambons, the district's not-visited thresholds, the visits awaiting the head's advice,
    # the plan's late stages (deadlines, targets, their officers, planned dates, first visit
    # per stage) and the meetings' open actions:
    # 23 with a current summary row; 11 more to compute it (ten grouped figures: the six of
    # before, the villages' households, the latest income round, the active partner
    # projects, the money disbursed; one upsert)
    with django_assert_num_queries(34):
        client.get("/districts/4016/")
    with django_assert_num_queries(23):
        client.get("/districts/4016/")
    for moo in range(10, 30):
        v = VillageFactory(tambon=area_a.tambons[1], moo=moo, code=f"{area_a.tambons[1].code}{moo}")
        TargetVillage.objects.create(village=v, year_id=2560)
    for _ in range(5):
        other = OfficerFactory(district=area_a.district)
        TambonResponsibilityFactory(officer=other, tambon=area_a.tambons[1])
    with django_assert_num_queries(34):
        response = client.get("/districts/4016/")
    assert len(response.context["targets"]) == len(area_a.targets) + 20
    assert response.context["f"].targets == len(area_a.targets) + 20


def test_province_page_query_count_does_not_grow_with_districts(
    login, province_staff_a, area_a, django_assert_num_queries, render_every_time
):
    client = login(province_staff_a)
    # session, user, officer (scope), province, its districts' change counts, years,
    # districts, district list + summary rows, stages, and to compute the rows: ten grouped
    # figures and one upsert
    with django_assert_num_queries(21):
        client.get("/provinces/40/")
    for code in ("4002", "4003", "4004"):
        make_area(area_a.district.province, code, f"อำเภอ{code}")
    with django_assert_num_queries(21):
        response = client.get("/provinces/40/")
    assert len(response.context["rows"]) == 4
    assert "อำเภอ4003" in response.content.decode()


def test_admin_home_is_the_country_dashboard(login, admin_user, area_a, area_b):
    response = login(admin_user).get("/", follow=True)
    assert response.redirect_chain == [("/country/", 302)]
    codes = [area.code for area, _figures in response.context["rows"]]
    assert codes == ["40", "41"]


def test_every_page_of_a_heads_day_has_a_breadcrumb(login, head_a, province_staff_a):
    """Each page says where it sits and leads back up (thresholds, households and the
    province's networks had none)."""
    head = login(head_a)
    for path in (
        "/districts/4016/visits/thresholds/",
        "/districts/4016/households/",
        "/districts/4016/officers/",
        "/sages/",
    ):
        assert 'class="breadcrumb' in head.get(path).content.decode(), path
    province = login(province_staff_a).get("/provinces/40/networks/").content.decode()
    assert 'class="breadcrumb' in province and 'href="/provinces/40/"' in province
