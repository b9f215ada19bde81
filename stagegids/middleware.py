"""The portal's own middleware: an error answer to an htmx request shows its Dutch message, one log line a
request, a session kept alive while it is used, and the logged-in user read at once.

htmx swaps nothing of a 4xx or 5xx answer by default, so a click whose answer was "geen toegang" or "niet gevonden"
seemed to do nothing. The page's htmx config (base.html) lets such answers swap, and HtmxErrorMiddleware sends them
to the page's message area (#htmx-fout), with only the message of the error page (#foutmelding): never into the
element that asked, which would hold a whole page then.
"""

import logging
import time
from contextlib import ExitStack

from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.dispatch import receiver

request_log = logging.getLogger("stagegids.requests")

# A session in use is renewed (its expiry moved SESSION_COOKIE_AGE ahead) at most this often, in seconds.
SESSION_RENEW_SECONDS = 60
SESSION_RENEWED = "_stagegids_renewed"

ERROR_TARGET = "#htmx-fout"
ERROR_MESSAGE = "#foutmelding"


class HtmxErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The header itself, as django-htmx reads it: this middleware runs before django-htmx's sets request.htmx.
        if response.status_code >= 400 and request.headers.get("HX-Request") == "true":
            response["HX-Retarget"] = ERROR_TARGET
            response["HX-Reswap"] = "innerHTML show:top"
            response["HX-Reselect"] = ERROR_MESSAGE
        return response


class RequestLogMiddleware:
    """One log line a request (`stagegids.requests`, INFO): the URL pattern it matched (never the path itself, which
    can hold a single-use token), the view, the status, the time in milliseconds and the number of queries. With
    STAGEGIDS_LOG_FORMAT=json each line is one JSON object with these as fields. Nothing is counted while the logger
    is off (the tests)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_log.isEnabledFor(logging.INFO):
            return self.get_response(request)
        queries = _QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for database in connections.all():
                stack.enter_context(database.execute_wrapper(queries))
            response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        match = request.resolver_match
        route = f"/{match.route}" if match else "-"
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s %.1f ms %d queries",
            request.method,
            route,
            response.status_code,
            duration_ms,
            queries.count,
            extra={
                "method": request.method,
                "route": route,
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "queries": queries.count,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with request.user the user itself instead of a lazy wrapper round it. Every request reads it anyway
    (the middleware after it asks is_authenticated), and every attribute read through the wrapper raised and caught
    an AttributeError: a list asking a rule of each row read it a thousand times a page (bench/README.md)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = auth_middleware.get_user(request)


class SessionRenewalMiddleware:
    """A session ends SESSION_IDLE_MINUTES after its last use: each request renews it, but writes it at most once a
    minute (SESSION_RENEW_SECONDS). Saving it on every request (SESSION_SAVE_EVERY_REQUEST) wrote to the session
    table for every page anyone opened, the bare logged-in view included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Reading it first drops an unknown or expired key; a visitor without a session gets none, and the session a
        # logout flushed stays gone.
        renewed = session.get(SESSION_RENEWED, 0)
        now = int(time.time())
        if session.session_key is not None and now - renewed >= SESSION_RENEW_SECONDS:
            session[SESSION_RENEWED] = now
        return response


@receiver(user_logged_in, dispatch_uid="stagegids.session_renewed")
def renewed_at_login(sender, request, user, **kwargs):
    # A login saves the session: the pages right after it need not write it again.
    request.session[SESSION_RENEWED] = int(time.time())
