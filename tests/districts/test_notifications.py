"""Notifications: one per event and person, in the portal and on LINE (a local stand-in for
LINE's API records what it is sent), by the worker, retried, never twice, never to someone
the event is not for."""

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts.notify import delivery, services
from districts.notify.models import Delivery, Kind, LineLink, Notification, Status
from fieldwork.models import FieldVisit
from tests.factories import OfficerFactory, UserFactory
from tests.line_standin import signature

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def daytime(monkeypatch):
    """Outside the quiet hours, whatever the clock of the machine says (tested apart)."""
    monkeypatch.setattr(services, "quiet_until", lambda now: None)


def linked(officer, line_user_id):
    LineLink.objects.create(user=officer.user, line_user_id=line_user_id, linked_at=timezone.now())
    return officer


@pytest.fixture
def visit(area_a, officer_a):
    ensure_default_stages(Stage)
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    return FieldVisit.objects.create(
        target=target,
        officer=officer_a,
        stage=Stage.objects.first(),
        date=dt.date(2017, 6, 1),
        activity="ประชุมกลุ่ม",
    )


def give_advice(client, head, visit, capture, text="ควรชวนครัวเรือนข้างเคียง", **more):
    client.force_login(head.user)
    with capture(execute=True):
        response = client.post(
            reverse("fieldwork:visit_advice", args=[visit.pk]), {"text": text, **more}
        )
    assert response.status_code == 302
    return response


def test_advice_on_a_visit_notifies_its_officer_once_in_the_portal_and_on_line(
    client, line_api, visit, officer_a, head_a, officer_b, django_capture_on_commit_callbacks
):
    linked(officer_a, "U-officer-a")
    linked(head_a, "U-head-a")
    linked(officer_b, "U-officer-b")
    give_advice(client, head_a, visit, django_capture_on_commit_callbacks)

    assert Notification.objects.count() == 1
    notification = Notification.objects.get()
    assert notification.user == officer_a.user
    assert notification.kind == Kind.ADVICE
    assert "ควรชวนครัวเรือนข้างเคียง" in notification.text
    assert notification.url == reverse("fieldwork:visit_detail", args=[visit.pk])

    assert len(line_api.received) == 1
    push = line_api.pushes[0]
    assert push.body["to"] == "U-officer-a"
    text = push.body["messages"][0]["text"]
    assert visit.target.village.name_th in text
    assert f"https://sammachip.example/notifications/{notification.pk}/" in text
    assert push.headers["Authorization"] == "Bearer test-access-token"
    sent = Delivery.objects.get()
    assert (sent.channel, sent.status, sent.attempts) == ("line", Status.SENT, 1)
    assert push.headers["X-Line-Retry-Key"] == str(sent.retry_key)


def test_needs_more_says_so(
    client, line_api, visit, officer_a, head_a, django_capture_on_commit_callbacks
):
    linked(officer_a, "U-officer-a")
    give_advice(
        client,
        head_a,
        visit,
        django_capture_on_commit_callbacks,
        needs_more="on",
        needs_more_reason="รูปถ่าย",
    )
    assert "ขอข้อมูลเพิ่ม" in Notification.objects.get().text


def test_a_line_failure_is_retried_and_sent_once(
    client, line_api, visit, officer_a, head_a, django_capture_on_commit_callbacks
):
    linked(officer_a, "U-officer-a")
    line_api.fail_next = [500]
    give_advice(client, head_a, visit, django_capture_on_commit_callbacks)

    failed = Delivery.objects.get()
    assert failed.status == Status.PENDING and failed.sent_at is None
    assert failed.attempts == 1 and "500" in failed.last_error
    assert failed.not_before > timezone.now()  # waits its backoff
    assert delivery.send_due() == {}  # not yet due: nothing tried
    assert len(line_api.received) == 1

    later = timezone.now() + dt.timedelta(minutes=2)
    assert delivery.send_due(now=later) == {"sent": 1}
    sent = Delivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_error) == (Status.SENT, 2, "")
    assert [r.status for r in line_api.received] == [500, 200]
    assert {r.headers["X-Line-Retry-Key"] for r in line_api.received} == {str(sent.retry_key)}

    # the worker's task run again, the sweep again: nothing more goes out
    assert delivery.deliver(sent.pk, now=later) == "done"
    assert delivery.send_due(now=later + dt.timedelta(hours=1)) == {}
    assert len(line_api.pushes) == 1


def test_a_delivery_failing_every_time_is_given_up_and_recorded(
    client, line_api, visit, officer_a, head_a, django_capture_on_commit_callbacks
):
    linked(officer_a, "U-officer-a")
    line_api.fail_next = [500] * delivery.MAX_ATTEMPTS
    give_advice(client, head_a, visit, django_capture_on_commit_callbacks)
    for hours in range(1, delivery.MAX_ATTEMPTS + 2):
        delivery.send_due(now=timezone.now() + dt.timedelta(hours=3 * hours))
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts) == (Status.FAILED, delivery.MAX_ATTEMPTS)
    assert len(line_api.received) == delivery.MAX_ATTEMPTS


def test_the_same_event_sent_again_is_one_notification(line_api, officer_a):
    linked(officer_a, "U-officer-a")
    for _ in range(2):
        services.send([officer_a], Kind.ORDER, "คำสั่ง", "/", key="order:1")
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(client, line_api, officer_a):
    link = services.line_link_start(user=officer_a.user)
    body = json.dumps(
        {
            "destination": "Ubot",
            "events": [
                {
                    "type": "message",
                    "mode": "active",
                    "timestamp": 1700000000000,
                    "webhookEventId": "e1",
                    "deliveryContext": {"isRedelivery": False},
                    "replyToken": "r",
                    "source": {"type": "user", "userId": "U-officer-a"},
                    "message": {"type": "text", "id": "m1", "quoteToken": "q", "text": link.code},
                }
            ],
        }
    ).encode()
    url = reverse("notify:line_webhook")
    for bad in ("", signature(body, "another-secret")):
        response = client.post(
            url, body, content_type="application/json", headers={"X-Line-Signature": bad}
        )
        assert response.status_code == 400
        link.refresh_from_db()
        assert link.line_user_id == "" and link.code
    # signed with the channel's secret, the code links the account
    response = client.post(
        url, body, content_type="application/json", headers={"X-Line-Signature": signature(body)}
    )
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.line_user_id == "U-officer-a" and link.code == "" and link.linked_at


def _event(kind, user_id):
    return {
        "type": kind,
        "mode": "active",
        "timestamp": 1700000000000,
        "webhookEventId": f"e-{kind}",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user_id},
        **({"replyToken": "r"} if kind == "follow" else {}),
        **({"follow": {"isUnblocked": True}} if kind == "follow" else {}),
    }


def test_unfollowing_stops_pushes_and_following_again_restores_them(client, line_api, officer_a):
    linked(officer_a, "U-officer-a")
    for kind, blocked in (("unfollow", True), ("follow", False)):
        body = json.dumps({"destination": "Ubot", "events": [_event(kind, "U-officer-a")]})
        response = client.post(
            reverse("notify:line_webhook"),
            body,
            content_type="application/json",
            headers={"X-Line-Signature": signature(body.encode())},
        )
        assert response.status_code == 200
        assert LineLink.objects.get().blocked is blocked
        if blocked:
            services.send([officer_a], Kind.ORDER, "คำสั่ง", "/", key="order:blocked")
            assert not Delivery.objects.filter(channel="line").exists()


def test_unlinking_stops_pushes(
    client, line_api, visit, officer_a, head_a, django_capture_on_commit_callbacks
):
    linked(officer_a, "U-officer-a")
    client.force_login(officer_a.user)
    assert client.post(reverse("notify:line_unlink")).status_code == 302
    assert LineLink.objects.get().line_user_id == ""

    give_advice(client, head_a, visit, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(user=officer_a.user).count() == 1  # still in the portal
    assert not Delivery.objects.filter(channel="line").exists()
    assert line_api.received == []


def test_the_link_code_page_links_through_the_official_account(client, line_api, officer_a):
    client.force_login(officer_a.user)
    client.post(reverse("notify:line_code"))
    link = LineLink.objects.get(user=officer_a.user)
    page = client.get(reverse("notify:settings")).content.decode()
    assert link.code in page
    assert services.line_link_by_code(code=link.code.lower(), line_user_id="U1") == link
    # a code is used once
    assert services.line_link_by_code(code=link.code, line_user_id="U2") is None


def test_an_officer_who_left_the_district_is_sent_nothing_of_it(
    client, line_api, visit, officer_a, head_a, area_b, django_capture_on_commit_callbacks
):
    linked(officer_a, "U-officer-a")
    services.send(
        [officer_a], Kind.ORDER, "คำสั่ง", "/", key="order:held", district=visit.target.district_id
    )
    officer_a.is_active = False
    officer_a.save()
    give_advice(client, head_a, visit, django_capture_on_commit_callbacks)
    assert list(Notification.objects.values_list("key", flat=True)) == ["order:held"]
    # what was queued for them before they left is not sent either
    assert delivery.send_due(now=timezone.now() + dt.timedelta(minutes=1)) == {"skipped": 1}
    assert line_api.received == []


def test_email_is_the_fallback_without_line(settings, officer_a):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer_a.user.email = "officer@example.org"
    officer_a.user.save()
    services.send([officer_a], Kind.ORDER, "มีคำสั่งใหม่", "/", key="order:mail")
    assert delivery.send_due() == {"sent": 1}
    assert len(mail.outbox) == 1
    assert "มีคำสั่งใหม่" in mail.outbox[0].body
    assert "/notifications/" in mail.outbox[0].body


def test_choices_per_kind_are_kept(client, line_api, officer_a):
    linked(officer_a, "U-officer-a")
    client.force_login(officer_a.user)
    data = {f"line_{k.value}": "on" for k in Kind if k != Kind.ORDER}
    assert client.post(reverse("notify:settings"), data).status_code == 302
    services.send([officer_a], Kind.ORDER, "คำสั่ง", "/", key="order:2")
    services.send([officer_a], Kind.FORUM, "เวที", "/", key="forum:2")
    assert list(Delivery.objects.values_list("notification__kind", "channel")) == [
        ("forum", "line")
    ]


def test_line_waits_for_the_morning_in_quiet_hours_unless_urgent(monkeypatch, line_api, officer_a):
    night = dt.datetime(2026, 12, 4, 23, 30, tzinfo=BANGKOK)
    morning = dt.datetime(2026, 12, 5, 7, 0, tzinfo=BANGKOK)
    assert dt.time(21) == services.QUIET_FROM
    monkeypatch.undo()  # the real rule
    assert services.quiet_until(night) == morning
    assert services.quiet_until(dt.datetime(2026, 12, 5, 6, 59, tzinfo=BANGKOK)) == morning
    assert services.quiet_until(dt.datetime(2026, 12, 5, 7, 0, tzinfo=BANGKOK)) is None
    assert services.quiet_until(dt.datetime(2026, 12, 5, 20, 59, tzinfo=BANGKOK)) is None

    monkeypatch.setattr(services, "quiet_until", lambda now: morning)
    linked(officer_a, "U-officer-a")
    services.send([officer_a], Kind.ORDER, "คำสั่ง", "/", key="order:night")
    services.send([officer_a], Kind.ORDER, "ด่วน", "/", key="order:urgent", urgent=True)
    held = Delivery.objects.get(notification__key="order:night")
    assert held.not_before == morning
    assert delivery.send_due(now=morning - dt.timedelta(minutes=1)) == {"sent": 1}  # urgent
    assert delivery.send_due(now=morning) == {"sent": 1}
    assert [p.body["messages"][0]["text"].split("\n")[0] for p in line_api.pushes] == [
        "ด่วน",
        "คำสั่ง",
    ]


def test_the_daily_digest_groups_overdue_villages(
    line_api, area_a, officer_a, head_a, django_capture_on_commit_callbacks
):
    ensure_default_stages(Stage)
    for target in area_a.targets[:3]:
        VillageAssignment.objects.create(target=target, officer=officer_a)
    linked(officer_a, "U-officer-a")
    linked(head_a, "U-head-a")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_overdue", "--year", "2560", stdout=out)
    assert "2 summaries sent" in out.getvalue()
    mine = Notification.objects.get(user=officer_a.user)
    assert mine.kind == Kind.OVERDUE
    for target in area_a.targets[:3]:
        assert target.village.name_th in mine.text
    assert "เลยกำหนดลงพื้นที่ 3 หมู่บ้าน" in mine.text
    heads = Notification.objects.get(user=head_a.user)
    # every target of the district, assigned or not
    assert f"เลยกำหนดลงพื้นที่ {len(area_a.targets)} หมู่บ้าน" in heads.text
    assert sorted(p.body["to"] for p in line_api.pushes) == ["U-head-a", "U-officer-a"]

    # the same morning again: nothing more; a dry run writes nothing
    call_command("notify_overdue", "--year", "2560", stdout=out)
    call_command("notify_overdue", "--year", "2560", "--dry-run", stdout=out)
    assert Notification.objects.count() == 2
    assert len(line_api.pushes) == 2


# --- In the portal ---------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, officer_a, visit):
    [n] = services.send([officer_a], Kind.ADVICE, "คำแนะนำ", f"/visits/{visit.pk}/", key="a:1")
    client.force_login(officer_a.user)
    assert 'id="unread-count">1<' in client.get(reverse("notify:list")).content.decode()
    response = client.get(reverse("notify:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == f"/visits/{visit.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert 'id="unread-count"' not in client.get(reverse("notify:list")).content.decode()


def test_a_link_elsewhere_is_not_followed(client, officer_a):
    [n] = services.send([officer_a], Kind.ORDER, "x", "//evil.example/x", key="evil")
    client.force_login(officer_a.user)
    response = client.get(reverse("notify:open", args=[n.pk]))
    assert response["Location"] == reverse("notify:list")


def test_nobody_opens_or_marks_another_persons_notification(client, officer_a, head_a, officer_b):
    [n] = services.send([officer_a], Kind.ORDER, "ของ ก", "/", key="k")
    for other in (head_a, officer_b):
        client.force_login(other.user)
        assert client.get(reverse("notify:open", args=[n.pk])).status_code == 404
        assert "ของ ก" not in client.get(reverse("notify:list")).content.decode()
        client.post(reverse("notify:read_all"))
    n.refresh_from_db()
    assert n.read_at is None


def test_the_list_runs_the_same_queries_for_more_notifications(
    login, officer_a, django_assert_num_queries
):
    client = login(officer_a)
    for count in (1, 25):
        for i in range(count):
            services.send([officer_a], Kind.ORDER, f"ข้อ {i}", "/", key=f"n{count}:{i}")
        # session, user (with the unread count), count for the pages, the page of them, the
        # officer profile (the menu's)
        with django_assert_num_queries(5):
            response = client.get(reverse("notify:list"))
        assert response.status_code == 200


def test_the_navigation_bar_count_costs_no_query(login, officer_a, django_assert_num_queries):
    client = login(officer_a)
    url = reverse("notify:settings")
    client.get(url)
    # session, user (with the unread count), preferences, LINE link, officer (the menu's)
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert 'id="unread-count"' not in page
    for i in range(3):
        services.send([officer_a], Kind.ORDER, f"ข้อ {i}", "/", key=f"nav:{i}")
    with django_assert_num_queries(5):
        page = client.get(url).content.decode()
    assert 'id="unread-count">3<' in page


def test_a_session_begun_with_djangos_backend_stays_logged_in_with_its_count(client, officer_a):
    """Sessions from before the counting backend name Django's own: no one is logged out by
    the deploy that brought notifications, and their badge is still right."""
    client.force_login(officer_a.user, backend="django.contrib.auth.backends.ModelBackend")
    services.send([officer_a], Kind.ORDER, "คำสั่ง", "/", key="old-session")
    response = client.get(reverse("notify:settings"))
    assert response.status_code == 200
    assert 'id="unread-count">1<' in response.content.decode()


def test_the_count_is_live_on_a_page_whose_body_is_kept(login, officer_a, visit):
    """The officer's home keeps its body in the cache (districts/fragments.py) under the
    district's change count, which a notification does not move: the bar is outside it."""
    client = login(officer_a)
    assert 'id="unread-count"' not in client.get("/").content.decode()
    services.send([officer_a], Kind.ORDER, "คำสั่ง", "/", key="live")
    assert 'id="unread-count">1<' in client.get("/").content.decode()


def test_old_notifications_are_cleaned_after_90_days(officer_a):
    [old] = services.send([officer_a], Kind.ORDER, "เก่า", "/", key="old")
    services.send([officer_a], Kind.ORDER, "ใหม่", "/", key="new")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=91))
    out = StringIO()
    call_command("clean_notifications", "--dry-run", stdout=out)
    assert Notification.objects.count() == 2
    call_command("clean_notifications", stdout=out)
    call_command("clean_notifications", stdout=out)
    assert list(Notification.objects.values_list("key", flat=True)) == ["new"]
    assert "1 notifications would be deleted" in out.getvalue()


def test_a_user_without_staff_profile_is_told_of_district_free_events(officer_a):
    staff = UserFactory(username="prov-x")
    OfficerFactory(user=staff, role="province", district=None, province=officer_a.district.province)
    assert len(services.send([staff], Kind.IMPORT, "นำเข้าแล้ว", "/", key="imp")) == 1


def test_without_line_set_up_the_page_offers_email_only_and_keeps_line_choices(
    client, settings, officer_a
):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    officer_a.user.email = ""
    officer_a.user.save()
    client.force_login(officer_a.user)
    page = client.get(reverse("notify:settings")).content.decode()
    assert 'name="line_advice"' not in page and "checked" not in page  # no address, no email
    client.post(reverse("notify:settings"), {"email_advice": "on"})
    pref = officer_a.user.notification_preferences.get(kind="advice")
    assert (pref.line, pref.email) == (True, True)
