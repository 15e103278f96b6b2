"""Dashboard figures follow the records: a save or delete of anything a figure counts marks
its district's summary row stale, in the same transaction. Bulk writes, which send no
signals, call ``DistrictFigures.objects.mark_stale`` themselves.

A record moved to another village, year or target village (the admin allows it) leaves the
figures of where it was as well as where it went: the place it was loaded from is kept on
the instance when it is loaded and marked too.
"""

from django.db.models.signals import post_delete, post_init, post_save

from assignments.models import Stage, TargetVillage, VillageAssignment
from evaluations.models import DistrictFigures, VillageEvaluation
from fieldwork.models import FieldVisit, Household

# The fields a figure reads, per model: a save that names other fields only (advice's
# "needs more", a pin) changes no figure.
COUNTED_FIELDS = {
    TargetVillage: {"village", "year", "district", "budget_allocated", "budget_spent", "stage"},
    FieldVisit: {"target", "date"},
    Household: {
        "target", "baseline_income", "followup_income", "still_practising", "is_neighbour",
    },
    VillageAssignment: {"target", "ended_at"},
    VillageEvaluation: {"target", "status"},
}  # fmt: skip


def _counts(update_fields, model) -> bool:
    return update_fields is None or bool(set(update_fields) & COUNTED_FIELDS[model])


def remember_place(sender, instance, **kwargs):
    # __dict__, not the attributes: a deferred field must not cost a query here
    if sender is TargetVillage:
        instance._figures_place = (
            instance.__dict__.get("year_id"),
            instance.__dict__.get("district_id"),
        )
    else:
        instance._figures_target = instance.__dict__.get("target_id")


def target_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _counts(update_fields, sender):
        return  # raw: loaddata, whose backup holds the summary rows too
    places = {(instance.year_id, instance.district_id)}
    before = getattr(instance, "_figures_place", (None, None))
    if None not in before:
        places.add(before)
    for year, district in places:
        DistrictFigures.objects.mark_stale(year, [district])
    instance._figures_place = (instance.year_id, instance.district_id)


def record_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _counts(update_fields, sender):
        return
    target_ids = {instance.target_id, getattr(instance, "_figures_target", None)} - {None}
    target = sender._meta.get_field("target")
    if target_ids == {instance.target_id} and target.is_cached(instance):
        places = {(instance.target.year_id, instance.target.district_id)}
    else:
        # a record of a village being deleted finds nothing: the village's own signal marks
        places = set(
            TargetVillage.objects.filter(pk__in=target_ids).values_list("year_id", "district_id")
        )
    for year, district in places:
        DistrictFigures.objects.mark_stale(year, [district])
    instance._figures_target = instance.target_id


def stages_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # rows count villages by stage order
        DistrictFigures.objects.mark_all_stale()


def connect():
    post_init.connect(remember_place, sender=TargetVillage, dispatch_uid="figures-target-init")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(target_changed, sender=TargetVillage, dispatch_uid=f"figures-target-{name}")
        signal.connect(stages_changed, sender=Stage, dispatch_uid=f"figures-stage-{name}")
    for model in (FieldVisit, Household, VillageAssignment, VillageEvaluation):
        post_init.connect(remember_place, sender=model, dispatch_uid=f"figures-{model.__name__}")
        for name, signal in (("save", post_save), ("delete", post_delete)):
            uid = f"figures-{model.__name__}-{name}"
            signal.connect(record_changed, sender=model, dispatch_uid=uid)
