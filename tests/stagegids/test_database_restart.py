"""The first request after a database restart gets its page, not the error page: a kept connection is tested before
a request uses it (CONN_HEALTH_CHECKS in stagegids/settings.py). Django's test client switches that check off for its
requests, so this sends the request signals itself, as the WSGI handler does, around a connection killed as a
restart kills it (issue 13, README "Wat er gebeurt als…")."""

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connection, connections

from stagegids.models import User

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL connection")


def restart_kills(pid):
    """Terminate the backend `pid` from a connection of its own, as a database restart ends every session."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]
    finally:
        other.close()


def test_a_killed_connection_is_replaced_at_the_next_request(transactional_db):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0, "a connection is kept between requests"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    request_started.send(sender=None)
    User.objects.exists()
    request_finished.send(sender=None)
    pid = connection.connection.info.backend_pid

    restart_kills(pid)

    request_started.send(sender=None)
    assert User.objects.exists() is False, "the query of the next request is answered"
    request_finished.send(sender=None)
    assert connection.connection.info.backend_pid != pid
