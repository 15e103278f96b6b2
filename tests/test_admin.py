"""The admin at national scale: no form lists a table that grows with the country, no list
runs a query per row, and the choices on every scoped form are the user's own."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from assignments.models import FiscalYear, TargetVillage
from districts.models import Role
from people.models import Forum, Sage, SageNetwork
from tests.factories import OfficerFactory, TargetVillageFactory, UserFactory

OUR_APPS = {"districts", "assignments", "evaluations"}
# Lookup tables a select may list whole: their size does not grow with the country's data
# (77 provinces, a handful of fiscal years and stages; permissions and groups on the user).
SMALL = {"province", "fiscalyear", "stage", "group", "permission", "contenttype"}


def _related_fields(model_admin, request):
    parent = None
    if isinstance(model_admin, InlineModelAdmin):
        formset = model_admin.get_formset(request)
        form, parent = formset.form, formset.fk  # the link to the parent is a hidden field
    else:
        form = model_admin.get_form(request)
    for name in form.base_fields:
        try:
            field = model_admin.model._meta.get_field(name)
        except Exception:  # a form-only field
            continue
        if field.is_relation and (field.many_to_one or field.many_to_many) and field != parent:
            yield field


def test_no_admin_form_lists_a_table_that_grows_with_the_country(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    listed = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            searched = {*each.raw_id_fields, *each.autocomplete_fields}
            for field in _related_fields(each, request):
                if field.name not in searched and field.related_model._meta.model_name not in SMALL:
                    listed.append(f"{each.model.__name__}.{field.name}")
    assert listed == []


def _forum(area):
    network = SageNetwork.objects.create(district=area.district, name="เครือข่ายทดสอบ")
    forum = Forum.objects.create(network=network, date=dt.date(2025, 1, 10), place="วัด", topic="t")
    sage = Sage.objects.create(name="แม่บุญมี ทอดี", village=area.villages[0], expertise="ทอผ้า")
    forum.sages.add(sage)
    return forum


def _more_people(area, n):
    for i in range(n):
        Sage.objects.create(name=f"ปราชญ์อื่น {i}", village=area.villages[1], expertise="ผัก")
        OfficerFactory(
            user=UserFactory(username=f"more-{area.district.code}-{i}"),
            role=Role.OFFICER,
            district=area.district,
        )


def test_forum_form_shows_chosen_people_only_and_its_queries_do_not_grow(
    client, area_a, admin_user
):
    forum = _forum(area_a)
    client.force_login(admin_user)
    url = f"/admin/people/forum/{forum.pk}/change/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _more_people(area_a, 12)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after) == len(before)
    assert "แม่บุญมี ทอดี" in page  # the chosen sage, as the autocomplete's selection
    assert "ปราชญ์อื่น 3" not in page  # the others are searched for, never listed
    assert 'class="admin-autocomplete' in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/assignments/targetvillage/",
        "/admin/districts/officer/",
        "/admin/fieldwork/fieldvisit/",
        "/admin/fieldwork/household/",
        "/admin/people/forum/",
    ],
)
def test_admin_lists_run_the_same_queries_for_more_rows(client, area_a, area_b, admin_user, url):
    client.force_login(admin_user)
    _forum(area_a)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    year = FiscalYear.objects.get_or_create(year=2569)[0]
    for village in area_b.villages:
        TargetVillageFactory(village=village, year=year)
    _more_people(area_b, 5)
    _forum(area_b)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_autocomplete_offers_only_what_the_user_may_see(client, area_a, area_b, admin_user):
    """The admin's search for sages goes through the sage admin's scoped queryset."""
    forum = _forum(area_a)
    _forum(area_b)  # a sage of the same name in another province
    staff = OfficerFactory(
        user=UserFactory(username="staff-a", is_staff=True),
        role=Role.PROVINCE,
        district=None,
        province=area_a.district.province,
    )
    staff.user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_sage", "change_forum", "view_forum"])
    )
    client.force_login(staff.user)
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "people", "model_name": "forum", "field_name": "sages", "term": "บุญมี"},
    ).json()["results"]
    assert [r["id"] for r in found] == [str(forum.sages.get().pk)]


def test_scoped_admin_forms_offer_only_choices_in_scope(area_a, area_b, officer_a):
    """A staff user of one district gets that district's villages and sages on the forms,
    so a crafted id of another district's record is refused by the form."""
    officer_a.user.is_staff = True
    officer_a.user.save()
    request = RequestFactory().get("/admin/")
    request.user = officer_a.user
    sage_b = Sage.objects.create(name="ปราชญ์บี", village=area_b.villages[0], expertise="ผัก")

    fields = admin.site._registry[Sage].get_form(request)().fields
    assert set(fields["village"].queryset) == set(area_a.villages)
    target_fields = admin.site._registry[TargetVillage].get_form(request)().fields
    assert sage_b not in target_fields["sage"].queryset
    assert set(target_fields["district"].queryset.values_list("pk", flat=True)) == {"4016"}


def test_admin_days_are_typed_and_shown_in_the_buddhist_era(client, area_a, admin_user):
    """Django's own date box read 30/08/2560 as the year 2560 AD, 543 years off."""
    forum = _forum(area_a)
    client.force_login(admin_user)
    url = f"/admin/people/forum/{forum.pk}/change/"
    form = client.get(url).content.decode()
    assert 'value="10/01/2568"' in form and "vDateField" not in form  # no Gregorian calendar
    data = {
        "network": forum.network_id,
        "date": "30/08/2560",
        "place": "วัด",
        "topic": "t",
        "status": forum.status,
        "sages": [s.pk for s in forum.sages.all()],
    }
    assert client.post(url, data).status_code == 302
    forum.refresh_from_db()
    assert forum.date == dt.date(2017, 8, 30)
    listed = client.get("/admin/people/forum/").content.decode()
    assert "30 ส.ค. 2560" in listed and "2017" not in listed
    data["date"] = "30/08/2017"  # a Gregorian year is refused, not stored 543 years early
    refused = client.post(url, data).content.decode()
    assert "พุทธศักราช" in refused or "พ.ศ." in refused
    forum.refresh_from_db()
    assert forum.date == dt.date(2017, 8, 30)


def test_admin_history_pages_are_dated_in_the_buddhist_era(client, area_a, admin_user):
    """Both kinds of history: Django's log of admin changes and django-simple-history's."""
    from django.utils import timezone

    today = timezone.localdate()
    be, ce = f"{today.year + 543}", f"{today.year}"
    forum = _forum(area_a)
    target = area_a.targets[0]
    client.force_login(admin_user)
    data = {"network": forum.network_id, "date": "10/01/2568", "place": "ศาลา", "topic": "t"}
    data |= {"status": forum.status, "sages": [s.pk for s in forum.sages.all()]}
    assert client.post(f"/admin/people/forum/{forum.pk}/change/", data).status_code == 302
    for url in (
        f"/admin/people/forum/{forum.pk}/history/",
        f"/admin/assignments/targetvillage/{target.pk}/history/",
    ):
        table = client.get(url).content.decode().split('id="change-history"')[-1]
        dated = table.split("</table>")[0]
        assert be in dated and ce not in dated, url


def test_admin_moments_are_typed_in_the_buddhist_era_bangkok_time(admin_user):
    from assignments.models import VillageAssignment

    model_admin = admin.site._registry[VillageAssignment]
    request = RequestFactory().get("/")
    request.user = admin_user
    field = model_admin.get_form(request).base_fields["assigned_at"]
    moment = field.clean(["27/05/2560", "14:30"])
    assert moment == dt.datetime(2017, 5, 27, 7, 30, tzinfo=dt.UTC)
    assert 'value="27/05/2560"' in field.widget.render("assigned_at", moment)


def test_admin_exports_are_named_in_the_buddhist_era_with_a_named_sheet(area_a, admin_user):
    import io

    from django.utils import timezone
    from import_export.formats.base_formats import XLSX
    from openpyxl import load_workbook

    model_admin = admin.site._registry[TargetVillage]
    request = RequestFactory().get("/")
    request.user = admin_user
    queryset = model_admin.get_queryset(request)
    name = model_admin.get_export_filename(request, queryset, XLSX())
    assert (
        name == f"TargetVillage-{timezone.localdate().year + 543}{timezone.localdate():-%m-%d}.xlsx"
    )
    sheet = load_workbook(io.BytesIO(model_admin.get_export_data(XLSX(), request, queryset))).active
    assert sheet.title == "หมู่บ้านเป้าหมาย"
    assert sheet.max_row == 1 + queryset.count()


@pytest.mark.parametrize("fmt", ["XLSX", "CSV"])
def test_admin_exports_write_formula_like_text_as_text(area_a, admin_user, fmt):
    """F2: the target-village export wrote =HYPERLINK(...), +cmd|... and @SUM(...) as live
    formulas (xlsx) and raw (csv); the library's own setting escapes a leading = only."""
    import io

    from import_export.formats import base_formats
    from openpyxl import load_workbook

    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"]
    targets = area_a.targets[:3]
    for target, text in zip(targets, hostile, strict=True):
        TargetVillage.objects.filter(pk=target.pk).update(livelihood=text)
    model_admin = admin.site._registry[TargetVillage]
    request = RequestFactory().get("/")
    request.user = admin_user
    queryset = model_admin.get_queryset(request).filter(pk__in=[t.pk for t in targets])
    data = model_admin.get_export_data(getattr(base_formats, fmt)(), request, queryset)
    if fmt == "XLSX":
        sheet = load_workbook(io.BytesIO(data)).active
        cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
        assert not [c.value for c in cells if c.data_type == "f"]
        values = [c.value for c in cells]
    else:
        import csv

        values = [v for row in list(csv.reader(io.StringIO(data)))[1:] for v in row]
    for text in hostile:
        assert "'" + text in values and text not in values
