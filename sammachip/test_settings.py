"""Settings for the test suite: the real ones, with what tests need changed and why."""

from sammachip.settings import *  # noqa: F403
from sammachip.settings import STORAGES

# Hashed static names need `collectstatic` and are not found by the live server's finder.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# PBKDF2's deliberate slowness is for attackers, not for the test suite.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Background tasks run at once, inside the test, so their effects can be asserted.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
