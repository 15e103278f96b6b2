"""Kept fragments (districts/fragments.py): what a page with a kept body costs, and that no
write, person, language or day is ever shown a body kept before it."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from assignments import services
from assignments.models import Stage, VillageAssignment
from assignments.stages import ensure_default_stages
from districts import changes
from districts.fragments import kept_fragment
from districts.models import Officer
from evaluations.models import DistrictFigures
from fieldwork import services as field_services
from fieldwork.models import FieldVisit, VisitAdvice
from tests.factories import OfficerFactory, TambonResponsibilityFactory, UserFactory

PAGES = [
    # who, address, queries when the body is kept: session, user, officer (scope), the
    # change count (officer home: no place to look up), their open meeting actions (rendered
    # live: their buttons carry the form token)
    ("officer_a", "/?year=2560", 5),
    # session, user, officer, the district (scope), its change count
    ("head_a", "/districts/4016/?year=2560", 5),
    ("head_a", "/districts/4016/visits/?year=2560", 5),
    # the board's head and body (its forms' tokens rendered live beside it): the same
    ("head_a", "/districts/4016/assignments/?year=2560", 5),
    ("head_a", "/districts/4016/plan/?year=2560", 5),
    # a target village: session, user, officer, the target (scope), its change count
    ("head_a", "/targets/{target}/", 5),
    # the budget pages (the head's advance period form: its token beside the body)
    ("head_a", "/districts/4016/budget/?year=2560", 5),
    ("province_staff_a", "/provinces/40/budget/?year=2560", 5),
    ("admin_user", "/country/budget/?year=2560", 3),
    # the blank visit form's fields (its tokens rendered live around them): session, user,
    # officer, their district's change count
    ("officer_a", "/visits/new/?year=2560", 4),
    # session, user, officer, the province (scope), its districts' change counts
    ("province_staff_a", "/provinces/40/?year=2560", 5),
    # session, user, every district's change count (a superuser's menu, rendered live
    # around the body, looks up no officer profile)
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


def _body_rendered(response) -> bool:
    return any("_body" in (t.name or "") for t in response.templates)


def _rendered(client, url) -> bool:
    return _body_rendered(client.get(url))


TOKENS = re.compile(
    r'(name="(?:csrfmiddlewaretoken|submission)" value|name="csrf-token" content)="[^"]*"'
)


def _without_tokens(response) -> str:
    return TOKENS.sub(r"\1=", response.content.decode())


def _csrf(response) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', response.content.decode()).group(1)


def _submission(response) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', response.content.decode())[1]


@pytest.mark.parametrize(("who", "url", "queries"), PAGES)
def test_a_kept_body_costs_the_scope_check_and_the_change_count(
    request, login, work, province_staff_a, head_a, url, who, queries, django_assert_num_queries
):
    client = login(request.getfixturevalue(who))
    url = url.format(target=work["targets"][0].pk)
    first = client.get(url)
    assert first.status_code == 200 and _body_rendered(first)
    with django_assert_num_queries(queries):
        kept = client.get(url)
    assert kept.status_code == 200
    assert not _body_rendered(kept)  # no query, no template of the body ran
    assert _without_tokens(kept) == _without_tokens(first)


FORMS = re.compile(r"<form\b[^>]*>")


def _form_tokens(response) -> dict[str, str]:
    """Each POST form of the page's main part (the body), with the CSRF token the response
    gives it: an input joined to it by ``form="…"``."""
    text = response.content.decode()
    joined = {
        m[2]: m[1]
        for m in re.finditer(
            r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)" form="([^"]+)">',
            text,
        )
    }
    main = text.split('<main id="main"')[1].split("</main>")[0]
    tags = [tag for tag in FORMS.findall(main) if 'method="post"' in tag]
    ids = [re.search(r' id="([^"]+)"', tag)[1] for tag in tags]  # each has one
    return {form_id: joined.get(form_id, "") for form_id in ids}


def test_every_form_of_a_kept_board_gets_this_responses_token(login, work, head_a):
    """The kept body holds no token; each response puts its own beside each form."""
    head = login(head_a)
    url = "/districts/4016/assignments/?year=2560"
    first, kept = head.get(url), head.get(url)
    assert _body_rendered(first) and not _body_rendered(kept)
    forms = _form_tokens(kept)
    assert {"bulk-form", f"assign-{work['targets'][0].pk}", f"pin-{work['targets'][0].pk}"} <= set(
        forms
    )
    assert all(forms.values())  # every form has a token
    assert set(forms.values()) == {_csrf(kept)}  # this response's
    assert _csrf(first) != _csrf(kept)
    assert _form_tokens(first).keys() == forms.keys()
    assert (
        kept.content.decode().count("csrfmiddlewaretoken") == len(forms) + 2
    )  # + log out, language


@pytest.mark.parametrize(
    ("url", "forms"),
    [
        ("/districts/4016/budget/?year=2560", {"advance-days"}),
        ("/targets/{target}/", {"team-add", "support-add", "village-households"}),
    ],
)
def test_every_form_of_a_kept_page_gets_this_responses_token(login, work, head_a, url, forms):
    head = login(head_a)
    url = url.format(target=work["targets"][0].pk)
    first, kept = head.get(url), head.get(url)
    assert _body_rendered(first) and not _body_rendered(kept)
    tokens = _form_tokens(kept)
    assert forms <= set(tokens) and set(tokens.values()) == {_csrf(kept)}
    assert _form_tokens(first).keys() == tokens.keys()


def test_a_kept_board_takes_a_change_with_csrf_checks_on(head_a, work, officer_a):
    """A browser's request: the token beside the kept body is the one the check accepts."""
    head = Client(enforce_csrf_checks=True)
    head.force_login(head_a.user)
    url = "/districts/4016/assignments/?year=2560"
    head.get(url)
    target = work["targets"][0]
    token = _form_tokens(head.get(url))[f"pin-{target.pk}"]
    pin = {"year": 2560, "target": target.pk, "pinned": 1}
    refused = head.post("/districts/4016/assignments/pin/", pin)
    assert refused.status_code == 403
    accepted = head.post("/districts/4016/assignments/pin/", {**pin, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert VillageAssignment.objects.active().get(target=target).pinned
    assert _body_rendered(head.get(url))  # the change made it new


def test_a_kept_visit_form_has_new_tokens_in_each_response(work, officer_a, stages):
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(officer_a.user)
    url = "/visits/new/?year=2560"
    first, kept = officer.get(url), officer.get(url)
    assert _body_rendered(first) and not _body_rendered(kept)
    assert _submission(first) != _submission(kept)
    assert _csrf(first) != _csrf(kept)
    form = kept.content.decode().split('id="visit-form"')[1].split("</form>")[0]
    assert form.count('name="csrfmiddlewaretoken"') == 1 and form.count('name="submission"') == 1
    sent = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1],
        "submission": _submission(kept),
        "target": work["targets"][1].pk,
        "date": "02/06/2560",
        "stage": stages[0].pk,
        "activity": "ประชุมหมู่บ้าน",
        "support_team_count": 0,
        "household_count": 0,
    }
    assert officer.post(url, sent).status_code == 302
    again = officer.post(url, sent)  # the same one-time token: saved once
    assert again.status_code == 302
    assert FieldVisit.objects.filter(activity="ประชุมหมู่บ้าน").count() == 1
    assert _body_rendered(officer.get(url))  # the visit changed the district


def test_a_visit_logged_shows_on_the_next_request_of_every_page(
    login, work, officer_a, head_a, stages
):
    head = login(head_a)
    target = work["targets"][0].pk
    urls = [url.format(target=target) for who, url, _q in PAGES if who == "head_a"]
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


def test_a_board_change_shows_on_the_district_page(login, work, head_a, area_a):
    head = login(head_a)
    page = "/districts/4016/?year=2560"
    head.get(page)
    other = OfficerFactory(district=area_a.district, user=UserFactory(username="second"))
    assert _rendered(head, page)  # a new officer: the body is made again
    assert not _rendered(head, page)
    services.assignment_change(  # a bulk write: no signals
        district=area_a.district,
        target_ids=[area_a.targets[0].pk],
        officer=other,
        actor=head_a.user,
    )
    response = head.get(page)
    assert _body_rendered(response)
    loads = {r.officer.pk: r.load for r in response.context["field_officers"]}
    assert loads[other.pk] == 1


def test_read_advice_leaves_the_officer_home(login, work, officer_a, head_a):
    field_services.advice_add(visit=work["visit"], user=head_a.user, text="ชวนเกษตรอำเภอ")
    officer = login(officer_a)
    assert "ชวนเกษตรอำเภอ" in officer.get("/").content.decode()
    field_services.advice_mark_read(visit=work["visit"], user=officer_a.user)  # a bulk update
    assert VisitAdvice.objects.get().read_at is not None
    assert "ชวนเกษตรอำเภอ" not in officer.get("/").content.decode()


def test_one_officers_home_is_never_shown_to_another(work, officer_a, area_a):
    colleague = OfficerFactory(district=area_a.district, user=UserFactory(username="colleague"))
    TambonResponsibilityFactory(officer=colleague, tambon=area_a.tambons[1])
    mine, theirs = Client(), Client()
    mine.force_login(officer_a.user)
    theirs.force_login(colleague.user)
    village = work["targets"][0].village.name
    assert village in mine.get("/").content.decode()
    page = theirs.get("/")
    assert _body_rendered(page)  # their own, not officer_a's kept one
    assert officer_a.user.display_name not in page.content.decode()


def test_what_a_person_may_see_is_part_of_the_key(work, officer_a, head_a, province_staff_a):
    """The province's staff see the district's page without its household records."""
    inside, outside = Client(), Client()
    inside.force_login(head_a.user)
    outside.force_login(province_staff_a.user)
    url = "/districts/4016/?year=2560"
    assert "/households/" in inside.get(url).content.decode()
    page = outside.get(url)
    assert _body_rendered(page) and "/households/" not in page.content.decode()


def test_a_body_is_shared_by_a_persons_sessions_each_with_its_own_token(head_a, area_a):
    computer, phone = Client(enforce_csrf_checks=True), Client()
    for client in (computer, phone):
        client.force_login(head_a.user)  # the same head, on a computer and a phone
    url = "/districts/4016/?year=2560"
    assert _rendered(computer, url)
    on_phone = phone.get(url)
    assert not _body_rendered(on_phone)
    token = _csrf(computer.get(url))
    assert _csrf(on_phone) != token
    response = computer.post(
        "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_the_scope_is_checked_before_a_kept_body_is_shown(login, head_a, area_a, area_b):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    head.get(url)
    Officer.objects.filter(pk=head_a.pk).update(district=area_b.district)  # no signal at all
    assert head.get(url).status_code == 404


def test_a_switched_off_account_gets_no_kept_body(login, head_a, area_a):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    head.get(url)
    get_user_model().objects.filter(pk=head_a.user.pk).update(is_active=False)
    assert head.get(url).status_code == 302  # to the login page


def test_a_message_is_shown_once_around_a_kept_body(login, work, head_a, officer_a):
    head = login(head_a)
    page = "/districts/4016/?year=2560"
    head.get(page)
    head.post(
        "/districts/4016/assignments/tambons/",
        {"officer": officer_a.pk, "tambon": [area.code for area in ()], "year": 2560},
    )  # not htmx: back to the board, with "Tambons saved"; it changed the district
    head.get(page)  # the body made again, the message shown
    shown = head.get("/districts/4016/visits/?year=2560")
    assert not list(shown.context["messages"])  # shown once, then gone
    assert not _rendered(head, page)


def test_each_language_and_day_has_its_own_body(login, head_a, area_a, monkeypatch):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    head.get(url)
    head.post("/i18n/setlang/", {"language": "en", "next": url})
    english = head.get(url)
    assert _body_rendered(english) and "Target villages" in english.content.decode()
    assert not _rendered(head, url)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: tomorrow)
    assert _rendered(head, url)  # the last 30 days are another 30 days


def test_nothing_is_kept_with_a_dummy_cache(login, head_a, area_a, render_every_time):
    head = login(head_a)
    url = "/districts/4016/?year=2560"
    assert _rendered(head, url) and _rendered(head, url)


def test_new_tambons_of_an_officer_change_the_district_page(login, head_a, area_a, officer_a):
    head = login(head_a)
    page = "/districts/4016/?year=2560"
    head.get(page)
    TambonResponsibilityFactory(officer=officer_a, tambon=area_a.tambons[1])
    assert _rendered(head, page)
    assert not _rendered(head, page)
    services.tambons_set(  # a bulk write
        district=area_a.district, officer=officer_a, tambon_ids=[], actor=head_a.user
    )
    assert _rendered(head, page)


def test_figures_shown_as_they_were_are_not_kept(
    login, admin_user, work, area_a2, area_b, monkeypatch
):
    client = login(admin_user)
    url = "/country/?year=2560"
    client.get(url)
    DistrictFigures.objects.update(as_of=dt.date(2017, 1, 1))  # a new day, before the worker
    changes.record([changes.SITE])
    monkeypatch.setattr("evaluations.services.COMPUTED_BY_A_PAGE", 1)
    monkeypatch.setattr("evaluations.services._ask_worker", lambda year, district_ids: None)
    assert "figures-age" in client.get(url).content.decode()
    assert _rendered(client, url)  # still waiting for the worker: made again


def test_user_text_that_looks_like_the_old_mark_is_shown_as_typed(login, work, head_a):
    visit = work["visit"]
    visit.activity = "pagecache-csrf-token-mark"  # the old page cache's mark for a token
    visit.save()
    head = login(head_a)
    url = "/districts/4016/visits/?year=2560"
    for response in (head.get(url), head.get(url)):  # rendered, then kept
        text = response.content.decode()
        assert ">pagecache-csrf-token-mark</td>" in text


def test_a_body_that_holds_a_csrf_token_is_never_kept(db, caplog):
    request = RequestFactory().get("/x/")
    request.user = None
    made = []

    def render():
        made.append(1)
        return f"<input value='{get_token(request)}'>", True

    for _ in range(2):
        kept_fragment(request, "bad", count=1, render=render)
    assert len(made) == 2 and "holds a CSRF token" in caplog.text
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the response still sets the cookie


def test_the_kept_budget_page_takes_the_heads_form_with_csrf_checks_on(head_a, officer_a, area_a):
    head = Client(enforce_csrf_checks=True)
    head.force_login(head_a.user)
    url = "/districts/4016/budget/?year=2560"
    first, kept = head.get(url), head.get(url)
    assert _body_rendered(first) and not _body_rendered(kept)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)" form="advance-days"', kept.content.decode()
    )[1]
    assert token == _csrf(kept)
    response = head.post(
        "/districts/4016/budget/advance-days/", {"days": 45, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    page = head.get(url)
    assert _body_rendered(page) and "45" in page.content.decode()
    officer = Client()
    officer.force_login(officer_a.user)  # the district's officer: the same figures, no form
    seen = officer.get(url)
    assert _body_rendered(seen) and 'form="advance-days"' not in seen.content.decode()
