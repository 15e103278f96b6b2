"""Who is told of what happens in the villages: advice on a visit, a visit refused at sync,
and the morning's summary of the villages overdue for a visit (districts.notify sends)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments.models import TargetVillage
from districts import notify
from districts.models import District, Officer, Role
from fieldwork import selectors
from fieldwork.models import VisitAdvice


def advice_given(advice: VisitAdvice) -> None:
    """The visit's officer is told of the head's advice (and of "needs more")."""
    visit = advice.visit
    village = visit.target.village.name_th
    if visit.needs_more:
        text = format_lazy(
            _("The district head asks for more on your visit to {village}: {advice}"),
            village=village,
            advice=advice.text[:200],
        )
    else:
        text = format_lazy(
            _("New advice on your visit to {village}: {advice}"),
            village=village,
            advice=advice.text[:200],
        )
    notify.send(
        [visit.officer],
        notify.Kind.ADVICE,
        text,
        reverse("fieldwork:visit_detail", args=[visit.pk]),
        key=f"advice:{advice.pk}",
        district=visit.target.district_id,
    )


def visit_refused(*, officer: Officer | None, submission, reason: str) -> None:
    """A visit the phone kept offline was refused when it was sent: the officer is told, as
    the phone may have sent it while they were not looking."""
    if officer is None or submission is None:
        return
    notify.send(
        [officer],
        notify.Kind.SYNC_REFUSED,
        format_lazy(_("A visit saved on your phone was not accepted: {reason}"), reason=reason),
        reverse("fieldwork:outbox"),
        key=f"sync-refused:{submission}",
        district=officer.district_id,
    )


def _village_list(rows) -> str:
    shown = [f"{r.target.village.name_th} ({r.days_since})" for r in rows[:10]]
    more = len(rows) - len(shown)
    return ", ".join(shown) + (f" +{more}" if more > 0 else "")


def _officer_text(rows):
    """In each reader's language (districts.notify.send writes it in theirs)."""
    return lazy(
        lambda: ngettext(
            "{n} of your villages is overdue for a visit (days since the last): {villages}",
            "{n} of your villages are overdue for a visit (days since the last): {villages}",
            len(rows),
        ).format(n=len(rows), villages=_village_list(rows)),
        str,
    )()


def _head_text(rows):
    return lazy(
        lambda: ngettext(
            "{n} village of the district is overdue for a visit (days since the last): {villages}",
            "{n} villages of the district are overdue for a visit (days since the last): "
            "{villages}",
            len(rows),
        ).format(n=len(rows), villages=_village_list(rows)),
        str,
    )()


def overdue_digest(*, year: int, day: dt.date | None = None, district_ids=None) -> int:
    """The morning summary: each officer's villages overdue for a visit in one message, and
    one for each head with their district's. Returns the number of messages made; run twice
    the same day it makes none (the key names the day)."""
    day = day or timezone.localdate()
    districts = District.objects.filter(
        pk__in=TargetVillage.objects.filter(year_id=year).values("district_id")
    )
    if district_ids is not None:
        districts = districts.filter(pk__in=district_ids)
    made = 0
    for district in districts:
        rows = selectors.followed_up(
            TargetVillage.objects.filter(district=district).select_related("village", "stage"),
            year,
        )
        late = selectors.overdue(rows, year)
        if not late:
            continue
        by_officer: dict[int, list] = {}
        for r in late:
            if r.officer is not None:
                by_officer.setdefault(r.officer.pk, []).append(r)
        officers = {o.pk: o for o in Officer.objects.filter(pk__in=by_officer, is_active=True)}
        for officer_id, own in by_officer.items():
            if officer_id not in officers:
                continue
            made += len(
                notify.send(
                    [officers[officer_id]],
                    notify.Kind.OVERDUE,
                    _officer_text(own),
                    reverse("home"),
                    key=f"overdue:{day.isoformat()}",
                    district=district.pk,
                )
            )
        heads = Officer.objects.filter(district=district, role=Role.HEAD, is_active=True)
        made += len(
            notify.send(
                heads,
                notify.Kind.OVERDUE,
                _head_text(late),
                reverse("district_detail", args=[district.pk]),
                key=f"overdue:{day.isoformat()}",
                district=district.pk,
            )
        )
    return made
