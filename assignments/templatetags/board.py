"""The assignment board's per-row officer choices.

The largest district's board has 13 officers in each of its 101 rows: written as a template
loop, those 1,313 ``<option>`` elements were over half of the page's time. Each officer's two
options (chosen or not) are escaped once per page here, and each row only joins them.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def officer_options(officers, chosen):
    """``{% officer_options active_officers t.officer_id %}``: an ``<option>`` per officer
    (``BoardOfficer.options``, escaped once per page), the one whose pk is ``chosen``
    selected."""
    # safe: every piece was escaped by format_html in BoardOfficer.options
    return mark_safe("".join(o.options[o.pk == chosen] for o in officers))  # noqa: S308
