"""Every API endpoint × every role × a record inside and outside the role's scope, called
with the user's session and with a personal access token of theirs: what each is given,
and that nothing out of scope is ever in a list (0 leaks). Households have no endpoint."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from districts.models import Officer, Role
from evaluations.models import VillageEvaluation
from fieldwork.budget import Disbursement
from fieldwork.models import FieldVisit, PartnerSupport, VisitAdvice
from people.models import Forum, Sage
from tests.api.conftest import bearer
from tests.factories import UserFactory
from tests.test_permission_matrix import scope_objects

ROLES = ["anonymous", "officer", "head", "province", "admin", "support", "department"]
SEE, HIDDEN, DENIED = "see", "hidden", "denied"  # listed / 200; not listed / 404; 401


def row(officer, head, province, admin, support, department):
    return {
        "anonymous": (DENIED, DENIED),
        "officer": officer,
        "head": head,
        "province": province,
        "admin": admin,
        "support": support,
        "department": department,
    }


# (in scope, out of scope) for each role; "in" is district A, "out" a district of another province
DISTRICT = row(
    (SEE, HIDDEN), (SEE, HIDDEN), (SEE, HIDDEN), (SEE, SEE), (HIDDEN, HIDDEN), (SEE, SEE)
)
PROVINCE = row(
    (HIDDEN, HIDDEN), (HIDDEN, HIDDEN), (SEE, HIDDEN), (SEE, SEE), (HIDDEN, HIDDEN), (SEE, SEE)
)
EVERYONE = row((SEE, SEE), (SEE, SEE), (SEE, SEE), (SEE, SEE), (SEE, SEE), (SEE, SEE))

# endpoint basename: (expectations, key of the record in scope_objects' result, its id field)
ENDPOINTS = {
    "province": (PROVINCE, "_province", "code"),
    "district": (DISTRICT, "_district", "code"),
    "tambon": (DISTRICT, "_tambon", "code"),
    "village": (DISTRICT, "_village", "code"),
    "target": (DISTRICT, "_target", "id"),
    "visit": (DISTRICT, "_visit", "id"),
    "advice": (DISTRICT, "_advice", "id"),
    "sage": (DISTRICT, "_sage", "id"),  # province-wide for district staff: other province here
    "forum": (DISTRICT, "_forum", "id"),
    "partner": (DISTRICT, "_partner", "id"),
    "project": (DISTRICT, "_support", "id"),
    "evaluation": (DISTRICT, "_evaluation", "id"),
    "budget_line": (DISTRICT, "_line", "id"),
    "disbursement": (DISTRICT, "_advance", "id"),
    "year": (EVERYONE, "_year", "year"),
    "stage": (EVERYONE, "_stage", "code"),
}
# the other names under /api/v1/: no record of their own
OTHERS = {"figures", "schema", "docs"}


def api_url_names():
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                names.append(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_api_url_has_a_row():
    expected = {f"{b}-list" for b in ENDPOINTS} | {f"{b}-detail" for b in ENDPOINTS} | OTHERS
    assert sorted(api_url_names()) == sorted(expected)


def api_objects(area, officer, head, uploader):
    objects = scope_objects(area, officer, head, uploader)
    target = objects["_target"]
    visit = FieldVisit.objects.get(pk=objects["visit"]["pk"])
    objects["_visit"] = visit
    objects["_advice"] = VisitAdvice.objects.create(visit=visit, author=head.user, text="ดี")
    objects["_evaluation"] = VillageEvaluation.objects.create(target=target)
    objects["_district"] = area.district
    objects["_province"] = area.district.province
    objects["_tambon"] = area.tambons[0]
    objects["_village"] = area.villages[0]
    objects["_year"] = target.year
    objects["_stage"] = visit.stage
    objects["_sage"] = Sage.objects.get(pk=objects["sage"]["pk"])
    objects["_forum"] = Forum.objects.get(pk=objects["forum"]["pk"])
    objects["_support"] = PartnerSupport.objects.get(pk=objects["support"]["pk"])
    objects["_advance"] = Disbursement.objects.get(pk=objects["advance"]["pk"])
    return objects


@pytest.fixture
def api_world(
    area_a,
    area_b,
    officer_a,
    head_a,
    officer_b,
    head_b,
    province_staff_a,
    province_staff_b,
    admin_user,
    settings,
    tmp_path,
    token_for,
):
    settings.MEDIA_ROOT = tmp_path
    support = Officer.objects.create(user=UserFactory(username="support"), role=Role.SUPPORT)
    department = Officer.objects.create(
        user=UserFactory(username="department"), role=Role.DEPARTMENT
    )
    people = {
        "officer": officer_a.user,
        "head": head_a.user,
        "province": province_staff_a.user,
        "admin": admin_user,
        "support": support.user,
        "department": department.user,
    }
    return {
        "in": api_objects(area_a, officer_a, head_a, province_staff_a.user),
        "out": api_objects(area_b, officer_b, head_b, province_staff_b.user),
        "people": people,
        "tokens": {role: token_for(user) for role, user in people.items()},
    }


def call(api, world, role, how, url):
    api.logout()
    api.credentials()
    if role != "anonymous":
        if how == "session":
            api.force_login(world["people"][role])
        else:
            api.credentials(**bearer(world["tokens"][role]))
    return api.get(url)


def ident(obj, field):
    return getattr(obj, "pk" if field == "id" else field)


def listed(response, field):
    return {row[field] for row in response.json()["results"]}


@pytest.mark.parametrize("basename", sorted(ENDPOINTS))
def test_api_matrix(api, api_world, basename):
    """Each endpoint's list and record, for every role, by session and by token."""
    expected, key, field = ENDPOINTS[basename]
    wrong = []
    for role in ROLES:
        for how in ("session", "token"):
            response = call(api, api_world, role, how, reverse(f"api:{basename}-list"))
            if expected[role] == (DENIED, DENIED):
                if response.status_code != 401:
                    wrong.append((role, how, "list", response.status_code))
                continue
            if response.status_code != 200:
                wrong.append((role, how, "list", response.status_code))
                continue
            ids = listed(response, field)
            for i, where in enumerate(("in", "out")):
                obj = api_world[where][key]
                want = expected[role][i]
                if (ident(obj, field) in ids) != (want == SEE):
                    wrong.append((role, how, where, "list", want))
                url = reverse(f"api:{basename}-detail", args=[ident(obj, field)])
                status = call(api, api_world, role, how, url).status_code
                if status != (200 if want == SEE else 404):
                    wrong.append((role, how, where, "detail", status, want))
    assert wrong == []


@pytest.mark.parametrize("how", ["session", "token"])
def test_figures_are_those_of_the_districts_in_scope(api, api_world, how):
    want = {
        "officer": {"4016"},
        "head": {"4016"},
        "province": {"4016"},
        "admin": {"4016", "4101"},
        "department": {"4016", "4101"},
        "support": set(),
    }
    for role, districts in want.items():
        response = call(api, api_world, role, how, reverse("api:figures") + "?year=2560")
        assert response.status_code == 200, role
        assert {r["key"] for r in response.json()["results"]} == districts, role
    by_province = call(
        api, api_world, "province", how, reverse("api:figures") + "?year=2560&by=province"
    )
    assert [r["key"] for r in by_province.json()["results"]] == ["40"]
    assert call(api, api_world, "anonymous", how, reverse("api:figures")).status_code == 401


def test_nothing_of_a_household_is_an_endpoint():
    assert not [name for name in api_url_names() if "household" in name or "income" in name]


def test_schema_and_docs_are_public_and_served_by_the_app(api, db):
    assert api.get(reverse("api:schema")).status_code == 200
    docs = api.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI from drf-spectacular-sidecar's static files, its start-up script from the
    # view itself: nothing from a CDN, nothing inline for the CSP to refuse
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "https://" not in html
    assert "<script>" not in html
    assert "script-src 'self'" in docs["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("role", "status"), [("department", 403), ("province", 403), ("admin", 403), ("support", 404)]
)
def test_who_logs_no_visits_is_refused_by_the_api(api, api_world, role, status):
    """Who may read the village but logs no visits: 403; who may not even read it: 404."""
    target = api_world["in"]["_target"]
    api.credentials(**bearer(api_world["tokens"][role]))
    response = api.post(
        reverse("api:visit-list"),
        {
            "submission": "7a9c1c7e-4b35-4c8e-8a44-0d8d2b3a1f10",
            "target": target.pk,
            "date": "2017-06-02",
            "stage": api_world["in"]["_stage"].code,
            "activity": "เยี่ยม",
        },
        format="json",
    )
    assert response.status_code == status, response.json()
    assert FieldVisit.objects.filter(activity="เยี่ยม").count() == 0
