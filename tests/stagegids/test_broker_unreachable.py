"""A broker that takes the connection and never answers (a Redis that hangs; a host that drops packets behaves the
same to the publisher, with the connect time-out instead of the read time-out): the request that asked for a mail
waits a few seconds, not minutes, succeeds and says the mail follows; the row stays pending and beat sends it once
the broker is back (issue 13)."""

import socket
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from stagegids import outbox
from stagegids.celery import app
from stagegids.models import OutgoingMail, OutgoingMailStatus
from stagegids.roles import Role
from tests.test_worker import forget_connections

# The settings allow about 5 s (stagegids/settings.py); a publish without them waited minutes.
AT_MOST_SECONDS = 10


@pytest.fixture
def silent_broker(monkeypatch):
    """A Redis address whose server accepts connections (the kernel does, from the backlog) and never answers.
    Celery reads CELERY_BROKER_URL from the environment before its own configuration: CI sets it to the real Redis."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(
        broker_url=f"redis://127.0.0.1:{server.getsockname()[1]}/0",
        task_always_eager=False,
        broker_transport_options=settings.REDIS_BROKER_TRANSPORT_OPTIONS,
    )
    forget_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        forget_connections()
        server.close()


def test_the_settings_bound_a_publish_to_a_broker_that_does_not_answer():
    assert app.conf.broker_connection_timeout == 2
    assert app.conf.task_publish_retry_policy["max_retries"] == 1
    options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    assert options["socket_connect_timeout"] and options["socket_timeout"] > 1, "above kombu's 1 s BRPOP"


def test_an_invitation_with_a_silent_broker_waits_seconds_and_beat_sends_it_later(
    client, world, silent_broker, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("leerbedrijf:invite", args=[world.a.pk]),
            {"name": "Fleur Fitter", "email": "fleur@example.nl", "role": Role.WERKPLEKBEGELEIDER},
            follow=True,
        )
    took = time.monotonic() - started
    assert took < AT_MOST_SECONDS, f"the request waited {took:.1f} s on the broker"
    assert "De uitnodiging wordt verstuurd naar fleur@example.nl." in response.text
    row = OutgoingMail.objects.get()
    assert (row.status, row.enqueued_at) == (OutgoingMailStatus.PENDING, None), "unstamped: the next beat takes it"
    assert mail.outbox == []

    # The broker is back (here: the task runs at once, as the eager tests do).
    back = mock.patch.object(outbox.send_queued_mail, "delay", side_effect=lambda **kw: outbox.deliver(**kw))
    with back, django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend() == 1  # what beat does
    assert [m.to for m in mail.outbox] == [["fleur@example.nl"]]
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT
