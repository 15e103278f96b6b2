"""The programme's people: sages and who can teach what, the sage network and its forums,
partners, households and support teams."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import services
from assignments.models import Household, SupportTeamMember, TargetVillage
from assignments.people_forms import (
    ForumForm,
    HouseholdForm,
    NetworkMembersForm,
    PartnerForm,
    PartnerSupportForm,
    SageForm,
    TeamMemberForm,
)
from assignments.views import target_detail
from districts.access import get_district_for_user, get_province_for_user, referring_page
from districts.models import (
    District,
    Forum,
    ForumStatus,
    Partner,
    Sage,
    SageNetwork,
    by_given_name,
    can_manage_district,
    scope_of,
)
from pagecache.cache import bump


def _page(request, queryset, per_page=25):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- Sages -----------------------------------------------------------------------------------


def sage_list(request):
    """Who can teach what: every sage of the user's province, searchable."""
    sages = Sage.objects.visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        sages = sages.filter(
            Q(name__icontains=q) | Q(expertise__icontains=q) | Q(village__name_th__icontains=q)
        )
    district_code = request.GET.get("district", "")
    if district_code:
        sages = sages.filter(district_id=district_code)
    sages = (
        sages.select_related("village__tambon", "district")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=TargetVillage.objects.only("pk", "year_id", "sage_id").order_by("year_id"),
                to_attr="served",
            )
        )
        .order_by("district_id", by_given_name())
    )
    page, query = _page(request, sages)
    sages = list(page.object_list)
    return render(
        request,
        "people/sage_list.html",
        {
            "page": page,
            "sages": sages,
            "editable": services.editable_sage_ids(request.user, sages),
            "query": query,
            "q": q,
            "district_code": district_code,
            "districts": list(
                District.objects.visible_to(request.user).only("code", "name_th", "name_en")
            ),
        },
    )


def _form_page(request, form, title, back):
    """One of the people forms, with the page it belongs to as its way back unsaved."""
    return render(request, "people/form.html", {"form": form, "title": title, "back": back})


def _sage_form_page(request, district, instance=None):
    villages = services.editable_villages(request.user, district)
    if not villages.exists():
        raise PermissionDenied
    form = SageForm(request.POST or None, instance=instance, villages=villages)
    if request.method == "POST" and form.is_valid():
        sage = form.save()
        messages.success(request, _("Sage %(name)s saved.") % {"name": sage.name})
        return redirect(f"/sages/?district={sage.district_id}")
    return _form_page(
        request, form, _("Sage"), f"{reverse('assignments:sage_list')}?district={district.code}"
    )


def sage_new(request, code):
    return _sage_form_page(request, get_district_for_user(request.user, code))


def sage_edit(request, pk):
    sage = get_object_or_404(Sage.objects.visible_to(request.user), pk=pk)
    if not services.editable_villages(request.user, sage.district).filter(pk=sage.village_id):
        raise PermissionDenied
    return _sage_form_page(request, sage.district, instance=sage)


# --- The sage network and its forums ---------------------------------------------------------


def network(request, code):
    district = get_district_for_user(request.user, code)
    can_manage = can_manage_district(request.user, district.pk)
    net = SageNetwork.objects.filter(district=district).first()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if net is None:
            # a record's name, kept in Thai whatever language the head sets it up in
            net = SageNetwork.objects.create(
                district=district, name=f"เครือข่ายปราชญ์สัมมาชีพชุมชนอำเภอ{district.name_th}"
            )
            messages.success(request, _("The district's sage network is set up."))
        else:
            form = NetworkMembersForm(request.POST, district=district)
            if form.is_valid():
                net.members.set(form.cleaned_data["members"])
                messages.success(request, _("Members saved."))
            else:  # a sage gone from the district meanwhile, or a crafted choice
                why = " ".join(str(e) for errors in form.errors.values() for e in errors)
                messages.error(request, _("The members were not saved: %(why)s") % {"why": why})
        return redirect("assignments:network", code=code)
    members, forums, form = [], [], None
    if net:
        members = list(net.members.select_related("village__tambon").order_by(by_given_name()))
        forums = list(net.forums.annotate(n_sages=Count("sages", distinct=True)).order_by("-date"))
        if can_manage:
            form = NetworkMembersForm(district=district, initial={"members": members})
    return render(
        request,
        "people/network.html",
        {
            "district": district,
            "network": net,
            "members": members,
            "forums": forums,
            "form": form,
            "can_manage": can_manage,
        },
    )


def forum_new(request, code):
    district = get_district_for_user(request.user, code, write=True)
    net = get_object_or_404(SageNetwork, district=district)
    form = ForumForm(request.POST or None, network=net, initial={"status": ForumStatus.PLANNED})
    if request.method == "POST" and form.is_valid():
        form.instance.network = net
        forum = form.save()
        messages.success(request, _("Forum saved."))
        return redirect("assignments:forum_detail", pk=forum.pk)
    return _form_page(
        request,
        form,
        _("Plan or record a forum"),
        reverse("assignments:network", args=[district.code]),
    )


def _forum_for(user, pk):
    return get_object_or_404(
        Forum.objects.visible_to(user).select_related("network__district"), pk=pk
    )


def forum_detail(request, pk):
    forum = _forum_for(request.user, pk)
    return render(
        request,
        "people/forum_detail.html",
        {
            "forum": forum,
            "sages": list(forum.sages.select_related("village").order_by(by_given_name())),
            "officers": list(forum.officers.select_related("user").order_by("user__username")),
            "can_manage": can_manage_district(request.user, forum.network.district_id),
        },
    )


def forum_edit(request, pk):
    forum = _forum_for(request.user, pk)
    if not can_manage_district(request.user, forum.network.district_id):
        raise PermissionDenied
    form = ForumForm(request.POST or None, instance=forum, network=forum.network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Forum saved."))
        return redirect("assignments:forum_detail", pk=forum.pk)
    return _form_page(
        request, form, _("Record the forum"), reverse("assignments:forum_detail", args=[forum.pk])
    )


def province_networks(request, code):
    province = get_province_for_user(request.user, code)
    networks = list(
        SageNetwork.objects.filter(district__province=province)
        .select_related("district")
        .annotate(
            n_members=Count("members", distinct=True),
            n_forums=Count("forums", filter=Q(forums__status=ForumStatus.HELD), distinct=True),
            n_planned=Count("forums", filter=Q(forums__status=ForumStatus.PLANNED), distinct=True),
        )
        .order_by("district_id")
    )
    return render(
        request, "people/province_networks.html", {"province": province, "networks": networks}
    )


# --- Partners --------------------------------------------------------------------------------


def partner_list(request, code):
    district = get_district_for_user(request.user, code)
    partners = Partner.objects.filter(district=district).annotate(
        n_villages=Count("supports__target", distinct=True)
    )
    q = request.GET.get("q", "").strip()
    if q:
        partners = partners.filter(Q(name__icontains=q) | Q(contact_name__icontains=q))
    page, query = _page(request, partners.order_by("name"))
    return render(
        request,
        "people/partner_list.html",
        {
            "district": district,
            "page": page,
            "partners": list(page.object_list),
            "query": query,
            "q": q,
            "can_manage": can_manage_district(request.user, district.pk),
        },
    )


def partner_edit(request, code, pk=None):
    district = get_district_for_user(request.user, code, write=True)
    instance = get_object_or_404(Partner, district=district, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=instance, district=district)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Partner saved."))
        return redirect("assignments:partner_list", code=code)
    return _form_page(request, form, _("Partner"), reverse("assignments:partner_list", args=[code]))


def _target_to_edit(user, pk) -> TargetVillage:
    """A target village the user may see (else 404) and change (else 403)."""
    target = get_object_or_404(TargetVillage.objects.visible_to(user), pk=pk)
    if not services.can_edit_target(user, target):
        raise PermissionDenied
    return target


@require_POST
def support_add(request, pk):
    target = _target_to_edit(request.user, pk)
    form = PartnerSupportForm(request.POST, target=target)
    if not form.is_valid():  # shown again, open, with what was typed
        return target_detail(request, target.pk, status=400, support_form=form)
    form.save()
    messages.success(request, _("Partner added."))
    return redirect("assignments:target_detail", pk=target.pk)


# --- Support team ----------------------------------------------------------------------------


@require_POST
def team_add(request, pk):
    target = _target_to_edit(request.user, pk)
    form = TeamMemberForm(request.POST, target=target)
    if not form.is_valid():
        return target_detail(request, target.pk, status=400, team_form=form)
    member = form.save()
    if member.role == "leader":
        TargetVillage.objects.filter(pk=target.pk).update(sage=member.sage)
        bump([target.district_id])
    messages.success(request, _("%(name)s added to the team.") % {"name": member.name})
    return redirect("assignments:target_detail", pk=target.pk)


@require_POST
def team_remove(request, pk):
    member = SupportTeamMember.objects.filter(
        target__in=TargetVillage.objects.visible_to(request.user), pk=pk
    ).first()
    if member is None:
        if SupportTeamMember.objects.filter(pk=pk).exists():
            raise Http404  # someone else's
        # removed already (the same removal sent twice): done, not "page not found"
        messages.info(request, _("That team member is no longer in the team."))
        return redirect(referring_page(request, "home"))
    if not services.can_edit_target(request.user, member.target):
        raise PermissionDenied
    member.delete()
    messages.success(
        request, _("%(name)s is no longer in the support team.") % {"name": member.name}
    )
    return redirect("assignments:target_detail", pk=member.target_id)


# --- Households ------------------------------------------------------------------------------


def _district_households_allowed(user, district):
    """Household records are personal data: only inside the district (and the admin)."""
    scope = scope_of(user)
    if not (scope.everything or scope.district_id == district.pk):
        raise PermissionDenied


def household_list(request, code):
    district = get_district_for_user(request.user, code)
    _district_households_allowed(request.user, district)
    year, years = services.page_year(request, TargetVillage.objects.filter(district=district))
    households = Household.objects.visible_to(request.user).filter(
        target__district=district, target__year_id=year
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
    page, query = _page(request, households, per_page=50)
    return render(
        request,
        "people/household_list.html",
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
            "editable": set(
                services.editable_targets(request.user, district).values_list("pk", flat=True)
            ),
        },
    )


def household_edit(request, pk=None):
    if pk:
        household = get_object_or_404(
            Household.objects.visible_to(request.user).select_related("target__district"), pk=pk
        )
        district, target = household.target.district, household.target
    else:
        household = None
        target = get_object_or_404(
            TargetVillage.objects.visible_to(request.user).select_related("district"),
            pk=request.GET.get("target") or request.POST.get("target") or 0,
        )
        district = target.district
    targets = services.editable_targets(request.user, district).filter(year_id=target.year_id)
    if not targets.filter(pk=target.pk).exists():
        raise PermissionDenied
    form = HouseholdForm(
        request.POST or None, instance=household, targets=targets, initial={"target": target.pk}
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Household %(name)s saved.") % {"name": saved.head_name})
        return redirect("assignments:target_detail", pk=saved.target_id)
    return _form_page(
        request, form, _("Household"), reverse("assignments:target_detail", args=[target.pk])
    )
