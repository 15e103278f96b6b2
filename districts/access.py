"""Single objects for a user: 404 when out of scope, 403 when visible but not theirs to change."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from districts.models import District, Province, can_manage_district


def get_district_for_user(user, code: str, *, write: bool = False) -> District:
    district = get_object_or_404(
        District.objects.visible_to(user).select_related("province"), pk=code
    )
    if write and not can_manage_district(user, district.pk):
        raise PermissionDenied
    return district


def get_province_for_user(user, code: str) -> Province:
    return get_object_or_404(Province.objects.visible_to(user), pk=code)
