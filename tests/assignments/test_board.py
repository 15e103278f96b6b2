"""The assignment board: who may see it, who may change it, and what a change leaves behind."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assignments.models import TargetVillage, VillageAssignment
from tests.assignments.conftest import active_officer
from tests.factories import OfficerFactory, TambonResponsibilityFactory, VillageFactory

BOARD = "/districts/4016/assignments/"
ASSIGN = BOARD + "assign/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def assign_post(client, targets, officer, expected, **extra):
    data = {
        "year": 2560,
        "target": [t.pk for t in targets],
        "officer": officer.pk if officer else "",
    }
    for t in targets:
        data[f"expected-{t.pk}"] = expected.pk if expected else ""
    data.update(extra)
    return client.post(ASSIGN, data, **HTMX)


def test_every_officer_of_the_district_sees_the_board_read_only(login, board_a):
    response = login(board_a["officers"][1]).get(BOARD)
    assert response.status_code == 200
    text = response.content.decode()
    assert "กระดานมอบหมายงาน" in text
    assert "bulk-form" not in text  # no changing controls
    assert "ดูได้อย่างเดียว" in text
    assert [o.load for o in response.context["officers"]][:3] == [4, 0, 0]


def test_the_board_marks_cross_tambon_work_and_unassigned_villages(
    login, board_a, head_a, officer_a
):
    area = board_a["area"]
    # officer_a answered for tambon 2 until yesterday: only today's tambons count
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    TambonResponsibilityFactory(officer=officer_a, tambon=area.tambons[1], end_date=yesterday)
    VillageAssignment.objects.filter(target=area.targets[3]).delete()
    response = login(head_a).get(BOARD)
    targets = {t.pk: t for t in response.context["targets"]}
    assert targets[area.targets[0].pk].cross_tambon is False  # officer_a's own tambon
    assert targets[area.targets[2].pk].cross_tambon is True  # tambon 2 is not hers
    assert targets[area.targets[3].pk].assignment is None
    assert targets[area.targets[3].pk].cross_tambon is False  # no officer, no cross-tambon
    assert response.context["unassigned"] == 1
    assert "ข้ามตำบล" in response.content.decode()


def test_inactive_officers_are_never_offered(login, board_a, head_a):
    response = login(head_a).get(BOARD)
    assert board_a["inactive"] not in [o.officer for o in response.context["active_officers"]]
    bulk = response.content.decode().split('id="bulk-officer"')[1].split("</select>")[0]
    assert "officer-gone" not in bulk and board_a["inactive"].user.display_name not in bulk


def test_each_rows_choice_has_its_officer_chosen_and_names_escaped(login, board_a, head_a):
    officer_a, second, _ = board_a["officers"]
    second.user.first_name = "<b>สมศรี</b>"
    second.user.save()
    area = board_a["area"]
    VillageAssignment.objects.filter(target=area.targets[1]).update(officer=second)
    VillageAssignment.objects.filter(target=area.targets[3]).delete()
    text = login(head_a).get(BOARD).content.decode()

    def choices(target):
        row = text.split(f'id="target-{target.pk}"')[1].split("</select>")[0]
        return row.split('name="officer"')[1]

    first, other, none = (choices(area.targets[i]) for i in (0, 1, 3))
    for row in (first, other, none):
        # every active officer once, escaped; the inactive one never
        assert all(row.count(f'<option value="{o.pk}"') == 1 for o in board_a["officers"])
        assert "&lt;b&gt;สมศรี&lt;/b&gt;" in row and "<b>" not in row
        assert f'value="{board_a["inactive"].pk}"' not in row
    assert first.count(" selected") == 1 and f'value="{officer_a.pk}" selected' in first
    assert other.count(" selected") == 1 and f'value="{second.pk}" selected' in other
    assert none.count(" selected") == 1 and '<option value="" selected>' in none


def test_board_query_count_does_not_grow_with_villages(
    login, board_a, head_a, django_assert_num_queries, render_every_time
):
    client = login(head_a)
    # session, user, officer, district, its change count, years, targets, their active
    # assignments, officers, their tambons, the year's follow-ups, earlier years' targets to
    # follow up, tambons of the district, orders (rendered: nothing kept)
    with django_assert_num_queries(14):
        client.get(BOARD)
    tambon = board_a["area"].tambons[1]
    for moo in range(10, 40):
        target = TargetVillage.objects.create(
            village=VillageFactory(tambon=tambon, moo=moo, code=f"{tambon.code}{moo}"), year_id=2560
        )
        VillageAssignment.objects.create(target=target, officer=board_a["officers"][1])
    with django_assert_num_queries(14):
        response = client.get(BOARD)
    assert len(response.context["targets"]) == 34


def test_head_assigns_one_village_without_a_reload(login, board_a, head_a):
    target = board_a["area"].targets[0]
    officer_a, second, _third = board_a["officers"]
    response = assign_post(login(head_a), [target], second, officer_a)
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == [
        "assignments/_board_body.html",  # the body, then the #board around it
        "assignments/_board.html",
    ]
    assert active_officer(target) == second
    history = list(VillageAssignment.objects.filter(target=target).order_by("assigned_at"))
    assert [(a.officer, a.ended_at is None) for a in history] == [
        (officer_a, False),
        (second, True),
    ]
    assert history[0].ended_by == head_a.user
    text = response.content.decode()
    assert "ไปให้" in text
    # the changed row says so itself, where the head is on a long board; no other row does
    rows = {
        t.pk: text.split(f'id="target-{t.pk}"')[1].split("</tr>")[0]
        for t in board_a["area"].targets
    }
    assert "just-changed" in rows[target.pk].split(">")[0] and "บันทึกแล้ว" in rows[target.pk]
    assert not any("บันทึกแล้ว" in row for pk, row in rows.items() if pk != target.pk)


def test_head_assigns_many_villages_at_once(login, board_a, head_a):
    targets = board_a["area"].targets[:3]
    officer_a, _second, third = board_a["officers"]
    assign_post(login(head_a), targets, third, officer_a)
    assert [active_officer(t) for t in targets] == [third] * 3


def test_leaving_a_village_without_officer_asks_first(login, board_a, head_a):
    target = board_a["area"].targets[0]
    client = login(head_a)
    response = assign_post(client, [target], None, board_a["officers"][0])
    assert "ไม่มีผู้รับผิดชอบ" in response.content.decode()
    assert active_officer(target) == board_a["officers"][0]  # nothing changed yet
    assign_post(client, [target], None, board_a["officers"][0], confirm="1")
    assert active_officer(target) is None


def test_a_stale_board_is_told_and_nothing_is_overwritten(login, board_a, head_a):
    target = board_a["area"].targets[0]
    officer_a, second, third = board_a["officers"]
    client = login(head_a)
    assign_post(client, [target], second, officer_a)  # the first browser
    response = assign_post(client, [target], third, officer_a)  # the second, still showing A
    assert "มีผู้แก้ไข" in response.content.decode()
    assert active_officer(target) == second


def test_the_same_change_sent_twice_is_done_not_refused(login, board_a, head_a):
    """A double tap or a retry on a bad line: the second send finds the change made."""
    target = board_a["area"].targets[0]
    officer_a, second, _third = board_a["officers"]
    client = login(head_a)
    assign_post(client, [target], second, officer_a)
    again = assign_post(client, [target], second, officer_a)
    assert "มีผู้แก้ไข" not in again.content.decode()
    assert active_officer(target) == second
    assert VillageAssignment.objects.filter(target=target).count() == 2


def test_without_htmx_the_board_reloads_and_says_so_once(login, board_a, head_a):
    target = board_a["area"].targets[0]
    officer_a, second, _third = board_a["officers"]
    data = {"year": 2560, "target": [target.pk], "officer": second.pk}
    data[f"expected-{target.pk}"] = officer_a.pk
    page = login(head_a).post(ASSIGN, data, follow=True).content.decode()
    assert active_officer(target) == second
    assert page.count(f"ไปให้ {second.user.display_name}") == 1


def test_inactive_officer_cannot_be_given_a_village(login, board_a, head_a):
    target = board_a["area"].targets[0]
    response = assign_post(login(head_a), [target], board_a["inactive"], board_a["officers"][0])
    assert response.status_code == 404
    assert active_officer(target) == board_a["officers"][0]


@pytest.mark.parametrize("who", ["officer_a", "province_staff_a"])
def test_only_the_head_changes_the_board(request, login, board_a, who):
    client = login(request.getfixturevalue(who))
    target = board_a["area"].targets[0]
    for url, data in [
        (ASSIGN, {"target": target.pk, "officer": board_a["officers"][1].pk}),
        (BOARD + "pin/", {"target": target.pk, "pinned": "1"}),
        (BOARD + "tambons/", {"officer": board_a["officers"][1].pk, "tambon": "401601"}),
        (BOARD + "suggest/", {"move": f"{target.pk}::{board_a['officers'][1].pk}"}),
        ("/districts/4016/orders/new/", {"number": "9/2560"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert client.get("/districts/4016/orders/new/").status_code == 403
    assert active_officer(target) == board_a["officers"][0]


def test_the_board_holds_only_its_own_districts_villages_and_officers(
    login, board_a, head_a, area_a2, officer_b
):
    """Another district's targets and officers, in this province (A2) and in another (B's
    officer_b, with a village), are nowhere on district A's board."""
    neighbour = OfficerFactory(district=area_a2.district)
    VillageAssignment.objects.create(target=area_a2.targets[0], officer=neighbour)
    VillageAssignment.objects.create(target=officer_b.district.targets.first(), officer=officer_b)
    response = login(head_a).get(BOARD)
    context = response.context
    assert {t.pk for t in context["targets"]} == {t.pk for t in board_a["area"].targets}
    assert {o.officer for o in context["officers"]} == {*board_a["officers"], board_a["inactive"]}
    assert context["unassigned"] == 0
    text = response.content.decode()
    for officer in (neighbour, officer_b):
        assert officer.user.display_name not in text


def test_another_districts_head_gets_404(login, board_a, head_b):
    client = login(head_b)
    assert client.get(BOARD).status_code == 404
    target = board_a["area"].targets[0]
    assert client.post(ASSIGN, {"target": target.pk, "officer": ""}).status_code == 404
    assert client.get(f"/targets/{target.pk}/").status_code == 404


def test_a_target_of_another_district_cannot_be_slipped_in(login, board_a, head_a, area_b):
    response = assign_post(login(head_a), [area_b.targets[0]], board_a["officers"][1], None)
    assert "ไม่ใช่หมู่บ้านเป้าหมายของอำเภอนี้" in response.content.decode()
    assert not VillageAssignment.objects.filter(target=area_b.targets[0]).exists()


def test_pin_toggles(login, board_a, head_a):
    target = board_a["area"].targets[0]
    login(head_a).post(BOARD + "pin/", {"year": 2560, "target": target.pk, "pinned": "1"}, **HTMX)
    assert VillageAssignment.objects.active().get(target=target).pinned


def test_a_target_of_another_district_cannot_be_pinned(login, board_a, head_a, officer_b):
    other = VillageAssignment.objects.create(
        target=officer_b.district.targets.first(), officer=officer_b
    )
    response = login(head_a).post(
        BOARD + "pin/", {"year": 2560, "target": other.target_id, "pinned": "1"}, **HTMX
    )
    assert "ตรึงได้เฉพาะหมู่บ้านที่มีผู้รับผิดชอบแล้ว" in response.content.decode()
    other.refresh_from_db()
    assert not other.pinned


def test_head_edits_tambon_responsibilities(login, board_a, head_a):
    third = board_a["officers"][2]
    tambons = board_a["area"].tambons
    client = login(head_a)
    client.post(
        BOARD + "tambons/",
        {"year": 2560, "officer": third.pk, "tambon": [tambons[0].code, tambons[1].code]},
        **HTMX,
    )
    assert set(third.tambon_responsibilities.current().values_list("tambon_id", flat=True)) == {
        tambons[0].code,
        tambons[1].code,
    }
    client.post(
        BOARD + "tambons/", {"year": 2560, "officer": third.pk, "tambon": [tambons[1].code]}, **HTMX
    )
    # the unticked tambon is gone at once, on every page that reads the current ones
    assert list(third.tambon_responsibilities.current().values_list("tambon_id", flat=True)) == [
        tambons[1].code
    ]
    board = client.get(BOARD + "?year=2560").context
    row = next(o for o in board["officers"] if o.pk == third.pk)
    assert row.tambon_codes == {tambons[1].code}


def test_a_tambon_answered_for_since_before_today_ends_yesterday(board_a, head_a):
    from assignments import services
    from districts.models import TambonResponsibility

    third, tambon = board_a["officers"][2], board_a["area"].tambons[0]
    earlier = TambonResponsibility.objects.create(
        officer=third, tambon=tambon, start_date=dt.date(2017, 1, 1)
    )
    services.tambons_set(
        district=board_a["area"].district, officer=third, tambon_ids=[], actor=head_a.user
    )
    earlier.refresh_from_db()
    assert earlier.end_date == timezone.localdate() - dt.timedelta(days=1)
    assert not third.tambon_responsibilities.current().exists()


def test_tambons_of_another_district_are_refused(login, board_a, head_a, area_b):
    third = board_a["officers"][2]
    response = login(head_a).post(
        BOARD + "tambons/",
        {"year": 2560, "officer": third.pk, "tambon": [area_b.tambons[0].code]},
        **HTMX,
    )
    assert "ไม่อยู่ในอำเภอนี้" in response.content.decode()
    assert not third.tambon_responsibilities.exists()


def test_the_database_keeps_one_active_officer_per_target(board_a):
    target = board_a["area"].targets[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageAssignment.objects.create(target=target, officer=board_a["officers"][1])


def test_target_page_shows_who_had_it_before(login, board_a, head_a, officer_a):
    target = board_a["area"].targets[0]
    assign_post(login(head_a), [target], board_a["officers"][1], officer_a)
    response = login(officer_a).get(f"/targets/{target.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ประวัติการมอบหมาย" in text
    assert officer_a.user.display_name in text
    assert board_a["officers"][1].user.display_name in text
    assert len(response.context["history"]) == 2


def test_new_officer_in_a_new_tambon_counts_as_own_work(login, board_a, head_a):
    area = board_a["area"]
    other = OfficerFactory(district=area.district)
    # her tambon is hers from today, and a village of it is given to her today
    TambonResponsibilityFactory(
        officer=other, tambon=area.tambons[1], start_date=timezone.localdate()
    )
    target = area.targets[2]
    VillageAssignment.objects.filter(target=target).delete()
    VillageAssignment.objects.create(target=target, officer=other, assigned_by=head_a.user)
    response = login(head_a).get(BOARD)
    assert other in [o.officer for o in response.context["active_officers"]]
    row = next(t for t in response.context["targets"] if t.pk == target.pk)
    assert row.officer_id == other.pk and row.cross_tambon is False
    assert "cross-tambon" not in response.content.decode().split(f'id="target-{target.pk}"')[1][:80]


@pytest.mark.parametrize("year", ["abc", "1", "99999", "", "²⁵⁶⁰"])
def test_a_bad_year_in_a_board_form_or_address_is_no_server_error(login, board_a, head_a, year):
    client = login(head_a)
    target = board_a["area"].targets[0]
    for url, data in (
        (BOARD + "pin/", {"year": year, "target": target.pk, "pinned": "1"}),
        (BOARD + "suggest/", {"year": year, "move": "1:2:3"}),
    ):
        assert client.post(url, data, **HTMX).status_code in (200, 302)
    for url in (BOARD, "/districts/4016/", "/districts/4016/visits/", "/districts/4016/officers/"):
        assert client.get(f"{url}?year={year}").status_code == 200


def test_the_service_itself_refuses_what_the_board_view_filters_out(board_a, head_a, officer_b):
    """The views fetch only active officers of the district and check the head first, so
    they never reach these guards of ``assignment_change``; the service keeps them anyway."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from assignments import services

    district, target = board_a["area"].district, board_a["area"].targets[0]
    officer_a, second, _third = board_a["officers"]
    for officer in (board_a["inactive"], officer_b, head_a):  # switched off, elsewhere, a head
        with pytest.raises(ValidationError):
            services.assignment_change(
                district=district, target_ids=[target.pk], officer=officer, actor=head_a.user
            )
    with pytest.raises(PermissionDenied):
        services.assignment_change(
            district=district, target_ids=[target.pk], officer=second, actor=officer_a.user
        )
    assert active_officer(target) == officer_a
    # the tambons view, too, fetches only the district's officers
    with pytest.raises(ValidationError):
        services.tambons_set(district=district, officer=officer_b, tambon_ids=[], actor=head_a.user)
