"""Field work: the target village's page, logging visits from a phone, following them up
and exporting them; the village's support team, households and partner support."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Max, Q
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments import years as program_years
from assignments.access import can_edit_target, editable_targets, get_target_for_user
from assignments.models import Stage, TargetVillage, VillageAssignment
from assignments.years import page_year, picker_years, selected_year, years_with_targets
from districts import changes
from districts.access import get_district_for_user, parse_id, posted_id, referring_page
from districts.downloads import xlsx_response
from districts.fragments import kept, kept_forms_body, kept_fragment, render_with_forms
from districts.lib import thai
from districts.lib.spreadsheets import xlsx_bytes
from districts.lib.thai import fiscal_year_of, format_be_input
from districts.models import Officer, Role, by_given_name, can_manage_district
from districts.pages import form_page, page_of
from districts.services import village_households_set
from fieldwork import access, notices, selectors, services
from fieldwork import plan as plans
from fieldwork.access import can_set_village_households, loggable_targets
from fieldwork.budget import Disbursement, money_sums
from fieldwork.filters import VisitFilter
from fieldwork.forms import (
    AdviceForm,
    AttendanceForm,
    HouseholdForm,
    IncomeRoundForm,
    LivelihoodGroupForm,
    PartnerSupportForm,
    TeamMemberForm,
    VillageHouseholdsForm,
    VisitForm,
)
from fieldwork.models import FieldVisit, Household, NeglectThreshold
from fieldwork.sync import submit_visit

# --- The target village ----------------------------------------------------------------------


def target_detail(request, pk, *, status=200, **forms):
    """A target village's page; ``forms`` are the team or partner form a POST sends back with
    their errors and what was typed, shown open (rendered now). Otherwise its body is kept
    under the district's change count, for this person (their rights and the households
    they may see) and day (the days since the last visit); its forms get this response's
    CSRF token beside it."""
    target = get_target_for_user(
        request.user, pk, related=("village__tambon__district", "stage", "year", "sage")
    )

    def body():
        return render_with_forms(
            "fieldwork/_target_body.html", _target_context(request, target, **forms), request
        )

    if forms:
        page = body()
    else:
        page = kept_forms_body(
            request,
            "target",
            count=changes.count(districts=[target.district_id]),
            vary=[request.user.pk],
            render=body,
        )
    return render(
        request, "fieldwork/target_detail.html", {"target": target, "body": page}, status=status
    )


def _target_context(request, target, **forms) -> dict:
    history = list(
        VillageAssignment.objects.filter(target=target).select_related(
            "officer__user", "assigned_by", "ended_by", "order"
        )
    )
    visits = list(target.visits.select_related("officer__user", "stage").order_by("-date", "-pk"))
    last = visits[0].date if visits else None
    day = selectors.neglect_reference_day(target.year_id)
    if last and last > day:  # followed up after its year: counted up to today
        day = timezone.localdate()
    return {
        "target": target,
        "history": history,
        "current": next((a for a in history if a.is_active), None),
        "visits": visits,
        "last_visit": last,
        "days_since": (day - (last or target.year.start_date)).days,
        "can_log": loggable_targets(request.user).filter(pk=target.pk).exists(),
        "village_history": selectors.village_history(target.village_id),
        # spent comes from the disbursements (fieldwork/budget.py), never typed
        "budget_used": Disbursement.objects.filter(line__target=target).aggregate(**money_sums())[
            "used"
        ],
        **_target_people(request.user, target, **forms),
    }


def _target_people(user, target, team_form=None, support_form=None, households_form=None) -> dict:
    """The village's sage, support team, households (with their income rounds, attendance
    and the spread), livelihood groups and partner projects, for its page: a fixed number of
    queries, however many households, rounds, groups and projects it has."""
    can_edit = can_edit_target(user, target)
    households = list(
        Household.objects.visible_to(user).filter(target=target).with_income().with_participation()
    )
    summary = (
        Household.objects.filter(target=target)
        .with_income()
        .aggregate(
            total=Count("pk", filter=Q(is_neighbour=False)),
            neighbours=Count("pk", filter=Q(is_neighbour=True)),
            practising=Count("pk", filter=Q(is_neighbour=False, still_practising=True)),
            income_before=Avg("baseline_income", filter=Q(latest_income__isnull=False)),
            income_after=Avg("latest_income"),
            latest_round=Max("latest_date"),
        )
    )
    spread = selectors.spread_of(target, summary["practising"], summary["neighbours"])
    return {
        "can_edit": can_edit,
        "team": list(target.team.select_related("sage")),
        "households": households,
        "household_summary": summary,
        "latest_round_age": selectors.age(summary["latest_round"]),
        "spread": spread,
        "groups": list(
            target.groups.annotate(n_members=Count("members")).order_by("status", "name")
        ),
        "supports": list(
            target.partner_supports.select_related("partner", "group").order_by(
                "status", "-start_date", "pk"
            )
        ),
        "team_form": (team_form or TeamMemberForm(target=target)) if can_edit else None,
        "support_form": (support_form or PartnerSupportForm(target=target)) if can_edit else None,
        "households_form": (
            households_form
            or VillageHouseholdsForm(initial={"households": target.village.households})
        )
        if can_set_village_households(user, target.district_id)
        else None,
    }


# --- Visits ---------------------------------------------------------------------------------


def visit_new(request):
    """The visit form: the villages of the year shown (the fiscal year of today unless the
    person picked another) and, for an officer, every village whose follow-up they hold,
    whatever its year. A year's list imported before it starts changes nothing here: the
    year shown is never later than today's (a visit is never in the future).

    The blank form shows the officer's villages and the one most in need of a visit: its
    fields are kept (districts/fragments.py) under the district's change count. The form
    element, its CSRF token and its one-time token are rendered live for every response,
    and so is a form sent back with errors (what was typed)."""
    if request.method == "POST":
        return _visit_post(request)
    officer = request.user.officer_or_none
    if officer is None:  # nobody but a district's officers and head logs a visit
        return render(request, "fieldwork/visit_no_villages.html", status=403)
    parts = kept(
        request,
        "visit_form",
        count=changes.count(districts=[officer.district_id]),
        vary=[officer.pk],  # their own villages
        render=lambda: (_blank_visit_parts(request), True),
    )
    if not parts:
        return render(request, "fieldwork/visit_no_villages.html", status=403)
    head, fields = parts
    return _visit_form_page(request, head, fields, submission=uuid.uuid4())


def _visit_post(request):
    targets, year, followups = _visit_choices(request)
    if targets is None:
        return render(request, "fieldwork/visit_no_villages.html", status=403)
    form = VisitForm(
        request.POST,
        request.FILES,
        targets=targets,
        year=year,
        followups=followups,
        officer=request.user.officer_or_none,
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("keep_location")
        logged = services.visit_log(user=request.user, **data)
        visit = logged.visit
        saved = (
            _("This visit was already saved; it is not saved twice.")
            if logged.repeated
            else _("Visit to %(village)s on %(date)s saved.")
            % {
                "village": visit.target.village,
                # as every page writes a day: 20 ก.ย. 2560, not 20/09/2560
                "date": thai.format_date(visit.date, lang=get_language() or "th"),
            }
        )
        messages.success(request, saved)
        return redirect("fieldwork:visit_detail", pk=visit.pk)
    if request.FILES:
        messages.warning(
            request,
            _("Nothing was saved yet. What you typed is kept below; choose the photos again."),
        )
    head, fields = _visit_form_parts(request, form, year, followups)
    return _visit_form_page(request, head, fields, form=form, submission=form["submission"].value())


def _visit_choices(request):
    """The villages the person may log a visit to in the year shown, the year, and the
    follow-ups they hold; ``(None, None, None)`` when they work no village at all."""
    if not years_with_targets(loggable_targets(request.user)):
        return None, None, None
    year = min(selected_year(request), program_years.current_year())
    return loggable_targets(request.user, year), year, access.followup_targets(request.user)


def _blank_visit_parts(request) -> tuple[str, str]:
    """The page head and the blank form's fields, or ``()`` when the person works no village."""
    targets, year, followups = _visit_choices(request)
    if targets is None:
        return ()
    form = _blank_visit_form(request, targets, year, followups)
    return _visit_form_parts(request, form, year, followups)


def _visit_form_parts(request, form, year, followups) -> tuple[str, str]:
    this_year = program_years.current_year()
    own_years = years_with_targets(loggable_targets(request.user).exclude(pk__in=followups))
    context = {
        "form": form,
        "year": year,
        "years": picker_years([y for y in own_years if y <= this_year], year, this_year),
    }
    return (
        render_to_string("fieldwork/_visit_form_head.html", context, request=request),
        render_to_string("fieldwork/_visit_form_body.html", context, request=request),
    )


def _visit_form_page(request, head, fields, *, submission, form=None):
    return render(
        request,
        "fieldwork/visit_form.html",
        {
            "head": mark_safe(head),  # noqa: S308 (our templates, escaped there)
            "fields": mark_safe(fields),  # noqa: S308
            "form": form,
            "submission": submission or "",
        },
    )


@require_GET
def outbox(request):
    """The phone's outbox: the visits kept there are read from the phone (IndexedDB) by
    static/js/offline.js; the page itself only frames them, so it can be kept offline."""
    return render(request, "fieldwork/outbox.html")


@require_http_methods(["GET", "POST"])
def visit_sync(request):
    """Where the phone's outbox sends a visit saved with no signal: the same form, service
    and rules as the visit form, answered in JSON.

    GET gives the outbox what it needs before sending: a CSRF token and whose session this
    is (a visit kept by one officer is never sent in another's). POST answers 201 (saved),
    200 (already saved: the same one-time token came before) or 422 with the reason in
    the officer's language (the outbox keeps a refused visit, with it, until deleted).
    """
    if request.method == "GET":
        return JsonResponse({"csrf": get_token(request), "user": request.user.get_username()})
    sent = submit_visit(request.user, request.POST, request.FILES)
    if sent.reason is not None:
        try:  # the officer is told of a refused visit the phone kept (its token names it)
            submission = uuid.UUID(request.POST.get("submission") or "")
        except ValueError:
            submission = None
        return _refused(sent.reason(), officer=request.user.officer_or_none, submission=submission)
    return _synced(sent.visit, repeated=sent.repeated)


def _synced(visit, *, repeated: bool) -> JsonResponse:
    return JsonResponse(
        {
            "status": "repeated" if repeated else "saved",
            "url": reverse("fieldwork:visit_detail", args=[visit.pk]),
            "received_at": visit.created_at.isoformat(),
        },
        status=200 if repeated else 201,
    )


def _refused(reason: str, *, officer=None, submission=None) -> JsonResponse:
    notices.visit_refused(officer=officer, submission=submission, reason=reason)
    return JsonResponse({"status": "refused", "reason": reason}, status=422)


def _blank_visit_form(request, targets, year, followups) -> VisitForm:
    """The form with the village most in need of a visit chosen; no one-time token (the
    page gives each response its own)."""
    today = timezone.localdate()
    initial = {"date": today if fiscal_year_of(today) == year else None}
    target = parse_id(request.GET.get("target"))
    chosen = targets.filter(pk=target).first() if target else None
    if chosen is None:
        # the village that most needs a visit: the most overdue, else the longest unvisited
        rows = selectors.followed_up(targets.filter(year_id=year), year)
        late = selectors.overdue(rows, year)
        if late:
            chosen = late[0].target
        elif rows:
            chosen = min(rows, key=lambda r: (r.last_visit or dt.date.min, r.target.pk)).target
    if chosen is not None:
        initial["target"] = chosen.pk
        if chosen.pk in followups:  # a follow-up is visited in any year: today, as a rule
            initial["date"] = today
        # where the village is now (the officer may move it); a follow-up after the village's
        # year is the programme's last stage, follow-up and evaluation
        initial["stage"] = (
            Stage.objects.order_by("-order").values_list("pk", flat=True).first()
            if chosen.pk in followups
            else chosen.stage_id
        )
    return VisitForm(targets=targets, year=year, followups=followups, initial=initial)


def _visit_page(request, visit, *, form=None, status=200):
    can_advise = can_manage_district(request.user, visit.target.district_id)
    if can_advise and form is None:
        form = AdviceForm(
            initial={"needs_more": visit.needs_more, "needs_more_reason": visit.needs_more_reason}
        )
    return render(
        request,
        "fieldwork/visit_detail.html",
        {
            "visit": visit,
            "photos": list(visit.photos.all()),
            "advice": list(visit.advice.select_related("author")),
            "can_advise": can_advise,
            "form": form if can_advise else None,
            "attendance": list(
                visit.attendances.select_related("household").order_by(
                    "household__is_neighbour", "household__head_name"
                )
            ),
            "attendance_form": (
                AttendanceForm(visit=visit) if can_edit_target(request.user, visit.target) else None
            ),
        },
        status=status,
    )


def visit_detail(request, pk):
    visit = access.get_visit_for_user(
        request.user, pk, related=("target__village__tambon__district", "officer__user", "stage")
    )
    services.advice_mark_read(visit=visit, user=request.user)
    return _visit_page(request, visit)


@require_POST
def visit_advice(request, pk):
    visit = access.get_visit_for_user(request.user, pk, write=True)
    form = AdviceForm(request.POST)
    if form.is_valid():
        services.advice_add(visit=visit, user=request.user, **form.cleaned_data)
        messages.success(request, _("Advice saved. The officer sees it on their home page."))
        return redirect("fieldwork:visit_detail", pk=visit.pk)
    return _visit_page(request, visit, form=form, status=400)


def visit_photo(request, pk, size):
    """Photos are served only to those who may see the visit, never as public media."""
    if size not in ("image", "display", "thumb"):
        raise Http404
    photo = access.get_photo_for_user(request.user, pk, only=[size])
    response = FileResponse(getattr(photo, size).open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def visit_list(request, code):
    district = get_district_for_user(request.user, code)
    body = kept_fragment(
        request,
        "visit_list",
        count=changes.count(districts=[district.pk]),
        render=lambda: (_visit_list(request, district), True),
    )
    return render(request, "fieldwork/visit_list.html", {"district": district, "body": body})


def _visit_list(request, district) -> str:
    district_targets = TargetVillage.objects.filter(district=district)
    year, years = page_year(request, district_targets)
    visits = FieldVisit.objects.filter(target__district=district, target__year_id=year)
    filterset = VisitFilter(request.GET or None, queryset=visits.for_list(), district=district)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_to_string(
        "fieldwork/_visit_list_body.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "filter": filterset,
            "page": page,
            "visits": list(page.object_list),
            "query": query.urlencode(),
        },
        request,
    )


def visit_export(request, code):
    district = get_district_for_user(request.user, code)
    year, _years = page_year(request, TargetVillage.objects.filter(district=district))
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
    response = xlsx_response(
        xlsx_bytes(_("Visits"), headers, rows), f"visits-{district.pk}-{year}.xlsx"
    )
    return response


@dataclass(frozen=True)
class ThresholdRow:
    """A stage on the thresholds form: its days (as typed, when sent back) and its error."""

    stage: Stage
    days: int | str | None
    error: str | None


def plan(request, code):
    """The district's plan of a fiscal year: what is late first, then month by month each
    village's stages with their planned date, deadline and the day a visit reached them.
    Every member of the district reads the whole plan (``?officer=`` narrows it to one
    officer's villages: the link an officer's home gives)."""
    district = get_district_for_user(request.user, code)
    me = request.user.officer_or_none
    can_manage = can_manage_district(request.user, district.pk)
    body = kept_fragment(
        request,
        "district_plan",
        count=changes.count(districts=[district.pk]),
        vary=[can_manage, me.pk if me else None],  # the head's links, the officer's own rows
        render=lambda: (_plan_body(request, district, me, can_manage), True),
    )
    return render(request, "fieldwork/plan.html", {"district": district, "body": body})


def _plan_body(request, district, me, can_manage) -> str:
    year, years = page_year(request, TargetVillage.objects.filter(district=district))
    officers = list(
        Officer.objects.filter(district=district, role=Role.OFFICER)
        .select_related("user")
        .order_by("user__username")
    )
    chosen = None
    raw = request.GET.get("officer", "")
    if raw:
        chosen = next((o for o in officers if str(o.pk) == raw), None)
        if chosen is None:
            raise Http404
    the_plan = plans.district_plan(district.pk, year, today=timezone.localdate(), officer=chosen)
    villages = {}
    for item in the_plan.items:  # each village once, with how many stages it has planned
        row = villages.setdefault(item.target.pk, [item.target, item.officer, 0, 0])
        row[2] += item.planned is not None
        row[3] += item.is_late
    return render_to_string(
        "fieldwork/_plan_body.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "plan": the_plan,
            "late": the_plan.late,
            "months": the_plan.months,
            "undated": the_plan.undated,
            "villages": list(villages.values()),
            "officers": officers,
            "chosen": chosen,
            "can_manage": can_manage,
            "me": me.pk if me else None,
        },
        request=request,
    )


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
            services.thresholds_set(district=district, days=values, actor=request.user)
            messages.success(request, _("Not-visited thresholds saved."))
            return redirect("fieldwork:thresholds", code=code)
    rows = [
        ThresholdRow(
            stage=stage,
            days=(
                request.POST.get(f"stage-{stage.pk}")
                if errors
                else own.get(stage.pk, stage.neglect_days)
            ),
            error=errors.get(stage.pk),
        )
        for stage in stages
    ]
    return render(
        request,
        "fieldwork/thresholds.html",
        {
            "district": district,
            "rows": rows,
            "can_manage": can_manage_district(request.user, district.pk),
        },
        status=400 if errors else 200,
    )


@require_POST
def support_add(request, pk):
    target = get_target_for_user(request.user, pk, write=True)
    form = PartnerSupportForm(request.POST, target=target)
    if not form.is_valid():  # shown again, open, with what was typed
        return target_detail(request, target.pk, status=400, support_form=form)
    services.partner_support_save(support=form.instance, actor=request.user)
    messages.success(request, _("Partner project added."))
    return redirect("fieldwork:target_detail", pk=target.pk)


# --- Support team ----------------------------------------------------------------------------


@require_POST
def team_add(request, pk):
    target = get_target_for_user(request.user, pk, write=True)
    form = TeamMemberForm(request.POST, target=target)
    if not form.is_valid():
        return target_detail(request, target.pk, status=400, team_form=form)
    member = services.team_member_add(member=form.instance, actor=request.user)
    messages.success(request, _("%(name)s added to the team.") % {"name": member.name})
    return redirect("fieldwork:target_detail", pk=target.pk)


@require_POST
def team_remove(request, pk):
    member = access.get_team_member_for_user(request.user, pk, write=True)
    if member is None:
        # removed already (the same removal sent twice): done, not "page not found"
        messages.info(request, _("That team member is no longer in the team."))
        return redirect(referring_page(request, "home"))
    services.team_member_remove(member=member, actor=request.user)
    messages.success(
        request, _("%(name)s is no longer in the support team.") % {"name": member.name}
    )
    return redirect("fieldwork:target_detail", pk=member.target_id)


# --- Households ------------------------------------------------------------------------------


def household_list(request, code):
    district = access.get_household_district_for_user(request.user, code)
    year, years = page_year(request, TargetVillage.objects.filter(district=district))
    households = (
        Household.objects.visible_to(request.user)
        .filter(target__district=district, target__year_id=year)
        .with_income()
    )
    tambon = request.GET.get("tambon", "")
    if tambon:
        households = households.filter(target__village__tambon_id=tambon)
    kind = request.GET.get("kind", "")
    if kind in ("target", "neighbour"):
        households = households.filter(is_neighbour=kind == "neighbour")
    households = households.select_related("target__village__tambon").order_by(
        "target__village_id", "is_neighbour", by_given_name("head_name")
    )
    page, query = page_of(request, households, per_page=50)
    return render(
        request,
        "fieldwork/household_list.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "page": page,
            "households": list(page.object_list),
            "query": query,
            "tambons": list(district.tambons.order_by("code")),
            "tambon": tambon,
            "kind": kind,
            "editable": set(editable_targets(request.user, district).values_list("pk", flat=True)),
        },
    )


def household_edit(request, pk=None, *, round_form=None, status=200):
    """A new household (with its baseline round), or one on record with its income rounds
    and the form to add one."""
    if pk:
        household = access.get_household_for_user(request.user, pk, write=True)
        target = household.target
    else:
        household = None
        target = get_target_for_user(
            request.user,
            posted_id(request.GET.get("target") or request.POST.get("target")),
            write=True,
            related=["district"],
        )
    targets = editable_targets(request.user, target.district).filter(year_id=target.year_id)
    posted = request.method == "POST" and round_form is None
    form = HouseholdForm(
        request.POST if posted else None,
        instance=household,
        targets=targets,
        initial={"target": target.pk},
    )
    if posted and form.is_valid():
        extra = {}
        if household is None:
            extra = {
                "baseline_income": form.cleaned_data["baseline_income"],
                "baseline_date": form.cleaned_data["baseline_date"],
            }
        saved = services.household_save(household=form.instance, actor=request.user, **extra)
        messages.success(request, _("Household %(name)s saved.") % {"name": saved.head_name})
        return redirect("fieldwork:target_detail", pk=saved.target_id)
    back = reverse("fieldwork:target_detail", args=[target.pk])
    if household is None:
        return form_page(request, form, _("Household"), back)
    return render(
        request,
        "fieldwork/household.html",
        {
            "household": household,
            "target": target,
            "form": form,
            "rounds": list(household.income_rounds.select_related("recorded_by")),
            "round_form": round_form or IncomeRoundForm(household=household),
            "back": back,
        },
        status=400 if posted else status,
    )


@require_POST
def income_round_add(request, pk):
    household = access.get_household_for_user(request.user, pk, write=True)
    form = IncomeRoundForm(request.POST, household=household)
    if not form.is_valid():  # shown again with what was typed
        return household_edit(request, household.pk, round_form=form, status=400)
    try:
        services.income_round_add(round=form.instance, actor=request.user)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return household_edit(request, household.pk, round_form=form, status=400)
    messages.success(request, _("Income round saved for %(name)s.") % {"name": household.head_name})
    return redirect("fieldwork:household_edit", pk=household.pk)


@require_POST
def village_households(request, pk):
    """The village's number of households, set from its target page."""
    target = get_target_for_user(request.user, pk, related=("village__tambon",))
    if not can_set_village_households(request.user, target.district_id):
        raise PermissionDenied
    form = VillageHouseholdsForm(request.POST)
    if not form.is_valid():
        return target_detail(request, target.pk, status=400, households_form=form)
    village_households_set(
        village=target.village, households=form.cleaned_data["households"], actor=request.user
    )
    messages.success(request, _("The village's number of households is saved."))
    return redirect("fieldwork:target_detail", pk=target.pk)


# --- Livelihood groups -----------------------------------------------------------------------


def group_edit(request, pk=None, *, target_pk=None):
    """A village's livelihood group: new (from its target page) or on record."""
    if pk:
        group = access.get_group_for_user(request.user, pk, write=True)
        target = group.target
    else:
        group = None
        target = get_target_for_user(request.user, target_pk, write=True)
    form = LivelihoodGroupForm(request.POST or None, instance=group, target=target)
    if request.method == "POST" and form.is_valid():
        saved = services.group_save(
            group=form.instance, members=form.cleaned_data["members"], actor=request.user
        )
        messages.success(request, _("Group %(name)s saved.") % {"name": saved.name})
        return redirect("fieldwork:target_detail", pk=target.pk)
    back = reverse("fieldwork:target_detail", args=[target.pk])
    response = form_page(request, form, _("Livelihood group"), back)
    if form.is_bound:
        response.status_code = 400
    return response


# --- Partner projects ------------------------------------------------------------------------


def support_edit(request, pk):
    """A partner project on record: its status, dates and result change as it goes."""
    support = access.get_support_for_user(request.user, pk, write=True)
    form = PartnerSupportForm(request.POST or None, instance=support, target=support.target)
    if request.method == "POST" and form.is_valid():
        services.partner_support_save(support=form.instance, actor=request.user)
        messages.success(request, _("Partner project saved."))
        return redirect("fieldwork:target_detail", pk=support.target_id)
    back = reverse("fieldwork:target_detail", args=[support.target_id])
    response = form_page(request, form, _("Partner project"), back)
    if form.is_bound:
        response.status_code = 400
    return response


# --- Attendance ------------------------------------------------------------------------------


@require_POST
def visit_attendance(request, pk):
    """The visit's sign-in sheet: which of the village's households came."""
    visit = access.get_visit_for_user(request.user, pk, related=("target",))
    if not can_edit_target(request.user, visit.target):
        raise PermissionDenied
    form = AttendanceForm(request.POST, visit=visit)
    if not form.is_valid():
        messages.error(request, _("Tick the households that came; one of them is not listed."))
        return redirect("fieldwork:visit_detail", pk=visit.pk)
    n = services.attendance_set(
        visit=visit, households=form.cleaned_data["households"], actor=request.user
    )
    messages.success(
        request,
        ngettext(
            "Attendance saved: %(n)d household came.",
            "Attendance saved: %(n)d households came.",
            n,
        )
        % {"n": n},
    )
    return redirect("fieldwork:visit_detail", pk=visit.pk)
