"""Dashboard figures follow the records: a save or delete of anything a figure counts marks
its district's summary row stale, in the same transaction. Bulk writes, which send no
signals, call ``DistrictFigures.objects.mark_stale`` themselves."""

from django.db.models.signals import post_delete, post_save

from assignments.models import FieldVisit, Household, TargetVillage, VillageAssignment
from evaluations.models import DistrictFigures, VillageEvaluation

COUNTED_THROUGH_TARGET = [FieldVisit, Household, VillageAssignment, VillageEvaluation]


def target_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: the summary rows come from the same backup
    DistrictFigures.objects.mark_stale(instance.year_id, [instance.district_id])


def record_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender._meta.get_field("target").is_cached(instance):
        target = instance.target
        year, district = target.year_id, target.district_id
    else:
        found = TargetVillage.objects.filter(pk=instance.target_id).values_list(
            "year_id", "district_id"
        )
        if not found:
            return  # the village itself is going: its own signal marks the district
        year, district = found[0]
    DistrictFigures.objects.mark_stale(year, [district])


def connect():
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(target_changed, sender=TargetVillage, dispatch_uid=f"figures-target-{name}")
        for model in COUNTED_THROUGH_TARGET:
            uid = f"figures-{model.__name__}-{name}"
            signal.connect(record_changed, sender=model, dispatch_uid=uid)
