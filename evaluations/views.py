"""Dashboards (district, province, country), village evaluations and officers' work reviews."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assignments import access as assignment_access
from assignments.models import FiscalYear, MeetingAction, Stage, TargetVillage
from assignments.years import page_year
from districts import changes
from districts.access import (
    get_district_for_user,
    get_province_for_user,
    id_or_404,
    posted_id,
)
from districts.downloads import XLSX_CONTENT_TYPE, xlsx_response
from districts.fragments import kept_fragment
from districts.lib import thai
from districts.lib.spreadsheets import xlsx_bytes
from districts.models import (
    District,
    Officer,
    Province,
    Role,
    Tambon,
    TambonResponsibility,
    can_manage_district,
    can_read_reviews,
    scope_of,
)
from evaluations import services
from evaluations.forms import EvaluationForm, OfficerReviewForm, ReviewForm
from evaluations.models import ExtractStatus, NationalExtract, ReviewStatus, VillageEvaluation
from fieldwork import access as field_access
from fieldwork import plan as field_plan
from fieldwork import selectors as field_selectors
from fieldwork.budget import Disbursement, money_sums
from fieldwork.models import FieldVisit, Household, VisitAdvice


def _columns():
    return [
        ("targets", _("Target villages")),
        ("assigned_pct", _("Assigned (%)")),
        ("visited_pct", _("Visited in the last 30 days (%)")),
        ("households", _("Target households")),
        ("practising_pct", _("Still practising (%)")),
        ("income_change_avg", _("Average income change (baht/month)")),
        ("neighbours", _("Neighbouring households joined")),
        ("spread_pct", _("Spread in the villages (%)")),
        ("partner_active", _("Villages with an active partner project")),
        ("budget_allocated", _("Budget allocated (baht)")),
        ("spent_pct", _("Budget spent (%)")),
        ("evaluations_approved", _("Evaluations approved")),
    ]


def _xlsx(filename, title, first_header, rows, *, before=(), first=None):
    """rows: (name, Figures) pairs; the columns are the ones the page shows, then a total
    row. ``before`` and ``first``: columns of text put before the figures, and each row's."""
    columns = _columns()
    headers = [first_header, *before] + [label for _key, label in columns]
    data = [
        [name, *(first(name) if first else ())] + [getattr(f, key) for key, _label in columns]
        for name, f in rows
    ]
    overall = services.total([f for _name, f in rows])
    totals = [_("Total"), *([""] * len(before))] + [getattr(overall, k) for k, _l in columns]
    return xlsx_response(xlsx_bytes(title, headers, data, totals=totals), filename)


def _district_xlsx(district, year, counts):
    """The district's sheet as an office sends it upward: a row per target village (its
    tambon, officer, stage, households, spread and budget), the district's total below."""
    rows = field_selectors.followed_up(TargetVillage.objects.filter(district=district), year)
    people = {
        h["target_id"]: h
        for h in Household.objects.filter(target__district=district, target__year_id=year)
        .values("target_id")
        .annotate(
            households=Count("pk", filter=Q(is_neighbour=False)),
            practising=Count("pk", filter=Q(is_neighbour=False, still_practising=True)),
            neighbours=Count("pk", filter=Q(is_neighbour=True)),
        )
    }
    spent = dict(  # disbursed against each village's budget lines (fieldwork/budget.py)
        Disbursement.objects.filter(line__target__district=district, line__target__year_id=year)
        .order_by()
        .values("line__target_id")
        .annotate(used=money_sums()["used"])
        .values_list("line__target_id", "used")
    )
    headers = [
        _("Village"), _("Tambon"), _("Officer"), _("Stage"), _("Last visit"),
        _("Target households"), _("Still practising"), _("Neighbouring households joined"),
        _("Budget allocated (baht)"), _("Budget spent (baht)"),
    ]  # fmt: skip
    data = []
    for r in rows:
        v, h = r.target.village, people.get(r.target.pk, {})
        data.append([
            f"{v.name} {_('Moo')} {v.moo}", v.tambon.name,
            r.officer.user.display_name if r.officer else "—",
            r.target.stage.name if r.target.stage else "—",
            thai.format_date(r.last_visit, lang=get_language() or "th") or "—",
            h.get("households", 0), h.get("practising", 0), h.get("neighbours", 0),
            r.target.budget_allocated, spent.get(r.target.pk, Decimal(0)),
        ])  # fmt: skip
    f = _district_figures(district, year, counts)
    totals = [_("Total"), "", "", "", "", f.households, f.practising, f.neighbours,
              f.budget_allocated, f.budget_spent]  # fmt: skip
    title = f"{_('District')} {district.name} {year}"
    return xlsx_response(
        xlsx_bytes(title, headers, data, totals=totals), f"dashboard-{district.pk}-{year}.xlsx"
    )


def _stage_chart(stages, figures):
    return {
        "type": "bar",
        "labels": [s.name for s in stages],
        "datasets": [
            {"label": _("Villages"), "data": [figures.stages.get(s.order, 0) for s in stages]}
        ],
    }


def district_dashboard(request, code):
    district = get_district_for_user(request.user, code)
    counts = changes.counts([district.pk])  # the key, and the summary row's currency
    if request.GET.get("format") == "xlsx":
        year, _years = page_year(request, TargetVillage.objects.filter(district=district))
        return _district_xlsx(district, year, counts)
    can_manage = can_manage_district(request.user, district.pk)
    can_see_households = field_access.can_see_households(request.user, district)
    body = kept_fragment(
        request,
        "district_dashboard",
        count=counts[district.pk],
        vary=[can_manage, can_see_households],
        render=lambda: (
            _district_dashboard(request, district, counts, can_manage, can_see_households),
            True,
        ),
    )
    context = {"district": district, "body": body}
    return render(request, "evaluations/district_dashboard.html", context)


@dataclass(frozen=True)
class OfficerLoad:
    """A field officer on the district page, with the target villages they have this year."""

    officer: Officer
    load: int


def _district_figures(district, year, counts) -> services.Figures:
    return services.area_figures(year, district_ids=[district.pk], counts=counts).rows.get(
        district.pk, services.Figures(key=district.pk)
    )


def _district_dashboard(request, district, counts, can_manage, can_see_households) -> str:
    district_targets = TargetVillage.objects.filter(district=district)
    year, years = page_year(request, district_targets)
    figures = _district_figures(district, year, counts)
    stages = list(Stage.objects.order_by("order"))
    # every target of the year with its last visit and officer: the table, the officers'
    # loads and the not-visited list, from one query and its prefetch
    rows = field_selectors.followed_up(district_targets, year)
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
        .with_current_tambons()
        .order_by("role", "user__username")
    )
    loads = Counter(r.officer.pk for r in rows if r.officer)
    field_officers = [
        OfficerLoad(officer=o, load=loads.get(o.pk, 0))
        for o in officers
        if o.role == Role.OFFICER and o.is_active
    ]
    late = field_selectors.overdue(rows, year)
    today = timezone.localdate()
    plan_late = len(field_plan.district_plan(district.pk, year, today=today, stages=stages).late)
    # the team meetings' actions still open, shown until their owner marks them done
    actions = list(MeetingAction.objects.filter(meeting__district=district).open().for_list())
    # the head's queue: this year's visits nobody has advised on yet
    awaiting = (
        FieldVisit.objects.filter(target__district=district, target__year_id=year)
        .exclude(Exists(VisitAdvice.objects.filter(visit=OuterRef("pk"))))
        .count()
        if can_manage
        else 0
    )
    charts = {
        "loads": {
            "type": "bar",
            "labels": [r.officer.user.display_name for r in field_officers],
            "datasets": [{"label": _("Target villages"), "data": [r.load for r in field_officers]}],
        },
        "stages": _stage_chart(stages, figures),
    }
    return render_to_string(
        "evaluations/_district_dashboard_body.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "f": figures,
            "stages": stages,
            "tambons": tambons,
            "targets": [r.target for r in rows],
            "officers": officers,
            "field_officers": field_officers,
            "late": late[:10],
            "late_count": len(late),
            "awaiting_advice": awaiting,
            "plan_late": plan_late,
            "actions": actions,
            "actions_overdue": sum(a.due < today for a in actions),
            "today": today,
            "charts": charts,
            "can_manage": can_manage,
            "can_see_households": can_see_households,
        },
        request,
    )


def _area_dashboard(
    request, *, title, areas, figures, year, years, link, filename, first_header, extra=None
):
    """The province or country page's body and whether it may be kept, or its .xlsx (a
    response): one row per area. ``figures``: an ``AreaFigures``, whose rows may be older
    than the last writes (then the page says so, and is not kept)."""
    rows = [(area, figures.rows.get(area.pk, services.Figures(key=area.pk))) for area in areas]
    if request.GET.get("format") == "xlsx":
        return _xlsx(filename, title, first_header, [(a.name, f) for a, f in rows])
    stages = list(Stage.objects.order_by("order"))
    overall = services.total([f for _a, f in rows])
    charts = {
        "targets": {
            "type": "bar",
            "labels": [a.name for a, _f in rows],
            "datasets": [
                {"label": _("Target villages"), "data": [f.targets for _a, f in rows]},
                {
                    "label": _("Visited in the last 30 days"),
                    "data": [f.visited_recently for _a, f in rows],
                },
            ],
        },
        "practising": {
            "type": "bar",
            "labels": [a.name for a, _f in rows],
            "datasets": [
                {"label": _("Still practising (%)"), "data": [f.practising_pct for _a, f in rows]}
            ],
        },
        "stages": _stage_chart(stages, overall),
    }
    context = {
        "title": title,
        "rows": rows,
        "overall": overall,
        "year": year,
        "years": years,
        "charts": charts,
        "stages": stages,
        "link": link,
        "columns": _columns(),
        "first_header": first_header,
        "figures_old_since": figures.old_since,
        **(extra or {}),
    }
    html = render_to_string("evaluations/_area_dashboard_body.html", context, request)
    return html, figures.old_since is None


def _area_page(request, name: str, title: str, counts: dict, build) -> HttpResponse:
    if request.GET.get("format") == "xlsx":
        return build()
    body = kept_fragment(request, name, count=changes.total(counts), render=build)
    return render(request, "evaluations/area_dashboard.html", {"title": title, "body": body})


def _computed_by_a_page(request) -> int | None:
    # an export is a record kept outside the portal: never older than the last write
    return None if request.GET.get("format") == "xlsx" else services.COMPUTED_BY_A_PAGE


def province_dashboard(request, code):
    province = get_province_for_user(request.user, code)
    counts = changes.counts(province=province.pk)  # the key, and the summary rows' currency
    title = _("Province %(name)s") % {"name": province.name}
    return _area_page(
        request,
        "province_dashboard",
        title,
        counts,
        lambda: _province_dashboard(request, province, title, counts),
    )


def _province_dashboard(request, province, title, counts):
    targets = TargetVillage.objects.filter(district__province_id=province.pk)
    year, years = page_year(request, targets)
    districts = list(District.objects.filter(province=province).order_by("code"))
    return _area_dashboard(
        request,
        title=title,
        areas=districts,
        figures=services.area_figures(
            year,
            district_ids=[d.pk for d in districts],
            compute_at_most=_computed_by_a_page(request),
            counts=counts,
        ),
        year=year,
        years=years,
        link="district_detail",
        filename=f"dashboard-{province.pk}-{year}.xlsx",
        first_header=_("District"),
        extra={"province": province},
    )


def country_dashboard(request):
    if not scope_of(request.user).everything:  # the admin and the department's staff
        raise Http404
    counts = changes.counts()
    title = _("Country")
    return _area_page(
        request, "country_dashboard", title, counts, lambda: _country_dashboard(request, counts)
    )


def _country_dashboard(request, counts):
    targets = TargetVillage.objects.all()
    year, years = page_year(request, targets)
    return _area_dashboard(
        request,
        title=_("Country"),
        areas=list(Province.objects.order_by("code")),
        figures=services.area_figures(
            year, by="province", compute_at_most=_computed_by_a_page(request), counts=counts
        ),
        year=year,
        years=years,
        link="province_detail",
        filename=f"dashboard-country-{year}.xlsx",
        first_header=_("Province"),
    )


# --- Village evaluation ----------------------------------------------------------------------


def evaluation(request, pk):
    """The village's evaluation rounds side by side; the open round's form, the head's
    review of a submitted one, and a new follow-up round once the last is approved."""
    target = assignment_access.get_target_for_user(
        request.user, pk, related=("village__tambon__district", "year")
    )
    rounds = list(VillageEvaluation.objects.filter(target=target).order_by("round"))
    current = rounds[-1] if rounds else None
    may_edit = assignment_access.can_edit_target(request.user, target)
    can_edit = may_edit and (
        current is None or current.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
    )
    can_start = may_edit and current is not None and current.status == ReviewStatus.APPROVED
    can_review = (
        can_manage_district(request.user, target.district_id)
        and current is not None
        and current.status == ReviewStatus.SUBMITTED
    )
    form = EvaluationForm(instance=current) if can_edit else None
    review_form = ReviewForm() if can_review else None
    if request.method == "POST":
        try:
            if "new_round" in request.POST:
                if not can_start:
                    raise PermissionDenied
                started = services.evaluation_round_start(target=target, user=request.user)
                messages.success(
                    request, _("Evaluation round %(n)d started.") % {"n": started.round}
                )
                return redirect("evaluations:evaluation", pk=target.pk)
            if "review" in request.POST:
                if not can_review:
                    raise PermissionDenied
                review_form = ReviewForm(request.POST)
                if review_form.is_valid():
                    services.evaluation_review(
                        evaluation=current,
                        user=request.user,
                        approve=review_form.cleaned_data["decision"] == "approve",
                        comment=review_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Review saved."))
                    return redirect("evaluations:evaluation", pk=target.pk)
            else:
                if not can_edit:
                    raise PermissionDenied
                form = EvaluationForm(request.POST, instance=current)
                if form.is_valid():
                    services.evaluation_save(
                        target=target,
                        user=request.user,
                        submit="submit" in request.POST,
                        **form.cleaned_data,
                    )
                    messages.success(request, _("Evaluation saved."))
                    return redirect("evaluations:evaluation", pk=target.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "evaluations/evaluation.html",
        {
            "target": target,
            "evaluation": current,
            "rounds": rounds,
            "computed": services.village_indicators(target),
            "form": form,
            "review_form": review_form,
            "can_start": can_start,
        },
    )


# --- Officers' programme work ----------------------------------------------------------------


def officer_work(request, code):
    district = get_district_for_user(request.user, code)
    year, years = page_year(request, TargetVillage.objects.filter(district=district))
    can_manage = can_manage_district(request.user, district.pk)
    rows = services.officer_work(district, year)
    all_reviews = can_read_reviews(request.user, district.pk)
    own_review = next((w.review for w in rows if w.officer.user_id == request.user.pk), None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        # only the officers the page lists: not the head (who would rate themselves), not
        # someone of another district
        listed = {str(w.officer.pk): w.officer for w in rows}
        officer = listed.get(request.POST.get("officer", ""))
        if officer is None:
            raise Http404
        form = OfficerReviewForm(request.POST)
        if form.is_valid():
            services.officer_review_save(
                officer=officer, year=year, user=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Review of %(name)s saved.") % {"name": officer.user.display_name}
            )
            return redirect(f"{request.path}?year={year}")
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return render(
        request,
        "evaluations/officer_work.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "rows": rows,
            "can_manage": can_manage,
            "all_reviews": all_reviews,
            "own_review": own_review,
            "print": request.GET.get("print") == "1",
            "form": OfficerReviewForm(),
        },
    )


# --- The department's national extracts --------------------------------------------------------


def _national_reader(user) -> None:
    """The country's records: the department's staff and the system admin (else 404)."""
    if not scope_of(user).everything:
        raise Http404


def extracts(request):
    """National extracts per fiscal year: asked of the worker here, downloaded when ready."""
    _national_reader(request.user)
    years = list(FiscalYear.objects.filter(targets__isnull=False).distinct().order_by("-year"))
    status = 200
    if request.method == "POST":
        year = posted_id(request.POST.get("year"))
        try:
            services.extract_request(year=year or 0, user=request.user)
        except ValidationError:
            messages.error(request, _("Choose a fiscal year that has target villages."))
            status = 400
        else:
            messages.success(
                request,
                _("The extract is being made; this page shows it when it is ready."),
            )
            return redirect("evaluations:extracts")
    rows = list(NationalExtract.objects.select_related("requested_by")[:20])
    return render(
        request, "evaluations/extracts.html", {"years": years, "extracts": rows}, status=status
    )


def extract_download(request, pk, fmt):
    _national_reader(request.user)
    extract = get_object_or_404(
        NationalExtract.objects.filter(status=ExtractStatus.READY), pk=id_or_404(pk)
    )
    if fmt not in ("csv", "xlsx"):
        raise Http404
    stored = getattr(extract, fmt)
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"national-extract-{extract.year_id}.{fmt}",
        content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    return response
