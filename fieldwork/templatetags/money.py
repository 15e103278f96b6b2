"""Money on the budget pages: baht with satang, as finance offices write it."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from districts.lib import thai

register = template.Library()


@register.filter
def satang(value):
    """1234567.5 -> '1,234,567.50'; nothing is ''."""
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def bar(value, scale: int = 100):
    """A share in per cent as a bar's length on a 0-``scale`` axis (at most the axis)."""
    if value in (None, ""):
        return 0
    return max(0, min(float(value), 100)) * scale / 100


@register.filter
def bemonth(value):
    """A month in the Buddhist era: 'ต.ค. 2559' (Thai), 'Oct 2559 BE' (English)."""
    if not value:
        return ""
    text = thai.format_date(value, lang=get_language() or "th")
    return text.split(" ", 1)[1]


@register.filter
def mul40(value):
    return int(value) * 40
