"""Single objects for a user: 404 when out of scope, 403 when visible but not theirs to change;
the page a request came from, if it is this site's."""

from urllib.parse import urlsplit

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from districts.models import District, Officer, Province, Role, Village, can_manage_district

# The largest id a 64-bit key holds: a larger number is no record's, and the database would
# refuse it (an overflow, a server error) instead of finding nothing.
MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """A record id from an address or a form (ASCII digits, 1 to ``MAX_ID``), else None."""
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdecimal()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def id_or_404(raw) -> int:
    """The id an address names: a malformed or overflowing one names nothing there is."""
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value


def posted_id(raw) -> int | None:
    """The id a form sent: None when none was sent, 400 when what was sent is not one (no
    page of ours sends it: a crafted or broken request)."""
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise BadRequest("not a record id")
    return value


def _code_or_404(code: str) -> str:
    """Place codes are digits (Interior-ministry codes); anything else names no place (and
    a NUL byte would be refused by PostgreSQL with an error, not a miss)."""
    if not (code.isascii() and code.isdecimal()):
        raise Http404
    return code


def get_district_for_user(user, code: str, *, write: bool = False) -> District:
    _code_or_404(code)
    district = get_object_or_404(
        District.objects.visible_to(user).select_related("province"), pk=code
    )
    if write and not can_manage_district(user, district.pk):
        raise PermissionDenied
    return district


def get_province_for_user(user, code: str) -> Province:
    return get_object_or_404(Province.objects.visible_to(user), pk=_code_or_404(code))


def referring_page(request, default: str) -> str:
    """The path of the page a form was sent from (htmx's current page, else the Referer) if it
    is on this site; else ``default`` (a URL name or path)."""
    referer = request.headers.get("HX-Current-URL") or request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        # the path alone is checked again: https://site//evil.example/x is this site's
        # address, but its path "//evil.example/x" is another site's to a browser
        if url_has_allowed_host_and_scheme(
            page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ) and not page.startswith(("//", "/\\")):
            return page
    return resolve_url(default)


def active_field_officer(user) -> Officer | None:
    """The user's officer profile if they are an active field officer, else None."""
    officer = user.officer_or_none if user.is_authenticated else None
    if officer and officer.is_active and officer.role == Role.OFFICER:
        return officer
    return None


def worked_villages(officer: Officer) -> models.QuerySet:
    """Villages an officer works: their own tambons and the target villages assigned to them.

    The assignments are reached through the reverse relation ``assignments`` that the
    programme year's VillageAssignment gives an officer: a query by name, not an import of a
    higher app (docs/architecture.md)."""
    assigned = officer.assignments.filter(ended_at__isnull=True).values("target__village_id")
    tambons = officer.tambon_responsibilities.current().values("tambon_id")
    return Village.objects.filter(Q(code__in=assigned) | Q(tambon_id__in=tambons))
