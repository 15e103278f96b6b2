"""The assignment board, the fair-distribution suggestion, office orders, target pages."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assignments import access, services
from assignments import years as years
from assignments.forms import OrderForm
from assignments.models import (
    AssignmentOrder,
    FiscalYear,
    FollowUp,
    Stage,
    TargetVillage,
    VillageAssignment,
)
from assignments.plan_forms import ActionFormSet, MeetingForm, StageDatesForm, deadline_hints
from assignments.plans import (
    Meeting,
    MeetingAction,
    PlannedDate,
    StageDeadline,
    effective_deadlines,
)
from districts import changes
from districts.access import (
    get_district_for_user,
    get_province_for_user,
    parse_id,
    posted_id,
    referring_page,
)
from districts.fragments import FormsBody, kept, render_with_forms
from districts.lib.thai import format_be_input
from districts.models import Officer, Role, Tambon, can_manage_district

# A follow-up counts as half a village in an officer's load: a village in its programme year
# needs a visit or more a month through six stages, one followed up after its year a few
# visits a year (docs/architecture.md).
FOLLOWUP_LOAD = Fraction(1, 2)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _year(request, district) -> tuple[int, list[int]]:
    return years.page_year(request, TargetVillage.objects.filter(district=district))


# --- The district's plan and its team meetings (assignments/plans.py) ------------------------
# The plan page itself shows what visits reached, so it is fieldwork's (fieldwork.views.plan).


def target_plan(request, pk):
    """A target village's planned date per stage: the head, or the officer holding it."""
    target = access.get_target_for_user(request.user, pk, related=["village", "district"])
    if not access.can_edit_plan(request.user, target):
        raise PermissionDenied
    stages = list(Stage.objects.order_by("order"))
    deadlines = effective_deadlines(target.district_id, target.year_id)
    planned = {p.stage_id: p.date for p in PlannedDate.objects.filter(target=target)}
    form = StageDatesForm(
        request.POST or None,
        stages=stages,
        hints=deadline_hints(deadlines),
        initial={s.code: planned.get(s.pk) for s in stages},
    )
    back = reverse("fieldwork:plan", args=[target.district_id]) + f"?year={target.year_id}"
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_dates_set(target=target, dates=form.dates(), actor=request.user)
        except ValidationError as error:
            for code, texts in error.message_dict.items():
                for text in texts:
                    form.add_error(code, text)
        else:
            messages.success(
                request, _("The plan of %(village)s is saved.") % {"village": target.village}
            )
            return redirect(back)
    return render(
        request,
        "assignments/stage_dates.html",
        {
            "form": form,
            "title": _("Planned dates: %(village)s, %(year)s")
            % {"village": target.village, "year": target.year_id},
            "intro": _(
                "The day the district plans this village to reach each stage. Leave a stage "
                "empty if it is not planned yet."
            ),
            "back": back,
        },
    )


def deadlines(request, code):
    """A province's own deadlines per stage for a fiscal year (earlier than the
    department's, or none: the department's hold)."""
    province = get_province_for_user(request.user, code)
    if not access.can_set_deadlines(request.user, province.pk):
        raise PermissionDenied
    year = years.selected_year(request)
    stages = list(Stage.objects.order_by("order"))
    rows = StageDeadline.objects.filter(year_id=year).filter(
        Q(province__isnull=True) | Q(province=province)
    )
    department = {r.stage_id: r.due for r in rows if r.province_id is None}
    own = {r.stage_id: r.due for r in rows if r.province_id}
    form = StageDatesForm(
        request.POST or None,
        stages=stages,
        hints={
            stage_id: _("The department's deadline %(date)s") % {"date": format_be_input(day)}
            for stage_id, day in department.items()
        },
        initial={s.code: own.get(s.pk) for s in stages},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deadlines_set(
                year=year, province_id=province.pk, dates=form.dates(), actor=request.user
            )
        except ValidationError as error:
            for stage_code, texts in error.message_dict.items():
                for text in texts:
                    form.add_error(stage_code, text)
        else:
            messages.success(request, _("The province's deadlines are saved."))
            return redirect(reverse("assignments:deadlines", args=[code]) + f"?year={year}")
    return render(
        request,
        "assignments/stage_dates.html",
        {
            "form": form,
            "title": _("Deadlines of %(province)s, %(year)s")
            % {"province": province.name, "year": year},
            "intro": _(
                "The department sets a deadline for each stage; the province may set an "
                "earlier one for its districts. Leave a stage empty to keep the department's."
            ),
            "year": year,
            "years": years.picker_years([], year, years.current_year(), year + 1, year - 1),
            "back": reverse("province_detail", args=[code]),
        },
    )


def meetings(request, code):
    """The district's team meetings of a fiscal year and every action still open."""
    district = get_district_for_user(request.user, code)
    year, year_choices = _year(request, district)
    meeting_rows = list(
        Meeting.objects.filter(district=district)
        .in_year(year)
        .annotate(
            n_attended=Count("attendees", distinct=True),
            n_actions=Count("actions", distinct=True),
            n_open=Count("actions", filter=Q(actions__done_at__isnull=True), distinct=True),
        )
    )
    open_actions = list(MeetingAction.objects.filter(meeting__district=district).open().for_list())
    return render(
        request,
        "assignments/meetings.html",
        {
            "district": district,
            "year": year,
            "years": year_choices,
            "meetings": meeting_rows,
            "open_actions": open_actions,
            "today": timezone.localdate(),
            "can_manage": can_manage_district(request.user, district.pk),
        },
    )


def _meeting_form_page(request, district, meeting=None):
    form = MeetingForm(request.POST or None, instance=meeting, district=district)
    actions = ActionFormSet(request.POST or None, district=district, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        try:
            meeting = services.meeting_save(
                meeting=form.instance,
                attendees=form.cleaned_data["attendees"],
                actions=actions.new_actions(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("assignments:meeting_detail", pk=meeting.pk)
    back = (
        reverse("assignments:meeting_detail", args=[meeting.pk])
        if meeting
        else reverse("assignments:meetings", args=[district.code])
    )
    return render(
        request,
        "assignments/meeting_form.html",
        {
            "district": district,
            "meeting": meeting,
            "form": form,
            "actions": actions,
            "existing": list(meeting.actions.select_related("owner__user")) if meeting else [],
            "back": back,
        },
    )


def meeting_new(request, code):
    district = get_district_for_user(request.user, code, write=True)
    return _meeting_form_page(request, district)


def meeting_edit(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    return _meeting_form_page(request, meeting.district, meeting)


def meeting_detail(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    officer = request.user.officer_or_none
    return render(
        request,
        "assignments/meeting_detail.html",
        {
            "meeting": meeting,
            "district": meeting.district,
            "attendees": list(
                meeting.attendees.select_related("user").order_by("role", "user__username")
            ),
            "actions": list(meeting.actions.select_related("owner__user")),
            "today": timezone.localdate(),
            "can_manage": can_manage_district(request.user, meeting.district_id),
            "me": officer.pk if officer else None,
        },
    )


@require_POST
def action_done(request, pk):
    """Mark a meeting's action done (``done=0``: open again): its owner or the head."""
    action = access.get_action_for_user(request.user, pk)
    done = request.POST.get("done", "1") != "0"
    services.meeting_action_done(action=action, actor=request.user, done=done)
    if done:
        messages.success(request, _("Marked done: %(action)s") % {"action": action.text})
    else:
        messages.info(request, _("Open again: %(action)s") % {"action": action.text})
    return redirect(
        referring_page(request, reverse("assignments:meeting_detail", args=[action.meeting_id]))
    )


@dataclass(frozen=True)
class BoardOfficer:
    """A field officer as the board shows them: their tambons, how many villages and
    follow-ups they have now and how much that is for their capacity."""

    officer: Officer
    name: str
    tambon_codes: frozenset[str]
    villages: int
    followups: int = 0

    @property
    def load(self) -> float:
        """Villages of the year, and each follow-up as ``FOLLOWUP_LOAD`` of a village."""
        return float(self.villages + self.followups * FOLLOWUP_LOAD)

    pk = property(lambda self: self.officer.pk)
    user = property(lambda self: self.officer.user)
    is_active = property(lambda self: self.officer.is_active)
    capacity_weight = property(lambda self: self.officer.capacity_weight)
    current_tambons = property(lambda self: self.officer.current_tambons)

    @property
    def relative_load(self) -> float:
        return self.load / float(self.officer.capacity_weight)

    @cached_property
    def options(self) -> tuple[str, str]:
        """Its ``<option>``, not chosen and chosen: escaped once per page, not once per row
        (the largest district's board lists 13 officers in each of its 101 rows)."""
        return (
            format_html('<option value="{}">{}</option>', self.pk, self.name),
            format_html('<option value="{}" selected>{}</option>', self.pk, self.name),
        )


@dataclass(frozen=True)
class BoardTarget:
    """A target village as a board row: its active assignment, and whether that is outside
    the officer's own tambons."""

    target: TargetVillage
    assignment: VillageAssignment | None
    cross_tambon: bool

    pk = property(lambda self: self.target.pk)
    village = property(lambda self: self.target.village)
    budget_allocated = property(lambda self: self.target.budget_allocated)

    @property
    def officer_id(self) -> int | None:
        return self.assignment.officer_id if self.assignment else None


def board_context(district, year: int, user) -> dict:
    """Everything the board shows, in a fixed number of queries (see the test)."""
    targets = list(
        TargetVillage.objects.filter(district=district, year_id=year)
        .with_active_assignment()
        .order_by("village_id")
    )
    officers = list(
        Officer.objects.filter(district=district, role=Role.OFFICER)
        .with_current_tambons()
        .order_by("-is_active", "user__username")
    )
    # worked out once per officer, not once per village row and tambon checkbox
    tambons_of = {o.pk: frozenset(r.tambon_id for r in o.current_tambons) for o in officers}
    loads = dict.fromkeys(tambons_of, 0)
    groups: dict[str, dict] = {}
    rows = []
    unassigned = 0
    for t in targets:
        assignment = t.active_assignments[0] if t.active_assignments else None
        row = BoardTarget(
            target=t,
            assignment=assignment,
            cross_tambon=bool(
                assignment
                and t.village.tambon_id not in tambons_of.get(assignment.officer_id, set())
            ),
        )
        rows.append(row)
        if assignment:
            loads[assignment.officer_id] = loads.get(assignment.officer_id, 0) + 1
        else:
            unassigned += 1
        group = groups.setdefault(t.village.tambon_id, {"tambon": t.village.tambon, "targets": []})
        group["targets"].append(row)
    # the follow-up work of the year: earlier years' villages followed up in it
    followups = list(
        FollowUp.objects.held_in(year)
        .filter(target__district=district, target__year_id__lt=year)
        .select_related("target__village__tambon", "officer__user", "ended_by")
        .order_by("target__village_id", "-started_at")
    )
    followed = {f.target_id for f in followups if f.is_live}
    held: dict[int, int] = {}
    for f in followups:
        if f.is_live:
            held[f.officer_id] = held.get(f.officer_id, 0) + 1
    board_officers = [
        BoardOfficer(
            officer=o,
            name=o.user.display_name,
            tambon_codes=tambons_of[o.pk],
            villages=loads.get(o.pk, 0),
            followups=held.get(o.pk, 0),
        )
        for o in officers
    ]
    active = [o for o in board_officers if o.is_active]
    work = len(targets) + len(followed) * FOLLOWUP_LOAD
    fair = float(work) / sum(float(o.capacity_weight) for o in active) if active else 0
    return {
        "district": district,
        "year": year,
        "groups": list(groups.values()),
        "targets": rows,
        "officers": board_officers,
        "active_officers": active,
        "fair_share": fair,
        "max_load": max([o.load for o in board_officers] + [1]),
        "unassigned": unassigned,
        "tambons": list(Tambon.objects.filter(district=district).order_by("code")),
        "can_manage": can_manage_district(user, district.pk),
        "followups": followups,
        "followup_load": float(FOLLOWUP_LOAD),
        # earlier years' targets nobody follows up yet, that the head may give out
        "followup_candidates": (
            list(
                TargetVillage.objects.filter(district=district, year_id__lt=year)
                .exclude(pk__in=FollowUp.objects.live().values("target_id"))
                .select_related("village")
                .order_by("-year_id", "village_id")
            )
            if can_manage_district(user, district.pk)
            else []
        ),
    }


def board(request, code):
    """The page's head (year picker, orders) and the board's body are kept under the
    district's change count; the body's forms get this response's CSRF token beside it
    (districts/templatetags/fragments.py), so a change by anyone shows on the next request
    and no kept byte holds a token."""
    district = get_district_for_user(request.user, code)
    can_manage = can_manage_district(request.user, district.pk)

    def build():
        year, years = _year(request, district)
        context = board_context(district, year, request.user)
        context["years"] = years
        context["orders"] = list(
            AssignmentOrder.objects.filter(district=district, year_id=year).only(
                "pk", "number", "date", "subject"
            )
        )
        head = render_to_string("assignments/_board_head.html", context, request=request)
        body = render_with_forms("assignments/_board_body.html", context, request=request)
        return (head, *body), True

    head, html, forms = kept(
        request,
        "board",
        count=changes.count(districts=[district.pk]),
        vary=[can_manage],  # the head's controls, or the read-only note
        render=build,
    )
    return render(
        request,
        "assignments/board.html",
        {
            "district": district,
            "head": mark_safe(head),  # noqa: S308 (our templates, escaped there)
            "board": FormsBody(mark_safe(html), forms),  # noqa: S308
        },
    )


def _board_response(request, district, year, *, status=200, **extra):
    """An htmx request gets the board's body, rendered now (its messages and the rows just
    changed are this response's); any other goes back to the board."""
    if _is_htmx(request):
        context = board_context(district, year, request.user)
        context.update(extra, partial=True)
        board = render_with_forms("assignments/_board_body.html", context, request=request)
        return render(request, "assignments/_board.html", {"board": board}, status=status)
    return redirect(f"{reverse('assignments:board', args=[district.pk])}?year={year}")


def _expected(request, target_ids) -> dict[int, int | None]:
    expected = {}
    for t in target_ids:
        expected[t] = parse_id(request.POST.get(f"expected-{t}"))
    return expected


@require_POST
def assign(request, code):
    district = get_district_for_user(request.user, code, write=True)
    year = years.posted_year(request)
    target_ids = [t for t in map(parse_id, request.POST.getlist("target")) if t is not None]
    officer_id = posted_id(request.POST.get("officer"))
    if not target_ids:
        messages.warning(request, _("Choose at least one village first."))
        return _board_response(request, district, year)
    officer = None
    if officer_id:
        officer = access.get_district_officer(district, officer_id)
    elif request.POST.get("confirm") != "1":
        # Leaving villages with no officer is allowed, but never by accident.
        if not _is_htmx(request):
            messages.warning(request, _("Choose an officer."))
        return _board_response(
            request,
            district,
            year,
            confirm_unassign={
                "targets": target_ids,
                "expected": _expected(request, target_ids),
            },
        )
    try:
        changed = services.assignment_change(
            district=district,
            target_ids=target_ids,
            officer=officer,
            actor=request.user,
            expected=_expected(request, target_ids),
        )
    except services.BoardChanged as exc:
        messages.error(
            request,
            ngettext(
                "Someone changed %(n)d of these villages while you were looking. Nothing was "
                "saved; the board now shows the current state.",
                "Someone changed %(n)d of these villages while you were looking. Nothing was "
                "saved; the board now shows the current state.",
                len(exc.targets),
            )
            % {"n": len(exc.targets)},
        )
        return _board_response(request, district, year, status=200 if _is_htmx(request) else 409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _board_response(request, district, year)
    if officer:
        messages.success(
            request,
            ngettext(
                "%(n)d village now goes to %(name)s.",
                "%(n)d villages now go to %(name)s.",
                changed,
            )
            % {"n": changed, "name": officer.user.display_name},
        )
    else:
        messages.warning(
            request,
            ngettext(
                "%(n)d village now has no officer.", "%(n)d villages now have no officer.", changed
            )
            % {"n": changed},
        )
    # the rows just changed are marked where the head is looking, not only in the message at
    # the top of the board (on a phone, a screen or more above)
    return _board_response(request, district, year, just_changed=set(target_ids))


@require_POST
def pin(request, code):
    district = get_district_for_user(request.user, code, write=True)
    year = years.posted_year(request)
    try:
        services.assignment_pin(
            district=district,
            target_id=parse_id(request.POST.get("target")) or 0,
            pinned=request.POST.get("pinned") == "1",
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _board_response(request, district, year)


@require_POST
def tambons(request, code):
    district = get_district_for_user(request.user, code, write=True)
    year = years.posted_year(request)
    officer = access.get_district_officer(
        district, posted_id(request.POST.get("officer")), active=False
    )
    try:
        services.tambons_set(
            district=district,
            officer=officer,
            tambon_ids=request.POST.getlist("tambon"),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Tambons of %(name)s saved.") % {"name": officer.user.display_name},
        )
    return _board_response(request, district, year)


def _followup_view(request, code, action):
    """The head starts, moves or ends a follow-up from the board; the answer is the board."""
    district = get_district_for_user(request.user, code, write=True)
    year = years.posted_year(request)
    target_id = parse_id(request.POST.get("target"))
    if target_id is None:
        messages.warning(request, _("Choose a village first."))
        return _board_response(request, district, year)
    try:
        message = action(district, year, target_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return _board_response(request, district, year)


def _posted_officer(request, district):
    return access.get_district_officer(district, posted_id(request.POST.get("officer")))


@require_POST
def followup_start(request, code):
    def start(district, year, target_id):
        officer = _posted_officer(request, district)
        followup = services.followup_start(
            district=district, target_id=target_id, officer=officer, year=year, actor=request.user
        )
        return _("%(village)s is now followed up by %(name)s.") % {
            "village": followup.target.village,
            "name": officer.user.display_name,
        }

    return _followup_view(request, code, start)


@require_POST
def followup_move(request, code):
    def move(district, year, target_id):
        officer = _posted_officer(request, district)
        followup = services.followup_move(
            district=district, target_id=target_id, officer=officer, actor=request.user
        )
        return _("%(village)s is now followed up by %(name)s.") % {
            "village": followup.target.village,
            "name": officer.user.display_name,
        }

    return _followup_view(request, code, move)


@require_POST
def followup_end(request, code):
    def end(district, year, target_id):
        followup = services.followup_end(district=district, target_id=target_id, actor=request.user)
        if followup is None:
            return _("That village was no longer followed up.")
        return _("The follow-up of %(village)s has ended.") % {"village": followup.target.village}

    return _followup_view(request, code, end)


def suggest(request, code):
    district = get_district_for_user(request.user, code)
    if request.method == "POST":
        district = get_district_for_user(request.user, code, write=True)
        year = years.posted_year(request)
        accepted = []
        for raw in request.POST.getlist("move"):
            target, from_id, to_id = map(parse_id, [*raw.split(":"), "", "", ""][:3])
            if target and to_id:
                accepted.append((target, from_id, to_id))
        if not accepted:
            messages.info(request, _("Nothing was changed."))
            return redirect(f"{reverse('assignments:board', args=[code])}?year={year}")
        try:
            changed = services.proposal_apply(
                district=district, accepted=accepted, actor=request.user
            )
        except services.BoardChanged:
            messages.error(
                request,
                _(
                    "The board changed since the suggestion was made. Nothing was saved; here is "
                    "a new suggestion."
                ),
            )
            return redirect(f"{reverse('assignments:suggest', args=[code])}?year={year}")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{reverse('assignments:suggest', args=[code])}?year={year}")
        messages.success(
            request,
            ngettext("%(n)d village moved.", "%(n)d villages moved.", changed) % {"n": changed},
        )
        return redirect(f"{reverse('assignments:board', args=[code])}?year={year}")
    year, _years = _year(request, district)
    try:
        proposal = services.balance_district(district=district, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('assignments:board', args=[code])}?year={year}")
    return render(
        request,
        "assignments/suggest.html",
        {
            "district": district,
            "year": year,
            "proposal": proposal,
            "can_manage": can_manage_district(request.user, district.pk),
        },
    )


def orders(request, code):
    district = get_district_for_user(request.user, code)
    year, years = _year(request, district)
    return render(
        request,
        "assignments/orders.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "orders": list(
                AssignmentOrder.objects.filter(district=district, year_id=year).select_related(
                    "issued_by"
                )
            ),
            "can_manage": can_manage_district(request.user, district.pk),
        },
    )


def order_new(request, code):
    district = get_district_for_user(request.user, code, write=True)
    year, _years = _year(request, district)
    head = request.user.officer_or_none
    if request.method == "POST":
        form = OrderForm(request.POST, district=district)
        if form.is_valid():
            try:
                order = services.order_issue(
                    district=district, year=year, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Order %(number)s issued.") % {"number": order.number})
                return redirect("assignments:order_detail", code=code, pk=order.pk)
    else:
        count = AssignmentOrder.objects.filter(district=district, year_id=year).count()
        fy = FiscalYear(year=year)
        form = OrderForm(
            district=district,
            initial={
                "number": f"{count + 1}/{year}",
                # today, or the nearest day of the order's fiscal year (an order for an
                # earlier year is dated within it; the head may change it)
                "date": min(max(timezone.localdate(), fy.start_date), fy.end_date),
                # the order is an official Thai document, whatever language the head reads in
                "subject": "มอบหมายเจ้าหน้าที่รับผิดชอบหมู่บ้านเป้าหมายโครงการสร้างสัมมาชีพชุมชน "
                f"ปีงบประมาณ {year}",
                "signer_name": request.user.display_name,
                "signer_position": head.position if head else "",
            },
        )
    return render(
        request, "assignments/order_form.html", {"district": district, "year": year, "form": form}
    )


def order_detail(request, code, pk):
    order = access.get_order_for_user(request.user, code, pk)
    return render(
        request, "assignments/order_print.html", {"district": order.district, "order": order}
    )
