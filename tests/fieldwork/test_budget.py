"""The villages' money: budget lines, disbursements, advances, and the area pages' totals."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook
from PIL import Image

from assignments.models import VillageAssignment
from fieldwork import budget_services as services
from fieldwork.budget import (
    AdvanceRule,
    BudgetLine,
    Disbursement,
    QuarterTargets,
    ensure_categories,
)
from tests.factories import TargetVillageFactory

D = Decimal


def line_of(target, amount, month=dt.date(2016, 11, 1), category=0):
    categories = ensure_categories(target.year_id)
    return BudgetLine.objects.create(
        target=target, category=categories[category], planned_amount=D(amount), planned_month=month
    )


def pay(line, amount, day=dt.date(2016, 11, 15), kind="expense", **extra):
    return Disbursement.objects.create(
        line=line, kind=kind, date=day, amount=D(amount), purpose="ค่าอาหาร", **extra
    )


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def held(area_a, officer_a):
    """District A's first target, held by officer A, with a 10,000 line of speaker fees."""
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    return line_of(target, "10000")


def form(line, amount, **extra):
    return {
        "line": line.pk,
        "kind": "expense",
        "date": "15/11/2559",
        "amount": amount,
        "purpose": "ค่าตอบแทนวิทยากร",
        **extra,
    }


def test_an_officer_records_a_disbursement_on_a_village_they_hold(held, login, officer_a):
    client = login(officer_a)
    response = client.post(
        f"/targets/{held.target_id}/budget/disbursements/", form(held, "2500.50")
    )
    assert response.status_code == 302
    d = Disbursement.objects.get()
    assert (d.amount, d.recorded_by, d.date) == (
        D("2500.50"),
        officer_a.user,
        dt.date(2016, 11, 15),
    )
    page = client.get(f"/targets/{held.target_id}/budget/").content.decode()
    assert "2,500.50" in page and "7,499.50" in page  # disbursed, remaining


def test_an_officer_cannot_record_on_a_village_they_do_not_hold(
    area_a, held, login, officer_a, officer_b, area_b
):
    other = line_of(area_a.targets[1], "1000")  # same district, not theirs
    client = login(officer_a)
    assert (
        client.post(
            f"/targets/{other.target_id}/budget/disbursements/", form(other, "10")
        ).status_code
        == 403
    )
    # another district's: not even seen
    far = line_of(area_b.targets[0], "1000")
    assert (
        client.post(f"/targets/{far.target_id}/budget/disbursements/", form(far, "10")).status_code
        == 404
    )
    assert client.get(f"/targets/{far.target_id}/budget/").status_code == 404
    # a line of another village sent to the held village's form is not a choice
    response = client.post(f"/targets/{held.target_id}/budget/disbursements/", form(other, "10"))
    assert response.status_code == 400
    assert not Disbursement.objects.exists()


def test_an_overspend_without_approval_is_refused_in_thai_and_nothing_is_written(
    held, login, officer_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pay(held, "9000")
    client = login(officer_a)
    response = client.post(
        f"/targets/{held.target_id}/budget/disbursements/",
        {**form(held, "1000.01"), "receipt": io.BytesIO(jpeg())},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "เกินวงเงิน" in page and "1,000" in page  # what is left, in Thai
    assert 'value="1000.01"' in page  # the form keeps what was typed
    assert Disbursement.objects.count() == 1
    assert not list(tmp_path.rglob("*.jpg"))  # no receipt left behind either
    # the officer cannot approve it, whatever they send
    response = client.post(
        f"/targets/{held.target_id}/budget/disbursements/",
        {**form(held, "1000.01"), "approve_over": "on", "over_reason": "จำเป็น"},
    )
    assert response.status_code == 400
    assert Disbursement.objects.count() == 1


def test_the_heads_approval_is_recorded_with_who_and_why(held, login, head_a):
    pay(held, "9000")
    client = login(head_a)
    url = f"/targets/{held.target_id}/budget/disbursements/"
    no_reason = client.post(url, {**form(held, "1500"), "approve_over": "on"})
    assert no_reason.status_code == 400 and Disbursement.objects.count() == 1
    response = client.post(
        url, {**form(held, "1500"), "approve_over": "on", "over_reason": "ราคาวัสดุสูงขึ้น"}
    )
    assert response.status_code == 302
    d = Disbursement.objects.get(amount=D(1500))
    assert (d.over_approved_by, d.over_reason) == (head_a.user, "ราคาวัสดุสูงขึ้น")
    assert "ราคาวัสดุสูงขึ้น" in client.get(f"/targets/{held.target_id}/budget/").content.decode()


def test_amounts_are_never_negative_nor_more_than_satang(held, login, officer_a):
    client = login(officer_a)
    url = f"/targets/{held.target_id}/budget/disbursements/"
    for amount in ("-5", "0", "10.005", "ห้าพัน"):
        assert client.post(url, form(held, amount)).status_code == 400
    assert not Disbursement.objects.exists()
    with pytest.raises(ValidationError):
        services.disbursement_record(
            user=officer_a.user, line=held, kind="expense", date=dt.date(2016, 11, 1),
            amount=D("-1"), purpose="x",
        )  # fmt: skip


def test_a_disbursement_dated_outside_the_year_is_refused(held, officer_a):
    with pytest.raises(ValidationError) as error:
        services.disbursement_record(
            user=officer_a.user, line=held, kind="expense", date=dt.date(2017, 10, 1),
            amount=D("1"), purpose="x",
        )  # fmt: skip
    assert "date" in error.value.error_dict


def test_an_advance_is_cleared_and_what_was_returned_frees_the_line(held, login, officer_a):
    advance = pay(held, "10000", kind="advance")
    client = login(officer_a)
    url = f"/disbursements/{advance.pk}/clear/"
    too_much = client.post(
        url, {f"c{advance.pk}-cleared_on": "30/11/2559", f"c{advance.pk}-cleared_amount": "10001"}
    )
    assert too_much.status_code == 400
    ok = client.post(
        url, {f"c{advance.pk}-cleared_on": "30/11/2559", f"c{advance.pk}-cleared_amount": "8000"}
    )
    assert ok.status_code == 302
    advance.refresh_from_db()
    assert (advance.cleared_on, advance.cleared_amount, advance.cleared_by) == (
        dt.date(2016, 11, 30), D(8000), officer_a.user
    )  # fmt: skip
    assert services.line_used(held.pk) == D(8000)
    again = client.post(
        url, {f"c{advance.pk}-cleared_on": "30/11/2559", f"c{advance.pk}-cleared_amount": "1"}
    )
    assert again.status_code == 400


def test_an_advance_not_cleared_within_the_offices_period_is_listed(
    area_a, held, login, officer_a, head_a
):
    old = pay(held, "3000", day=dt.date(2016, 11, 1), kind="advance")
    pay(held, "1000", day=dt.date(2016, 11, 2), kind="advance", cleared_on=dt.date(2016, 11, 3),
        cleared_amount=D(1000))  # fmt: skip
    client = login(officer_a)
    page = client.get("/districts/4016/budget/?year=2560").content.decode()
    assert f'href="/targets/{old.line.target_id}/budget/"' in page
    late = page.split('id="late-advances"')[1]
    assert "3,000.00" in late and "1,000.00" not in late
    # the head sets a longer period than the advance's age: none is late
    age = (dt.date.today() - old.date).days
    client = login(head_a)
    assert client.post("/districts/4016/budget/advance-days/", {"days": "0"}).status_code == 400
    officer_client = client
    with pytest.raises(PermissionDenied):
        services.advance_days_set(user=officer_a.user, district=area_a.district, days=5)
    AdvanceRule.objects.create(district=area_a.district, days=min(age + 1, 365))
    if age + 1 <= 365:
        late = officer_client.get("/districts/4016/budget/?year=2560").content.decode()
        assert "3,000.00" not in late.split('id="late-advances"')[1]


@pytest.fixture
def money(area_a, area_a2, area_b):
    """Known money in three districts of two provinces (FY2560):

    A (4016):  targets[0] 50,000 allocated; lines 20,000 (Nov) + 10,000 (Feb);
               paid 12,000.50 (Nov), advance 5,000 uncleared (Jan), advance 4,000 cleared
               at 3,500 (Feb). targets[1..3]: 50,000 each, nothing spent.
    A2 (4001): targets[0]: line 40,000 (Dec), paid 40,000 (Dec).
    B (4101):  targets[0]: line 30,000 (Apr), advance 6,000 uncleared (Apr).
    """
    a0 = area_a.targets[0]
    nov = line_of(a0, "20000", dt.date(2016, 11, 1))
    feb = line_of(a0, "10000", dt.date(2017, 2, 1), category=1)
    pay(nov, "12000.50", dt.date(2016, 11, 20))
    pay(nov, "5000", dt.date(2017, 1, 10), kind="advance")
    pay(feb, "4000", dt.date(2017, 2, 3), kind="advance", cleared_on=dt.date(2017, 2, 20),
        cleared_amount=D(3500))  # fmt: skip
    a2 = area_a2.targets[0]
    pay(line_of(a2, "40000", dt.date(2016, 12, 1)), "40000", dt.date(2016, 12, 5))
    b0 = area_b.targets[0]
    pay(line_of(b0, "30000", dt.date(2017, 4, 1)), "6000", dt.date(2017, 4, 2), kind="advance")
    QuarterTargets.objects.create(year_id=2560, q1=20, q2=50, q3=80, q4=100)


def test_district_province_and_country_totals_match_hand_computed_values(
    money, login, head_a, province_staff_a, admin_user
):
    district = login(head_a).get("/districts/4016/budget/?year=2560").context
    t = district["total"]
    # allocated 4 × 50,000; used 12,000.50 + 5,000 + 3,500
    assert (t.allocated, t.used, t.outstanding, t.cleared) == (
        D(200000), D("20500.50"), D(5000), D("15500.50")
    )  # fmt: skip
    assert t.used_pct == D("10.3")
    q = district["quarters"]
    # Q1 (Oct-Dec): 12,000.50 of 200,000 = 6.0%; Q2 (Jan-Mar): + 5,000 + 3,500 = 10.3%
    assert (q[0].used, q[0].used_pct, q[0].target_pct) == (D("12000.50"), D("6.0"), 20)
    assert (q[1].used, q[1].used_to_date, q[1].target_pct) == (D(8500), D("20500.50"), 50)
    assert q[0].behind and q[1].behind
    assert q[0].planned == D(20000) and q[1].planned == D(10000)

    province = login(province_staff_a).get("/provinces/40/budget/?year=2560").context
    rows = {r.key: r for r in province["rows"]}
    assert set(rows) == {"4016", "4001"}
    assert rows["4001"].used == D(40000) and rows["4001"].allocated == D(200000)
    p = province["total"]
    assert (p.allocated, p.used, p.outstanding, p.targets) == (
        D(400000), D("60500.50"), D(5000), 8
    )  # fmt: skip

    country = login(admin_user).get("/country/budget/?year=2560").context
    c = country["total"]
    assert (c.allocated, c.used, c.outstanding, c.targets) == (
        D(600000), D("66500.50"), D(11000), 12
    )  # fmt: skip
    assert {r.key: r.used for r in country["rows"]} == {"40": D("60500.50"), "41": D(6000)}


def test_the_exports_totals_equal_the_pages(money, login, head_a, province_staff_a, admin_user):
    for who, page, export in (
        (head_a, "/districts/4016/budget/", "/districts/4016/budget/export.xlsx"),
        (province_staff_a, "/provinces/40/budget/", "/provinces/40/budget/export.xlsx"),
        (admin_user, "/country/budget/", "/country/budget/export.xlsx"),
    ):
        client = login(who)
        total = client.get(page + "?year=2560").context["total"]
        response = client.get(export + "?year=2560")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("ลำดับ", rows[0][1], "หมู่บ้านเป้าหมาย", "งบประมาณที่ได้รับจัดสรร (บาท)")
        last = rows[-1]
        assert last[1] == "รวม"
        assert [D(str(v)) for v in last[2:8]] == [
            D(total.targets), total.allocated, total.used, total.cleared, total.outstanding,
            total.left,
        ]  # fmt: skip
        assert sum(D(str(r[4])) for r in rows[1:-1]) == total.used
        assert sheet.cell(len(rows), 5).number_format == "#,##0.00"


def test_spent_on_the_dashboard_comes_from_disbursements(money, login, head_a):
    from evaluations.services import compute_figures

    figures = compute_figures(2560, ["4016"])["4016"]
    assert figures.budget_spent == D("20500.50")


def test_a_receipt_is_served_only_within_scope(
    held, login, officer_a, officer_b, head_b, province_staff_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(officer_a)
    response = client.post(
        f"/targets/{held.target_id}/budget/disbursements/",
        {**form(held, "100"), "receipt": _named(jpeg(), "ใบเสร็จ.jpg")},
    )
    assert response.status_code == 302
    d = Disbursement.objects.get()
    assert d.receipt.name.startswith("receipts/2016/11/") and d.receipt.name.endswith(".jpg")
    ok = client.get(f"/disbursements/{d.pk}/receipt/")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    for other in (officer_b, head_b, province_staff_b):
        assert login(other).get(f"/disbursements/{d.pk}/receipt/").status_code == 404


def test_a_receipt_that_is_neither_photo_nor_pdf_is_refused(held, login, officer_a):
    client = login(officer_a)
    response = client.post(
        f"/targets/{held.target_id}/budget/disbursements/",
        {**form(held, "100"), "receipt": _named(b"<script>x</script>", "r.html")},
    )
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not Disbursement.objects.exists()


def test_another_district_cannot_read_or_write_the_budget(
    money, area_a, login, officer_b, head_b, province_staff_b
):
    target = area_a.targets[0]
    line = target.budget_lines.first()
    advance = Disbursement.objects.filter(line__target=target, kind="advance").first()
    for who in (officer_b, head_b, province_staff_b):
        client = login(who)
        for url in (
            f"/targets/{target.pk}/budget/",
            "/districts/4016/budget/",
            "/districts/4016/budget/export.xlsx",
        ):
            assert client.get(url).status_code == 404, (who, url)
        assert (
            client.post(f"/targets/{target.pk}/budget/disbursements/", form(line, "1")).status_code
            == 404
        )
        assert (
            client.post(
                f"/disbursements/{advance.pk}/clear/",
                {f"c{advance.pk}-cleared_on": "30/01/2560", f"c{advance.pk}-cleared_amount": "1"},
            ).status_code
            == 404
        )
    assert (
        login(head_b).post("/districts/4016/budget/advance-days/", {"days": 9}).status_code == 404
    )
    assert Disbursement.objects.count() == 5 and not AdvanceRule.objects.exists()


def test_every_officer_of_the_district_sees_the_whole_budget(money, area_a, login, officer_a):
    page = login(officer_a).get("/districts/4016/budget/?year=2560")
    assert page.status_code == 200
    assert len(page.context["rows"]) == 4  # every village, not only the officer's


def test_the_budget_pages_run_in_fixed_queries(
    money, area_a, login, head_a, province_staff_a, django_assert_num_queries, render_every_time
):
    client = login(head_a)
    client.get("/districts/4016/budget/?year=2560")
    # session, user, officer (scope), district, its change count, years with targets, the
    # villages, money by village (allocated, lines, disbursements), months (lines,
    # disbursements), quarter targets, late advances (the office's period, the advances)
    with django_assert_num_queries(16):
        client.get("/districts/4016/budget/?year=2560")
    for target in area_a.targets[1:]:
        pay(line_of(target, "1000", category=2), "500")
    with django_assert_num_queries(16):
        client.get("/districts/4016/budget/?year=2560")
    client = login(province_staff_a)
    # session, user, officer, province, its change count, years, money by district
    # (allocated, lines, disbursements), the districts' names, months (lines,
    # disbursements), quarter targets
    with django_assert_num_queries(13):
        client.get("/provinces/40/budget/?year=2560")
    target = area_a.targets[0]
    client = login(head_a)
    # session, user, officer, target, lines, money by line, disbursements, can edit, the
    # office's period, the form's lines and visits are rendered later (2)
    with django_assert_num_queries(10):
        client.get(f"/targets/{target.pk}/budget/")
    TargetVillageFactory(village=area_a.villages[2])
    with django_assert_num_queries(10):
        client.get(f"/targets/{target.pk}/budget/")


def _named(data: bytes, name: str):
    f = io.BytesIO(data)
    f.name = name
    return f
