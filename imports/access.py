"""Who may import, and the batches a user may see: the system admin anywhere, provincial
staff for their province; a batch is its uploader's (and the admin's)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from districts.access import id_or_404
from districts.models import scope_of
from imports.models import ImportBatch


def importer_province(user) -> str | None:
    """The province a user may import for; None for the system admin (anywhere)."""
    scope = scope_of(user)
    if scope.admin:
        return None
    if scope.province_id and not scope.district_id:
        return scope.province_id
    raise PermissionDenied


def get_batch_for_user(user, pk) -> ImportBatch:
    importer_province(user)
    return get_object_or_404(ImportBatch.objects.visible_to(user), pk=id_or_404(pk))
