"""A session ends SESSION_IDLE_MINUTES after its last use, and a session in use is written at most once a minute
(issue 18: saving it on every request wrote to the session table for every page anyone opened)."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def session_writes(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("start"))
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith('UPDATE "django_session"')]


def test_a_session_in_use_is_written_once_a_minute(client, db):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(UserFactory())
        client.get(reverse("start"))
        expires = Session.objects.get().expire_date

        traveller.shift(timedelta(seconds=30))
        assert session_writes(client) == []

        traveller.shift(timedelta(seconds=31))
        assert len(session_writes(client)) == 1
        assert Session.objects.get().expire_date == expires + timedelta(seconds=61)


def test_use_keeps_a_session_alive_and_idleness_ends_it(client, db):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(UserFactory())
        client.get(reverse("start"))
        # Used again before it ends, twice: it lives on past the first end.
        for _ in range(2):
            traveller.shift(idle - timedelta(minutes=1))
            assert client.get(reverse("start")).status_code == 200

        traveller.shift(idle + timedelta(seconds=1))
        response = client.get(reverse("start"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_visitor_gets_no_session(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("start")).status_code == 302
    assert not Session.objects.exists()
