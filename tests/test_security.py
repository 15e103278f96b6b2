"""Login lockout, sessions, security headers, production settings, the audit trail."""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from assignments import services
from assignments.models import VillageAssignment
from districts.models import Officer, Role, User
from sammachip.views import AUDITED
from tests.factories import PASSWORD, OfficerFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]


def login_post(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_username_from_that_address(client, officer_a):
    for _ in range(4):
        assert login_post(client, "officer-a", "wrong").status_code == 200
    assert login_post(client, "officer-a", "wrong").status_code == 429  # the fifth locks
    locked = login_post(client, "officer-a", PASSWORD)
    assert locked.status_code == 429
    assert "ระงับ 30 นาที" in locked.content.decode()
    # the same officer from another computer, and a colleague from this one, still log in
    assert login_post(client, "officer-a", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    UserFactory(username="colleague")
    assert login_post(client, "colleague", PASSWORD).status_code == 302


def test_behind_a_proxy_one_clients_wrong_passwords_lock_only_that_client(
    client, officer_a, settings
):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.254"  # every request arrives from nginx

    def through_proxy(password, forwarded_for):
        return client.post(
            "/accounts/login/",
            {"username": "officer-a", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(5):
        through_proxy("wrong", "203.0.113.5")
    assert through_proxy(PASSWORD, "203.0.113.5").status_code == 429
    # what the locked client puts in front of the proxy's own entry changes nothing
    assert through_proxy(PASSWORD, "198.51.100.1, 203.0.113.5").status_code == 429
    # the officer from another address behind the same proxy is not locked out
    assert through_proxy(PASSWORD, "203.0.113.6").status_code == 302


def test_a_login_starts_a_new_session(client, officer_a):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    assert login_post(client, "officer-a", PASSWORD).status_code == 302
    assert client.session.session_key != before


def test_a_session_ends_after_two_hours_without_a_request(login, officer_a, settings):
    client = login(officer_a)
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    session = client.session
    session["_touched"] = int(time.time()) - 600  # ten minutes idle
    session.save()
    # as stored ten minutes ago (saving above wrote a fresh expiry itself)
    stored = Session.objects.filter(pk=session.session_key)
    stored.update(expire_date=timezone.now() + dt.timedelta(seconds=2 * 60 * 60 - 600))
    client.get("/")
    # the sliding middleware renewed the expiry: two hours from now, not from the last save
    # (the stored row's date: get_expiry_age() reads the setting, whatever was saved)
    assert stored.get().expire_date > timezone.now() + dt.timedelta(seconds=2 * 60 * 60 - 60)
    assert client.session["_touched"] > int(time.time()) - 5


def test_strong_passwords_are_required():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("sammachip", "1234567890", "password123"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_what_a_logged_in_person_is_sent_is_never_stored_by_a_browser_or_proxy(
    login, head_a, area_a
):
    client = login(head_a)
    for url in (
        "/districts/4016/",
        "/districts/4016/households/",
        "/districts/4016/assignments/?year=2560",
        "/districts/4016/visits/export.xlsx?year=2560",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_every_response_allows_position_and_camera_to_the_portal_itself_only(client, db):
    for url in ("/accounts/login/", "/", "/healthz"):
        policy = client.get(url).headers["Permissions-Policy"]
        assert "geolocation=(self)" in policy and "camera=(self)" in policy
        assert "microphone=()" in policy


def test_production_settings_pass_djangos_deploy_checks():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "sammachip.settings",
        "PRODUCTION": "true",
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "sammachip.example.go.th",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_in_debug():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "sammachip.settings",
        "PRODUCTION": "true",
        "DEBUG": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "PRODUCTION=true needs DEBUG=false" in result.stderr


def test_changes_to_assignments_and_accounts_are_in_the_audit_trail(
    login, area_a, head_a, officer_a
):
    services.assignment_change(
        district=area_a.district,
        target_ids=[area_a.targets[0].pk],
        officer=officer_a,
        actor=head_a.user,
    )
    record = VillageAssignment.history.latest("history_date")
    assert record.history_user == head_a.user and record.history_type == "+"
    officer_a.position = "ตำแหน่งใหม่"
    officer_a.save()
    assert Officer.history.filter(id=officer_a.pk).count() >= 2


def test_the_support_role_reads_the_audit_log_and_no_programme_data(
    login, area_a, head_a, officer_a
):
    support = Officer.objects.create(user=UserFactory(username="support"), role=Role.SUPPORT)
    target = area_a.targets[0]
    changed = services.assignment_change(
        district=area_a.district, target_ids=[target.pk], officer=officer_a, actor=head_a.user
    )
    # a real change for the log to show: giving an unassigned village to nobody leaves no record
    assert changed == 1
    record = VillageAssignment.history.get(target=target)
    client = login(support)
    assert client.get("/").status_code == 302
    page = client.get("/audit/")
    assert page.status_code == 200 and "บันทึกการเปลี่ยนแปลง" in page.content.decode()
    # the head's change is in the support role's log, with who made it
    key = (list(AUDITED).index(VillageAssignment), record.history_id)
    entry = next(e for e in page.context["entries"] if e["key"][1:] == key)
    assert entry["who"] == head_a.user and entry["id"] == record.id
    assert head_a.user.display_name in page.content.decode()
    # its menu leads to the accounts it keeps, not to programme pages it cannot read
    assert 'href="/admin/districts/user/"' in page.content.decode()
    assert 'href="/sages/"' not in page.content.decode()
    assert client.get("/districts/4016/").status_code == 404
    assert client.get(f"/targets/{area_a.targets[0].pk}/").status_code == 404


def test_the_audit_log_names_each_record_and_a_login_is_no_change(
    login, area_a, head_a, officer_a, admin_user, django_assert_num_queries
):
    from django.test import Client

    target = area_a.targets[0]
    services.assignment_change(
        district=area_a.district, target_ids=[target.pk], officer=officer_a, actor=head_a.user
    )
    logins = User.history.count()
    assert login_post(Client(), "officer-a", PASSWORD).status_code == 302
    officer_a.user.refresh_from_db()
    assert officer_a.user.last_login is not None  # still recorded, on the user
    assert User.history.count() == logins  # but no "changed" row in the log per login
    client = login(admin_user)
    # session, user (a superuser: no officer profile to look up), one query per kind
    with django_assert_num_queries(2 + len(AUDITED)):
        page = client.get("/audit/").content.decode()
    assignment = f"{target.village.name} หมู่ที่ {target.village.moo} (2560) → "
    assert assignment + officer_a.user.display_name in page
    assert head_a.user.display_name in page


def test_the_support_role_sees_account_names_only_and_a_gone_row_breaks_nothing(
    login, area_a, admin_user
):
    from fieldwork.models import Household

    support = Officer.objects.create(user=UserFactory(username="support"), role=Role.SUPPORT)
    Household.objects.create(target=area_a.targets[0], head_name="นายลับมาก ในหมู่บ้าน", livelihood="x")
    leaving = OfficerFactory(district=area_a.district, user=UserFactory(first_name="ผู้ลาออก"))
    leaving.position = "นักพัฒนาชุมชน"
    leaving.save()
    page = login(support).get("/audit/").content.decode()
    assert "นายลับมาก" not in page  # a villager: programme data, not the support role's
    assert "ผู้ลาออก" in page  # an account it keeps
    assert "นายลับมาก" in login(admin_user).get("/audit/").content.decode()

    User.objects.filter(pk=leaving.user_id).delete()  # the officer's user row is gone
    response = login(admin_user).get("/audit/?kind=officer")
    assert response.status_code == 200
    assert f"เจ้าหน้าที่ #{leaving.pk}" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=5)
def test_lockout_is_told_in_thai_on_the_login_page(client, officer_a):
    for _ in range(6):
        response = login_post(client, "officer-a", "wrong")
    assert "ลองเข้าสู่ระบบหลายครั้งเกินไป" in response.content.decode()


def test_the_audit_log_pages_through_every_change_once_and_filters_by_kind(
    login, area_a, head_a, admin_user, django_assert_num_queries
):
    at = timezone.now()  # an import writes many records at one instant
    for officer in OfficerFactory.create_batch(40, district=area_a.district):
        officer.position = "นักพัฒนาชุมชน"
        officer.save()
    Officer.history.update(history_date=at)
    User.history.update(history_date=at)
    expected = {("officer", pk) for pk in Officer.history.values_list("history_id", flat=True)}
    expected |= {("user", pk) for pk in User.history.values_list("history_id", flat=True)}
    client = login(admin_user)
    seen, url, pages = [], "/audit/", 0
    while url and pages < 20:
        # session, user (a superuser: the auditor check needs no officer profile), then
        # one query per kind of record
        with django_assert_num_queries(2 + len(AUDITED)):
            response = client.get(url)
        pages += 1
        seen += [e["key"] for e in response.context["entries"]]
        url = f"/audit/?before={response.context['older']}" if response.context["older"] else ""
    assert 1 < pages < 20
    assert seen == sorted(seen, reverse=True)  # newest first across the pages
    kinds = list(AUDITED)
    pairs = [(kinds[index]._meta.model_name, history_id) for _, index, history_id in seen]
    assert len(pairs) == len(set(pairs)) and expected <= set(pairs)  # once each, none missed

    only = client.get("/audit/?kind=officer")
    assert {str(e["what"]) for e in only.context["entries"]} == {"เจ้าหน้าที่"}
    text = only.content.decode()
    assert "สร้าง" in text and "Created" not in text and "Changed" not in text


@pytest.mark.parametrize(
    "referer",
    [
        "http://testserver//evil.example/x",
        "http://testserver/\\evil.example/x",
        "http://evil.example/targets/1/",
    ],
)
def test_a_redirect_back_never_leaves_the_site(rf, referer):
    """F12: the path of this site's address //evil.example/x is another site's address to a
    browser; the page a form came from is used only when it is this site's."""
    from districts.access import referring_page

    request = rf.post("/team/1/delete/", HTTP_REFERER=referer)
    assert referring_page(request, "/") == "/"


def test_a_redirect_back_keeps_this_sites_page_and_query(rf):
    from districts.access import referring_page

    request = rf.post("/x/", HTTP_REFERER="http://testserver/targets/7/?year=2560")
    assert referring_page(request, "/") == "/targets/7/?year=2560"


def test_a_nul_character_in_a_request_is_a_bad_request_in_thai(login, head_a):
    """PostgreSQL refuses a NUL in any text it is given: a search for one was a 500."""
    client = login(head_a)
    for response in (
        client.get("/sages/", {"q": "ทอ\x00ผ้า"}),
        client.get("/districts/4016/households/", {"tambon": "1\x00"}),
        client.post("/districts/4016/partners/new/", {"name": "ภาคี\x00"}),
    ):
        assert response.status_code == 400
        assert "อ่านคำขอนี้ไม่ได้" in response.content.decode()
    assert client.get("/sages/", {"q": "ทอผ้า"}).status_code == 200
