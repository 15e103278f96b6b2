import time

from django.conf import settings

REFRESH_EVERY = 5 * 60  # seconds


class SlidingSessionMiddleware:
    """Log people out after SESSION_COOKIE_AGE without a request, not after a fixed time.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request (three
    queries); touching it at most every five minutes gives the same inactivity timeout to
    within five minutes for a fraction of the writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_touched", 0) > min(REFRESH_EVERY, settings.SESSION_COOKIE_AGE):
                session["_touched"] = now  # modified: saved with a fresh expiry
        return self.get_response(request)
