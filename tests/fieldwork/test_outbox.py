"""The phone's outbox sends visits to visits/sync/: the visit form's rules, stored once."""

import datetime as dt
import json
import threading
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.db import IntegrityError, connection, transaction
from django.test import Client

from assignments import services
from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from fieldwork.models import FieldVisit, VisitPhoto
from sammachip.views import APP_SHELL
from tests.factories import OfficerFactory, UserFactory
from tests.fieldwork.test_visits import jpeg_with_gps, upload, visit_data


@pytest.fixture
def field(area_a, officer_a, head_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_default_stages(Stage)
    stages = list(Stage.objects.order_by("order"))
    mine = area_a.targets[:2]
    for target in mine:
        VillageAssignment.objects.create(target=target, officer=officer_a)
    return {"mine": mine, "other": area_a.targets[2], "stages": stages}


def queued(field, **extra):
    """A visit as the outbox sends it: the form's fields, its token, when it was saved."""
    sent = {
        "submission": str(uuid.uuid4()),
        "saved_on_phone_at": "2017-06-15T09:30:00+07:00",
        "lat": "16.60",
        "lon": "102.40",
        "accuracy_m": "8",
    }
    return visit_data(field["mine"][0], field["stages"][1], **{**sent, **extra})


def test_the_outbox_gets_a_token_and_whose_session_it_is(login, field, officer_a):
    answer = login(officer_a).get("/visits/sync/")
    assert answer.status_code == 200
    assert set(answer.json()) == {"csrf", "user"}
    assert answer.json()["user"] == "officer-a"


def test_a_queued_visit_is_saved_with_its_photo_and_both_times(login, field, officer_a):
    data = queued(field, photos=[upload("IMG_1.jpg", jpeg_with_gps())])
    answer = login(officer_a).post("/visits/sync/", data)
    visit = FieldVisit.objects.get()
    assert answer.status_code == 201
    assert answer.json()["status"] == "saved"
    assert answer.json()["url"] == f"/visits/{visit.pk}/"
    assert str(visit.submission) == data["submission"]
    assert visit.saved_on_phone_at == dt.datetime(2017, 6, 15, 2, 30, tzinfo=dt.UTC)
    assert visit.created_at > visit.saved_on_phone_at  # reached the server later
    assert (visit.lat, visit.lon, visit.accuracy_m) == (16.6, 102.4, 8)
    assert visit.photos.count() == 1
    field["mine"][0].refresh_from_db()
    assert field["mine"][0].stage == field["stages"][1]  # the same service moved it on


def test_a_phone_clock_ahead_of_the_server_is_not_believed(login, field, officer_a):
    login(officer_a).post("/visits/sync/", queued(field, saved_on_phone_at="2099-01-01T00:00"))
    visit = FieldVisit.objects.get()
    assert visit.saved_on_phone_at <= visit.created_at


def test_a_visit_sent_again_is_stored_once_and_said_so(login, field, officer_a):
    client = login(officer_a)
    data = queued(field)
    first = client.post("/visits/sync/", {**data, "photos": [upload("a.jpg", jpeg_with_gps())]})
    again = client.post("/visits/sync/", {**data, "photos": [upload("a.jpg", jpeg_with_gps())]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "repeated"
    assert again.json()["url"] == first.json()["url"]
    assert FieldVisit.objects.count() == 1 and VisitPhoto.objects.count() == 1


def test_a_visit_to_a_village_moved_to_a_colleague_is_refused_with_the_reason_in_thai(
    login, field, officer_a, head_a
):
    colleague = OfficerFactory(user=UserFactory(username="officer-a9"), district=head_a.district)
    moved = field["mine"][0]
    services.assignment_change(
        district=head_a.district, target_ids=[moved.pk], officer=colleague, actor=head_a.user
    )
    answer = login(officer_a).post("/visits/sync/", queued(field))
    assert answer.status_code == 422
    assert answer.json()["status"] == "refused"
    assert "มอบให้เจ้าหน้าที่คนอื่น" in answer.json()["reason"]
    assert FieldVisit.objects.count() == 0


def test_a_visit_sent_before_its_village_moved_is_still_found_when_sent_again(
    login, field, officer_a, head_a
):
    """The answer to the first send was lost; the village moved; the retry is no refusal."""
    client = login(officer_a)
    data = queued(field)
    client.post("/visits/sync/", data)
    colleague = OfficerFactory(user=UserFactory(username="officer-a9"), district=head_a.district)
    services.assignment_change(
        district=head_a.district,
        target_ids=[field["mine"][0].pk],
        officer=colleague,
        actor=head_a.user,
    )
    again = client.post("/visits/sync/", data)
    assert again.status_code == 200 and again.json()["status"] == "repeated"


def test_the_visit_rules_refuse_with_the_fields_reason(login, field, officer_a):
    answer = login(officer_a).post("/visits/sync/", queued(field, date="15/06/2555"))
    assert answer.status_code == 422
    assert answer.json()["reason"].startswith("วันที่ลงพื้นที่:")
    answer = login(officer_a).post(
        "/visits/sync/", queued(field, photos=[upload("a.jpg", b"not a photo")])
    )
    assert answer.status_code == 422 and "ไม่ใช่รูปภาพ" in answer.json()["reason"]
    assert FieldVisit.objects.count() == 0


def test_a_visit_with_no_token_is_refused(login, field, officer_a):
    data = queued(field)
    del data["submission"]
    answer = login(officer_a).post("/visits/sync/", data)
    assert answer.status_code == 422 and FieldVisit.objects.count() == 0


def test_an_officer_of_another_district_cannot_send_to_this_districts_village(
    login, field, officer_b
):
    answer = login(officer_b).post("/visits/sync/", queued(field))
    assert answer.status_code == 422
    assert "มอบให้" not in answer.json()["reason"]  # nothing said of a village not theirs to see
    assert FieldVisit.objects.count() == 0


def test_the_outbox_needs_a_login_and_the_csrf_token(field, officer_a):
    client = Client(enforce_csrf_checks=True)
    assert client.get("/visits/sync/").status_code == 302
    client.force_login(officer_a.user)
    assert client.post("/visits/sync/", queued(field)).status_code == 403
    token = client.get("/visits/sync/").json()["csrf"]
    answer = client.post("/visits/sync/", queued(field), HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 201


def test_the_outbox_page_frames_what_the_phone_keeps(login, field, officer_a):
    page = login(officer_a).get("/outbox/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="outbox-list"' in text and "กล่องขาออก" in text
    assert 'id="field-app"' in text and 'data-user="officer-a"' in text


@pytest.mark.django_db(transaction=True)
def test_the_same_queued_visit_sent_three_times_in_parallel_is_stored_once(
    area_a, officer_a, settings, tmp_path
):
    """A flaky line, two tabs and the service worker's Background Sync may all send one
    visit at once. On PostgreSQL three threads send it together; SQLite runs one writer at a
    time, so there it is sent three times in a row and the database is shown to refuse a
    second visit with the same token by itself (the unique constraint)."""
    settings.MEDIA_ROOT = tmp_path
    ensure_default_stages(Stage)
    stages = list(Stage.objects.order_by("order"))
    VillageAssignment.objects.create(target=area_a.targets[0], officer=officer_a)
    data = queued({"mine": area_a.targets, "stages": stages})
    answers, errors = [], []

    def send(barrier=None):
        try:
            client = Client()
            # a User of its own per thread, as each request has: simple_history marks the
            # instance it saves (force_login saves last_login), which threads must not share
            client.force_login(type(officer_a.user).objects.get(pk=officer_a.user_id))
            if barrier:
                barrier.wait()
            answers.append(client.post("/visits/sync/", data).status_code)
        except Exception as error:  # shown by the assertion below, never a hung thread
            errors.append(repr(error))
            if barrier:
                barrier.abort()
        finally:
            if barrier:
                connection.close()

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(3, timeout=60)
        threads = [threading.Thread(target=send, args=(barrier,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for _ in range(3):
            send()
    assert errors == []
    assert sorted(answers) == [200, 200, 201]
    assert FieldVisit.objects.filter(submission=data["submission"]).count() == 1
    visit = FieldVisit.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        FieldVisit.objects.create(
            target=visit.target,
            officer=visit.officer,
            date=visit.date,
            stage=visit.stage,
            activity="อีกครั้ง",
            submission=visit.submission,
        )
    assert FieldVisit.objects.count() == 1


def test_the_manifest_names_the_app_in_thai_and_is_installable(client, field, officer_a):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["name"].startswith("สัมมาชีพ") and manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes


def test_the_service_worker_is_served_from_the_root_with_the_app_shell(client, field):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    script = answer.content.decode()
    assert "self.__WB_MANIFEST" not in script
    assert '"/static/build/portal.css"' in script and '"/offline/"' in script
    for name in APP_SHELL:  # one missing file and the worker never installs
        assert finders.find(name), name


def test_the_offline_page_says_so_in_thai_and_names_nobody(client, login, officer_a):
    text = login(officer_a).get("/offline/").content.decode()
    assert "ไม่มีสัญญาณ" in text or "ไม่ได้เชื่อมต่อ" in text
    assert "officer-a" not in text and "csrfmiddlewaretoken" not in text


def test_only_field_officers_get_the_app(login, field, officer_a, head_a):
    assert 'rel="manifest"' in login(officer_a).get("/").content.decode()
    assert 'rel="manifest"' not in login(head_a).get("/visits/new/").content.decode()
