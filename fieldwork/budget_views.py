"""The budget pages: a village's lines and disbursements (and recording one), the district's
whole budget picture (every officer of the district sees it: the article's transparency), the
province's and the country's, their .xlsx exports, and receipts behind a scope check."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.access import can_edit_target, get_target_for_user
from assignments.models import TargetVillage
from assignments.years import page_year
from districts import changes
from districts.access import get_district_for_user, get_province_for_user, id_or_404
from districts.downloads import xlsx_response
from districts.fragments import FormsBody, kept_forms_body, render_with_forms
from districts.lib.spreadsheets import xlsx_bytes
from districts.models import District, Province, can_manage_district, scope_of
from fieldwork import budget_selectors as selectors
from fieldwork import budget_services as services
from fieldwork.budget import AdvanceRule, BudgetLine, Disbursement, money_sums
from fieldwork.budget_forms import AdvanceDaysForm, ClearanceForm, DisbursementForm
from fieldwork.models import FieldVisit

# --- A village ---------------------------------------------------------------------------------


def _lines(target):
    return (
        BudgetLine.objects.filter(target=target)
        .select_related("category")
        .order_by("planned_month", "category__order", "pk")
    )


def _disbursement_form(request, target, data=None, files=None) -> DisbursementForm:
    return DisbursementForm(
        data,
        files,
        target=target,
        lines=_lines(target),
        visits=FieldVisit.objects.filter(target=target).order_by("-date", "-pk"),
        can_approve=can_manage_district(request.user, target.district_id),
    )


@login_required
def target_budget(request, pk, *, form=None, clear_forms=None, status=200):
    """A village's budget lines, what was spent against each, and its disbursements."""
    target = get_target_for_user(request.user, pk, related=("village__tambon__district", "year"))
    lines = list(_lines(target))
    used = {
        r["line_id"]: r
        for r in Disbursement.objects.filter(line__target=target)
        .order_by()
        .values("line_id")
        .annotate(**money_sums())
    }
    rows = [
        selectors.Money(
            key=line.pk,
            name=line.category.name,
            allocated=line.planned_amount,
            used=used.get(line.pk, {}).get("used", selectors.ZERO),
            outstanding=used.get(line.pk, {}).get("outstanding", selectors.ZERO),
            extra={"line": line},
        )
        for line in lines
    ]
    disbursements = list(
        Disbursement.objects.filter(line__target=target).select_related(
            "line__category", "visit", "recorded_by", "over_approved_by", "cleared_by"
        )
    )
    can_write = can_edit_target(request.user, target)
    if can_write and form is None:
        form = _disbursement_form(request, target)
    clear_forms = clear_forms or {}
    today = timezone.localdate()
    days = AdvanceRule.days_for(target.district_id)
    for d in disbursements:
        d.clear_form = (
            clear_forms.get(d.pk) or ClearanceForm(prefix=f"c{d.pk}", initial={"cleared_on": today})
            if can_write and d.is_open_advance
            else None
        )  # not persisted: the form shown under an open advance
        d.late = d.is_open_advance and (today - d.date).days > days  # not persisted
    return render(
        request,
        "fieldwork/target_budget.html",
        {
            "target": target,
            "rows": rows,
            "total": selectors.total_of(rows),
            "disbursements": disbursements,
            "form": form if can_write else None,
            "advance_days": days,
        },
        status=status,
    )


@login_required
@require_POST
def disbursement_new(request, pk):
    target = get_target_for_user(request.user, pk, write=True, related=("year",))
    form = _disbursement_form(request, target, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.disbursement_record(
                user=request.user,
                line=data["line"],
                kind=data["kind"],
                date=data["date"],
                amount=data["amount"],
                purpose=data["purpose"],
                receipt=data["receipt"],
                visit=data["visit"],
                approve_over=data.get("approve_over", False),
                over_reason=data.get("over_reason", ""),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Disbursement recorded."))
            return redirect("fieldwork:target_budget", pk=target.pk)
    return target_budget(request, target.pk, form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def advance_clear(request, pk):
    disbursement = get_object_or_404(
        Disbursement.objects.visible_to(request.user).select_related("line__target"),
        pk=id_or_404(pk),
    )
    target = disbursement.line.target
    if not can_edit_target(request.user, target):
        raise PermissionDenied
    form = ClearanceForm(request.POST, request.FILES, prefix=f"c{disbursement.pk}")
    if form.is_valid():
        try:
            services.advance_clear(
                user=request.user, disbursement=disbursement, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Advance cleared."))
            return redirect("fieldwork:target_budget", pk=target.pk)
    return target_budget(request, target.pk, clear_forms={disbursement.pk: form}, status=400)


RECEIPT_TYPES = {".jpg": "image/jpeg", ".pdf": "application/pdf"}


@login_required
def receipt(request, pk):
    """Receipts are served only to those who may see the village, never as public media."""
    disbursement = get_object_or_404(
        Disbursement.objects.visible_to(request.user).only("receipt"), pk=id_or_404(pk)
    )
    if not disbursement.receipt:
        raise Http404
    suffix = Path(disbursement.receipt.name).suffix.lower()
    response = FileResponse(
        disbursement.receipt.open("rb"),
        content_type=RECEIPT_TYPES.get(suffix, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Areas ---------------------------------------------------------------------------------------


def _area(request, *, targets, key, names, title, level, link, extra=None):
    """The money of an area's parts (villages, districts or provinces) and over the year."""
    year, years = page_year(request, targets)
    year_targets = targets.filter(year_id=year)
    if key == "province":
        money = selectors.money_by_province(year_targets)
    else:
        money = selectors.money_by(year_targets, key)
    rows = []
    for code, name, link_arg in names(year_targets):
        m = money.get(code, selectors.Money(key=code))
        m.name, m.extra = name, {"link": link_arg}
        if m.targets:
            rows.append(m)
    total = selectors.total_of(rows)
    today = timezone.localdate()
    months, quarters = selectors.over_the_year(year_targets, year, total.allocated, today)
    now = selectors.current_quarter(year, today)
    return {
        "title": title,
        "level": level,
        "link": link,
        "year": year,
        "years": years,
        "rows": rows,
        "total": total,
        "months": months,
        "quarters": quarters,
        "quarter_now": quarters[now] if now is not None else None,
        **(extra or {}),
    }


def _village_names(year_targets):
    return [
        (
            t.pk,
            f"{t.village.name} {_('Moo')} {t.village.moo} · {_('Tambon')} {t.village.tambon.name}",
            t.pk,
        )
        for t in selectors.village_targets(year_targets)
    ]


def _district_context(request, district):
    targets = TargetVillage.objects.filter(district=district)
    today = timezone.localdate()
    context = _area(
        request,
        targets=targets,
        key="pk",
        names=_village_names,
        title=_district_title(district),
        level="district",
        link="fieldwork:target_budget",
    )
    context["late"] = list(
        Disbursement.objects.late_advances(district_id=district.pk, today=today)
        .filter(line__target__year_id=context["year"])
        .select_related("line__target__village", "line__category", "recorded_by")
        .order_by("date", "pk")
    )
    for d in context["late"]:
        d.days = (today - d.date).days  # not persisted
    context["district"] = district
    context["advance_days"] = AdvanceRule.days_for(district.pk)
    context["can_manage"] = can_manage_district(request.user, district.pk)
    if context["can_manage"]:
        context["days_form"] = AdvanceDaysForm(initial={"days": context["advance_days"]})
    return context


def _budget_body(request, context) -> FormsBody:
    return render_with_forms("fieldwork/_budget_area_body.html", context, request=request)


def _budget_page(request, title: str, body: FormsBody, *, status=200):
    page = {"title": title, "body": body}
    return render(request, "fieldwork/budget_area.html", page, status=status)


def _kept_budget_page(request, name: str, *, title: str, count: int, context, vary=()):
    """A budget page whose body is kept under the area's change count (the day is in the
    key: the quarter now and the late advances move with the calendar)."""
    body = kept_forms_body(
        request, name, count=count, vary=vary, render=lambda: _budget_body(request, context())
    )
    return _budget_page(request, title, body)


def _district_title(district) -> str:
    return _("Budget of district %(name)s") % {"name": district.name}


def _province_title(province) -> str:
    return _("Budget of province %(name)s") % {"name": province.name}


@login_required
def district_budget(request, code):
    district = get_district_for_user(request.user, code)
    return _kept_budget_page(
        request,
        "district_budget",
        title=_district_title(district),
        count=changes.count(districts=[district.pk]),
        vary=[can_manage_district(request.user, district.pk)],  # the advance period's form
        context=lambda: _district_context(request, district),
    )


def _province_context(request, province):
    def names(_year_targets):
        return [
            (d.pk, d.name, d.pk)
            for d in District.objects.filter(province=province).order_by("code")
        ]

    return _area(
        request,
        targets=TargetVillage.objects.filter(district__province_id=province.pk),
        key="district_id",
        names=names,
        title=_province_title(province),
        level="province",
        link="fieldwork:district_budget",
        extra={"province": province},
    )


@login_required
def province_budget(request, code):
    province = get_province_for_user(request.user, code)
    return _kept_budget_page(
        request,
        "province_budget",
        title=_province_title(province),
        count=changes.count(province=province.pk),
        context=lambda: _province_context(request, province),
    )


def _country_context(request):
    def names(_year_targets):
        return [(p.pk, p.name, p.pk) for p in Province.objects.order_by("code")]

    return _area(
        request,
        targets=TargetVillage.objects.all(),
        key="province",
        names=names,
        title=_("Budget of the country"),
        level="country",
        link="fieldwork:province_budget",
    )


@login_required
def country_budget(request):
    if not scope_of(request.user).everything:  # the admin and the department's staff
        raise Http404
    return _kept_budget_page(
        request,
        "country_budget",
        title=_("Budget of the country"),
        count=changes.count(),
        context=lambda: _country_context(request),
    )


@login_required
@require_POST
def advance_days(request, code):
    district = get_district_for_user(request.user, code, write=True)
    form = AdvanceDaysForm(request.POST)
    if form.is_valid():
        services.advance_days_set(
            user=request.user, district=district, days=form.cleaned_data["days"]
        )
        messages.success(request, _("The period to clear an advance is saved."))
        return redirect("fieldwork:district_budget", code=district.pk)
    context = _district_context(request, district)
    context["days_form"] = form  # sent back with its errors: rendered now
    return _budget_page(request, context["title"], _budget_body(request, context), status=400)


# --- Exports -----------------------------------------------------------------------------------


def budget_xlsx(context, filename: str):
    """The layout an office sends upward: one row per part, Thai headers, baht with satang and
    a total row; the same figures as the page (one selector for both)."""
    first = {"district": _("Village"), "province": _("District"), "country": _("Province")}
    headers = [
        _("No."),
        first[context["level"]],
        _("Target villages"),
        _("Budget allocated (baht)"),
        _("Disbursed (baht)"),
        _("Cleared (baht)"),
        _("Outstanding advances (baht)"),
        _("Remaining (baht)"),
        _("Disbursed (%)"),
    ]

    def line(m):
        pct = m.used_pct
        return [m.targets, m.allocated, m.used, m.cleared, m.outstanding, m.left,
                float(pct) if pct is not None else ""]  # fmt: skip

    rows = [[i, m.name, *line(m)] for i, m in enumerate(context["rows"], start=1)]
    totals = ["", _("Total"), *line(context["total"])]
    title = f"{context['title']} {context['year']}"
    return xlsx_response(xlsx_bytes(title, headers, rows, totals=totals), filename)


@login_required
def district_budget_export(request, code):
    district = get_district_for_user(request.user, code)
    context = _district_context(request, district)
    return budget_xlsx(context, f"budget-{district.pk}-{context['year']}.xlsx")


@login_required
def province_budget_export(request, code):
    province = get_province_for_user(request.user, code)
    context = _province_context(request, province)
    return budget_xlsx(context, f"budget-{province.pk}-{context['year']}.xlsx")


@login_required
def country_budget_export(request):
    if not scope_of(request.user).everything:  # the admin and the department's staff
        raise Http404
    context = _country_context(request)
    return budget_xlsx(context, f"budget-country-{context['year']}.xlsx")
