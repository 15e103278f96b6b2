"""The district team's meetings: the head records them, every member of the district reads
them, and each action shows (on the meeting list, the head's page, the owner's home) until
its owner or the head marks it done."""

import datetime as dt

import pytest
from django.utils import timezone

from assignments.models import Meeting, MeetingAction
from tests.factories import OfficerFactory, UserFactory


def meeting_data(officer, head, **extra):
    data = {
        "date": "05/06/2560",
        "agenda": "ทบทวนแผนงาน",
        "attendees": [head.pk, officer.pk],
        "decisions": "เร่งอบรมทีมวิทยากร",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-text": "ส่งรายชื่อปราชญ์",
        "actions-0-owner": officer.pk,
        "actions-0-due": "30/06/2560",
        "actions-1-text": "",
        "actions-1-owner": "",
        "actions-1-due": "",
    }
    return {**data, **extra}


@pytest.fixture
def meeting(head_a, officer_a):
    meeting = Meeting.objects.create(
        district_id="4016", date=dt.date(2017, 6, 5), agenda="วาระ", created_by=head_a.user
    )
    meeting.attendees.set([head_a, officer_a])
    return meeting


def action_of(meeting, owner, text="งาน", due=dt.date(2017, 6, 30), done=False):
    return MeetingAction.objects.create(
        meeting=meeting,
        owner=owner,
        text=text,
        due=due,
        done_at=timezone.now() if done else None,
    )


def test_the_head_records_a_meeting_with_its_actions(login, head_a, officer_a):
    response = login(head_a).post("/districts/4016/meetings/new/", meeting_data(officer_a, head_a))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert set(meeting.attendees.all()) == {head_a, officer_a}
    assert meeting.created_by == head_a.user
    action = meeting.actions.get()
    assert (action.text, action.owner, action.due) == (
        "ส่งรายชื่อปราชญ์",
        officer_a,
        dt.date(2017, 6, 30),
    )
    text = login(officer_a).get(f"/meetings/{meeting.pk}/").content.decode()
    assert "เร่งอบรมทีมวิทยากร" in text and "ส่งรายชื่อปราชญ์" in text


def test_a_bad_meeting_form_keeps_what_was_typed_and_writes_nothing(login, head_a, officer_a):
    client = login(head_a)
    response = client.post(
        "/districts/4016/meetings/new/",
        meeting_data(officer_a, head_a, **{"date": "31/02/2560", "actions-0-due": ""}),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "ไม่มีวันที่นี้ในปฏิทิน" in text
    assert "กรุณาแก้ไขช่องที่มีเครื่องหมาย" in text
    assert "ทบทวนแผนงาน" in text and 'value="ส่งรายชื่อปราชญ์"' in text  # kept
    assert not Meeting.objects.exists() and not MeetingAction.objects.exists()


def test_an_action_owner_must_be_of_the_districts_staff(login, head_a, officer_a, officer_b):
    response = login(head_a).post(
        "/districts/4016/meetings/new/",
        meeting_data(officer_a, head_a, **{"actions-0-owner": officer_b.pk}),
    )
    assert response.status_code == 200
    assert "กรุณาเลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_officer_reads_meetings_but_does_not_record_them(login, officer_a, head_a, meeting):
    client = login(officer_a)
    assert client.get("/districts/4016/meetings/").status_code == 200
    assert client.get("/districts/4016/meetings/new/").status_code == 403
    assert (
        client.post("/districts/4016/meetings/new/", meeting_data(officer_a, head_a)).status_code
        == 403
    )
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 403
    assert Meeting.objects.count() == 1


def test_the_owner_sees_their_action_at_home_until_they_mark_it_done(
    login, officer_a, head_a, meeting
):
    action = action_of(meeting, officer_a, "ส่งรายชื่อปราชญ์", due=dt.date(2017, 6, 30))
    action_of(meeting, head_a, "งานของหัวหน้า")
    client = login(officer_a)
    home = client.get("/").content.decode()
    assert 'id="my-actions"' in home and "ส่งรายชื่อปราชญ์" in home
    assert "งานของหัวหน้า" not in home  # only their own
    # on the meeting list and the head's page too
    assert "ส่งรายชื่อปราชญ์" in login(head_a).get("/districts/4016/meetings/").content.decode()
    assert "ส่งรายชื่อปราชญ์" in login(head_a).get("/districts/4016/").content.decode()
    client = login(officer_a)
    response = client.post(f"/meeting-actions/{action.pk}/done/", HTTP_REFERER="http://testserver/")
    assert response.status_code == 302 and response["Location"] == "/"
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == officer_a.user
    home = client.get("/").content.decode()
    assert "บันทึกว่าเสร็จแล้ว: ส่งรายชื่อปราชญ์" in home  # said once
    assert 'id="my-actions"' not in home
    assert "ส่งรายชื่อปราชญ์" not in login(head_a).get("/districts/4016/").content.decode()


def test_only_the_owner_or_the_head_marks_an_action_done(login, area_a, officer_a, head_a, meeting):
    other = OfficerFactory(user=UserFactory(username="officer-a-2"), district=area_a.district)
    action = action_of(meeting, officer_a)
    assert login(other).post(f"/meeting-actions/{action.pk}/done/").status_code == 403
    action.refresh_from_db()
    assert action.done_at is None
    assert login(head_a).post(f"/meeting-actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.done_by == head_a.user
    # and opened again
    login(head_a).post(f"/meeting-actions/{action.pk}/done/", {"done": "0"})
    action.refresh_from_db()
    assert action.done_at is None


def test_a_user_of_another_district_neither_reads_nor_changes_the_meetings(
    login, head_a, officer_a, head_b, officer_b, meeting
):
    action = action_of(meeting, officer_a)
    for who in (head_b, officer_b):
        client = login(who)
        assert client.get("/districts/4016/meetings/").status_code == 404
        assert client.get("/districts/4016/meetings/new/").status_code == 404
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
        assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 404
        assert (
            client.post(
                f"/meetings/{meeting.pk}/edit/", meeting_data(officer_a, head_a)
            ).status_code
            == 404
        )
        assert client.post(f"/meeting-actions/{action.pk}/done/").status_code == 404
    meeting.refresh_from_db()
    action.refresh_from_db()
    assert meeting.agenda == "วาระ" and action.done_at is None
    assert MeetingAction.objects.count() == 1


def test_the_overdue_actions_are_marked(login, head_a, officer_a, meeting):
    action_of(meeting, officer_a, "เลยกำหนดแล้ว", due=dt.date(2017, 1, 1))
    text = login(head_a).get("/districts/4016/meetings/").content.decode()
    assert "เลยกำหนด" in text and "list-group-item-danger" in text


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, officer; district, years, the year's meetings with their counts,
        # the open actions with their owners and meetings
        ("/districts/4016/meetings/", 7),
        # session, user, officer; the meeting, its attendees, its actions
        ("/meetings/{pk}/", 6),
    ],
)
def test_meeting_pages_run_in_fixed_queries(
    login, area_a, head_a, officer_a, meeting, url, queries, django_assert_num_queries
):
    client = login(head_a)
    url = url.format(pk=meeting.pk)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for i in range(8):
        officer = OfficerFactory(user=UserFactory(username=f"more-{i}"), district=area_a.district)
        meeting.attendees.add(officer)
        action_of(meeting, officer, f"งาน {i}", done=i % 2 == 0)
        other = Meeting.objects.create(district_id="4016", date=dt.date(2017, 1, 1 + i), agenda="x")
        action_of(other, officer, f"อีกงาน {i}")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
