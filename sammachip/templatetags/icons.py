"""``{% icon "journal-plus" %}``: an icon of the portal's sprite (sammachip/icons.py)."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str):
    """Decorative: the text beside it (or a visually hidden label) says what it means."""
    return format_html(
        '<svg class="bi" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("icons.svg"),
        name,
    )
