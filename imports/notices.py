"""The uploader is told when the worker has finished with their file (a short file is
checked and applied in their request, where they see it at once)."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from districts import notify
from imports.models import ImportBatch, ImportStatus


def batch_done(batch: ImportBatch) -> None:
    if batch.uploaded_by_id is None:
        return
    if batch.status == ImportStatus.REFUSED:
        text = _("Your import {name} was refused: open it to see why.")
    elif batch.status == ImportStatus.APPLIED:
        text = _("Your import {name} is applied.")
    elif batch.status == ImportStatus.PREVIEW:
        text = _("Your import {name} is checked: open it to confirm.")
    else:
        return
    notify.send(
        [batch.uploaded_by],
        notify.Kind.IMPORT,
        format_lazy(text, name=batch.filename),
        reverse("imports:import_preview", args=[batch.pk]),
        key=f"import:{batch.pk}:{batch.status}",
    )
