"""The suggestion as a diff, accepting all or some of it, office orders and the command."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from assignments import services
from assignments.models import AssignmentOrder, VillageAssignment
from tests.assignments.conftest import active_officer
from tests.factories import FiscalYearFactory, TargetVillageFactory

SUGGEST = "/districts/4016/assignments/suggest/"


def issue_order(district, actor):
    """Office order 1/2560 of ``district``, issued by ``actor``."""
    return services.order_issue(
        district=district,
        year=2560,
        number="1/2560",
        date=dt.date(2016, 11, 1),
        subject="s",
        signer_name="n",
        signer_position="p",
        actor=actor,
    )


def test_suggestion_is_a_diff_with_loads_and_distances(login, board_a, head_a):
    response = login(head_a).get(SUGGEST)
    assert response.status_code == 200
    proposal = response.context["proposal"]
    # 4 villages, 3 active officers: officer_a keeps the two of her own tambon.
    officer_a, second, third = board_a["officers"]
    assert proposal.loads_after == {officer_a.pk: 2, second.pk: 1, third.pk: 1}
    assert {m.target_id for m in proposal.moves} == {t.pk for t in board_a["area"].targets[2:]}
    assert proposal.distance_before_m > proposal.distance_after_m > 0
    assert proposal.loads_before == {board_a["officers"][0].pk: 4}
    assert len(proposal.moves) == 2
    assert all(m.from_officer == board_a["officers"][0] for m in proposal.moves)
    text = response.content.decode()
    assert "ภาระงานก่อนและหลัง" in text
    assert "ระยะทางหลังปรับ (กม.)" in text
    assert 'id="added-travel"' not in text  # it saves travel: nothing to explain


def test_a_suggestion_that_travels_more_says_why(login, board_a, head_a, monkeypatch):
    real = services.balance_district

    def uneven_district(**kwargs):  # as where one officer holds every village near them
        proposal = real(**kwargs)
        proposal.distance_after_m = proposal.distance_before_m + 136_400
        return proposal

    monkeypatch.setattr(services, "balance_district", uneven_district)
    text = login(head_a).get(SUGGEST).content.decode()
    assert "ระยะเดินทางรวมเพิ่มขึ้น 136 กม." in text


def test_suggestion_never_offers_inactive_officers(login, board_a, head_a):
    proposal = login(head_a).get(SUGGEST).context["proposal"]
    assert board_a["inactive"] not in proposal.officers
    assert board_a["inactive"].pk not in proposal.loads_after


def test_head_accepts_some_rows(login, board_a, head_a):
    client = login(head_a)
    proposal = client.get(SUGGEST).context["proposal"]
    first = proposal.moves[0]
    response = client.post(
        SUGGEST,
        {
            "year": 2560,
            "move": [f"{first.target_id}:{first.from_officer.pk}:{first.to_officer.pk}"],
        },
    )
    assert response.status_code == 302
    assert (
        VillageAssignment.objects.active().get(target_id=first.target_id).officer
        == first.to_officer
    )
    other = proposal.moves[1]
    assert (
        VillageAssignment.objects.active().get(target_id=other.target_id).officer
        == other.from_officer
    )


def test_accepting_nothing_changes_nothing(login, board_a, head_a):
    before = list(VillageAssignment.objects.values_list("pk", "officer_id", "ended_at"))
    login(head_a).post(SUGGEST, {"year": 2560})
    assert list(VillageAssignment.objects.values_list("pk", "officer_id", "ended_at")) == before


def test_a_suggestion_row_naming_someone_who_cannot_take_villages_is_refused_whole(
    login, board_a, head_a, officer_b
):
    """Rows are sent by the browser: one naming an inactive officer, a head or another
    district's officer is refused, with the good rows beside it, and nothing moves."""
    client = login(head_a)
    proposal = client.get(SUGGEST).context["proposal"]
    good = [f"{m.target_id}:{m.from_officer.pk}:{m.to_officer.pk}" for m in proposal.moves]
    officer_a = board_a["officers"][0]
    target = board_a["area"].targets[0]
    for wrong in (board_a["inactive"], head_a, officer_b):
        response = client.post(
            SUGGEST,
            {"year": 2560, "move": [*good, f"{target.pk}:{officer_a.pk}:{wrong.pk}"]},
            follow=True,
        )
        assert "มอบหมายหมู่บ้านได้เฉพาะพัฒนากรที่ปฏิบัติงานอยู่ในอำเภอนี้" in response.content.decode()
        assert all(active_officer(t) == officer_a for t in board_a["area"].targets)


def test_a_stale_suggestion_is_refused_whole(login, board_a, head_a):
    client = login(head_a)
    proposal = client.get(SUGGEST).context["proposal"]
    rows = [f"{m.target_id}:{m.from_officer.pk}:{m.to_officer.pk}" for m in proposal.moves]
    moved = proposal.moves[1]
    # someone gives that village to an officer the suggestion did not choose for it (had
    # they chosen the same, the suggestion's end state would hold and it is no conflict)
    other = next(o for o in board_a["officers"] if o not in (moved.from_officer, moved.to_officer))
    services.assignment_change(
        district=board_a["area"].district, target_ids=[moved.target_id], officer=other,
        actor=head_a.user,
    )  # fmt: skip
    response = client.post(SUGGEST, {"year": 2560, "move": rows}, follow=True)
    assert "กระดานมีการเปลี่ยนแปลง" in response.content.decode()
    first = proposal.moves[0]
    assert (
        VillageAssignment.objects.active().get(target_id=first.target_id).officer
        == first.from_officer
    )


def test_pinned_villages_are_respected(login, board_a, head_a):
    for target in board_a["area"].targets:
        services.assignment_pin(
            district=board_a["area"].district, target_id=target.pk, pinned=True, actor=head_a.user
        )
    page = login(head_a).get(SUGGEST)
    proposal = page.context["proposal"]
    assert proposal.moves == []
    # the pins overfill officer_a and leave the others short, and the page says so, by
    # name and in Thai
    officer_a, *others = board_a["officers"]
    over, *short = proposal.notes
    assert officer_a.user.display_name in over and "เกินส่วนที่เป็นธรรม" in over
    assert [o.user.display_name in note for o, note in zip(others, short, strict=True)] == [
        True,
        True,
    ]
    assert all("น้อยกว่าส่วนที่เป็นธรรม" in note for note in short)
    assert all(note in page.content.decode() for note in proposal.notes)


def test_suggestion_query_count_does_not_grow_with_villages(
    login, board_a, head_a, django_assert_num_queries
):
    from assignments.models import TargetVillage
    from tests.factories import VillageFactory

    client = login(head_a)
    # session, user, officer, district, years; targets, assignments, officers, their tambons,
    # tambon centroids; the moves' officers come from the same objects
    with django_assert_num_queries(10):
        client.get(SUGGEST)
    tambon = board_a["area"].tambons[1]
    for moo in range(10, 30):
        TargetVillage.objects.create(
            village=VillageFactory(tambon=tambon, moo=moo, code=f"{tambon.code}{moo}"), year_id=2560
        )
    with django_assert_num_queries(10):
        response = client.get(SUGGEST)
    assert sum(response.context["proposal"].loads_after.values()) == 24


def test_head_issues_an_order_with_a_buddhist_era_date(login, board_a, head_a):
    # a village the officer has in another fiscal year is not in this year's order
    later = TargetVillageFactory(
        village=board_a["area"].villages[0], year=FiscalYearFactory(year=2561)
    )
    VillageAssignment.objects.create(target=later, officer=board_a["officers"][0])
    client = login(head_a)
    form = client.get("/districts/4016/orders/new/?year=2560")
    assert form.status_code == 200
    assert form.context["form"].initial["number"] == "1/2560"
    response = client.post(
        "/districts/4016/orders/new/?year=2560",
        {
            "number": "15/2560",
            "date": "27/05/2560",
            "subject": "มอบหมายงาน",
            "signer_name": "นายทดสอบ",
            "signer_position": "พัฒนาการอำเภอภูเวียง",
        },
    )
    order = AssignmentOrder.objects.get()
    assert response.status_code == 302
    assert order.date == dt.date(2017, 5, 27)
    assert order.year_id == 2560
    [first, *_rest] = order.snapshot["officers"]
    assert len(first["villages"]) == 4
    assert VillageAssignment.objects.active().filter(order=order).count() == 4
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "คำสั่งสำนักงานพัฒนาชุมชนอำเภอภูเวียง" in text
    assert "ที่ 15/2560" in text
    assert "สั่ง ณ วันที่ 27 พฤษภาคม 2560" in text
    listing = client.get("/districts/4016/orders/?year=2560")
    assert "15/2560" in listing.content.decode()
    # read in English, the order itself stays Thai: its date and a new one's subject
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "สั่ง ณ วันที่ 27 พฤษภาคม 2560" in client.get(response["Location"]).content.decode()
    subject = client.get("/districts/4016/orders/new/").context["form"].initial["subject"]
    assert subject.startswith("มอบหมายเจ้าหน้าที่")


def test_the_printed_order_does_not_change_when_the_board_does(login, board_a, head_a):
    district = board_a["area"].district
    order = issue_order(district, head_a.user)
    services.assignment_change(
        district=district,
        target_ids=[board_a["area"].targets[0].pk],
        officer=board_a["officers"][2],
        actor=head_a.user,
    )
    order.refresh_from_db()
    assert len(order.snapshot["officers"][0]["villages"]) == 4
    # and the printed page lists the villages as they were, by name
    printed = login(head_a).get(f"/districts/4016/orders/{order.pk}/").content.decode()
    table = printed.split('class="order-table"')[1].split("</table>")[0]
    for target in board_a["area"].targets:
        assert f"{target.village.name_th} หมู่ที่ {target.village.moo}" in table


def test_an_order_takes_only_its_own_districts_assignments(board_a, head_a, officer_b):
    theirs = VillageAssignment.objects.create(
        target=officer_b.district.targets.first(), officer=officer_b
    )
    order = issue_order(board_a["area"].district, head_a.user)
    theirs.refresh_from_db()
    assert theirs.order is None
    assert set(order.assignments.values_list("target__district_id", flat=True)) == {"4016"}


def test_a_districts_orders_are_its_own_and_numbered_on_their_own(
    login, board_a, head_a, head_b, area_b
):
    theirs = issue_order(area_b.district, head_b.user)
    ours = issue_order(board_a["area"].district, head_a.user)
    client = login(head_a)
    assert list(client.get("/districts/4016/orders/?year=2560").context["orders"]) == [ours]
    assert client.get("/districts/4016/assignments/?year=2560").context["orders"] == [ours]
    assert theirs.number == ours.number


def test_a_bad_order_keeps_what_was_typed_and_says_why_in_thai(login, board_a, head_a):
    client = login(head_a)
    data = {
        "number": "1/2560",
        "date": "27/05/2017",
        "subject": "เรื่องที่พิมพ์ไว้",
        "signer_name": "n",
        "signer_position": "p",
    }
    response = client.post("/districts/4016/orders/new/?year=2560", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "วัน/เดือน/ปี พ.ศ." in text
    assert "เรื่องที่พิมพ์ไว้" in text
    assert not AssignmentOrder.objects.exists()
    data["date"] = "27/05/2560"
    client.post("/districts/4016/orders/new/?year=2560", data)
    duplicate = client.post("/districts/4016/orders/new/?year=2560", data)
    assert "อำเภอนี้มีคำสั่งเลขที่นี้อยู่แล้ว" in duplicate.content.decode()
    assert AssignmentOrder.objects.count() == 1


def test_orders_of_another_district_are_404(login, board_a, head_a, head_b):
    order = issue_order(board_a["area"].district, head_a.user)
    client = login(head_b)
    assert client.get(f"/districts/4016/orders/{order.pk}/").status_code == 404
    assert client.get(f"/districts/4101/orders/{order.pk}/").status_code == 404
    assert client.get("/districts/4016/orders/").status_code == 404


def test_balance_command_dry_run_then_apply_twice(board_a, head_a):
    out = StringIO()
    call_command("balance_assignments", district="4016", year=2560, stdout=out)
    assert "2 moves" in out.getvalue() and "Dry run" in out.getvalue()
    assert active_officer(board_a["area"].targets[3]) == board_a["officers"][0]
    call_command("balance_assignments", district="4016", year=2560, apply=True, stdout=out)
    loads = sorted(
        VillageAssignment.objects.active()
        .filter(officer__in=board_a["officers"])
        .values_list("officer_id", flat=True)
    )
    assert sorted(loads.count(o.pk) for o in board_a["officers"]) == [1, 1, 2]
    again = StringIO()
    call_command("balance_assignments", district="4016", year=2560, apply=True, stdout=again)
    assert "0 moves" in again.getvalue()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reassignments_leave_one_active_officer(board_a, head_a):
    """Two heads' browsers change the same villages at once: one wins, one is told."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    district = board_a["area"].district
    ids = [t.pk for t in board_a["area"].targets]
    shown = dict.fromkeys(ids, board_a["officers"][0].pk)
    results = []
    barrier = threading.Barrier(2)

    def change(officer):
        try:
            barrier.wait()
            services.assignment_change(
                district=district,
                target_ids=ids,
                officer=officer,
                actor=head_a.user,
                expected=shown,
            )
            results.append("won")
        except services.BoardChanged:
            results.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=change, args=(o,)) for o in board_a["officers"][1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["told", "won"]
    for target_id in ids:
        assert VillageAssignment.objects.active().filter(target_id=target_id).count() == 1


def test_an_order_of_an_earlier_year_is_dated_within_that_year(login, head_a, area_a):
    """The form offered today's date for an order of FY2560 (ended 30 Sep 2017)."""
    import datetime as dt

    form = login(head_a).get("/districts/4016/orders/new/?year=2560").context["form"]
    assert form.initial["date"] == dt.date(2017, 9, 30)
