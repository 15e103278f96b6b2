"""The programme's people: sages and who can teach what, the sage network and its forums,
partners."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from districts.access import get_district_for_user, get_province_for_user
from districts.models import District, by_given_name, can_manage_district
from districts.pages import form_page, page_of
from people import access, services
from people.forms import ForumForm, NetworkMembersForm, PartnerForm, SageForm
from people.models import ForumStatus, Partner, Sage, SageNetwork


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
        # the years each sage led a target village, through the reverse relation the
        # programme year's TargetVillage.sage gives (a query by name, not an import)
        .prefetch_related("targets")
        .order_by("district_id", by_given_name())
    )
    page, query = page_of(request, sages)
    sages = list(page.object_list)
    return render(
        request,
        "people/sage_list.html",
        {
            "page": page,
            "sages": sages,
            "editable": access.editable_sage_ids(request.user, sages),
            "query": query,
            "q": q,
            "district_code": district_code,
            "districts": list(
                District.objects.visible_to(request.user).only("code", "name_th", "name_en")
            ),
        },
    )


def _sage_form_page(request, district, instance=None):
    villages = access.editable_villages(request.user, district)
    if not villages.exists():
        raise PermissionDenied
    form = SageForm(request.POST or None, instance=instance, villages=villages)
    if request.method == "POST" and form.is_valid():
        sage = services.sage_save(sage=form.instance, actor=request.user)
        messages.success(request, _("Sage %(name)s saved.") % {"name": sage.name})
        return redirect(f"/sages/?district={sage.district_id}")
    return form_page(
        request, form, _("Sage"), f"{reverse('people:sage_list')}?district={district.code}"
    )


def sage_new(request, code):
    return _sage_form_page(request, get_district_for_user(request.user, code))


def sage_edit(request, pk):
    sage = access.get_sage_for_user(request.user, pk, write=True)
    return _sage_form_page(request, sage.district, instance=sage)


def network(request, code):
    district = get_district_for_user(request.user, code)
    can_manage = can_manage_district(request.user, district.pk)
    net = SageNetwork.objects.filter(district=district).first()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if net is None:
            services.network_create(district=district, actor=request.user)
            messages.success(request, _("The district's sage network is set up."))
        else:
            form = NetworkMembersForm(request.POST, district=district)
            if form.is_valid():
                services.network_members_set(
                    network=net, members=form.cleaned_data["members"], actor=request.user
                )
                messages.success(request, _("Members saved."))
            else:  # a sage gone from the district meanwhile, or a crafted choice
                why = " ".join(str(e) for errors in form.errors.values() for e in errors)
                messages.error(request, _("The members were not saved: %(why)s") % {"why": why})
        return redirect("people:network", code=code)
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
    net = access.get_network_for_user(request.user, code, write=True)
    district = net.district
    form = ForumForm(request.POST or None, network=net, initial={"status": ForumStatus.PLANNED})
    if request.method == "POST" and form.is_valid():
        forum = _forum_save(request, form)
        messages.success(request, _("Forum saved."))
        return redirect("people:forum_detail", pk=forum.pk)
    return form_page(
        request,
        form,
        _("Plan or record a forum"),
        reverse("people:network", args=[district.code]),
    )


def _forum_save(request, form):
    return services.forum_save(
        forum=form.instance,
        sages=form.cleaned_data["sages"],
        officers=form.cleaned_data["officers"],
        actor=request.user,
    )


def forum_detail(request, pk):
    forum = access.get_forum_for_user(request.user, pk)
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
    forum = access.get_forum_for_user(request.user, pk, write=True)
    form = ForumForm(request.POST or None, instance=forum, network=forum.network)
    if request.method == "POST" and form.is_valid():
        _forum_save(request, form)
        messages.success(request, _("Forum saved."))
        return redirect("people:forum_detail", pk=forum.pk)
    return form_page(
        request, form, _("Record the forum"), reverse("people:forum_detail", args=[forum.pk])
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


def partner_list(request, code):
    district = get_district_for_user(request.user, code)
    partners = Partner.objects.filter(district=district).annotate(
        n_villages=Count("supports__target", distinct=True)
    )
    q = request.GET.get("q", "").strip()
    if q:
        partners = partners.filter(Q(name__icontains=q) | Q(contact_name__icontains=q))
    page, query = page_of(request, partners.order_by("name"))
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
    if pk:
        instance = access.get_partner_for_user(request.user, code, pk, write=True)
        district = instance.district
    else:
        instance, district = None, get_district_for_user(request.user, code, write=True)
    form = PartnerForm(request.POST or None, instance=instance, district=district)
    if request.method == "POST" and form.is_valid():
        services.partner_save(partner=form.instance, actor=request.user)
        messages.success(request, _("Partner saved."))
        return redirect("people:partner_list", code=code)
    return form_page(request, form, _("Partner"), reverse("people:partner_list", args=[code]))
