"""Field work: logging visits from a phone, following them up, exporting them."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import services
from assignments.filters import VisitFilter
from assignments.forms import SUBMISSION_MARK, AdviceForm, VisitForm
from assignments.models import FieldVisit, NeglectThreshold, Stage, TargetVillage, VisitPhoto
from districts.access import get_district_for_user
from districts.models import can_manage_district
from districts.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from districts.thai import fiscal_year_of, format_be_input
from pagecache.cache import district_page


def visit_new(request):
    targets = services.loggable_targets(request.user)
    years = services.years_with_targets(targets)
    if not years:
        return render(request, "assignments/visit_no_villages.html", status=403)
    year = services.selected_year(request, years)
    targets = targets.filter(year_id=year)
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES, targets=targets)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("keep_location")
            visit = services.visit_log(user=request.user, **data)
            saved = (
                _("This visit was already saved; it is not saved twice.")
                if getattr(visit, "repeated", False)
                else _("Visit to %(village)s on %(date)s saved.")
                % {"village": visit.target.village, "date": format_be_input(visit.date)}
            )
            messages.success(request, saved)
            return redirect("assignments:visit_detail", pk=visit.pk)
        if request.FILES:
            messages.warning(
                request,
                _("Nothing was saved yet. What you typed is kept below; choose the photos again."),
            )
    else:
        # kept (pagecache) with a mark for the one-time token, which each response gets new
        district = request.user.officer_or_none.district_id
        return district_page(
            request,
            district,
            lambda: _blank_visit_form(request, targets, year),
            fresh={str(SUBMISSION_MARK): lambda: str(uuid.uuid4())},
        )
    return render(request, "assignments/visit_form.html", {"form": form, "year": year})


def _blank_visit_form(request, targets, year):
    today = timezone.localdate()
    initial = {
        "date": today if fiscal_year_of(today) == year else None,
        "submission": SUBMISSION_MARK,
    }
    if request.GET.get("target", "").isdecimal():
        initial["target"] = int(request.GET["target"])
    form = VisitForm(targets=targets, initial=initial)
    return render(request, "assignments/visit_form.html", {"form": form, "year": year})


def _visit_page(request, visit, *, form=None, status=200):
    can_advise = can_manage_district(request.user, visit.target.district_id)
    if can_advise and form is None:
        form = AdviceForm(
            initial={"needs_more": visit.needs_more, "needs_more_reason": visit.needs_more_reason}
        )
    return render(
        request,
        "assignments/visit_detail.html",
        {
            "visit": visit,
            "photos": list(visit.photos.all()),
            "advice": list(visit.advice.select_related("author")),
            "can_advise": can_advise,
            "form": form if can_advise else None,
        },
        status=status,
    )


def visit_detail(request, pk):
    visit = get_object_or_404(
        FieldVisit.objects.visible_to(request.user).select_related(
            "target__village__tambon__district", "officer__user", "stage"
        ),
        pk=pk,
    )
    services.advice_mark_read(visit=visit, user=request.user)
    return _visit_page(request, visit)


@require_POST
def visit_advice(request, pk):
    visit = get_object_or_404(
        FieldVisit.objects.visible_to(request.user).select_related("target"), pk=pk
    )
    if not can_manage_district(request.user, visit.target.district_id):
        raise PermissionDenied
    form = AdviceForm(request.POST)
    if form.is_valid():
        services.advice_add(visit=visit, user=request.user, **form.cleaned_data)
        messages.success(request, _("Advice saved. The officer sees it on their home page."))
        return redirect("assignments:visit_detail", pk=visit.pk)
    return _visit_page(request, visit, form=form, status=400)


def visit_photo(request, pk, size):
    """Photos are served only to those who may see the visit, never as public media."""
    if size not in ("image", "display", "thumb"):
        raise Http404
    photo = get_object_or_404(
        VisitPhoto.objects.filter(visit__in=FieldVisit.objects.visible_to(request.user)).only(size),
        pk=pk,
    )
    response = FileResponse(getattr(photo, size).open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def visit_list(request, code):
    district = get_district_for_user(request.user, code)
    return district_page(request, district.pk, lambda: _visit_list(request, district))


def _visit_list(request, district):
    district_targets = TargetVillage.objects.filter(district=district)
    year, years = services.page_year(request, district_targets)
    visits = FieldVisit.objects.filter(target__district=district, target__year_id=year)
    filterset = VisitFilter(request.GET or None, queryset=visits.for_list(), district=district)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assignments/visit_list.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "filter": filterset,
            "page": page,
            "visits": list(page.object_list),
            "query": query.urlencode(),
        },
    )


def visit_export(request, code):
    district = get_district_for_user(request.user, code)
    year, _years = services.page_year(request, TargetVillage.objects.filter(district=district))
    visits = FieldVisit.objects.filter(target__district=district, target__year_id=year).for_list()
    headers = [
        _("Visit date"),
        _("Village code"),
        _("Village"),
        _("Moo"),
        _("Tambon"),
        _("Officer"),
        _("Stage"),
        _("Activity"),
        _("The sage took part"),
        _("Support team members present"),
        _("Target households present"),
        _("Partner agencies"),
        _("Notes"),
        _("Needs more"),
        _("Far from the village"),
    ]
    yes, no = _("yes"), _("no")
    rows = (
        [
            format_be_input(v.date),
            v.target.village.code,
            v.target.village.name,
            v.target.village.moo,
            v.target.village.tambon.name,
            v.officer.user.display_name,
            v.stage.name,
            v.activity,
            yes if v.sage_took_part else no,
            v.support_team_count,
            v.household_count,
            v.partners,
            v.notes,
            v.needs_more_reason if v.needs_more else "",
            yes if v.far_from_village else no,
        ]
        for v in visits.iterator(chunk_size=2000)
    )
    response = HttpResponse(xlsx_bytes(_("Visits"), headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="visits-{district.pk}-{year}.xlsx"'
    return response


def thresholds(request, code):
    """The district office sets its own "not visited in N days" per stage."""
    district = get_district_for_user(request.user, code, write=request.method == "POST")
    stages = list(Stage.objects.order_by("order"))
    own = dict(NeglectThreshold.objects.filter(district=district).values_list("stage_id", "days"))
    errors = {}
    if request.method == "POST":
        values = {}
        for stage in stages:
            raw = request.POST.get(f"stage-{stage.pk}", "").strip()
            if raw.isdecimal() and 1 <= int(raw) <= 365:
                values[stage.pk] = int(raw)
            else:
                errors[stage.pk] = _("Enter a number of days from 1 to 365.")
        if not errors:
            with transaction.atomic():  # every stage's, or none
                for stage in stages:
                    NeglectThreshold.objects.update_or_create(
                        district=district, stage=stage, defaults={"days": values[stage.pk]}
                    )
            messages.success(request, _("Not-visited thresholds saved."))
            return redirect("assignments:thresholds", code=code)
    for stage in stages:
        stage.days = (
            request.POST.get(f"stage-{stage.pk}")
            if errors
            else own.get(stage.pk, stage.neglect_days)
        )
        stage.error = errors.get(stage.pk)
    return render(
        request,
        "assignments/thresholds.html",
        {
            "district": district,
            "stages": stages,
            "can_manage": can_manage_district(request.user, district.pk),
        },
        status=400 if errors else 200,
    )
