"""Single objects for a user: 404 when out of scope, 403 when visible but not theirs to change;
the page a request came from, if it is this site's."""

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

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


def referring_page(request, default: str) -> str:
    """The path of the page a form was sent from (htmx's current page, else the Referer) if it
    is on this site; else ``default`` (a URL name or path)."""
    referer = request.headers.get("HX-Current-URL") or request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return resolve_url(default)
