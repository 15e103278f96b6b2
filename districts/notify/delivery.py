"""Sending one delivery, in the worker: tried, recorded, retried later with backoff."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from districts.models import Officer
from districts.notify import line
from districts.notify.models import Channel, Delivery, LineLink, Status

# Waits before the 2nd, 3rd, 4th and 5th tries; a delivery failing five times is given up.
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 30, 120)]
MAX_ATTEMPTS = len(BACKOFF) + 1


def link_of(notification) -> str:
    """The absolute address that opens the notification (and marks it read)."""
    path = reverse("notify:open", kwargs={"pk": notification.pk})
    return settings.SITE_URL.rstrip("/") + path


def _still_concerned(notification) -> bool:
    user = notification.user
    if not user.is_active:
        return False
    if notification.district_id is None:
        return True
    return Officer.objects.filter(
        user=user, is_active=True, district_id=notification.district_id
    ).exists()


def _send(delivery: Delivery) -> str:
    """Send; returns why it was not sent ('' when sent). Raises when the channel failed."""
    notification = delivery.notification
    user = notification.user
    if delivery.channel == Channel.LINE:
        link = LineLink.objects.filter(user=user).first()
        if link is None or not link.linked or link.blocked:
            return "not linked"
        line.push(
            link.line_user_id,
            f"{notification.text}\n{link_of(notification)}",
            retry_key=str(delivery.retry_key),
        )
        return ""
    if not user.email:
        return "no email address"
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("Sammachip portal: %(text)s") % {"text": notification.text[:60]}
    send_mail(
        subject,
        f"{notification.text}\n\n{link_of(notification)}\n",
        None,
        [user.email],
    )
    return ""


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Try a pending delivery that is due; returns its status after (or 'held', 'done').
    The row stays locked while sending, so the worker and the sweep never send one twice."""
    now = now or timezone.now()
    retry_at = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__user")
            .filter(pk=delivery_id, status=Status.PENDING)
            .first()
        )
        if delivery is None:
            return "done"
        if delivery.not_before > now:
            return "held"
        if not _still_concerned(delivery.notification):
            delivery.status = Status.SKIPPED
            delivery.last_error = "no longer concerned"
            delivery.save(update_fields=["status", "last_error"])
            return delivery.status
        delivery.attempts += 1
        try:
            why_not = _send(delivery)
        except Exception as exc:
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Status.FAILED
            else:
                retry_at = now + BACKOFF[delivery.attempts - 1]
                delivery.not_before = retry_at
        else:
            if why_not:
                delivery.status = Status.SKIPPED
                delivery.last_error = why_not
            else:
                delivery.status = Status.SENT
                delivery.sent_at = now
                delivery.last_error = ""
        delivery.save()
    if retry_at is not None:
        from districts.notify.services import enqueue

        enqueue([delivery.pk])  # waits in a queue that can wait; else for the sweep
    return delivery.status


def send_due(*, now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Every pending delivery that is due (held in quiet hours, to retry, or never taken
    by a worker): ``manage.py send_notifications``, every few minutes."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    due = Delivery.objects.filter(status=Status.PENDING, not_before__lte=now).order_by("not_before")
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        status = deliver(pk, now=now)
        counts[status] = counts.get(status, 0) + 1
    return counts
