import pytest

from assignments.models import VillageAssignment

pytestmark = pytest.mark.browser


def test_district_head_logs_in_and_sees_the_district_page_in_thai(desk):
    page = desk.login("phuwiang-head")
    assert page.url.endswith("/districts/4016/")
    assert "อำเภอ ภูเวียง" in page.inner_text("h1")
    assert "ปีงบประมาณ 2560" in page.inner_text("h1")
    assert page.locator("text=หมู่บ้านเป้าหมาย").first.is_visible()
    # Sarabun is served by the app itself and actually used.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Sarabun" in font
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภูเวียง')")
    desk.shot("shell-district-page-desk")


def test_the_login_page_and_district_page_fit_a_phone(phone):
    page = phone.goto("/accounts/login/")
    assert "เข้าสู่ระบบ" in page.inner_text("h1")
    phone.shot("shell-login-phone")
    page = phone.login("phuwiang-head")
    # Nothing wider than the screen: tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("shell-district-page-phone")


def test_an_officer_sees_their_own_villages_at_home(phone):
    page = phone.login("phuwiang-officer1")
    assert "งานของฉัน" in page.inner_text("h1")
    # the year shown (the suite's FY2560), and the follow-ups they hold from earlier years
    expected = VillageAssignment.objects.active().filter(
        officer__user__username="phuwiang-officer1", target__year_id=2560
    )
    assert expected.count() > 0
    assert page.locator("#my-targets tbody tr").count() == expected.count()
    assert page.locator("#my-followups tbody tr").count() == 2
    phone.shot("shell-officer-home-phone")


def test_a_page_outside_the_officers_area_says_so_in_thai_on_a_phone(phone):
    """Another district's page is a 404 (scope), shown as the portal's own page in Thai."""
    page = phone.login("phuwiang-officer1")
    response = page.goto(f"{phone.server.url}/districts/4001/")
    assert response.status == 404
    assert "ไม่พบหน้านี้" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("shell-not-found-phone")
    page.click("main >> text=หน้าหลัก")
    page.wait_for_selector("text=งานของฉัน")


def test_an_officer_changes_their_password_on_a_phone(phone):
    page = phone.login("phuwiang-officer1")
    page.click(".navbar-toggler")
    page.click("#account-menu")  # the account's own menu: name, role, password, log out
    page.click("text=เปลี่ยนรหัสผ่าน")
    page.wait_for_selector("#id_old_password")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_old_password", "sammachip-demo")
    page.fill("#id_new_password1", "ภูเวียง-2560-ใหม่")
    page.fill("#id_new_password2", "ภูเวียง-2560-ใหม่")
    phone.shot("password-change-phone")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=เปลี่ยนรหัสผ่านแล้ว")
    phone.context.clear_cookies()
    page = phone.login("phuwiang-officer1", password="ภูเวียง-2560-ใหม่")
    assert "/accounts/login/" not in page.url
