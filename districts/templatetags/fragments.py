"""Forms in a kept body (districts/fragments.py) whose CSRF token is rendered live.

A kept body is the same bytes for every session, so a form in it holds no token. It names
itself instead::

    <form method="post" {% form_id "assign" t.pk %} ...>

and the page renders, live, beside the body::

    {% form_tokens body.forms %}

one ``<input type="hidden" name="csrfmiddlewaretoken" form="assign-12">`` per form: HTML
submits a control with a ``form`` attribute with the form of that id, wherever it stands
(htmx too: it reads the form's ``FormData``).
"""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html, format_html_join

from districts.fragments import FORM_IDS

register = template.Library()


@register.simple_tag(takes_context=True)
def form_id(context, *parts):
    """``id="assign-12"``, remembered for the page's ``{% form_tokens %}``."""
    value = "-".join(str(p) for p in parts)
    ids = context.get(FORM_IDS)
    if ids is None:
        raise template.TemplateSyntaxError(
            "{% form_id %} outside a body rendered by districts.fragments.render_with_forms"
        )
    ids.append(value)
    return format_html('id="{}"', value)


@register.simple_tag(takes_context=True)
def form_tokens(context, forms):
    """This response's CSRF token (the one ``{% csrf_token %}`` writes), once for each form id
    of ``forms``."""
    token = context.get("csrf_token") or get_token(context["request"])
    return format_html_join(
        "",
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}" form="{}">',
        ((token, f) for f in forms),
    )
