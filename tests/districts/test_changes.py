"""The one way a write says "this changed" (districts/changes.py): every model that leads to a
district records a change for it, moved records for both districts, bulk writes through
``record``, and writes no page shows record nothing."""

import datetime as dt
import io
from collections import deque

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command

from assignments import services as assignment_services
from assignments.models import FiscalYear, FollowUp, PlannedDate, Stage
from assignments.stages import ensure_default_stages
from districts import changes
from districts.models import Change, ChangeCount, District
from evaluations.models import OfficerReview, VillageEvaluation
from evaluations.services import dashboard_figures
from fieldwork import services as field_services
from fieldwork.budget import AdvanceRule
from fieldwork.models import Attendance, FieldVisit, NeglectThreshold, PartnerSupport, VisitAdvice
from people.models import Forum, Sage
from tests.test_permission_matrix import scope_objects

PROJECT_APPS = ("districts", "people", "assignments", "fieldwork", "evaluations", "imports")


@pytest.fixture
def stages(db):
    ensure_default_stages(Stage)
    return list(Stage.objects.order_by("order"))


def recorded() -> set[str]:
    return set(Change.objects.values_list("district", flat=True))


def path_to_district(model) -> list | None:
    """The shortest chain of the model's own foreign keys that ends at a District, found
    from the fields themselves (not from what the model declares)."""
    if model is District:
        return []
    seen, queue = {model}, deque([(model, [])])
    while queue:
        current, chain = queue.popleft()
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.related_model in seen:
                continue
            if field.related_model is District:
                return [*chain, field.name]
            seen.add(field.related_model)
            queue.append((field.related_model, [*chain, field.name]))
    return None


def placed_models():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or changes.is_quiet(model):
            continue
        chain = path_to_district(model)
        if chain is not None:
            yield model, chain


@pytest.fixture
def one_of_each(area_a, officer_a, head_a, province_staff_a, settings, tmp_path, stages):
    """A record of every kind in district A."""
    settings.MEDIA_ROOT = tmp_path
    made = scope_objects(area_a, officer_a, head_a, province_staff_a.user)
    visit = FieldVisit.objects.get(pk=made["visit"]["pk"])
    VisitAdvice.objects.create(visit=visit, author=head_a.user, text="ดี")
    PartnerSupport.objects.create(partner=made["_partner"], target=made["_target"])
    Attendance.objects.create(visit=visit, household=made["_household"])
    VillageEvaluation.objects.create(target=made["_target"])
    OfficerReview.objects.create(officer=officer_a, year_id=2560, rating="3")
    NeglectThreshold.objects.create(district=area_a.district, stage=stages[0], days=30)
    AdvanceRule.objects.create(district=area_a.district, days=20)
    PlannedDate.objects.create(target=made["_target"], stage=stages[0], date=dt.date(2017, 1, 1))
    FollowUp.objects.create(
        target=made["_target"],
        officer=officer_a,
        from_year=FiscalYear.objects.get_or_create(year=2561)[0],
    )
    return area_a


def test_saving_any_record_of_a_district_records_a_change_for_that_district(one_of_each):
    """A model added later that forgets to say where its records are is caught here: its
    saves would record a site-wide change, not its district's."""
    code = one_of_each.district.pk
    checked = []
    for model, chain in placed_models():
        lookup = "__".join([*chain, "pk"]) if chain else "pk"
        instance = model._base_manager.filter(**{lookup: code}).first()
        assert instance is not None, f"add a {model.__name__} of district A to one_of_each"
        Change.objects.all().delete()
        instance.save()
        assert code in recorded(), f"{model._meta.label} says nothing of its district"
        checked.append(model.__name__)
    assert len(checked) >= 20  # the walk itself found the models


def test_every_model_says_where_its_records_are(db):
    """Declared, and a path the database can follow to a district's code."""
    for model, _chain in placed_models():
        assert "change_district" in vars(model), model._meta.label
        model._base_manager.values_list(model.change_district)[:1].exists()  # a valid path


def test_a_write_records_its_own_district_only(area_a, area_b, officer_a, stages):
    mine, theirs = changes.count(districts=["4016"]), changes.count(districts=["4101"])
    province, country = changes.count(province="40"), changes.count()
    FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1)
    )
    assert changes.count(districts=["4016"]) > mine
    assert changes.count(districts=["4101"]) == theirs
    assert changes.count(province="40") > province
    assert changes.count(province="41") == changes.count(districts=["4101"])
    assert changes.count() > country
    assert changes.counts(["4016", "4101"])["4016"] == changes.count(districts=["4016"])


def test_a_record_moved_to_another_district_changes_both(area_a, area_b, officer_a, stages):
    visit = FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1)
    )
    Change.objects.all().delete()
    visit = FieldVisit.objects.get(pk=visit.pk)  # loaded, as the admin does
    visit.target = area_b.targets[0]
    visit.save()
    assert recorded() == {"4016", "4101"}
    Change.objects.all().delete()
    visit.save(update_fields=["activity"])  # not moved: one read fewer, one district
    assert recorded() == {"4101"}


def test_a_deleted_record_changes_its_district(area_a, officer_a, stages):
    visit = FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1)
    )
    Change.objects.all().delete()
    visit.delete()
    assert recorded() == {"4016"}


def test_a_write_no_district_holds_changes_every_district(area_a, area_b, stages):
    Change.objects.all().delete()
    before = {code: changes.count(districts=[code]) for code in ("4016", "4101")}
    stage = stages[0]
    stage.name_th = "ขั้นที่หนึ่ง"
    stage.save()  # a stage shows on the pages of every district
    assert recorded() == {changes.SITE}
    assert all(changes.count(districts=[code]) > before[code] for code in before)


def test_members_added_to_a_record_change_its_district(area_a, officer_a):
    from people.models import SageNetwork

    network = SageNetwork.objects.create(district=area_a.district, name="เครือข่าย")
    forum = Forum.objects.create(network=network, date=dt.date(2017, 1, 1), place="p", topic="t")
    sage = Sage.objects.create(name="ปราชญ์", village=area_a.villages[0], expertise="ผัก")
    Change.objects.all().delete()
    forum.sages.add(sage)
    assert recorded() == {"4016"}


def test_bulk_writes_record_their_districts(area_a, area_b, officer_a, head_a, stages):
    Change.objects.all().delete()
    assignment_services.assignment_change(  # bulk_create and bulk_update: no signals
        district=area_a.district,
        target_ids=[area_a.targets[0].pk],
        officer=officer_a,
        actor=head_a.user,
    )
    assert "4016" in recorded() and "4101" not in recorded()
    visit = FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1)
    )
    field_services.advice_add(visit=visit, user=head_a.user, text="ดี")
    Change.objects.all().delete()
    field_services.advice_mark_read(visit=visit, user=officer_a.user)  # queryset.update
    assert recorded() == {"4016"}


def test_an_import_of_targets_records_its_districts(area_a, area_b):
    from decimal import Decimal

    from imports.services import Row, _apply_targets

    Change.objects.all().delete()
    _apply_targets(
        [Row(number=2, key=area_a.targets[0].village_id, status="changed",
             values={"budget_allocated": Decimal(777), "livelihood": "x"})],
        2560, None, "test",
    )  # fmt: skip
    assert "4016" in recorded() and "4101" not in recorded()


def test_logins_sessions_and_summary_rows_record_nothing(client, area_a, officer_a):
    Change.objects.all().delete()
    client.force_login(officer_a.user)  # a login: last_login and the session are written
    dashboard_figures(2560, district_ids=["4016"])  # the summary rows
    Session.objects.all().delete()
    assert not Change.objects.exists()
    officer_a.user.first_name = "สมหญิง"
    officer_a.user.save()  # a name shows on the district's pages
    assert recorded() == {"4016"}


def test_a_model_that_says_nothing_is_a_site_wide_change():
    class Undeclared:
        pass

    assert changes.districts_of(Undeclared, [Undeclared()]) == {changes.SITE}


def test_committed_changes_are_told_once_per_transaction(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    told = []

    def listen(sender, districts, **kwargs):
        told.append(districts)

    changes.committed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            changes.record(["4016"])
            changes.record(["4101", None])
    finally:
        changes.committed.disconnect(listen)
    assert told == [{"4016", "4101", changes.SITE}]


def test_folding_the_changes_leaves_every_count_as_it_was(area_a, area_b, officer_a, stages):
    FieldVisit.objects.create(
        target=area_a.targets[0], officer=officer_a, stage=stages[0], date=dt.date(2017, 6, 1)
    )
    scopes = [{"districts": ["4016"]}, {"districts": ["4101"]}, {"province": "40"}, {}]
    before = [changes.count(**scope) for scope in scopes]
    many = changes.counts()
    assert Change.objects.exists()
    out = io.StringIO()
    call_command("compact_changes", stdout=out)  # the nightly job
    assert "changes folded" in out.getvalue()
    assert not Change.objects.exists()
    assert ChangeCount.objects.get(district="4016").count >= 1
    assert [changes.count(**scope) for scope in scopes] == before
    assert changes.counts() == many
    assert changes.compact() == 0  # nothing to fold
    Stage.objects.create(order=99, name_th="ขั้นใหม่")
    assert all(changes.count(**scope) == old + 1 for scope, old in zip(scopes, before, strict=True))
