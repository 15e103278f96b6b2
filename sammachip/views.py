"""Pages that compose the apps: the home page by role, the health check, the audit log."""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

from assignments import years as program_years
from assignments.models import FollowUp, MeetingAction, TargetVillage, VillageAssignment
from assignments.years import picker_years, selected_year, years_with_targets
from districts import changes
from districts.access import id_or_404
from districts.fragments import kept_fragment
from districts.models import ApiToken, Officer, Role, User, is_auditor, scope_of
from districts.services import token_create, token_revoke, user_language_set
from evaluations.models import OfficerReview, VillageEvaluation
from fieldwork import plan
from fieldwork import selectors as field_selectors
from fieldwork.models import FieldVisit, Household, VisitAdvice
from imports import services as imports
from sammachip import health
from sammachip.forms import TokenForm

# The audited models, each with what its name (the model's __str__) reads from other tables:
# joined to the history records, so that a page of 50 names costs no query more.
AUDITED = {
    VillageAssignment: ["target__village", "officer__user"],
    FollowUp: ["target__village", "officer__user"],
    TargetVillage: ["village"],
    Household: [],
    FieldVisit: ["target__village"],  # the API's writes name their token (the reason)
    VillageEvaluation: ["target__village"],
    OfficerReview: ["officer__user"],
    User: [],
    Officer: ["user"],
}
ACCOUNTS = {User, Officer}  # what the support role keeps
AUDIT_ROWS = 50  # a page
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@login_not_required
def set_language(request):
    """Django's language switch; a logged-in person's choice is also kept with their account,
    so it follows them to another browser or phone (middleware.LanguageMiddleware)."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        user_language_set(user=request.user, language=language)
    return response


@login_not_required
@require_GET
def healthz(request):
    """For the load balancer: can this server reach the database, the cache and the store?

    200 with ``{"status": "ok", ...}`` or 503 naming what failed, never why (no host, no
    message: the page is public); the reason goes to the log. Each check has a short timeout
    of its own and the answer is kept a few seconds in the process (``HEALTHZ_SECONDS``), so a
    balancer polling every server every second costs the database nothing worth measuring.
    """
    report = health.report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def home(request):
    user = request.user
    scope = scope_of(user)
    if scope.everything:
        return _admin_home(request)
    officer = user.officer_or_none
    if officer is None:
        return render(request, "home_no_role.html", status=403)
    if not officer.is_active:  # their scope is empty: say why, not a page of dead links
        return render(request, "home_no_role.html", {"switched_off": True}, status=403)
    if officer.role == Role.SUPPORT:
        return redirect("audit_log")
    if officer.role == Role.PROVINCE:
        return redirect("province_detail", code=officer.province_id)
    if officer.role == Role.HEAD:
        return redirect("district_detail", code=officer.district_id)
    body = kept_fragment(
        request,
        "officer_home",
        count=changes.count(districts=[officer.district_id]),
        vary=[officer.pk],  # their own villages and advice
        render=lambda: (_officer_home(request, officer), True),
    )
    # the officer's open meeting actions are rendered live (their "done" buttons carry the
    # session's form token), into the kept body where it marks their place
    before, _marker, after = body.partition(ACTIONS_MARK)
    return render(
        request,
        "home_officer.html",
        {
            "body_before": mark_safe(before),  # noqa: S308 - our own rendered, escaped HTML
            "body_after": mark_safe(after),  # noqa: S308
            "my_actions": list(
                MeetingAction.objects.filter(
                    owner=officer, meeting__district_id=officer.district_id
                )
                .open()
                .for_list()
            ),
            "today": timezone.localdate(),
            "me": officer.pk,
        },
    )


ACTIONS_MARK = "<!-- live: my meeting actions -->"


def _admin_home(request):
    return redirect("country")


def _officer_home(request, officer):
    """All the officer's live work: the year's villages (the fiscal year of today unless they
    picked another) and every follow-up they hold, from any year, each with its year."""
    targets_in_scope = TargetVillage.objects.filter(district_id=officer.district_id)
    own = Exists(VillageAssignment.objects.active().filter(target=OuterRef("pk"), officer=officer))
    year = selected_year(request)
    # the years of their own villages, not the district's: a list imported for next year
    # adds no year here until the head gives them a village of it
    years = picker_years(
        years_with_targets(targets_in_scope.filter(own)), year, program_years.current_year()
    )
    responsibilities = list(
        officer.tambon_responsibilities.current().select_related("tambon").order_by("tambon_id")
    )
    # The villages the officer works (assigned to them on the board), with their last visit:
    # the list and the not-visited ones from one query.
    targets = list(
        targets_in_scope.for_year(year)
        .filter(own)
        .annotate(last_visit=Max("visits__date"))
        .select_related("village__tambon", "stage")
        .order_by("village_id")
    )
    followups = list(
        TargetVillage.objects.filter(
            Exists(FollowUp.objects.live().filter(target=OuterRef("pk"), officer=officer))
        )
        .annotate(last_visit=Max("visits__date"))
        .select_related("village__tambon", "stage")
        .order_by("-year_id", "village_id")
    )
    plan_late = len(
        plan.district_plan(
            officer.district_id, year, today=timezone.localdate(), officer=officer
        ).late
    )
    unread = list(
        VisitAdvice.objects.filter(visit__officer=officer, read_at__isnull=True)
        .select_related("visit__target__village", "author")
        .order_by("-created_at")
    )
    return render_to_string(
        "_home_officer_body.html",
        {
            "officer": officer,
            "unread_advice": unread,
            "late": field_selectors.overdue(
                [
                    field_selectors.TargetRow(target=t, officer=officer, last_visit=t.last_visit)
                    for t in targets
                ],
                year,
            ),
            "district": officer.district,
            "plan_late": plan_late,
            "actions_mark": mark_safe(ACTIONS_MARK),  # noqa: S308 - a constant
            "responsibilities": responsibilities,
            "targets": targets,
            "followups": followups,
            "year": year,
            "years": years,
        },
        request,
    )


def audit_log(request):
    """Who changed what and when, across the records that matter, newest first: a page at a
    time (``before`` is where the last page ended), all records or one kind."""
    if not is_auditor(request.user):
        raise Http404
    kinds = {model._meta.model_name: model for model in AUDITED}
    # The support role keeps accounts and reads no programme data: it sees the names of users
    # and officers only; a household's or a village's stays a number to it.
    named = AUDITED if scope_of(request.user).everything else ACCOUNTS
    kind = request.GET.get("kind", "")
    cursor = _audit_cursor(request.GET.get("before", ""))
    entries = []
    for index, model in enumerate(AUDITED):
        if kind in kinds and kinds[kind] is not model:
            continue
        records = model.history.model.objects.select_related("history_user", *AUDITED[model])
        if cursor:
            records = records.filter(_older_than(cursor, index))
        for record in records.order_by("-history_date", "-history_id")[: AUDIT_ROWS + 1]:
            entries.append(
                {
                    "key": (record.history_date, index, record.history_id),
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": model._meta.verbose_name,
                    "id": getattr(record, model._meta.pk.attname),
                    "name": _record_name(model, record) if model in named else "",
                    "action": record.get_history_type_display(),
                    "reason": imports.reason_text(record.history_change_reason or ""),
                }
            )
    entries.sort(key=lambda e: e["key"], reverse=True)
    page = entries[:AUDIT_ROWS]
    older = None
    if len(entries) > AUDIT_ROWS:
        when, index, history_id = page[-1]["key"]
        older = f"{(when - EPOCH) // dt.timedelta(microseconds=1)}-{index}-{history_id}"
    return render(
        request,
        "audit_log.html",
        {
            "entries": page,
            "kinds": [(name, model._meta.verbose_name_plural) for name, model in kinds.items()],
            "kind": kind if kind in kinds else "",
            "older": older,
            "paged": cursor is not None,
        },
    )


def _record_name(model, record) -> str:
    """The record's name from the model's own ``__str__`` read off the history record: its
    own fields as they were then, the rows it joins (a village, an officer's user) as they
    are now; "" when one of those rows is gone (the row still shows its kind and number)."""
    for path in AUDITED[model]:
        related = record
        for step in path.split("__"):
            related = getattr(related, step)
            if related is None:
                return ""
    return model.__str__(record)


def _audit_cursor(text: str) -> tuple[dt.datetime, int, int] | None:
    """``microseconds-model-history id`` of the last entry of the page before (digits and
    dashes only, safe in a URL as it is); None for the newest page."""
    try:
        micro, index, history_id = (int(part) for part in text.split("-"))
        return EPOCH + dt.timedelta(microseconds=micro), index, history_id
    except (ValueError, OverflowError):
        return None


def _older_than(cursor, index: int) -> Q:
    """History records of the ``index``-th audited model that come after ``cursor`` in the
    log's order (time, then model, then history id, all descending): no record is shown twice
    or skipped, even when an import wrote many at the same instant."""
    when, cursor_index, history_id = cursor
    if index < cursor_index:
        return Q(history_date__lte=when)
    if index == cursor_index:
        return Q(history_date__lt=when) | Q(history_date=when, history_id__lt=history_id)
    return Q(history_date__lt=when)


# --- The field officer's installable app (PWA) -----------------------------------------------

# What the officer's pages need with no network, kept by the service worker when it installs
# (names before collectstatic's hashing; static() gives the served ones). frontend/build.mjs
# writes the build/ files.
APP_SHELL = [
    "build/portal.css",
    "build/sarabun-thai-400.woff2",
    "build/sarabun-latin-400.woff2",
    "build/field.js",
    "icons.svg",
    "favicon.svg",
    "pwa/icon-192.png",
]
SERVICE_WORKER = settings.BASE_DIR / "frontend" / "dist" / "sw.js"


@login_not_required
@require_GET
def web_manifest(request):
    """The installed app: named in the viewer's language, opening on the officer's home."""
    manifest = {
        "name": _("Sammachip: field work"),
        "short_name": _("Sammachip"),
        "description": _(
            "Log visits to the target villages, also with no signal: they are sent when "
            "the phone is back online."
        ),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pwa/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("pwa/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def service_worker(request):
    """The service worker (frontend/src/sw.js, built with Workbox), from the site root so
    that it may control every page; given the app shell's served names and the offline
    page's revision, so that a new deploy installs a new worker."""
    try:
        script = SERVICE_WORKER.read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # `make assets` builds it
        raise Http404("service worker not built") from exc
    offline_page = render_to_string("offline.html", request=request)
    precache = [{"url": static(name), "revision": None} for name in APP_SHELL]
    precache.append(
        {
            "url": reverse("offline"),
            "revision": hashlib.sha256(offline_page.encode()).hexdigest()[:16],
        }
    )
    script = script.replace("self.__WB_MANIFEST", json.dumps(precache))
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline(request):
    """What the service worker shows for a page that needs the server, with no network."""
    return render(request, "offline.html")


def api_tokens(request):
    """The user's personal access tokens for the API: made here (the key shown once, only its
    hash kept), revoked here; each with its name, expiry and when it was last used."""
    form = TokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            made = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + dt.timedelta(days=form.cleaned_data["expires_in"]),
            )
            new_key = made.key
            form = TokenForm()
        else:
            status = 400
    tokens = list(ApiToken.objects.filter(user=request.user))
    return render(
        request,
        "api_tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=status,
    )


@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=id_or_404(pk))
    token_revoke(token=token, user=request.user, now=timezone.now())
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("api_tokens")
