"""Named operations on the work in the target villages: visits and the head's advice."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assignments.models import Stage, TargetVillage
from districts import changes
from districts.models import can_manage_district
from fieldwork.access import loggable_targets
from fieldwork.models import FieldVisit, VisitAdvice, VisitPhoto
from lib import balance


@transaction.atomic
def visit_log(*, user, target: TargetVillage, photos: list | None = None, **fields) -> FieldVisit:
    """Record a visit, its photos, and move the village on to the visit's stage if later.

    A form sent again with the same ``submission`` token returns the visit it saved the first
    time, marked ``repeated``, and writes nothing.
    """
    officer = user.officer_or_none
    if not loggable_targets(user).filter(pk=target.pk).exists():
        raise PermissionDenied
    # Lock the village's row before anything else: two phones sending visits to one village
    # at once queue here, so the later stage always wins (taking the lock after inserting the
    # visit could deadlock against the other insert's foreign-key lock).
    locked = TargetVillage.objects.select_for_update().only("stage_id").get(pk=target.pk)
    if fields.get("submission"):  # the same form sent again (a double tap, a retry)
        repeated = FieldVisit.objects.filter(
            submission=fields["submission"], officer=officer
        ).first()
        if repeated is not None:
            repeated.repeated = True
            return repeated
    visit = FieldVisit(target=target, officer=officer, **fields)
    tambon = target.village.tambon
    if visit.lat is not None and visit.lon is not None and tambon.lat is not None:
        visit.distance_km = (
            balance.haversine_m((visit.lat, visit.lon), (tambon.lat, tambon.lon)) / 1000
        )
        visit.far_from_village = visit.distance_km > settings.VISIT_FAR_KM
    visit.full_clean()
    visit.save()
    for photo in photos or []:
        record = VisitPhoto(visit=visit, kept_location=photo.kept_location)
        record.image.save("photo.jpg", ContentFile(photo.original), save=False)
        record.display.save("display.jpg", ContentFile(photo.display), save=False)
        record.thumb.save("thumb.jpg", ContentFile(photo.thumb), save=False)
        record.save()
    # A later stage moves the village on; an earlier one (a late record) never moves it back.
    current = Stage.objects.filter(pk=locked.stage_id).values_list("order", flat=True).first()
    if current is None or current < visit.stage.order:
        # no bump: the visit's own save recorded a change in this district, in this transaction
        TargetVillage.objects.filter(pk=target.pk).update(stage=visit.stage)
    return visit


@transaction.atomic
def advice_add(*, visit: FieldVisit, user, text: str, needs_more=False, needs_more_reason=""):
    if not can_manage_district(user, visit.target.district_id):
        raise PermissionDenied
    advice = VisitAdvice.objects.create(visit=visit, author=user, text=text.strip())
    visit.needs_more = needs_more
    visit.needs_more_reason = needs_more_reason.strip() if needs_more else ""
    visit.save(update_fields=["needs_more", "needs_more_reason"])
    return advice


def advice_mark_read(*, visit: FieldVisit, user) -> int:
    """The visit's officer opened it: their unread advice is read now."""
    if visit.officer.user_id != user.pk:
        return 0
    read = VisitAdvice.objects.filter(visit=visit, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if read:
        changes.record([visit.target.district_id])
    return read
