"""Callers of the API: each persona of tests/conftest.py with a personal access token."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from districts.services import token_create


@pytest.fixture
def api():
    return APIClient()


def new_token(user, name="system", expires_at=None) -> str:
    return token_create(user=getattr(user, "user", user), name=name, expires_at=expires_at).key


@pytest.fixture
def token_for():
    """``token_for(user_or_officer)``: a fresh key, good for a day."""

    def make(who, name="system"):
        return new_token(who, name, timezone.now() + dt.timedelta(days=1))

    return make


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
