import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import gettext as _

from assignments.years import remember_pick
from districts.access import referring_page

REFRESH_EVERY = 5 * 60  # seconds


def client_address(request) -> str | None:
    """The address of the person sending the request, for django-axes' lockouts.

    Behind ``PROXY_COUNT`` proxies, REMOTE_ADDR is the nearest proxy's: the lockout would then
    take everyone for one person and lock a username for the whole office after five typos
    by anyone. Each proxy appends the address it received from to X-Forwarded-For, so the
    client is the PROXY_COUNT-th entry from the right; entries further left are whatever the
    client chose to send and are never trusted. A request with fewer entries did not come
    through the proxies and is known by its REMOTE_ADDR.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


# The field visit form reads the phone's position and may take a photo; nothing else the
# portal does needs a browser feature, and no other site framed in it may ask for one.
PERMISSIONS_POLICY = ", ".join(
    [
        "geolocation=(self)",
        "camera=(self)",
        "microphone=()",
        "payment=()",
        "usb=()",
        "display-capture=()",
    ]
)


REQUEST_LOG = logging.getLogger("sammachip.requests")
# An id the load balancer gave the request (X-Request-ID) is kept if it looks like one
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Each request gets an id (the balancer's X-Request-ID, or a new one), sent back in the
    response's X-Request-ID so a person's report can be found in the log; with
    ``LOG_FORMAT=json`` one line a request: id, user id, method, path, status, duration.
    First in MIDDLEWARE, so the duration is the whole of the app's work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if REQUEST_LOG.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            REQUEST_LOG.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request.request_id,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response


class RefuseNulMiddleware:
    """A NUL character in the address or a form is no typing: PostgreSQL refuses it in any
    text it is given (a search, a filter), which was a server error. Refused here, once, as
    a bad request (the 400 page, in Thai), before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for data in (
                (request.GET, request.POST) if request.method == "POST" else (request.GET,)
            )
            for key, values in data.lists()
        ):
            raise SuspiciousOperation("a NUL character in the request")
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Nothing a logged-in person is shown is kept by a browser or a proxy on its way.

    Households, incomes and merit ratings are personal data: a page or an export left in the
    cache of a shared office computer could be read from its history after logout. A response
    that sets its own Cache-Control (a photo, kept a day in that browser only) keeps it;
    static files are answered by WhiteNoise before this runs, with their own far-future one.
    Every response carries the Permissions-Policy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class LanguageMiddleware:
    """Thai for everyone, whatever language the browser or phone is set to; English only for
    whoever chose it with the portal's language switch.

    Django's LocaleMiddleware follows Accept-Language, so an officer whose phone is set to
    English got an English portal they never asked for. Here the choice is the account's
    (``User.language``, saved by ``views.set_language``) once logged in, so it follows the
    person to another browser; before login it is the language cookie the switch sets; else
    Thai. A logged-in person's choice is written to the cookie too, so the login page after
    logging out speaks their language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = dict(settings.LANGUAGES)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        chosen = user.language if user is not None and user.is_authenticated else ""
        language = next(
            (code for code in (chosen, cookie) if code in supported), settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if chosen in supported and cookie != chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


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


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's, for a form sent after the session ended (a visit typed for two hours).

    Django sends the login page ``next`` = the address the form was posted to, which a GET
    after logging in cannot open (a 405 on the POST-only ones) and which says nothing of what
    was lost. Here a POST is told it was not saved, and ``next`` is the page the form was on
    (its same-site Referer), where the browser's Back button still holds what was typed. The
    board's htmx requests are sent to the login page whole, not swapped into the board.
    """

    def handle_no_permission(self, request, view_func):
        if request.method in ("GET", "HEAD"):
            return super().handle_no_permission(request, view_func)
        messages.warning(
            request,
            _(
                "You were logged out after a long time without using the portal, so what "
                "you sent was not saved. Log in again, then send it again."
            ),
        )
        login_url = resolve_url(self.get_login_url(view_func))
        page = referring_page(request, settings.LOGIN_REDIRECT_URL)
        response = redirect_to_login(page, login_url, self.get_redirect_field_name(view_func))
        if request.headers.get("HX-Request"):
            htmx = HttpResponse(status=204)
            htmx["HX-Redirect"] = response["Location"]
            return htmx
        return response


class YearPickMiddleware:
    """The fiscal year a page's year picker sent is kept for the session (assignments.years),
    before the view: whether the page is rendered or its body comes from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remember_pick(request)
        return self.get_response(request)
