"""Each app tells the people its events concern, once, in the portal (districts.notify)."""

import datetime as dt
import uuid

from django.urls import reverse

from assignments import services as assignment_services
from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts.notify.models import Kind, Notification
from evaluations import services as evaluation_services
from people import services as people_services
from people.models import Forum, SageNetwork


def notices(who, kind=None):
    rows = Notification.objects.filter(user=getattr(who, "user", who))
    return list(rows.filter(kind=kind) if kind else rows)


def test_assigning_and_moving_villages_tells_both_officers(area_a, officer_a, head_a):
    other = officer_a.__class__.objects.create(
        user=officer_a.user.__class__.objects.create(username="officer-a2"),
        district=area_a.district,
    )
    ids = [t.pk for t in area_a.targets[:2]]
    kw = {"district": area_a.district, "actor": head_a.user}
    assignment_services.assignment_change(target_ids=ids, officer=officer_a, **kw)
    [given] = notices(officer_a, Kind.ASSIGNED)
    assert area_a.targets[0].village.name_th in given.text
    assignment_services.assignment_change(target_ids=ids[:1], officer=other, **kw)
    assert len(notices(other, Kind.ASSIGNED)) == 1
    moved = [n for n in notices(officer_a, Kind.ASSIGNED) if n.pk != given.pk]
    assert len(moved) == 1 and area_a.targets[0].village.name_th in moved[0].text
    # the same change sent again changes nothing and tells nobody again
    assignment_services.assignment_change(target_ids=ids[:1], officer=other, **kw)
    assert Notification.objects.count() == 3
    assert not notices(head_a)


def test_an_issued_order_tells_its_staff(area_a, officer_a, head_a):
    VillageAssignment.objects.create(target=area_a.targets[0], officer=officer_a)
    order = assignment_services.order_issue(
        district=area_a.district,
        year=2560,
        number="12/2560",
        date=dt.date(2016, 11, 1),
        subject="มอบหมายพื้นที่",
        signer_name="น",
        signer_position="พัฒนาการอำเภอ",
        actor=head_a.user,
    )
    [n] = notices(officer_a, Kind.ORDER)
    assert "12/2560" in n.text
    assert n.url == reverse("assignments:order_detail", args=[area_a.district.pk, order.pk])


def test_a_forum_planned_or_moved_tells_the_districts_staff_once(
    area_a, officer_a, head_a, officer_b
):
    network = SageNetwork.objects.create(district=area_a.district, name="เครือข่าย")
    forum = Forum(network=network, date=dt.date(2017, 3, 1), place="วัด", topic="ทอผ้า")
    people_services.forum_save(forum=forum, sages=[], officers=[], actor=head_a.user)
    assert len(notices(officer_a, Kind.FORUM)) == 1
    assert not notices(head_a) and not notices(officer_b)  # not the one who planned it
    people_services.forum_save(forum=forum, sages=[], officers=[officer_a], actor=head_a.user)
    assert len(notices(officer_a, Kind.FORUM)) == 1  # nothing of it changed for them
    forum.date = dt.date(2017, 3, 8)
    people_services.forum_save(forum=forum, sages=[], officers=[], actor=head_a.user)
    assert len(notices(officer_a, Kind.FORUM)) == 2


def test_a_returned_evaluation_tells_who_submitted_it(area_a, officer_a, head_a):
    target = area_a.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer_a)
    evaluation = evaluation_services.evaluation_save(
        target=target, user=officer_a.user, submit=True, lessons="x"
    )
    evaluation_services.evaluation_review(
        evaluation=evaluation, user=head_a.user, approve=False, comment="เพิ่มรายได้"
    )
    [n] = notices(officer_a, Kind.EVALUATION)
    assert "เพิ่มรายได้" in n.text


def test_a_visit_refused_at_sync_tells_the_officer_once(login, area_a, area_b, officer_a):
    ensure_default_stages(Stage)
    client = login(officer_a)
    submission = str(uuid.uuid4())
    data = {
        "submission": submission,
        "target": area_b.targets[0].pk,
        "date": "01/06/2560",
        "stage": Stage.objects.first().pk,
        "activity": "x",
    }
    for _ in range(2):
        assert client.post(reverse("fieldwork:visit_sync"), data).status_code == 422
    [n] = notices(officer_a, Kind.SYNC_REFUSED)
    assert n.url == reverse("fieldwork:outbox")
