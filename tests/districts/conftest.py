"""The LINE stand-in for the notification tests."""

from tests.line_standin import line_api  # noqa: F401
