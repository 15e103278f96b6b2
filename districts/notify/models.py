"""Notifications: an event for a person, shown in the portal and sent on LINE or by email.

Each ``Notification`` is one event for one user (its ``key`` is unique per user, so an event
sent twice is one notification); each ``Delivery`` is its sending on one channel (unique per
notification and channel, so nothing goes out twice), with its attempts and last error.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("A village assigned to you or moved from you")
    ORDER = "order", _("An office order issued")
    ADVICE = "advice", _("Advice on your visit")
    OVERDUE = "overdue", _("Villages overdue for a visit (a daily summary)")
    FORUM = "forum", _("A forum scheduled or changed")
    EVALUATION = "evaluation", _("An evaluation returned or approved")
    IMPORT = "import", _("An import finished or refused")
    SYNC_REFUSED = "sync_refused", _("A visit from the phone refused")


class Channel(models.TextChoices):
    LINE = "line", _("LINE")
    EMAIL = "email", _("Email")


class Status(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("not sent")


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's notifications are their own: nobody else's, whatever their role."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        "districts.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("The district the event is of: a person who left it is not sent it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, help_text=_("A page of the portal."))
    key = models.CharField(
        _("event key"), max_length=200, help_text=_("One notification per event and person.")
    )
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Sent on LINE in quiet hours too.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    # A person's own list and the navigation bar's count, rendered live on every page: no
    # kept fragment shows them, so no district's change count needs to move.
    change_quiet = True

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="districts_notification_one_per_event"
            )
        ]
        indexes = [
            # the navigation bar's unread count, on every page
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True),
                name="districts_notification_unread",
            ),
            # a person's list, newest first
            models.Index(fields=["user", "-created_at"], name="districts_notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.text[:40]}"


class Delivery(models.Model):
    """A notification's sending on one channel: at most one per channel."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    not_before = models.DateTimeField(
        _("not before"), help_text=_("Held until then: quiet hours, or the next retry.")
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    retry_key = models.UUIDField(
        _("retry key"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("Sent to LINE with every try, so LINE never delivers one message twice."),
    )

    change_quiet = True

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="districts_delivery_one_per_channel"
            )
        ]
        indexes = [
            # the sweep (manage.py send_notifications): what is due
            models.Index(
                fields=["not_before"],
                condition=Q(status="pending"),
                name="districts_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel} {self.status}"


class NotificationPreference(models.Model):
    """Whether a person wants one kind of event on LINE and by email. Without a row: on LINE
    when linked, by email only when not linked (the fallback)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    line = models.BooleanField(_("on LINE"), default=True)
    email = models.BooleanField(_("by email"), default=False)

    change_quiet = True

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="districts_notificationpreference_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class LineLink(models.Model):
    """A person's LINE account, linked by a one-time code they send to the Official Account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="line_link",
        verbose_name=_("user"),
    )
    line_user_id = models.CharField(_("LINE user id"), max_length=64, blank=True)
    code = models.CharField(_("link code"), max_length=12, blank=True)
    code_expires = models.DateTimeField(_("code valid until"), null=True, blank=True)
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True)
    blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("The person unfollowed the Official Account.")
    )

    change_quiet = True

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")
        constraints = [
            models.UniqueConstraint(
                fields=["line_user_id"],
                condition=~Q(line_user_id=""),
                name="districts_linelink_one_user_per_line_account",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="districts_linelink_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · LINE"

    @property
    def linked(self) -> bool:
        return bool(self.line_user_id)
