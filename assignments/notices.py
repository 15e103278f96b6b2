"""Who is told of the programme year's changes: an officer given villages or losing one,
and the staff named in an office order once it is issued."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments.models import AssignmentOrder, TargetVillage, VillageAssignment
from districts import notify
from districts.models import Officer


def _names(target_ids) -> str:
    names = list(
        TargetVillage.objects.filter(pk__in=target_ids)
        .order_by("village_id")
        .values_list("village__name_th", flat=True)
    )
    return ", ".join(names[:10]) + (f" +{len(names) - 10}" if len(names) > 10 else "")


def _given_text(n: int, names: str):
    return lazy(
        lambda: ngettext(
            "A village is assigned to you: {villages}",
            "{n} villages are assigned to you: {villages}",
            n,
        ).format(n=n, villages=names),
        str,
    )()


def _moved_text(n: int, names: str):
    return lazy(
        lambda: ngettext(
            "A village is no longer yours: {villages}",
            "{n} villages are no longer yours: {villages}",
            n,
        ).format(n=n, villages=names),
        str,
    )()


def assignments_changed(
    *, district, started: list[VillageAssignment], ended: list[VillageAssignment]
) -> None:
    """The officer given villages is told once for them all; each officer they were taken
    from, once for theirs. The keys name the assignment rows: one notice per change."""
    board = reverse("home")
    if started:
        officer = started[0].officer
        notify.send(
            [officer],
            notify.Kind.ASSIGNED,
            _given_text(len(started), _names([a.target_id for a in started])),
            board,
            key="assigned:" + ",".join(str(a.pk) for a in started),
            district=district.pk,
        )
    by_officer: dict[int, list[VillageAssignment]] = {}
    for a in ended:
        by_officer.setdefault(a.officer_id, []).append(a)
    officers = Officer.objects.in_bulk(list(by_officer))
    for officer_id, rows in by_officer.items():
        if officer_id in officers:
            notify.send(
                [officers[officer_id]],
                notify.Kind.ASSIGNED,
                _moved_text(len(rows), _names([a.target_id for a in rows])),
                board,
                key="moved:" + ",".join(str(a.pk) for a in rows),
                district=district.pk,
            )


def order_issued(order: AssignmentOrder, officers) -> None:
    notify.send(
        officers,
        notify.Kind.ORDER,
        format_lazy(
            _("Office order {number} is issued: {subject}"),
            number=order.number,
            subject=order.subject,
        ),
        reverse("assignments:order_detail", args=[order.district_id, order.pk]),
        key=f"order:{order.pk}",
        district=order.district_id,
    )
