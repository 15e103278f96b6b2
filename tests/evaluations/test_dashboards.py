"""Dashboard figures against hand-computed values, scope, exports; evaluations; merit review."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assignments.models import Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from evaluations.models import OfficerReview, VillageEvaluation
from fieldwork.budget import BudgetLine, Disbursement, ensure_categories
from fieldwork.models import FieldVisit
from tests.factories import OfficerFactory, TambonResponsibilityFactory, household_with_income


@pytest.fixture
def small(area_a, area_a2, officer_a, head_a):
    """District A's four targets (50,000 allocated and 20,000 spent each), known records."""
    ensure_default_stages(Stage)
    stages = list(Stage.objects.order_by("order"))
    t = area_a.targets
    category = ensure_categories(2560)[0]
    for target, kind in zip(t, ["expense", "expense", "advance", "advance"], strict=True):
        line = BudgetLine.objects.create(
            target=target, category=category, planned_amount=50000,
            planned_month=dt.date(2016, 11, 1),
        )  # fmt: skip
        # spent: a payment, or an advance (uncleared, or cleared at what it cost)
        cleared = {"cleared_on": dt.date(2016, 12, 1), "cleared_amount": 20000}
        Disbursement.objects.create(
            line=line, kind=kind, date=dt.date(2016, 11, 5), purpose="x",
            amount=25000 if target == t[3] else 20000, **(cleared if target == t[3] else {}),
        )  # fmt: skip
    for target, stage in zip(t, [stages[0], stages[2], stages[2], None], strict=True):
        TargetVillage.objects.filter(pk=target.pk).update(stage=stage)
    second = OfficerFactory(district=area_a.district)
    TambonResponsibilityFactory(officer=second, tambon=area_a.tambons[1])
    VillageAssignment.objects.create(target=t[0], officer=officer_a)
    VillageAssignment.objects.create(target=t[2], officer=officer_a)  # outside her tambon
    VillageAssignment.objects.create(target=t[1], officer=second)
    FieldVisit.objects.create(
        target=t[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 9, 20), activity="a"
    )
    FieldVisit.objects.create(
        target=t[2], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1), activity="b"
    )
    for baseline, followup, practising, neighbour in [
        (3000, 4000, True, False),
        (3000, 2500, True, False),
        (3000, None, False, False),
        (2000, 2600, True, True),
    ]:
        household_with_income(
            t[0],
            baseline,
            followup,
            name="x",
            still_practising=practising,
            is_neighbour=neighbour,
        )
    VillageEvaluation.objects.create(target=t[0], status="approved")
    VillageEvaluation.objects.create(target=t[1], status="submitted")
    return {"stages": stages, "second": second}


def test_district_figures_match_hand_computed_values(login, small, head_a):
    f = login(head_a).get("/districts/4016/").context["f"]
    assert (f.targets, f.assigned, f.assigned_pct) == (4, 3, 75)
    assert (f.visited_recently, f.visited_pct) == (
        1,
        25,
    )  # 20 Sep 2017 is within 30 days of year end
    assert (f.budget_allocated, f.budget_spent, f.spent_pct) == (200000, 80000, 40)
    assert (f.households, f.practising, f.income_rose, f.neighbours) == (3, 2, 1, 1)
    assert f.income_change_avg == Decimal(250)  # (+1000 - 500) / 2
    assert f.evaluations_approved == 1
    assert f.stages == {1: 1, 3: 2, None: 1}


def test_district_dashboard_shows_a_bar_per_officer(login, small, head_a, officer_a):
    response = login(head_a).get("/districts/4016/")
    loads = {r.officer.user.username: r.load for r in response.context["field_officers"]}
    assert loads[officer_a.user.username] == 2
    assert sorted(loads.values()) == [1, 2]
    assert response.context["charts"]["loads"]["datasets"][0]["data"] == [
        r.load for r in response.context["field_officers"]
    ]


def test_the_district_dashboard_lists_only_its_own_villages_and_people(
    login, small, head_a, area_a, area_a2
):
    """``small`` has district A2 of the same province in the database, with targets; none of
    its rows belongs on A's page."""
    neighbour = OfficerFactory(district=area_a2.district)
    VillageAssignment.objects.create(target=area_a2.targets[0], officer=neighbour)
    context = login(head_a).get("/districts/4016/").context
    assert {t.pk for t in context["targets"]} == {t.pk for t in area_a.targets}
    assert {r.target.pk for r in context["late"]} <= {t.pk for t in area_a.targets}
    assert {t.code for t in context["tambons"]} == {t.code for t in area_a.tambons}
    assert neighbour not in context["officers"]


def test_province_dashboard_puts_districts_side_by_side(login, small, area_b, province_staff_a):
    # area_b: another province's district in the database, which must not be among the rows
    response = login(province_staff_a).get("/provinces/40/")
    rows = {area.code: f for area, f in response.context["rows"]}
    assert set(rows) == {"4016", "4001"}
    assert rows["4016"].targets == 4 and rows["4001"].targets == 4
    assert rows["4001"].households == 0 and rows["4001"].income_change_avg is None
    overall = response.context["overall"]
    assert (overall.targets, overall.assigned, overall.budget_allocated) == (8, 3, 400000)
    assert overall.income_change_avg == Decimal(250)
    text = response.content.decode()
    assert 'href="/districts/4016/?year=2560"' in text


def test_a_provincial_user_of_another_province_gets_404(login, small, province_staff_b):
    client = login(province_staff_b)
    assert client.get("/provinces/40/").status_code == 404
    assert client.get("/provinces/40/?format=xlsx").status_code == 404
    assert client.get("/districts/4016/?format=xlsx").status_code == 404


def test_only_the_system_admin_sees_the_country(login, small, area_b, province_staff_a, admin_user):
    assert login(province_staff_a).get("/country/").status_code == 404
    response = login(admin_user).get("/country/")
    rows = {area.code: f for area, f in response.context["rows"]}
    assert rows["40"].targets == 8 and rows["41"].targets == 4


def test_an_area_with_no_targets_shows_a_dash_not_zero_per_cent(
    login, small, area_b, province_staff_a, admin_user
):
    from tests.conftest import make_area

    TargetVillage.objects.filter(district_id="4101").delete()  # Udon Thani: no targets
    country = login(admin_user).get("/country/").content.decode()
    udon = country.split('data-code="41"')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="text-end[^"]*"[^>]*>([^<]*)</td>', udon)
    assert cells[:3] == ["0", "—", "—"]  # targets, assigned, visited
    khon_kaen = country.split('data-code="40"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="text-end[^"]*"[^>]*>([^<]*)</td>', khon_kaen)[1] == "38"
    district = make_area(area_b.district.province, "4102", "อำเภอใหม่").district
    TargetVillage.objects.filter(district=district).delete()
    page = login(admin_user).get(f"/districts/{district.pk}/").content.decode()
    figures = page.split('id="figures"')[1]
    assert "0%" not in figures and figures.count('<div class="stat">—</div>') >= 2


def test_dashboard_tables_export_to_xlsx(login, small, province_staff_a):
    response = login(province_staff_a).get("/provinces/40/?year=2560&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("อำเภอ", "หมู่บ้านเป้าหมาย", "มอบหมายแล้ว (%)")
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["ภูเวียง"][1] == 4 and by_name["ภูเวียง"][2] == 75
    # a total row, counts as numbers, the header frozen, a Thai name for the download
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert rows[-1][0] == "รวม" and rows[-1][1] == sum(r[1] for r in rows[1:-1])
    assert sheet.freeze_panes == "A2" and sheet.cell(2, 2).data_type == "n"


def test_the_district_export_has_a_row_per_target_village_and_a_total(login, small, head_a):
    """The district's export was one row (the district's figures): a head sends upward the
    villages, each with its officer, stage and money, and their total."""
    response = login(head_a).get("/districts/4016/?year=2560&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    targets = TargetVillage.objects.filter(district_id="4016", year_id=2560)
    assert rows[0][:3] == ("หมู่บ้าน", "ตำบล", "ผู้รับผิดชอบ")
    assert len(rows) == 1 + targets.count() + 1 and rows[-1][0] == "รวม"
    assert rows[-1][8] == sum(float(t.budget_allocated) for t in targets)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("url", "who", "cold", "warm"),
    [
        # session, user, officer, province, its districts' change counts (the key of the
        # body, and the summary rows' currency), years, districts, summary rows, stages;
        # cold: ten grouped figures (the money disbursed the tenth) and one upsert
        ("/provinces/40/", "province_staff_a", 21, 10),
        # session, user, change counts, years, provinces, districts, summary rows, stages;
        # cold as above
        ("/country/", "admin_user", 19, 8),
    ],
)
def test_area_dashboards_run_in_fixed_queries(
    request, login, small, url, who, cold, warm, django_assert_num_queries, render_every_time
):
    from tests.conftest import make_area

    client = login(request.getfixturevalue(who))
    with django_assert_num_queries(cold):
        client.get(url)
    with django_assert_num_queries(warm):
        client.get(url)
    # a new district (no row yet) and a new visit elsewhere (a stale row): computed again,
    # both at once, in the same number of queries
    make_area(small and TargetVillage.objects.first().district.province, "4002", "อำเภอใหม่")
    FieldVisit.objects.create(
        target=TargetVillage.objects.filter(district="4001").first(),
        officer=request.getfixturevalue("officer_a"),
        stage=Stage.objects.first(),
        date=dt.date(2017, 9, 25),
        activity="c",
    )
    with django_assert_num_queries(cold):
        client.get(url)
    with django_assert_num_queries(warm):
        client.get(url)


def test_officer_evaluates_and_head_approves_or_returns(login, small, officer_a, head_a, area_a):
    target = area_a.targets[2]  # officer_a's, no evaluation yet
    url = f"/targets/{target.pk}/evaluation/"
    client = login(officer_a)
    page = client.get(url)
    assert "ยังประกอบอาชีพ" in page.content.decode()
    refused = client.post(url, {"group_formed": "on", "group_name": "", "submit": "1"})
    assert "ชื่อกลุ่ม" in refused.content.decode()
    client.post(url, {"group_formed": "on", "group_name": "กลุ่มทอผ้า", "lessons": "ดี", "submit": "1"})
    evaluation = VillageEvaluation.objects.get(target=target)
    assert evaluation.status == "submitted" and evaluation.households_total == 0
    assert client.post(url, {"group_name": "แก้"}).status_code == 403
    head = login(head_a)
    response = head.post(url, {"review": "1", "decision": "return", "comment": ""})
    assert "กรุณาระบุเหตุผล" in response.content.decode()
    head.post(url, {"review": "1", "decision": "return", "comment": "เพิ่มบทเรียน"})
    evaluation.refresh_from_db()
    assert evaluation.status == "returned" and evaluation.review_comment == "เพิ่มบทเรียน"
    login(officer_a).post(url, {"group_formed": "on", "group_name": "กลุ่มทอผ้า", "submit": "1"})
    login(head_a).post(url, {"review": "1", "decision": "approve", "comment": ""})
    evaluation.refresh_from_db()
    assert evaluation.status == "approved"


def test_only_the_head_reviews_and_a_submitted_evaluation_stays_as_sent(
    login, small, officer_a, head_a, area_a
):
    from django.core.exceptions import PermissionDenied, ValidationError

    from evaluations import services

    target = area_a.targets[2]  # officer_a's
    url = f"/targets/{target.pk}/evaluation/"
    client = login(officer_a)
    client.post(url, {"group_name": "กลุ่มทอผ้า", "lessons": "ดี", "submit": "1"})
    evaluation = VillageEvaluation.objects.get(target=target)
    assert evaluation.status == "submitted"
    # the officer approving her own evaluation: refused by the page and by the service
    response = client.post(url, {"review": "1", "decision": "approve", "comment": ""})
    assert response.status_code == 403
    # refused before the form is read, not shown back with its errors
    assert client.post(url, {"review": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.evaluation_review(evaluation=evaluation, user=officer_a.user, approve=True)
    # what was sent stays as sent, whoever calls the service
    with pytest.raises(ValidationError):
        services.evaluation_save(target=target, user=officer_a.user, submit=False, lessons="แก้")
    # and an officer not working the village saves nothing there
    with pytest.raises(PermissionDenied):
        services.evaluation_save(
            target=area_a.targets[1], user=officer_a.user, submit=False, lessons="x"
        )
    # nor does anyone but the head rate an officer
    with pytest.raises(PermissionDenied):
        services.officer_review_save(
            officer=officer_a, year=2560, user=officer_a.user, rating="5", comment=""
        )
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.lessons) == ("submitted", "ดี")
    assert not OfficerReview.objects.exists()


def test_submitted_indicators_come_from_the_records(small, officer_a, area_a):
    from evaluations import services

    VillageEvaluation.objects.filter(target=area_a.targets[0]).delete()
    evaluation = services.evaluation_save(
        target=area_a.targets[0], user=officer_a.user, submit=True, lessons="x"
    )
    assert (evaluation.households_total, evaluation.households_practising) == (3, 2)
    assert evaluation.households_income_rose == 1 and evaluation.neighbours_joined == 1
    assert evaluation.income_change_avg == Decimal("250.00")


def test_officer_work_counts_cross_tambon_work_and_the_head_rates(login, small, officer_a, head_a):
    response = login(head_a).get("/districts/4016/officers/?year=2560")
    work = {w.officer.pk: w for w in response.context["rows"]}
    mine = work[officer_a.pk]
    assert (mine.villages, mine.cross_tambon, mine.visits) == (2, 1, 2)
    assert mine.distance_km > 0 and mine.workload > mine.villages
    assert mine.evaluations_approved == 1
    assert (
        login(officer_a)
        .post("/districts/4016/officers/?year=2560", {"officer": officer_a.pk, "rating": "5"})
        .status_code
        == 403
    )
    login(head_a).post(
        "/districts/4016/officers/?year=2560",
        {"officer": officer_a.pk, "rating": "5", "comment": "รับงานข้ามตำบล"},
    )
    review = OfficerReview.objects.get(officer=officer_a, year_id=2560)
    assert review.rating == "5" and review.comment == "รับงานข้ามตำบล"
    printable = login(head_a).get("/districts/4016/officers/?year=2560&print=1")
    assert "ดีเด่น" in printable.content.decode()


def test_an_officer_sees_their_own_rating_not_their_colleagues(
    login, small, officer_a, head_a, province_staff_a, area_a
):
    colleague = OfficerFactory(district=area_a.district)
    for officer, comment in ((officer_a, "ลงพื้นที่สม่ำเสมอ"), (colleague, "ควรติดตามบ่อยขึ้น")):
        OfficerReview.objects.create(
            officer=officer, year_id=2560, rating="5", comment=comment, reviewed_by=head_a.user
        )
    url = "/districts/4016/officers/?year=2560"
    own = login(officer_a).get(url).content.decode()
    assert "ลงพื้นที่สม่ำเสมอ" in own and 'id="own-review"' in own
    assert "ควรติดตามบ่อยขึ้น" not in own
    assert login(colleague).get(url).content.decode().count("ลงพื้นที่สม่ำเสมอ") == 0
    for reader in (head_a, province_staff_a):
        page = login(reader).get(url).content.decode()
        assert "ลงพื้นที่สม่ำเสมอ" in page and "ควรติดตามบ่อยขึ้น" in page


def test_the_head_rates_only_the_officers_the_page_lists(login, small, head_a, officer_b):
    client = login(head_a)
    for someone in (head_a, officer_b):  # themselves; an officer of another district
        response = client.post(
            "/districts/4016/officers/?year=2560", {"officer": someone.pk, "rating": "5"}
        )
        assert response.status_code == 404
    assert not OfficerReview.objects.exists()


def test_officer_work_counts_distance_as_the_fair_distribution_engine_does(
    small, officer_a, area_a
):
    """An officer with no tambon of their own sets out from the office, for both."""
    from districts.lib import balance
    from evaluations import services

    district = area_a.district
    district.office_lat, district.office_lon = 16.65, 102.33
    district.save()
    officer_a.tambon_responsibilities.all().delete()
    where = {t.code: (t.lat, t.lon) for t in area_a.tambons if t.lat is not None}
    work = {w.officer.pk: w for w in services.officer_work(district, 2560)}[officer_a.pk]
    expected = sum(
        balance.distance_m(a.target.village.tambon_id, set(), where, district.office_point)
        for a in VillageAssignment.objects.active()
        .filter(officer=officer_a, target__year_id=2560)
        .select_related("target__village")
    )
    assert expected > 0
    assert work.distance_km == round(expected / 1000, 1)


def test_the_officer_work_sheet_runs_in_fixed_queries(
    login, small, head_a, area_a, django_assert_num_queries
):
    client = login(head_a)
    url = "/districts/4016/officers/?year=2560"
    client.get(url)
    with django_assert_num_queries(13):
        client.get(url)
    for _ in range(3):  # more officers, each with a tambon and a rating
        officer = OfficerFactory(district=area_a.district)
        TambonResponsibilityFactory(officer=officer, tambon=area_a.tambons[1])
        OfficerReview.objects.create(
            officer=officer, year_id=2560, rating="4", reviewed_by=head_a.user
        )
    with django_assert_num_queries(13):
        response = client.get(url)
    assert len(response.context["rows"]) >= 4
