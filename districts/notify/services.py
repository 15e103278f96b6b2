"""Sending a notification: one per event and person, a delivery per channel they want,
handed to the worker once the transaction that made the event has committed."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from districts.models import Officer, User
from districts.notify.models import (
    Channel,
    Delivery,
    Kind,
    LineLink,
    Notification,
    NotificationPreference,
)

BANGKOK = ZoneInfo("Asia/Bangkok")
# No LINE message from 21:00 to 07:00 Bangkok time unless urgent: held until 07:00.
QUIET_FROM, QUIET_UNTIL = dt.time(21, 0), dt.time(7, 0)
LINK_CODE_MINUTES = 30
KEPT_DAYS = 90


def quiet_until(now: dt.datetime) -> dt.datetime | None:
    """07:00 Bangkok after ``now`` when ``now`` falls in the quiet hours, else None."""
    local = now.astimezone(BANGKOK)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, QUIET_UNTIL, tzinfo=BANGKOK)


def line_enabled() -> bool:
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN)


def _user_ids(users: Iterable) -> set[int]:
    return {u.user_id if isinstance(u, Officer) else u.pk for u in users}


def recipients(user_ids, district_id: str | None):
    """The users still concerned: active, and, for a district's event, active staff of that
    district (an officer who left it, or was switched off, is sent nothing of it)."""
    users = User.objects.filter(pk__in=user_ids, is_active=True)
    if district_id:
        users = users.filter(officer__is_active=True, officer__district_id=district_id)
    return users


def _channels(user, prefs: dict[str, NotificationPreference], kind: str) -> list[str]:
    link = getattr(user, "line_link", None)
    on_line = bool(link and link.linked and not link.blocked and line_enabled())
    pref = prefs.get(kind)
    wanted = []
    if on_line and (pref is None or pref.line):
        wanted.append(Channel.LINE)
    # email: what the person chose, else only as the fallback of someone not on LINE
    if user.email and (pref.email if pref is not None else not on_line):
        wanted.append(Channel.EMAIL)
    return wanted


@transaction.atomic
def send(
    users: Iterable,
    kind: Kind | str,
    text,
    url: str,
    *,
    key: str,
    district=None,
    urgent: bool = False,
) -> list[Notification]:
    """Tell ``users`` (users or officers) of an event: a notification in the portal and a
    delivery on each channel they want. ``key`` names the event: a person gets one
    notification per key, whoever sends it again. ``text`` may be lazy: it is written in
    each person's language. ``url`` is a page of the portal. Returns the new notifications.
    """
    district_id = getattr(district, "pk", district)
    ids = _user_ids(users)
    if not ids:
        return []
    people = list(
        recipients(ids, district_id)
        .exclude(notifications__key=key)
        .select_related("line_link")
        .prefetch_related("notification_preferences")
    )
    now = timezone.now()
    held = quiet_until(now)
    made, deliveries = [], []
    for user in people:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            body = str(text)[:500]
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={
                "kind": kind,
                "text": body,
                "url": url,
                "district_id": district_id,
                "urgent": urgent,
            },
        )
        if not created:  # sent at the same moment by another transaction
            continue
        made.append(notification)
        prefs = {p.kind: p for p in user.notification_preferences.all()}
        for channel in _channels(user, prefs, kind):
            not_before = held if channel == Channel.LINE and held and not urgent else now
            deliveries.append(
                Delivery(notification=notification, channel=channel, not_before=not_before)
            )
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        transaction.on_commit(partial(enqueue, [d.pk for d in deliveries]))
    return made


def enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to the worker, each to run when it is due (a backend that cannot wait,
    as the tests' runs at once, leaves a held one to ``manage.py send_notifications``)."""
    from districts.notify import tasks

    now = timezone.now()
    for pk, not_before in Delivery.objects.filter(pk__in=delivery_ids).values_list(
        "pk", "not_before"
    ):
        task = tasks.deliver
        if not_before > now:
            if not task.get_backend().supports_defer:
                continue
            task = task.using(run_after=not_before)
        task.enqueue(pk)


# --- The person's own: reading, preferences and the LINE link -------------------------------


@transaction.atomic
def notification_open(*, notification: Notification, user) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionError("not the person's notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    """``choices``: for each kind, (on LINE, by email)."""
    for kind, (line, email) in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=Kind(kind), defaults={"line": line, "email": email}
        )


# Letters and digits nobody mistakes for another on a phone (no 0/O, 1/I/L)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@transaction.atomic
def line_link_start(*, user) -> LineLink:
    """A new one-time code for ``user`` to send to the Official Account."""
    link, _ = LineLink.objects.select_for_update().get_or_create(user=user)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not LineLink.objects.filter(code=code).exists():
            break
    link.code = code
    link.code_expires = timezone.now() + dt.timedelta(minutes=LINK_CODE_MINUTES)
    link.save(update_fields=["code", "code_expires"])
    return link


@transaction.atomic
def line_link_by_code(*, code: str, line_user_id: str) -> LineLink | None:
    """The webhook received ``code`` from ``line_user_id``: the link it was given for, now
    linked; None when no live code matches. A LINE account is linked to one user."""
    code = code.strip().upper().replace(" ", "")
    if not code or len(code) > 12:
        return None
    link = (
        LineLink.objects.select_for_update()
        .filter(code=code, code_expires__gt=timezone.now())
        .first()
    )
    if link is None:
        return None
    LineLink.objects.filter(line_user_id=line_user_id).exclude(pk=link.pk).update(
        line_user_id="", linked_at=None
    )
    link.line_user_id = line_user_id
    link.code, link.code_expires = "", None
    link.linked_at = timezone.now()
    link.blocked = False
    link.save()
    return link


@transaction.atomic
def line_unlink(*, user) -> None:
    """Unlinked: nothing more goes to that LINE account, held messages included."""
    LineLink.objects.filter(user=user).update(
        line_user_id="", linked_at=None, code="", code_expires=None
    )
    Delivery.objects.filter(notification__user=user, channel=Channel.LINE, status="pending").update(
        status="skipped", last_error="unlinked"
    )


@transaction.atomic
def line_follow(*, line_user_id: str, following: bool) -> int:
    """The account followed (again) or unfollowed (blocked) the Official Account."""
    return LineLink.objects.filter(line_user_id=line_user_id).update(blocked=not following)


@transaction.atomic
def notifications_clean(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Notifications older than 90 days are deleted, with their deliveries."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEPT_DAYS)
    old = Notification.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return old.count()
    return old.delete()[1].get(Notification._meta.label, 0)
