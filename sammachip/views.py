"""Pages that compose the apps: home by role, district page, province page."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assignments import services
from assignments.models import TargetVillage, VisitAdvice
from assignments.services import selected_year, years_with_targets
from districts.access import get_district_for_user, get_province_for_user
from districts.models import (
    District,
    Officer,
    Province,
    Role,
    Tambon,
    TambonResponsibility,
    can_manage_district,
    scope_of,
)


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
    if officer is None:
        return render(request, "home_no_role.html", status=403)
    if officer.role == Role.PROVINCE:
        return redirect("province_detail", code=officer.province_id)
    if officer.role == Role.HEAD:
        return redirect("district_detail", code=officer.district_id)
    return _officer_home(request, officer)


def _admin_home(request):
    years = years_with_targets(TargetVillage.objects.all())
    year = selected_year(request, years)
    provinces = list(
        Province.objects.annotate(
            target_count=Count("districts__targets", filter=Q(districts__targets__year_id=year))
        ).order_by("code")
    )
    return render(
        request, "home_admin.html", {"provinces": provinces, "year": year, "years": years}
    )


def _officer_home(request, officer):
    targets_in_scope = TargetVillage.objects.filter(district_id=officer.district_id)
    years = years_with_targets(targets_in_scope)
    year = selected_year(request, years)
    responsibilities = list(
        officer.tambon_responsibilities.current().select_related("tambon").order_by("tambon_id")
    )
    # The villages the officer works: those assigned to them on the board.
    targets = list(
        targets_in_scope.for_year(year)
        .filter(assignments__officer=officer, assignments__ended_at__isnull=True)
        .select_related("village__tambon", "stage")
        .order_by("village_id")
    )
    unread = list(
        VisitAdvice.objects.filter(visit__officer=officer, read_at__isnull=True)
        .select_related("visit__target__village", "author")
        .order_by("-created_at")
    )
    mine = targets_in_scope.filter(assignments__officer=officer, assignments__ended_at__isnull=True)
    return render(
        request,
        "home_officer.html",
        {
            "officer": officer,
            "unread_advice": unread,
            "late": services.not_visited(mine, year),
            "district": officer.district,
            "responsibilities": responsibilities,
            "targets": targets,
            "year": year,
            "years": years,
        },
    )


def district_detail(request, code):
    district = get_district_for_user(request.user, code)
    district_targets = TargetVillage.objects.filter(district=district)
    years = years_with_targets(district_targets)
    year = selected_year(request, years)
    targets = list(
        district_targets.for_year(year)
        .select_related("village__tambon", "stage")
        .order_by("village_id")
    )
    tambons = list(
        Tambon.objects.filter(district=district)
        .annotate(
            village_count=Count("villages", distinct=True),
            target_count=Count(
                "villages__targets", filter=Q(villages__targets__year_id=year), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=TambonResponsibility.objects.current().select_related("officer__user"),
                to_attr="current_responsibilities",
            )
        )
        .order_by("code")
    )
    officers = list(
        Officer.objects.filter(district=district)
        .field_staff()
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "tambon_responsibilities",
                queryset=TambonResponsibility.objects.current().select_related("tambon"),
                to_attr="current_tambons",
            )
        )
        .order_by("role", "user__username")
    )
    late = services.not_visited(district_targets, year)
    budget = district_targets.for_year(year).aggregate(
        allocated=Sum("budget_allocated"), spent=Sum("budget_spent")
    )
    return render(
        request,
        "districts/district_detail.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "tambons": tambons,
            "targets": targets,
            "officers": officers,
            "budget": budget,
            "late": late,
            "can_manage": can_manage_district(request.user, district.pk),
        },
    )


def province_detail(request, code):
    province = get_province_for_user(request.user, code)
    province_targets = TargetVillage.objects.filter(district__province_id=province.pk)
    years = years_with_targets(province_targets)
    year = selected_year(request, years)
    districts = list(
        District.objects.filter(province=province)
        .annotate(
            tambon_count=Count("tambons", distinct=True),
            target_count=Count("targets", filter=Q(targets__year_id=year), distinct=True),
            officer_count=Count(
                "officers",
                filter=Q(officers__role__in=[Role.HEAD, Role.OFFICER], officers__is_active=True),
                distinct=True,
            ),
        )
        .order_by("code")
    )
    totals = province_targets.for_year(year).aggregate(
        targets=Count("pk"), allocated=Sum("budget_allocated")
    )
    return render(
        request,
        "districts/province_detail.html",
        {
            "province": province,
            "year": year,
            "years": years,
            "districts": districts,
            "totals": totals,
        },
    )
