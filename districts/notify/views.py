"""A person's notifications, their settings (LINE link, preferences), and LINE's webhook."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import FollowEvent, MessageEvent, TextMessageContent, UnfollowEvent

from districts.access import id_or_404
from districts.notify import line, services
from districts.notify.models import Kind, LineLink, Notification
from districts.pages import page_of

log = logging.getLogger(__name__)
WEBHOOK_MAX_BYTES = 1024 * 1024


def notification_list(request):
    """The person's notifications, newest first: two queries (the page, the count)."""
    page, query = page_of(request, Notification.objects.visible_to(request.user), per_page=30)
    return render(
        request,
        "districts/notifications.html",
        {"page": page, "notifications": list(page.object_list), "query": query},
    )


def _safe_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def notification_open(request, pk):
    """Opened (from the list, LINE or an email): read now, and on to the page it is about."""
    notification = get_object_or_404(
        Notification.objects.visible_to(request.user), pk=id_or_404(pk)
    )
    services.notification_open(notification=notification, user=request.user)
    return redirect(notification.url if _safe_local(notification.url) else "notify:list")


@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notify:list")


class PreferencesForm(forms.Form):
    """For each kind of event, on LINE and by email: two boxes a row."""

    def __init__(self, *args, prefs=None, on_line=False, has_email=False, **kwargs):
        super().__init__(*args, **kwargs)
        prefs = prefs or {}
        for kind in Kind:
            pref = prefs.get(kind.value)
            self.fields[f"line_{kind.value}"] = forms.BooleanField(
                required=False, initial=pref.line if pref else True, label=gettext_lazy("LINE")
            )
            self.fields[f"email_{kind.value}"] = forms.BooleanField(
                required=False,
                initial=pref.email if pref else has_email and not on_line,
                label=gettext_lazy("Email"),
            )

    def rows(self):
        return [
            (kind.label, self[f"line_{kind.value}"], self[f"email_{kind.value}"]) for kind in Kind
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {k.value: (data[f"line_{k.value}"], data[f"email_{k.value}"]) for k in Kind}


def notification_settings(request):
    """The person's LINE link and what comes to them where."""
    user = request.user
    prefs = {p.kind: p for p in user.notification_preferences.all()}
    link = LineLink.objects.filter(user=user).first()
    on_line = bool(link and link.linked and services.line_enabled())
    form = PreferencesForm(
        request.POST or None, prefs=prefs, on_line=on_line, has_email=bool(user.email)
    )
    if request.method == "POST" and form.is_valid():
        choices = form.choices()
        if not services.line_enabled():  # the LINE boxes were not shown: kept as they were
            choices = {
                k: (prefs[k].line if k in prefs else True, email)
                for k, (_line, email) in choices.items()
            }
        services.preferences_set(user=user, choices=choices)
        messages.success(request, _("Your choices are saved."))
        return redirect("notify:settings")
    return render(
        request,
        "districts/notification_settings.html",
        {
            "form": form,
            "link": link,
            "line_on": services.line_enabled(),
            "official_account": settings.LINE_OFFICIAL_ACCOUNT,
        },
    )


@require_POST
def line_code(request):
    services.line_link_start(user=request.user)
    return redirect("notify:settings")


@require_POST
def line_unlink(request):
    services.line_unlink(user=request.user)
    messages.success(request, _("Your LINE account is unlinked: nothing more is sent there."))
    return redirect("notify:settings")


@login_not_required
@csrf_exempt
@require_POST
def line_webhook(request):
    """LINE's calls: a follow or unfollow, or a message (a link code). Refused with 400,
    changing nothing, unless X-Line-Signature is the body's HMAC under the channel secret."""
    signature = request.headers.get("X-Line-Signature", "")
    if not settings.LINE_CHANNEL_SECRET or not signature:
        return HttpResponseBadRequest("no signature")
    if len(request.body) > WEBHOOK_MAX_BYTES:
        return HttpResponseBadRequest("too large")
    try:
        events = line.parse_webhook(request.body.decode("utf-8"), signature)
    except (InvalidSignatureError, UnicodeDecodeError):
        return HttpResponseBadRequest("bad signature")
    except Exception:
        log.warning("LINE webhook: signed body not understood", exc_info=True)
        return HttpResponse("ok")
    for event in events:
        user_id = getattr(getattr(event, "source", None), "user_id", None)
        if not user_id:
            continue
        if isinstance(event, FollowEvent):
            services.line_follow(line_user_id=user_id, following=True)
        elif isinstance(event, UnfollowEvent):
            services.line_follow(line_user_id=user_id, following=False)
        elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            services.line_link_by_code(code=event.message.text, line_user_id=user_id)
    return HttpResponse("ok")
