"""Malformed and overflowing ids and numbers sent to every URL of the project: refused (400, a
form error, 404), never a server error.

The URLs are the permission matrix's, which has a row for every URL of the URLconf; their
valid arguments and form data come from its world; every id, year and choice a view or form
reads is then replaced, one at a time, by each hostile value."""

import contextlib

import pytest
from django.http import Http404
from django.test import Client
from django.urls import NoReverseMatch, reverse

from assignments import access as assignments
from assignments.models import Stage
from districts.access import get_district_for_user
from fieldwork import access as fieldwork
from fieldwork.models import SupportTeamMember
from people import access as people
from tests.test_permission_matrix import (
    MATRIX,
    post_data,
    world,  # noqa: F401  (a fixture)
)

HOSTILE = [
    "abc",
    "99999999999999999999999",  # beyond 64 bits
    "9223372036854775808",  # one more than a 64-bit integer holds
    "-1",
    "0",
    "1.5",
    "",
    "๙" * 25,  # Thai digits: str.isdecimal() says yes, and int() reads them
    "1\x00",
]

# Every name a view reads from a query string or a form, beside the form fields themselves.
PARAMS = [
    "target", "officer", "year", "page", "district", "tambon", "kind", "before", "q",
    "format", "print", "pinned", "confirm", "move", "members", "sages", "officers",
    "partner", "project", "role", "sage", "stage", "status", "rating", "decision", "size",
    "text", "date", "number", "baseline_income", "baseline_date", "income", "households",
    "household_count", "name", "livelihood", "amount", "start_date", "end_date",
    "support_team_count", "lat", "lon", "accuracy_m", "submission", "joined_on", "village",
]  # fmt: skip


def base_form(name, objects) -> dict:
    """A valid form for each URL that takes one (what the permission matrix sends, and the
    forms it does not send)."""
    target, officer = objects["_target"], objects["_officer"]
    spec = MATRIX[name][3]
    data = dict(post_data(spec, objects)) if spec is not None else {}
    data.update(
        {
            "assignments:assign": {f"expected-{target.pk}": "", "confirm": "1"},
            "assignments:suggest": {"year": 2560, "move": f"{target.pk}::{officer.pk}"},
            "people:network": {"members": []},
            "fieldwork:thresholds": {f"stage-{s.pk}": 30 for s in Stage.objects.all()},
            "evaluations:officer_work": {"officer": officer.pk, "rating": "A"},
            "fieldwork:household_new": {
                "target": target.pk,
                "head_name": "ก",
                "livelihood": "x",
                "baseline_income": 1,
                "baseline_date": "01/10/2559",
            },
        }.get(name, {})
    )
    return data


def urls(name, objects):
    """(url, kwargs name replaced or None): the valid URL, then each argument made hostile."""
    key = MATRIX[name][1]
    if key == "team":
        member = SupportTeamMember.objects.create(
            target=objects["_target"], name="ก", role="member"
        )
        kwargs = {"pk": member.pk}
    else:
        kwargs = objects[key] if key and key != "household_target" else None
    yield reverse(name, kwargs=kwargs), None
    for arg in kwargs or {}:
        for value in HOSTILE:
            # an <int:pk> pattern refuses most of them itself
            with contextlib.suppress(NoReverseMatch):
                yield reverse(name, kwargs={**kwargs, arg: value}), arg


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_hostile_value_makes_a_server_error(world, name):  # noqa: F811
    client = Client(raise_request_exception=False)
    objects = world["in"]
    crashed = []
    for role in ("head", "admin"):
        client.force_login(world["people"][role])
        form = base_form(name, objects)
        for url, _arg in urls(name, objects):
            tries = [("get", {}), ("post", form)]
            if _arg is None:
                for value in HOSTILE:
                    tries.append(("get", dict.fromkeys(PARAMS, value)))
                    tries.append(("post", dict.fromkeys(PARAMS, value)))
                    tries += [("post", {**form, field: value}) for field in form]
                    if name == "assignments:suggest":  # one value inside a row of the form
                        target, officer = objects["_target"].pk, objects["_officer"].pk
                        moves = [f"{value}::{officer}", f"{target}:{value}:{officer}"]
                        moves.append(f"{target}::{value}")
                        tries += [("post", {**form, "move": move}) for move in moves]
            for method, data in tries:
                response = getattr(client, method)(url, data)
                if response.status_code >= 500:
                    crashed.append((role, method, url, data))
    assert crashed == []


@pytest.mark.parametrize("pk", ["abc", "-1", "0", "99999999999999999999999", "๑", None])
def test_the_access_helpers_find_nothing_for_a_malformed_id(admin_user, pk):
    """Views reach them with ids from addresses and forms, which <int:pk> does not always
    guard (an id in a query string, a posted choice)."""
    helpers = [
        assignments.get_target_for_user,
        fieldwork.get_visit_for_user,
        fieldwork.get_photo_for_user,
        fieldwork.get_household_for_user,
        fieldwork.get_team_member_for_user,
        people.get_sage_for_user,
        people.get_forum_for_user,
    ]
    for helper in helpers:
        with pytest.raises(Http404):
            helper(admin_user, pk)
    with pytest.raises(Http404):
        people.get_partner_for_user(admin_user, "4016", pk)
    with pytest.raises(Http404):
        get_district_for_user(admin_user, "40\x0016")
