"""The health check for a load balancer (`/gezond/`): does this web server reach the database, the broker and the
file storage? 200 when all three answer, 503 when one does not, so the balancer stops sending requests here.

Public and cheap: no session, no template, each check bounded by a short time-out. It names what failed, never why
(a host name or an error message is for the log, not for whoever asks).
"""

import logging

from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .celery import app

logger = logging.getLogger(__name__)

# The storage is asked whether this name exists: a stat on the disk, a HEAD request to an object store.
PROBE = "gezondheid/probe"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker():
    # Opening a channel talks to the broker (kombu's Redis channel pings); the time-outs are the settings' (a few
    # seconds against a broker that takes the connection and never answers).
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        broker.default_channel  # noqa: B018


def _storage():
    default_storage.exists(PROBE)


CHECKS = {"database": _database, "broker": _broker, "storage": _storage}


@never_cache
@require_safe
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = "fout"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "fout", "checks": results}, status=200 if healthy else 503)
