"""Who calls the API: a personal access token (``Authorization: Bearer sc_…``), or the
portal's own session (with its CSRF check on writes); and how often (per token)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from districts.models import ApiToken
from districts.services import token_hash

# last_used_at is written at most this often per token: not a write on every request
LAST_USED_EVERY = dt.timedelta(minutes=1)


class TokenAuthentication(BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The token is missing or malformed."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is missing or malformed.")) from None
        token = (
            ApiToken.objects.select_related("user__officer")
            .filter(key_hash=token_hash(key))
            .first()
        )
        if token is None or not token.is_live or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def token_of(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (``REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['api']``): a system
    with two tokens has two allowances; the portal's session counts per user."""

    scope = "api"

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's name for the token: a bearer token."""

    target_class = "sammachip.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Personal access token."}
