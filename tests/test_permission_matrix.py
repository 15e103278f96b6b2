"""Every URL of the project × every role × an object inside and outside the user's scope.

A URL without a row here fails ``test_every_url_has_a_row``: adding a page means deciding who
may reach it. Expected values: OK (a page or a redirect that is not the login page), LOGIN
(redirect to the login page), or an exact status (403: visible but not yours to change or
open; 404: out of scope, never a leak).
"""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from assignments.models import (
    AssignmentOrder,
    Meeting,
    MeetingAction,
    Stage,
    VillageAssignment,
)
from assignments.stages import ensure_default_stages
from districts.models import Officer, Role
from districts.notify.models import Notification
from districts.services import token_create
from evaluations.models import NationalExtract
from evaluations.services import extract_build
from fieldwork.budget import BudgetLine, Disbursement, ensure_categories
from fieldwork.models import (
    FieldVisit,
    Household,
    IncomeRound,
    LivelihoodGroup,
    PartnerSupport,
    SupportTeamMember,
    VisitPhoto,
)
from imports.models import ImportBatch
from people.models import Forum, Partner, Sage, SageNetwork
from tests.factories import OfficerFactory, UserFactory

OK, LOGIN = "ok", "login"
ROLES = ["anonymous", "officer", "head", "province", "admin", "support", "department"]


def row(anonymous, officer, head, province, admin, support, department):
    return dict(
        zip(ROLES, [anonymous, officer, head, province, admin, support, department], strict=True)
    )


# (in scope, out of scope) for each role
DISTRICT_READ = row((LOGIN, LOGIN), (OK, 404), (OK, 404), (OK, 404), (OK, OK), (404, 404), (OK, OK))
HEAD_WRITE = row(
    (LOGIN, LOGIN), (403, 404), (OK, 404), (403, 404), (OK, OK), (404, 404), (403, 403)
)
OWN_VILLAGE_WRITE = row(
    (LOGIN, LOGIN), (OK, 404), (OK, 404), (403, 404), (OK, OK), (404, 404), (403, 403)
)
DISTRICT_PERSONAL = row(
    (LOGIN, LOGIN), (OK, 404), (OK, 404), (403, 404), (OK, OK), (404, 404), (403, 403)
)
IMPORTER = row((LOGIN, LOGIN), (403, 403), (403, 403), (OK, 404), (OK, OK), (403, 403), (403, 403))
IMPORTER_PAGE = row(
    (LOGIN, LOGIN), (403, 403), (403, 403), (OK, OK), (OK, OK), (403, 403), (403, 403)
)
HOUSEHOLD = row((LOGIN, LOGIN), (OK, 404), (OK, 404), (404, 404), (OK, OK), (404, 404), (404, 404))
ANY_ROLE = row((LOGIN, LOGIN), (OK, OK), (OK, OK), (OK, OK), (OK, OK), (OK, OK), (OK, OK))
NATIONAL = row((LOGIN,) * 2, (404,) * 2, (404,) * 2, (404,) * 2, (OK,) * 2, (404,) * 2, (OK,) * 2)
PUBLIC = row((OK, OK), (OK, OK), (OK, OK), (OK, OK), (OK, OK), (OK, OK), (OK, OK))

# url name: (method, kwargs builder key, expectations, POST data)
MATRIX = {
    "home": ("get", None, ANY_ROLE, None),
    "healthz": ("get", None, PUBLIC, None),
    # the field officer's app: what a phone needs before anyone logs in, and a page of none
    "web_manifest": ("get", None, PUBLIC, None),
    "service_worker": ("get", None, PUBLIC, None),
    "offline": ("get", None, PUBLIC, None),
    "login": ("get", None, PUBLIC, None),
    "logout": ("post", None, row(*[(LOGIN, LOGIN)] * 7), {}),
    "password_change": ("get", None, ANY_ROLE, None),
    "password_change_done": ("get", None, ANY_ROLE, None),
    "set_language": ("post", None, PUBLIC, {"language": "th"}),
    # personal access tokens: each person's own ('in': the field officer's)
    "api_tokens": ("get", None, ANY_ROLE, None),
    "api_token_revoke": (
        "post",
        "token",
        row((LOGIN, LOGIN), (OK, 404), (404, 404), (404, 404), (404, 404), (404, 404), (404, 404)),
        {},
    ),
    "district_detail": ("get", "district", DISTRICT_READ, None),
    "province_detail": (
        "get",
        "province",
        row((LOGIN, LOGIN), (404, 404), (404, 404), (OK, 404), (OK, OK), (404, 404), (OK, OK)),
        None,
    ),
    "country": (
        "get",
        None,
        row((LOGIN,) * 2, (404,) * 2, (404,) * 2, (404,) * 2, (OK,) * 2, (404,) * 2, (OK,) * 2),
        None,
    ),
    "audit_log": (
        "get",
        None,
        row((LOGIN,) * 2, (404,) * 2, (404,) * 2, (404,) * 2, (OK,) * 2, (OK,) * 2, (404,) * 2),
        None,
    ),
    "assignments:board": ("get", "district", DISTRICT_READ, None),
    "assignments:assign": ("post", "district", HEAD_WRITE, "assign"),
    "assignments:pin": ("post", "district", HEAD_WRITE, "pin"),
    "assignments:tambons": ("post", "district", HEAD_WRITE, "tambons"),
    "assignments:followup_start": ("post", "district", HEAD_WRITE, "followup"),
    "assignments:followup_move": ("post", "district", HEAD_WRITE, "followup"),
    "assignments:followup_end": ("post", "district", HEAD_WRITE, "followup"),
    "assignments:suggest": ("get", "district", DISTRICT_READ, None),
    "assignments:orders": ("get", "district", DISTRICT_READ, None),
    "assignments:order_new": ("get", "district", HEAD_WRITE, None),
    "assignments:order_detail": ("get", "order", DISTRICT_READ, None),
    "fieldwork:target_detail": ("get", "target", DISTRICT_READ, None),
    "fieldwork:visit_new": (
        "get",
        None,
        row((LOGIN, LOGIN), (OK, OK), (OK, OK), (403, 403), (403, 403), (403, 403), (403, 403)),
        None,
    ),
    "fieldwork:visit_detail": ("get", "visit", DISTRICT_READ, None),
    # the outbox is read from the phone; a visit it sends is held to the visit form's scope
    # (422 with the reason out of scope: tests/fieldwork/test_outbox.py)
    "fieldwork:outbox": ("get", None, ANY_ROLE, None),
    "fieldwork:visit_sync": ("get", None, ANY_ROLE, None),
    "fieldwork:visit_advice": ("post", "visit", HEAD_WRITE, {"text": "ดี"}),
    "fieldwork:visit_photo": ("get", "photo", DISTRICT_READ, None),
    "fieldwork:visit_list": ("get", "district", DISTRICT_READ, None),
    "fieldwork:visit_export": ("get", "district", DISTRICT_READ, None),
    "fieldwork:thresholds": ("get", "district", DISTRICT_READ, None),
    "people:sage_list": ("get", None, ANY_ROLE, None),
    "people:sage_new": ("get", "district", OWN_VILLAGE_WRITE, None),
    "people:sage_edit": ("get", "sage", OWN_VILLAGE_WRITE, None),
    "people:network": ("get", "district", DISTRICT_READ, None),
    "people:forum_new": ("get", "district", HEAD_WRITE, None),
    "people:forum_detail": ("get", "forum", DISTRICT_READ, None),
    "people:forum_edit": ("get", "forum", HEAD_WRITE, None),
    "people:province_networks": (
        "get",
        "province",
        row((LOGIN, LOGIN), (404, 404), (404, 404), (OK, 404), (OK, OK), (404, 404), (OK, OK)),
        None,
    ),
    "people:partner_list": ("get", "district", DISTRICT_READ, None),
    "people:partner_new": ("get", "district", HEAD_WRITE, None),
    "people:partner_edit": ("get", "partner", HEAD_WRITE, None),
    "fieldwork:support_add": ("post", "target", OWN_VILLAGE_WRITE, "support"),
    "fieldwork:team_add": ("post", "target", OWN_VILLAGE_WRITE, {"name": "ก", "role": "member"}),
    "fieldwork:team_remove": ("post", "team", OWN_VILLAGE_WRITE, {}),
    "fieldwork:household_list": ("get", "district", DISTRICT_PERSONAL, None),
    "fieldwork:household_new": ("get", "household_target", OWN_VILLAGE_WRITE, None),
    "fieldwork:household_edit": ("get", "household", HOUSEHOLD, None),
    "fieldwork:income_round_add": ("post", "household", HOUSEHOLD, "income_round"),
    "fieldwork:village_households": ("post", "target", OWN_VILLAGE_WRITE, {"households": "120"}),
    "fieldwork:group_new": ("get", "group_target", OWN_VILLAGE_WRITE, None),
    "fieldwork:group_edit": ("get", "group", OWN_VILLAGE_WRITE, None),
    "fieldwork:support_edit": ("get", "support", OWN_VILLAGE_WRITE, None),
    "fieldwork:visit_attendance": ("post", "visit", OWN_VILLAGE_WRITE, "attendance"),
    # the villages' money: every officer of the district reads the district's whole budget
    "fieldwork:target_budget": ("get", "target", DISTRICT_READ, None),
    "fieldwork:disbursement_new": ("post", "target", OWN_VILLAGE_WRITE, "disbursement"),
    "fieldwork:advance_clear": ("post", "advance", OWN_VILLAGE_WRITE, "clear"),
    "fieldwork:receipt": ("get", "advance", DISTRICT_READ, None),
    "fieldwork:district_budget": ("get", "district", DISTRICT_READ, None),
    "fieldwork:district_budget_export": ("get", "district", DISTRICT_READ, None),
    "fieldwork:advance_days": ("post", "district", HEAD_WRITE, {"days": "20"}),
    "fieldwork:province_budget": (
        "get",
        "province",
        row((LOGIN, LOGIN), (404, 404), (404, 404), (OK, 404), (OK, OK), (404, 404), (OK, OK)),
        None,
    ),
    "fieldwork:province_budget_export": (
        "get",
        "province",
        row((LOGIN, LOGIN), (404, 404), (404, 404), (OK, 404), (OK, OK), (404, 404), (OK, OK)),
        None,
    ),
    "fieldwork:country_budget": (
        "get",
        None,
        NATIONAL,
        None,
    ),
    "fieldwork:country_budget_export": (
        "get",
        None,
        NATIONAL,
        None,
    ),
    "imports:import_home": ("get", None, IMPORTER_PAGE, None),
    "imports:import_preview": ("get", "batch", IMPORTER, None),
    "imports:import_apply": ("post", "batch", IMPORTER, {}),
    "imports:import_annotated": ("get", "batch", IMPORTER, None),
    "imports:import_template": ("get", "kind", IMPORTER_PAGE, None),
    "evaluations:evaluation": ("get", "target", DISTRICT_READ, None),
    # the district's plan: every member of the district reads it; the head plans every
    # village, an officer the villages they hold; provincial staff set their province's
    # deadlines (the department's are the admin's, in the admin)
    "fieldwork:plan": ("get", "district", DISTRICT_READ, None),
    "assignments:target_plan": ("get", "target", OWN_VILLAGE_WRITE, None),
    "assignments:deadlines": (
        "get",
        "province",
        row((LOGIN, LOGIN), (404, 404), (404, 404), (OK, 404), (OK, OK), (404, 404), (403, 403)),
        None,
    ),
    # team meetings: the head writes, every member of the district reads, the action's
    # owner (the officer here) marks it done
    "assignments:meetings": ("get", "district", DISTRICT_READ, None),
    "assignments:meeting_new": ("get", "district", HEAD_WRITE, None),
    "assignments:meeting_detail": ("get", "meeting", DISTRICT_READ, None),
    "assignments:meeting_edit": ("get", "meeting", HEAD_WRITE, None),
    "assignments:action_done": ("post", "action", OWN_VILLAGE_WRITE, {}),
    "evaluations:officer_work": ("get", "district", DISTRICT_READ, None),
    # a person's own notifications and settings: nobody else's, whatever their role
    "notify:list": ("get", None, ANY_ROLE, None),
    "notify:open": (
        "get",
        "notification",
        row((LOGIN, LOGIN), (OK, 404), (404, 404), (404, 404), (404, 404), (404, 404), (404, 404)),
        None,
    ),
    "notify:read_all": ("post", None, ANY_ROLE, {}),
    "notify:settings": ("get", None, ANY_ROLE, None),
    "notify:line_code": ("post", None, ANY_ROLE, {}),
    "notify:line_unlink": ("post", None, ANY_ROLE, {}),
    # LINE's calls: no login; refused without the channel's signature
    "notify:line_webhook": ("post", None, row(*[(400, 400)] * 7), {}),
    # the department's national extracts: the whole country's, for it and the system admin
    "evaluations:extracts": ("get", None, NATIONAL, None),
    "evaluations:extract_download": ("get", "extract", NATIONAL, None),
}


def url_names():
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name in ("admin", "api"):  # the API's: tests/api/test_api_matrix.py
                    continue
                walk(
                    pattern.url_patterns,
                    f"{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern):
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_a_row():
    assert sorted(url_names()) == sorted(MATRIX)


def photo_bytes():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


def scope_objects(area, officer, head, uploader):
    """One of everything in an area, owned by its people."""
    ensure_default_stages(Stage)
    target = area.targets[0]
    VillageAssignment.objects.create(target=target, officer=officer)
    visit = FieldVisit.objects.create(
        target=target,
        officer=officer,
        stage=Stage.objects.first(),
        date=dt.date(2017, 6, 1),
        activity="x",
    )
    photo = VisitPhoto(visit=visit)
    for field_name in ("image", "display", "thumb"):
        getattr(photo, field_name).save("p.jpg", ContentFile(photo_bytes()), save=False)
    photo.save()
    sage = Sage.objects.create(name="ปราชญ์", village=target.village, expertise="ทอผ้า")
    network = SageNetwork.objects.create(district=area.district, name="เครือข่าย")
    forum = Forum.objects.create(network=network, date=dt.date(2017, 1, 1), place="p", topic="t")
    partner = Partner.objects.create(district=area.district, name="ภาคี")
    household = Household.objects.create(target=target, head_name="ครัวเรือน", livelihood="x")
    IncomeRound.objects.create(
        household=household, kind="baseline", date=dt.date(2016, 10, 1), income=1
    )
    group = LivelihoodGroup.objects.create(target=target, name="กลุ่ม", livelihood="x")
    support = PartnerSupport.objects.create(partner=partner, target=target, project="โครงการ")
    team = SupportTeamMember.objects.create(target=target, name="ทีม", role="member")
    order = AssignmentOrder.objects.create(
        district=area.district,
        year_id=2560,
        number="1/2560",
        date=dt.date(2016, 11, 1),
        subject="s",
        signer_name="n",
        signer_position="p",
    )
    line = BudgetLine.objects.create(
        target=target,
        category=ensure_categories(target.year_id)[0],
        planned_amount=1000,
        planned_month=dt.date(2016, 11, 1),
    )
    advance = Disbursement(
        line=line, kind="advance", date=dt.date(2016, 11, 2), amount=500, purpose="ค่าอาหาร"
    )
    advance.receipt.save("r.jpg", ContentFile(photo_bytes()), save=False)
    advance.save()
    meeting = Meeting.objects.create(district=area.district, date=dt.date(2017, 6, 5), agenda="a")
    action = MeetingAction.objects.create(
        meeting=meeting, owner=officer, text="t", due=dt.date(2017, 6, 30)
    )
    batch = ImportBatch(kind="targets", year_id=2560, filename="t.csv", uploaded_by=uploader)
    batch.file.save(
        "t.csv", ContentFile(f"code,budget\n{target.village_id},10\n".encode()), save=True
    )
    notification = Notification.objects.create(
        user=officer.user, kind="order", text="คำสั่ง", url="/", key="order"
    )
    token = token_create(user=officer.user, name="ระบบจังหวัด", expires_at=None).token
    extract = NationalExtract.objects.create(year_id=2560, requested_by=uploader)
    extract_build(extract=extract)
    return {
        "notification": {"pk": notification.pk},
        "extract": {"pk": extract.pk, "fmt": "xlsx"},
        "token": {"pk": token.pk},
        "district": {"code": area.district.pk},
        "province": {"code": area.district.province_id},
        "target": {"pk": target.pk},
        "household_target": {"pk": target.pk},
        "visit": {"pk": visit.pk},
        "photo": {"pk": photo.pk, "size": "thumb"},
        "sage": {"pk": sage.pk},
        "forum": {"pk": forum.pk},
        "partner": {"code": area.district.pk, "pk": partner.pk},
        "household": {"pk": household.pk},
        "group_target": {"target_pk": target.pk},
        "group": {"pk": group.pk},
        "support": {"pk": support.pk},
        "_household": household,
        "team": {"pk": team.pk},
        "order": {"code": area.district.pk, "pk": order.pk},
        "meeting": {"pk": meeting.pk},
        "action": {"pk": action.pk},
        "batch": {"pk": batch.pk},
        "kind": {"kind": "targets"},
        "advance": {"pk": advance.pk},
        "_line": line,
        "_target": target,
        "_officer": officer,
        "_partner": partner,
    }


@pytest.fixture
def world(
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
):
    settings.MEDIA_ROOT = tmp_path
    support = Officer.objects.create(user=UserFactory(username="support"), role=Role.SUPPORT)
    department = Officer.objects.create(
        user=UserFactory(username="department"), role=Role.DEPARTMENT
    )
    return {
        "in": scope_objects(area_a, officer_a, head_a, province_staff_a.user),
        "out": scope_objects(area_b, officer_b, head_b, province_staff_b.user),
        "people": {
            "officer": officer_a.user,
            "head": head_a.user,
            "province": province_staff_a.user,
            "admin": admin_user,
            "support": support.user,
            "department": department.user,
        },
    }


def post_data(spec, objects):
    if spec == "assign":
        return {"year": 2560, "target": objects["_target"].pk, "officer": objects["_officer"].pk}
    if spec == "pin":
        return {"year": 2560, "target": objects["_target"].pk, "pinned": "1"}
    if spec == "tambons":
        return {"year": 2560, "officer": objects["_officer"].pk, "tambon": []}
    if spec == "income_round":
        return {"date": "01/06/2560", "kind": "followup", "income": "100"}
    if spec == "attendance":
        return {"households": [objects["_household"].pk]}
    if spec == "followup":
        return {"year": 2561, "target": objects["_target"].pk, "officer": objects["_officer"].pk}
    if spec == "disbursement":
        line = objects["_line"]
        return {"line": line.pk, "kind": "expense", "date": "03/11/2559", "amount": "1",
                "purpose": "ค่าอาหาร"}  # fmt: skip
    if spec == "clear":
        return {}
    if spec == "support":
        return {"partner": objects["_partner"].pk, "project": "p"}
    return spec or {}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, world, name):
    """Each URL for every role, inside and outside the role's scope (one world per URL)."""
    method, key, expected, data = MATRIX[name]
    wrong = []
    for role in ROLES:
        for where in ("in", "out"):
            objects = world[where]
            if key == "household_target":
                url = reverse("fieldwork:household_new") + f"?target={objects['_target'].pk}"
            elif key == "team":  # removing is destructive: a fresh member for every try
                member = SupportTeamMember.objects.create(
                    target=objects["_target"], name="ทีม", role="member"
                )
                url = reverse(name, kwargs={"pk": member.pk})
            else:
                url = reverse(name, kwargs=objects[key] if key else None)
            client.logout()
            if role != "anonymous":
                client.force_login(world["people"][role])
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, post_data(data, objects))
            want = expected[role][0 if where == "in" else 1]
            status = response.status_code
            to_login = status == 302 and response["Location"].startswith("/accounts/login/")
            if want == LOGIN:
                good = to_login
            elif want == OK:  # let in; 400: let in, and what it sent is shown back refused
                good = status in (200, 302, 400) and not to_login
            else:
                good = status == want
            if not good:
                wrong.append((role, where, url, status, want))
    assert wrong == []


# Sages teach across a province: district staff find a neighbouring district's sage (403 to
# change, not 404 as for another province's)
NEIGHBOUR_EXCEPTIONS = {"people:sage_edit": 403}


@pytest.fixture
def neighbours(area_a, area_a2, officer_a, head_a, province_staff_a, settings, tmp_path):
    """District A's staff and the objects of A2, another district of the same province.

    ``world``'s 'out' objects lie in another province, where a rule written by province
    instead of by district would refuse them too; here it would not.
    """
    settings.MEDIA_ROOT = tmp_path
    officer = OfficerFactory(user=UserFactory(username="officer-a2"), district=area_a2.district)
    head = OfficerFactory(
        user=UserFactory(username="head-a2"), role=Role.HEAD, district=area_a2.district
    )
    return {
        "objects": scope_objects(area_a2, officer, head, province_staff_a.user),
        "people": {"officer": officer_a.user, "head": head_a.user},
    }


@pytest.mark.parametrize("name", sorted(name for name, spec in MATRIX.items() if spec[1]))
def test_district_staff_are_out_of_scope_in_a_neighbouring_district(client, neighbours, name):
    """Each URL for an officer and a head of district A, with the objects of district A2 of
    the same province: what they get for another province's ('out' above)."""
    method, key, expected, data = MATRIX[name]
    objects = neighbours["objects"]
    wrong = []
    for role in ("officer", "head"):
        if key == "household_target":
            url = reverse("fieldwork:household_new") + f"?target={objects['_target'].pk}"
        elif key == "team":
            member = SupportTeamMember.objects.create(
                target=objects["_target"], name="ทีม", role="member"
            )
            url = reverse(name, kwargs={"pk": member.pk})
        else:
            url = reverse(name, kwargs=objects[key] if key else None)
        client.force_login(neighbours["people"][role])
        response = (
            client.get(url) if method == "get" else client.post(url, post_data(data, objects))
        )
        want = NEIGHBOUR_EXCEPTIONS.get(name, expected[role][1])
        status = response.status_code
        good = status in (200, 302, 400) if want == OK else status == want
        if not good:
            wrong.append((role, url, status, want))
    assert wrong == []
