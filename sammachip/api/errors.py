"""The API's errors: JSON, in Thai and in English, whatever went wrong.

``{"detail": <in the caller's language>, "detail_th": ..., "detail_en": ..., "code": ...}``
and, for a refused input, ``"errors": {field: [messages]}`` in the caller's language."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

# each DRF exception's message, ours so that it has a Thai and an English text
MESSAGES = {
    exceptions.AuthenticationFailed: _(
        "The token is not valid: unknown, revoked, expired or malformed."
    ),
    exceptions.NotAuthenticated: _(
        "Log in, or send a personal access token: Authorization: Bearer <token>."
    ),
    exceptions.PermissionDenied: _("You may not do this."),
    exceptions.NotFound: _("Not found, or not yours to see."),
    exceptions.MethodNotAllowed: _("This address does not take that method."),
    exceptions.NotAcceptable: _("The API answers in JSON only."),
    exceptions.UnsupportedMediaType: _("Send JSON or form data."),
    exceptions.ParseError: _("What was sent could not be read."),
    exceptions.ValidationError: _("Some of what was sent is not valid: see errors."),
}


def both(message) -> dict:
    """A message (lazy, or a function of no argument) in Thai and English, and in the
    caller's language."""
    text = message if callable(message) else (lambda: str(message))
    with translation.override("th"):
        th = text()
    with translation.override("en"):
        en = text()
    return {"detail": text(), "detail_th": th, "detail_en": en}


def handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's own 500 (logged), never hidden
    message = next(
        (m for kind, m in MESSAGES.items() if isinstance(exc, kind)),
        None,
    )
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 0)
        message = lambda: str(  # noqa: E731
            _("Too many requests with this token: try again in %(seconds)d seconds.")
            % {"seconds": wait}
        )
    elif message is None:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
    body = {**both(message), "code": code}
    if isinstance(exc, exceptions.ValidationError):
        body["errors"] = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
    response.data = body
    return response


def refused(message, status=422, code="refused") -> Response:
    """A write the programme's rules refused (the visit form's reason)."""
    return Response({**both(message), "code": code}, status=status)
