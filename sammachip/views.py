"""Pages that compose the apps: the home page by role, and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assignments import services
from assignments.models import Household, TargetVillage, VillageAssignment, VisitAdvice
from districts.models import Officer, Role, User, is_auditor, scope_of
from evaluations.models import OfficerReview, VillageEvaluation

AUDITED = [
    VillageAssignment,
    TargetVillage,
    Household,
    VillageEvaluation,
    OfficerReview,
    User,
    Officer,
]
AUDIT_ROWS = 200


@login_not_required
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    user = request.user
    scope = scope_of(user)
    if scope.everything:
        return _admin_home(request)
    officer = user.officer_or_none
    if officer is not None and officer.role == Role.SUPPORT:
        return redirect("audit_log")
    if officer is None:
        return render(request, "home_no_role.html", status=403)
    if officer.role == Role.PROVINCE:
        return redirect("province_detail", code=officer.province_id)
    if officer.role == Role.HEAD:
        return redirect("district_detail", code=officer.district_id)
    return _officer_home(request, officer)


def _admin_home(request):
    return redirect("country")


def _officer_home(request, officer):
    targets_in_scope = TargetVillage.objects.filter(district_id=officer.district_id)
    year, years = services.page_year(request, targets_in_scope)
    responsibilities = list(
        officer.tambon_responsibilities.current().select_related("tambon").order_by("tambon_id")
    )
    # The villages the officer works (assigned to them on the board), with their last visit:
    # the list and the not-visited ones from one query.
    targets = list(
        targets_in_scope.for_year(year)
        .filter(assignments__officer=officer, assignments__ended_at__isnull=True)
        .annotate(last_visit=Max("visits__date"))
        .select_related("village__tambon", "stage")
        .order_by("village_id")
    )
    for t in targets:
        t.officer = officer
    unread = list(
        VisitAdvice.objects.filter(visit__officer=officer, read_at__isnull=True)
        .select_related("visit__target__village", "author")
        .order_by("-created_at")
    )
    return render(
        request,
        "home_officer.html",
        {
            "officer": officer,
            "unread_advice": unread,
            "late": services.overdue(targets, year),
            "district": officer.district,
            "responsibilities": responsibilities,
            "targets": targets,
            "year": year,
            "years": years,
        },
    )


def audit_log(request):
    """Who changed what and when, across the records that matter, newest first."""
    if not is_auditor(request.user):
        raise Http404
    entries = []
    for model in AUDITED:
        history = model.history.model
        for record in history.objects.select_related("history_user").order_by("-history_date")[
            :AUDIT_ROWS
        ]:
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": model._meta.verbose_name,
                    "id": getattr(record, model._meta.pk.attname),
                    "action": record.get_history_type_display(),
                    "reason": record.history_change_reason or "",
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return render(request, "audit_log.html", {"entries": entries[:AUDIT_ROWS]})
