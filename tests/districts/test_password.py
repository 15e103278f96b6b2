"""Every user changes their own password from the portal, in Thai, without the admin."""

from django.test import Client

OLD, NEW = "old-password-2560", "ใหม่-password-2561"


def test_an_officer_changes_their_password(login, officer_a):
    officer_a.user.set_password(OLD)
    officer_a.user.save()
    other_device = Client()
    other_device.force_login(officer_a.user)
    client = login(officer_a)
    home = client.get("/").content.decode()
    assert 'href="/accounts/password/"' in home and "เปลี่ยนรหัสผ่าน" in home
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "รหัสผ่านเก่า" in page.content.decode()

    response = client.post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert "เปลี่ยนรหัสผ่านแล้ว" in client.get(response["Location"]).content.decode()
    officer_a.user.refresh_from_db()
    assert officer_a.user.check_password(NEW)
    assert client.get("/").status_code == 200  # still logged in here
    assert other_device.get("/").status_code == 302  # and asked again elsewhere


def test_a_wrong_present_password_is_told_in_thai_and_nothing_changes(login, officer_a):
    officer_a.user.set_password(OLD)
    officer_a.user.save()
    response = login(officer_a).post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "ใส่รหัสผ่านเก่าผิด" in response.content.decode()
    officer_a.user.refresh_from_db()
    assert officer_a.user.check_password(OLD)


def test_a_weak_new_password_is_refused_with_the_rules_in_thai(login, officer_a):
    officer_a.user.set_password(OLD)
    officer_a.user.save()
    response = login(officer_a).post(
        "/accounts/password/",
        {"old_password": OLD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "สั้นเกินไป" in text
    officer_a.user.refresh_from_db()
    assert officer_a.user.check_password(OLD)


def test_the_password_page_needs_a_login():
    response = Client().get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
