"""End to end: a moment is saved (or an invitation made), a real Celery worker consuming from Redis sends, and the
mail arrives.

The worker runs in a thread of this process (celery.contrib.testing), so it shares the test database and the
locmem outbox; the broker is real. CELERY_BROKER_URL from the environment when it is redis:// (CI), else Redis db 5
on this machine. Without Redis the test is skipped on a laptop but fails under CI=true.
"""

import os
import time
import uuid
from datetime import date, timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from leerbedrijf.models import Stage
from stagegids.celery import app
from stagegids.models import OutgoingMail, OutgoingMailStatus, Reminder, ReminderStatus
from stagegids.roles import Role
from stagegids.tasks import scan_reminders
from stageplan.models import MomentKind
from tests.factories import MomentFactory

pytestmark = pytest.mark.worker


def redis_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis://") else "redis://127.0.0.1:6379/5"


@pytest.fixture
def worker():
    url = redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {url} does not answer: CI must run the worker test")
        pytest.skip(f"Redis at {url} does not answer")
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    # A queue of its own, so messages left by an earlier run on the same Redis db are not consumed.
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=f"test-{uuid.uuid4().hex}")
    forget_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        forget_connections()


def forget_connections():
    """Drop the app's connection pools and queues, which were made for the broker and queue of before (a second
    worker test would otherwise send to the first one's queue)."""
    app._pool = None
    app.__dict__.pop("amqp", None)


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_saved_gesprek_is_sent_by_the_worker(transactional_db, world, worker):
    mail.outbox.clear()
    Stage.objects.update(start_date=date.today() - timedelta(days=5))  # no stageplan reminder in between
    # A gesprek with the school, so every role gets the reminder (and there is no beoordeling to start).
    MomentFactory(stage=world.stage, kind=MomentKind.MIDDENGESPREK)

    scan_reminders.delay()  # what beat does

    expected = {world.opleider.email, world.wpb.email, world.stagiair.email, world.mbo.email}
    assert wait_for(lambda: len(mail.outbox) >= len(expected)), [m.to for m in mail.outbox]
    assert {message.to[0] for message in mail.outbox} == expected
    assert all(message.attachments for message in mail.outbox)
    assert wait_for(lambda: not Reminder.objects.exclude(status=ReminderStatus.SENT).exists())
    scan_reminders.delay()  # beat again: nothing new
    time.sleep(1)
    assert len(mail.outbox) == len(expected)


def test_an_invitation_mail_is_sent_by_the_worker_after_the_request(transactional_db, world, worker, client):
    mail.outbox.clear()
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:invite", args=[world.a.pk]),
        {"name": "Fleur Fitter", "email": "fleur@example.nl", "role": Role.WERKPLEKBEGELEIDER},
    )
    assert response.status_code == 302
    assert wait_for(lambda: OutgoingMail.objects.filter(status=OutgoingMailStatus.SENT).exists())
    assert [message.to for message in mail.outbox] == [["fleur@example.nl"]]
    assert OutgoingMail.objects.get().context == {}
