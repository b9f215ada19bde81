"""The health check a load balancer asks (`/gezond/`, issue 18): 200 while the database, the broker and the file
storage answer, 503 naming the one that does not, within seconds, without a session and without a 500."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from stagegids import health
from tests.stagegids.test_broker_unreachable import AT_MOST_SECONDS, silent_broker  # noqa: F401


def test_all_three_answer(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "storage": "ok"}}
    assert "Set-Cookie" not in response.headers, "a load balancer's request makes no session"
    assert "no-cache" in response.headers["Cache-Control"]


def test_only_get_and_head(client, db):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


def test_a_database_that_is_gone_is_a_503_that_names_it(client, db, monkeypatch, caplog):
    def gone():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM a_table_that_is_not_there")

    monkeypatch.setitem(health.CHECKS, "database", gone)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "fout", "broker": "ok", "storage": "ok"}
    assert "a_table_that_is_not_there" not in response.content.decode(), "why is for the log"
    assert "health check database failed" in caplog.text


def test_a_storage_that_refuses_is_a_503(client, db, monkeypatch, settings, tmp_path):
    def refused(name):
        raise PermissionError(name)

    monkeypatch.setattr("django.core.files.storage.default_storage.exists", refused)
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["checks"]["storage"] == "fout"


@pytest.mark.usefixtures("silent_broker")
def test_a_broker_that_never_answers_is_a_503_within_seconds(client, db):
    started = time.monotonic()
    response = client.get(reverse("health"))
    assert time.monotonic() - started < AT_MOST_SECONDS
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "fout", "storage": "ok"}


def test_not_redirected_to_https(client, db, settings):
    """The balancer asks over plain HTTP inside the network; production redirects everything else to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301
