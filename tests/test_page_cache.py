"""Kept pages (pagecache): what a kept page costs, and that no write, person, language or day
is ever served a page kept before it."""

import datetime as dt
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assignments import services
from assignments.models import Stage, TargetVillage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts.models import Officer, Role
from fieldwork import services as field_services
from fieldwork.models import FieldVisit, VisitAdvice
from tests.factories import OfficerFactory, TambonResponsibilityFactory, UserFactory

PAGES = [
    # who, address, queries of a kept page: session, user, officer (scope), the place, the
    # version (the country: no officer, a superuser)
    ("officer_a", "/?year=2560", 4),
    # session, user, officer, the years of the officer's villages, the version
    ("officer_a", "/visits/new/?year=2560", 5),
    ("head_a", "/districts/4016/?year=2560", 5),
    ("head_a", "/districts/4016/assignments/?year=2560", 5),
    ("head_a", "/districts/4016/visits/?year=2560", 5),
    ("province_staff_a", "/provinces/40/?year=2560", 5),
    ("admin_user", "/country/?year=2560", 3),
]


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


@pytest.fixture
def work(area_a, officer_a, stages):
    """officer_a works two villages, one visited."""
    for target in area_a.targets[:2]:
        VillageAssignment.objects.create(target=target, officer=officer_a)
    visit = FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1)
    )
    return {"targets": area_a.targets[:2], "visit": visit}


@pytest.mark.parametrize(("who", "url", "queries"), PAGES)
def test_a_kept_page_costs_the_scope_check_and_its_version(
    request, login, work, province_staff_a, head_a, url, who, queries, django_assert_num_queries
):
    client = login(request.getfixturevalue(who))
    first = client.get(url)
    assert first.status_code == 200 and first.context is not None  # rendered
    with django_assert_num_queries(queries):
        kept = client.get(url)
    assert kept.status_code == 200
    assert kept.context is None  # not rendered: no template ran
    assert kept["Content-Type"] == first["Content-Type"]
    if "visits/new" in url:  # the one-time token is new in each response
        assert _submission(first) != _submission(kept)
    assert _without_tokens(kept) == _without_tokens(first)


TOKENS = re.compile(
    r'(name="(?:csrfmiddlewaretoken|submission)" value|name="csrf-token" content)="[^"]*"'
)


def _without_tokens(response) -> str:
    """The page without its CSRF and one-time tokens, which each response has its own of."""
    text = response.content.decode()
    assert "pagecache-csrf-token-mark" not in text and str(uuid.UUID(int=0)) not in text
    return TOKENS.sub(r"\1=", text)


def _csrf(response) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', response.content.decode()).group(1)


def _submission(response) -> str:
    match = re.search(r'name="submission" value="([0-9a-f-]{36})"', response.content.decode())
    assert match and match.group(1) != str(uuid.UUID(int=0))
    return match.group(1)


def _rendered(client, url) -> bool:
    return client.get(url).context is not None


def test_a_visit_logged_shows_on_the_next_request_of_every_page(
    login, work, officer_a, head_a, stages
):
    head = login(head_a)
    urls = [url for _who, url, _q in PAGES[1:4]]
    for url in urls:
        head.get(url)
    assert not any(_rendered(head, url) for url in urls)  # all kept
    field_services.visit_log(
        user=officer_a.user,
        target=work["targets"][1],
        stage=stages[1],
        date=dt.date(2017, 6, 2),
        activity="ประชุม",
    )
    assert all(_rendered(head, url) for url in urls)
    listed = head.get("/districts/4016/visits/?year=2560")
    assert "ประชุม" in listed.content.decode()


def test_a_board_change_shows_on_the_board(login, work, head_a, area_a, officer_a):
    head = login(head_a)
    board = "/districts/4016/assignments/?year=2560"
    head.get(board)
    other = OfficerFactory(district=area_a.district, user=UserFactory(username="second"))
    assert _rendered(head, board)  # a new officer: the page is made again
    assert not _rendered(head, board)
    services.assignment_change(  # a bulk write: no signals
        district=area_a.district,
        target_ids=[area_a.targets[0].pk],
        officer=other,
        actor=head_a.user,
    )
    page = head.get(board)
    assert page.context is not None
    assignment = next(t for t in page.context["targets"] if t.pk == area_a.targets[0].pk)
    assert assignment.assignment.officer == other


def test_read_advice_leaves_the_officer_home(login, work, officer_a, head_a):
    field_services.advice_add(visit=work["visit"], user=head_a.user, text="ชวนเกษตรอำเภอ")
    officer = login(officer_a)
    assert "ชวนเกษตรอำเภอ" in officer.get("/").content.decode()
    field_services.advice_mark_read(visit=work["visit"], user=officer_a.user)  # a bulk update
    assert VisitAdvice.objects.get().read_at is not None
    assert "ชวนเกษตรอำเภอ" not in officer.get("/").content.decode()


def test_a_page_is_kept_for_its_person_with_each_sessions_own_token(
    head_a, province_staff_a, area_a
):
    computer, phone, colleague = Client(enforce_csrf_checks=True), Client(), Client()
    for client in (computer, phone):
        client.force_login(head_a.user)  # the same head, on a computer and a phone
    colleague.force_login(province_staff_a.user)
    url = "/districts/4016/?year=2560"
    assert _rendered(computer, url)
    on_phone = phone.get(url)
    assert on_phone.context is None  # the head's page, kept
    assert _rendered(colleague, url)  # another person's is their own, whatever their rights
    # each response's CSRF token is its own session's: the computer's form still posts
    token = _csrf(computer.get(url))
    assert _csrf(on_phone) != token
    response = computer.post(
        "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_scope_is_checked_before_a_kept_page_is_served(login, head_a, area_a, area_b):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    head.get(url)
    Officer.objects.filter(pk=head_a.pk).update(district=area_b.district)  # no signal at all
    assert head.get(url).status_code == 404


def test_a_switched_off_account_gets_no_kept_page(login, head_a, area_a):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    head.get(url)
    get_user_model().objects.filter(pk=head_a.user.pk).update(is_active=False)
    assert head.get(url).status_code == 302  # to the login page


def test_a_message_is_shown_once_and_the_page_then_kept(login, work, head_a, officer_a):
    head = login(head_a)
    board = "/districts/4016/assignments/?year=2560"
    head.get(board)
    head.post(
        "/districts/4016/assignments/tambons/",
        {"officer": officer_a.pk, "tambon": [], "year": 2560},
    )  # not htmx: back to the board, with "Tambons saved"
    shown = head.get(board)
    assert shown.context is not None
    assert list(shown.context["messages"])  # rendered with the message
    again = head.get(board)
    assert again.context is not None  # the page with the message was not kept
    assert not _rendered(head, board)


def test_each_language_and_day_has_its_own_page(login, head_a, area_a, monkeypatch):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    head.get(url)
    head.post("/i18n/setlang/", {"language": "en", "next": url})
    english = head.get(url)
    assert english.context is not None and "Target villages" in english.content.decode()
    assert not _rendered(head, url)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: tomorrow)
    assert _rendered(head, url)  # the last 30 days are another 30 days


def test_a_kept_page_is_not_kept_when_turned_off(login, head_a, area_a, render_every_time):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    assert _rendered(head, url) and _rendered(head, url)


def test_an_officers_import_and_new_tambons_change_the_board(login, head_a, area_a, officer_a):
    head = login(head_a)
    board = "/districts/4016/assignments/?year=2560"
    head.get(board)
    TambonResponsibilityFactory(officer=officer_a, tambon=area_a.tambons[1])
    assert _rendered(head, board)
    assert not _rendered(head, board)
    services.tambons_set(
        district=area_a.district, officer=officer_a, tambon_ids=[], actor=head_a.user
    )
    assert _rendered(head, board)
    assert Officer.objects.get(pk=officer_a.pk).role == Role.OFFICER
    assert TargetVillage.objects.filter(district=area_a.district).exists()


def test_the_mark_of_a_kept_form_is_no_token(login, work, officer_a, stages):
    from fieldwork.forms import VisitForm

    data = {
        "target": work["targets"][0].pk,
        "stage": stages[0].pk,
        "date": "01/06/2560",
        "activity": "ติดตาม",
        "support_team_count": 0,
        "household_count": 0,
        "submission": str(uuid.UUID(int=0)),
    }
    targets = TargetVillage.objects.filter(pk__in=[t.pk for t in work["targets"]])
    form = VisitForm(data, targets=targets)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["submission"] is None
