"""The navigation bar: each role's daily work, one line at 1280 px (tests/browser)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from districts.models import Role, is_auditor

register = template.Library()


def _items(user):
    """(label, address) of the pages a user's day is made of: from the officer profile the
    page has loaded already, so the menu costs no query."""
    if not user.is_authenticated:
        return []
    items = [(_("Home"), reverse("home"))]
    if user.is_superuser:  # everything; no officer profile to look up (no query)
        return [
            *items,
            (_("Country"), reverse("country")),
            (_("Sages"), reverse("people:sage_list")),
            (_("Import"), reverse("imports:import_home")),
            (_("Administration"), reverse("admin:index")),
            (_("Audit log"), reverse("audit_log")),
        ]
    officer = user.officer_or_none
    role = officer.role if officer and officer.is_active else None
    if role == Role.HEAD:
        code = officer.district_id
        items += [
            (_("Assign villages"), reverse("assignments:board", args=[code])),
            (_("Awaiting advice"), reverse("fieldwork:visit_list", args=[code]) + "?advice=none"),
            (_("Visits"), reverse("fieldwork:visit_list", args=[code])),
            (_("Orders"), reverse("assignments:orders", args=[code])),
            (_("Officers' work"), reverse("evaluations:officer_work", args=[code])),
            (_("Households"), reverse("fieldwork:household_list", args=[code])),
            (_("Sage network"), reverse("people:network", args=[code])),
            (_("Sages"), reverse("people:sage_list")),
        ]
    elif role == Role.OFFICER:
        code = officer.district_id
        # no "log a visit": the home page offers it per village, and only when there is one
        items += [
            (_("Visits"), reverse("fieldwork:visit_list", args=[code])),
            (_("Households"), reverse("fieldwork:household_list", args=[code])),
            (_("Sage network"), reverse("people:network", args=[code])),
            (_("Sages"), reverse("people:sage_list")),
        ]
    elif role == Role.PROVINCE:
        code = officer.province_id
        items += [
            (_("Sage networks"), reverse("people:province_networks", args=[code])),
            (_("Sages"), reverse("people:sage_list")),
            (_("Import"), reverse("imports:import_home")),
        ]
    elif role == Role.DEPARTMENT:  # the country to read, nothing to change
        items += [
            (_("Country"), reverse("country")),
            (_("National extracts"), reverse("evaluations:extracts")),
            (_("Sages"), reverse("people:sage_list")),
        ]
    elif role == Role.SUPPORT:
        items += [(_("User accounts"), reverse("admin:districts_user_changelist"))]
    if is_auditor(user):
        items.append((_("Audit log"), reverse("audit_log")))
    return items


@register.inclusion_tag("_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    here = request.get_full_path()
    items = _items(context["user"])
    # the item whose address is the longest start of this page's is the current one
    current = max(
        (a for _label, a in items if here == a or (a != "/" and here.startswith(a.split("?")[0]))),
        key=len,
        default=None,
    )
    return {"items": [(label, address, address == current) for label, address in items]}


@register.filter
def field_app(user) -> bool:
    """Whether the page is a field officer's, who gets the installable app (manifest,
    service worker, outbox): the people who log visits from a phone."""
    if not user.is_authenticated or user.is_superuser:  # no query for the admin's pages
        return False
    officer = user.officer_or_none
    return officer is not None and officer.is_active and officer.role == Role.OFFICER
