"""Every write of a record a page shows adds a change to the districts whose pages show it, in
the writer's transaction (``pagecache.models``).

A model listed in ``PLACE`` raises its district's counter: the district of the record as
saved and, when it was moved (the admin allows it), as it was. Any other model raises the
site's counter, which every cached page depends on: a model added later is safe before
anyone lists it. ``QUIET`` models are written by reading pages or hold no page's content.
Bulk writes send no signals and call ``bump`` themselves.
"""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django_tasks_db.models import DBTaskResult

from assignments.models import AssignmentOrder, TargetVillage, VillageAssignment
from districts.models import Officer, Tambon, TambonResponsibility, User
from evaluations.models import DistrictFigures, OfficerReview, VillageEvaluation
from fieldwork.models import (
    FieldVisit,
    Household,
    NeglectThreshold,
    PartnerSupport,
    SupportTeamMember,
    VisitAdvice,
    VisitPhoto,
)
from imports.models import ImportBatch
from pagecache.cache import bump
from pagecache.models import SITE, PageChange, PageVersion
from people.models import Forum, Partner, Sage, SageNetwork

QUIET = {
    PageVersion,
    PageChange,
    DistrictFigures,  # computed when a dashboard is read, from records that raised the version
    Session,
    LogEntry,  # written with the change it records
    AccessAttempt,
    AccessAttemptExpiration,
    AccessFailureLog,
    AccessLog,
    DBTaskResult,  # a task's own bookkeeping; what it writes raises the versions
    ImportBatch,  # an upload and its check: no kept page lists them
}

# model: (the field that places a record, and the model and path from that field's value to
# a district code; None when the field holds the district itself)
ON_TARGET = ("target_id", (TargetVillage, "district_id"))
ON_VISIT = ("visit_id", (FieldVisit, "target__district_id"))
PLACE = {
    TargetVillage: ("district_id", None),
    Officer: ("district_id", None),
    AssignmentOrder: ("district_id", None),
    NeglectThreshold: ("district_id", None),
    Sage: ("district_id", None),
    SageNetwork: ("district_id", None),
    Partner: ("district_id", None),
    VillageAssignment: ON_TARGET,
    FieldVisit: ON_TARGET,
    Household: ON_TARGET,
    VillageEvaluation: ON_TARGET,
    SupportTeamMember: ON_TARGET,
    PartnerSupport: ON_TARGET,
    VisitPhoto: ON_VISIT,
    VisitAdvice: ON_VISIT,
    TambonResponsibility: ("tambon_id", (Tambon, "district_id")),
    Forum: ("network_id", (SageNetwork, "district_id")),
    OfficerReview: ("officer_id", (Officer, "district_id")),
}


def _districts(sender, values, using) -> set[str]:
    """The district codes of these field values; SITE too when one leads nowhere."""
    _field, path = PLACE[sender]
    values = set(values)
    codes = set()
    if None in values:
        codes.add(SITE)  # a province officer, a record not placed: shown beyond one district
        values.discard(None)
    if path is None:
        return codes | values
    model, lookup = path
    found = dict(model._base_manager.using(using).filter(pk__in=values).values_list("pk", lookup))
    if len(found) < len(values):
        codes.add(SITE)  # its place was deleted before it: which pages showed it is unknown
    return codes | {code or SITE for code in found.values()}


def remember_place(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    """Before a save of a placed record: where it was, in case the save moves it."""
    field, _path = PLACE[sender]
    instance._page_was = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {field, field.removesuffix("_id")} & update_fields:
        return
    rows = sender._base_manager.using(using).filter(pk=instance.pk).values_list(field, flat=True)
    instance._page_was = rows.first()


def saved(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    if sender is User and update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login (districts.signals.record_last_login): no page shows it
    if raw or sender not in PLACE:
        bump([SITE])
        return
    field, _path = PLACE[sender]
    values = {getattr(instance, field)}
    was = getattr(instance, "_page_was", None)
    if was is not None:
        values.add(was)
    bump(_districts(sender, values, using))


def deleted(sender, instance, using=None, **kwargs):
    if sender in PLACE:
        field, _path = PLACE[sender]
        bump(_districts(sender, {getattr(instance, field)}, using))
    else:
        bump([SITE])


def m2m(sender, action, using=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump([SITE])  # a user's groups and permissions


def connect():
    """One receiver per model that a page can show (not the QUIET ones, nor the history
    records, which are written with the change they record): a model with no receiver keeps
    Django's fast delete."""
    for model in apps.get_models(include_auto_created=True):
        if model in QUIET or getattr(model, "instance_type", None) is not None:
            continue
        uid = f"pagecache-{model._meta.label}"
        if model in PLACE:
            pre_save.connect(remember_place, sender=model, dispatch_uid=uid)
        post_save.connect(saved, sender=model, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, dispatch_uid=uid)
    m2m_changed.connect(m2m, dispatch_uid="pagecache-m2m")
