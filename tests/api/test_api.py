"""The API's rules: a token reads what its user reads and stops when revoked or expired; a
visit sent twice is stored once; updated_since is exact; lists run a fixed number of
queries; errors are JSON in Thai and English."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts.models import ApiToken
from districts.services import token_hash
from fieldwork.budget import BudgetLine, Disbursement, ensure_categories
from fieldwork.models import FieldVisit
from people.models import Sage
from sammachip.api.auth import TokenRateThrottle
from tests.api.conftest import bearer, new_token

TARGETS = reverse("api:target-list")
VISITS = reverse("api:visit-list")


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


@pytest.fixture
def officer_world(area_a, area_b, officer_a, stages):
    """Officer A with A's first target assigned."""
    VillageAssignment.objects.create(target=area_a.targets[0], officer=officer_a)
    return area_a


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_token_sees_what_its_user_sees(api, officer_world, area_b, province_staff_a, token_for):
    for who in (province_staff_a, officer_world):
        user = province_staff_a.user
        api.force_login(user)
        by_session = ids(api.get(TARGETS))
        api.logout()
        api.credentials(**bearer(token_for(user)))
        assert ids(api.get(TARGETS)) == by_session
        assert by_session == sorted(t.pk for t in officer_world.targets)
        assert who


def test_the_token_is_kept_hashed_and_its_use_recorded(api, officer_a, area_a):
    key = new_token(officer_a, "ระบบจังหวัด")
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(key) and key not in token.key_hash
    assert token.last_used_at is None
    api.credentials(**bearer(key))
    assert api.get(TARGETS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working(api, officer_a, area_a, login, client):
    key = new_token(officer_a)
    api.credentials(**bearer(key))
    assert api.get(TARGETS).status_code == 200
    token = ApiToken.objects.get()
    login(officer_a).post(reverse("api_token_revoke", args=[token.pk]))
    response = api.get(TARGETS)
    assert response.status_code == 401
    body = response.json()
    assert body["detail_en"].startswith("The token is not valid")
    assert body["detail_th"] and body["detail_th"] != body["detail_en"]


def test_an_expired_token_stops_working(api, officer_a, area_a):
    key = new_token(officer_a, expires_at=timezone.now() + dt.timedelta(seconds=5))
    api.credentials(**bearer(key))
    assert api.get(TARGETS).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get(TARGETS).status_code == 401


def test_a_token_of_a_user_switched_off_stops_working(api, officer_a, area_a):
    key = new_token(officer_a)
    officer_a.user.is_active = False
    officer_a.user.save()
    api.credentials(**bearer(key))
    assert api.get(TARGETS).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer nope", "Token \u00e9"])
def test_a_bad_token_is_a_401_in_json(api, db, header):
    response = api.get(TARGETS, HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert response.status_code == 401
    assert set(response.json()) >= {"detail", "detail_th", "detail_en"}


def test_the_token_page_shows_a_new_key_once(login, officer_a):
    client = login(officer_a)
    response = client.post(reverse("api_tokens"), {"name": "ระบบจังหวัด", "expires_in": "30"})
    key = response.context["new_key"]
    assert key.startswith("sc_") and key in response.content.decode()
    again = client.get(reverse("api_tokens"))
    assert key not in again.content.decode() and "ระบบจังหวัด" in again.content.decode()
    token = ApiToken.objects.get()
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)


def test_a_token_without_a_name_is_refused_with_the_input_kept(login, officer_a):
    response = login(officer_a).post(reverse("api_tokens"), {"name": "  ", "expires_in": "9"})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def visit_body(target, stage, submission=None, **more):
    return {
        "submission": str(submission or uuid.uuid4()),
        "target": target.pk,
        "date": "2017-06-02",
        "stage": stage.code,
        "activity": "ประชุมหมู่บ้าน",
        **more,
    }


def test_a_visit_posted_twice_with_its_token_is_stored_once(api, officer_world, officer_a, stages):
    target = officer_world.targets[0]
    api.credentials(**bearer(new_token(officer_a, "แอปจังหวัด")))
    body = visit_body(target, stages[1])
    first = api.post(VISITS, body, format="json")
    assert first.status_code == 201, first.json()
    second = api.post(VISITS, body, format="json")
    assert second.status_code == 200
    assert second.json()["status"] == "repeated"
    assert second.json()["visit"]["id"] == first.json()["visit"]["id"]
    assert FieldVisit.objects.count() == 1
    visit = FieldVisit.objects.get()
    assert visit.officer == officer_a and visit.stage == stages[1]
    target.refresh_from_db()
    assert target.stage == stages[1]  # the service's rule: the village moves on
    # the audit trail names the token
    assert visit.history.get().history_change_reason == "API: แอปจังหวัด"
    assert visit.history.get().history_user == officer_a.user


def test_a_visit_the_form_would_refuse_is_refused_with_its_reason(
    api, officer_world, officer_a, stages
):
    target = officer_world.targets[0]
    api.credentials(**bearer(new_token(officer_a)))
    response = api.post(VISITS, visit_body(target, stages[0], date="2019-06-02"), format="json")
    assert response.status_code == 422
    body = response.json()
    assert "fiscal year" in body["detail_en"] and "ปีงบประมาณ" in body["detail_th"]
    assert FieldVisit.objects.count() == 0


def test_another_districts_village_is_not_found(api, officer_world, officer_a, area_b, stages):
    api.credentials(**bearer(new_token(officer_a)))
    response = api.post(VISITS, visit_body(area_b.targets[0], stages[0]), format="json")
    assert response.status_code == 404
    assert FieldVisit.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"date": "2560-13-45"},
        {"stage": "no-such-stage"},
        {"target": 2**70},
        {"submission": "not-a-uuid"},
        {"lat": 100},
        {"household_count": -1},
        {"activity": ""},
    ],
)
def test_bad_input_is_a_400_in_json(api, officer_world, officer_a, stages, change):
    api.credentials(**bearer(new_token(officer_a)))
    body = visit_body(officer_world.targets[0], stages[0]) | change
    response = api.post(VISITS, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"detail_th", "detail_en", "errors"}
    assert FieldVisit.objects.count() == 0


def test_a_session_write_needs_the_csrf_token(officer_world, officer_a, stages):
    from rest_framework.test import APIClient

    api = APIClient(enforce_csrf_checks=True)
    api.force_login(officer_a.user)
    response = api.post(VISITS, visit_body(officer_world.targets[0], stages[0]), format="json")
    assert response.status_code == 403
    assert FieldVisit.objects.count() == 0


def test_updated_since_returns_exactly_the_rows_changed_after(
    api, area_a, officer_a, head_a, stages
):
    sages = [
        Sage.objects.create(name=f"ปราชญ์ {i}", village=area_a.villages[0], expertise="x")
        for i in range(3)
    ]
    before = timezone.now()
    sages[1].expertise = "ทอผ้า"
    sages[1].save(update_fields=["expertise"])  # update_fields keeps updated_at too
    newer = Sage.objects.create(name="ปราชญ์ใหม่", village=area_a.villages[1], expertise="y")
    api.credentials(**bearer(new_token(head_a)))
    since = before.isoformat().replace("+00:00", "Z")
    response = api.get(reverse("api:sage-list"), {"updated_since": since})
    assert ids(response) == sorted([sages[1].pk, newer.pk])
    # a target given to an officer after the moment counts as changed
    target = area_a.targets[2]
    moment = timezone.now()
    VillageAssignment.objects.create(target=target, officer=officer_a)
    assert ids(api.get(TARGETS, {"updated_since": moment.isoformat()})) == [target.pk]
    later = timezone.now()
    assert ids(api.get(TARGETS, {"updated_since": later.isoformat()})) == []


@pytest.mark.parametrize(
    "query",
    [
        {"updated_since": "yesterday"},
        {"year": "99999999999999999999"},
        {"year": "NaN"},
        {"province": "123456"},
    ],
)
def test_a_bad_filter_is_a_400(api, head_a, query):
    api.credentials(**bearer(new_token(head_a)))
    response = api.get(TARGETS, query)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_pages_follow_a_stable_cursor(api, area_a, area_a2, province_staff_a):
    api.credentials(**bearer(new_token(province_staff_a)))
    seen, url = [], TARGETS + "?page_size=3"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(t.pk for t in area_a.targets + area_a2.targets)


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # the token; its last use (once a minute); the page of targets; their assignments
        ("target", 4),
        # the token; its last use; the page of visits with their counts of photos
        ("visit", 3),
        ("village", 3),
        ("evaluation", 3),
        ("sage", 3),
        # the token; its last use; the page of lines with their targets and categories
        ("budget_line", 3),
        ("disbursement", 3),
    ],
)
def test_list_endpoints_run_a_fixed_number_of_queries(
    api, officer_world, officer_a, head_a, stages, name, queries, django_assert_num_queries
):
    for target in officer_world.targets:
        VillageAssignment.objects.get_or_create(target=target, officer=officer_a)
        for day in (1, 2):
            FieldVisit.objects.create(
                target=target, officer=officer_a, stage=stages[0], date=dt.date(2017, 6, day)
            )
        line = BudgetLine.objects.create(
            target=target,
            category=ensure_categories(target.year_id)[0],
            planned_amount=1000,
            planned_month=dt.date(2017, 6, 1),
        )
        for day in (1, 2):
            Disbursement.objects.create(
                line=line, date=dt.date(2017, 6, day), amount=100, purpose="ค่าอาหาร"
            )
    api.credentials(**bearer(new_token(head_a)))
    with django_assert_num_queries(queries):
        response = api.get(reverse(f"api:{name}-list"))
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1 or name in ("evaluation", "sage")


def test_a_token_is_throttled_on_its_own(api, head_a, officer_a, area_a, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "2/min"})
    first, second = new_token(head_a), new_token(head_a, "second")
    api.credentials(**bearer(first))
    assert [api.get(TARGETS).status_code for _ in range(3)] == [200, 200, 429]
    body = api.get(TARGETS).json()
    assert "seconds" in body["detail_en"] and body["detail_th"] != body["detail_en"]
    api.credentials(**bearer(second))
    assert api.get(TARGETS).status_code == 200


def test_a_record_out_of_scope_is_a_404_in_thai_and_english(api, officer_a, area_b):
    api.credentials(**bearer(new_token(officer_a)))
    response = api.get(reverse("api:target-detail", args=[area_b.targets[0].pk]))
    assert response.status_code == 404
    body = response.json()
    assert body["detail"] == body["detail_th"] and body["detail_en"].startswith("Not found")
