"""A visit sent from outside the visit form's page: the phone's outbox (``views.visit_sync``)
and the REST API (``sammachip.api``) both come in here, to the visit form's validation, its
one-time token and ``services.visit_log``, so neither has rules of its own."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _

from assignments.models import TargetVillage
from districts.access import parse_id
from fieldwork import access, services
from fieldwork.access import loggable_targets
from fieldwork.forms import VisitForm
from fieldwork.models import FieldVisit


@dataclass
class Submission:
    """What became of a sent visit: saved now, saved before (``repeated``), or refused with
    ``reason()``, a text in the active language (called once per language wanted)."""

    visit: FieldVisit | None = None
    repeated: bool = False
    reason: Callable[[], str] | None = None


def submit_visit(user, data, files=None, *, change_reason: str = "") -> Submission:
    """``data``: the visit form's fields (strings from a form, or values). ``change_reason``
    goes into the visit's history (who sent it, e.g. an API token's name)."""
    officer = user.officer_or_none
    try:
        submission = uuid.UUID(str(data.get("submission") or ""))
    except ValueError:
        submission = None
    if submission is None:
        return Submission(
            reason=lambda: _("The visit has no one-time token; save it again on the visit form.")
        )
    # Already here (the answer to an earlier send was lost on the way back): say so before
    # anything else, even if the village has been given to someone else since.
    saved = FieldVisit.objects.filter(submission=submission, officer=officer).first()
    if saved is not None:
        return Submission(visit=saved, repeated=True)
    targets = loggable_targets(user)
    target = parse_id(data.get("target"))
    if target is None or not targets.filter(pk=target).exists():
        visible = bool(target and TargetVillage.objects.visible_to(user).filter(pk=target).exists())
        return Submission(
            reason=lambda: (
                _(
                    "This village is no longer yours to log: the district head has given it "
                    "to another officer. Ask the district head, or delete this visit."
                )
                if visible
                else _("This village is not one you may log a visit to.")
            )
        )
    form = VisitForm(
        data, files, targets=targets, followups=access.followup_targets(user), officer=officer
    )
    if not form.is_valid():
        language = translation.get_language()

        def reason() -> str:
            # the model's rules word their messages as they run: in another language (the
            # API answers in Thai and in English) they run again, without the files
            checked = form
            if translation.get_language() != language:
                checked = VisitForm(
                    data, targets=targets, followups=access.followup_targets(user), officer=officer
                )
                checked.is_valid()
            return " ".join(
                f"{checked.fields[name].label}: {' '.join(errors)}"
                if name in checked.fields
                else " ".join(errors)
                for name, errors in checked.errors.items()
            )

        return Submission(reason=reason)
    values = dict(form.cleaned_data)
    values.pop("keep_location")
    try:
        logged = services.visit_log(user=user, change_reason=change_reason, **values)
    except IntegrityError:
        # two sends of one visit that met in the database: the other one saved it
        saved = FieldVisit.objects.filter(submission=submission, officer=officer).first()
        if saved is None:
            raise
        return Submission(visit=saved, repeated=True)
    return Submission(visit=logged.visit, repeated=logged.repeated)
