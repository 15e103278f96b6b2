"""Template filters for Thai conventions, loaded as builtins in every template."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from districts.lib import thai

register = template.Library()


@register.filter(expects_localtime=True)
def bedate(value, style: str = "short"):
    """A date in the Buddhist era: ``{{ visit.date|bedate }}`` -> '27 พ.ค. 2560'. A moment
    (a datetime) is dated in Bangkok, not in UTC: 20:15 UTC is the next day there."""
    return thai.format_date(value, lang=get_language() or "th", long=style == "long")


@register.filter
def bemonth(value):
    """A month in the Buddhist era: ``{{ day|bemonth }}`` -> 'พฤษภาคม 2560'."""
    return thai.format_month(value, lang=get_language() or "th")


@register.simple_tag
def now_be():
    """Today as a date field shows it (15/06/2560): a page kept on a phone knows the day it
    was made on, and moves a date left at it to the phone's today."""
    return thai.format_be_input(timezone.localdate())


@register.filter
def fiscalyear(value):
    """``{{ 2560|fiscalyear }}`` -> 'ปีงบประมาณ 2560'."""
    year = getattr(value, "year", value)
    return gettext("Fiscal year %(year)s") % {"year": year}


@register.filter
def baht(value):
    """Whole baht with thousands separators: 1234567.5 -> '1,234,568'."""
    if value in (None, ""):
        return ""
    return thai.format_baht(value)


@register.filter
def pct(value):
    """A share in per cent, or "—" when there is nothing to take a share of (None)."""
    return "—" if value is None else f"{value}%"


@register.filter
def num(value):
    """A count with thousands separators, as Thai offices write them: 10576 -> '10,576';
    0 is 0, nothing is "—". Plain formatting: no locale lookup per number (a 77-row
    dashboard has 800 of them)."""
    if value in (None, ""):
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def count_for(counts, key):
    """``{{ stages|count_for:s.order }}``: a count kept by key (as text or not), 0 if none."""
    if not counts:
        return 0
    return counts.get(str(key), counts.get(key, 0))


@register.filter
def person(name):
    """A person's name kept on one line: the browser's dictionary would split it inside
    (นาย|สมชาย, อุดม|ศักดิ์), and a name is read whole."""
    if not name:
        return ""
    return format_html('<span class="name">{}</span>', name)


@register.filter
def person_wraps(name):
    """A person's name in a narrow column: each part (นายสมชาย, ใจดี) kept whole, the line
    free to break between the given name and the surname only."""
    if not name:
        return ""
    return format_html_join(" ", '<span class="name">{}</span>', ((part,) for part in name.split()))
