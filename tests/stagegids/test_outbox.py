"""The outbox: a request writes the mail, a worker sends it after commit, once, and nothing is lost on the way."""

import json
import re
import smtplib
import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from leerbedrijf.models import Invitation
from stagegids import outbox
from stagegids.models import OutgoingMail, OutgoingMailStatus
from stagegids.roles import Role
from tests.factories import UserFactory

INVITATION = {"name": "Fleur Fitter", "email": "fleur@example.nl", "role": Role.WERKPLEKBEGELEIDER}


def server_down(error=None):
    return mock.patch.object(outbox, "send_templated", side_effect=error or smtplib.SMTPServerDisconnected("away"))


class Broker(list):
    """Stands in for the broker: keeps the messages until a test hands them to the worker."""

    def __init__(self):
        super().__init__()
        self.patch = mock.patch.object(outbox.send_queued_mail, "delay", side_effect=lambda **kw: self.append(kw))

    def work_off(self):
        while self:
            outbox.send_queued_mail.apply(kwargs=self.pop(0)).get()


@pytest.fixture
def broker():
    broker = Broker()
    with broker.patch:
        yield broker


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite(client, world, after_commit, **data):
    client.force_login(world.opleider)
    with after_commit():
        return client.post(reverse("leerbedrijf:invite", args=[world.a.pk]), {**INVITATION, **data}, follow=True)


def ask_colleague(client, world, after_commit):
    client.force_login(world.opleider)
    with after_commit():
        return client.post(
            reverse("beoordeling:ask_colleague", args=[world.beoordeling.pk]),
            {"name": "Henk Monteur", "email": "henk@example.nl"},
        )


def test_the_request_writes_the_mail_and_the_worker_sends_it_after_commit(client, world, after_commit, broker):
    response = invite(client, world, after_commit)
    assert "De uitnodiging wordt verstuurd naar fleur@example.nl." in response.text
    row = OutgoingMail.objects.get()
    assert (row.template, row.recipient, row.status) == ("invitation", "fleur@example.nl", OutgoingMailStatus.PENDING)
    assert broker == [{"mail_id": row.pk}]
    assert mail.outbox == [], "nothing is sent inside the request"
    broker.work_off()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingMailStatus.SENT, 1)
    [message] = mail.outbox
    assert message.to == ["fleur@example.nl"] and "Olga Opleider nodigt u uit" in message.body
    assert message.extra_headers["Message-ID"] == row.message_id


def test_a_mail_server_that_is_down_gives_no_error_page_and_the_mail_is_retried(client, world, after_commit, broker):
    with server_down():
        response = invite(client, world, after_commit)
        assert response.status_code == 200
        row = OutgoingMail.objects.get()
        with pytest.raises(Retry):  # the worker's first try: Celery retries it with backoff
            outbox.send_queued_mail.apply(kwargs=broker.pop())
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutgoingMailStatus.PENDING, 1, "away")
    assert outbox.send_queued_mail.apply(kwargs={"mail_id": row.pk}).get() == OutgoingMailStatus.SENT
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutgoingMailStatus.SENT, 2, "")


@pytest.mark.parametrize("error", [smtplib.SMTPException("refused"), OSError("connection refused")])
def test_a_mail_server_that_raises_while_the_task_runs_at_once_gives_no_error_page(client, world, after_commit, error):
    """With tasks run eagerly (as in these tests) the send happens right after commit, in the request's thread."""
    with server_down(error):
        response = ask_colleague(client, world, after_commit)
    assert response.status_code == 302
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts, row.last_error) == (OutgoingMailStatus.PENDING, 1, str(error))
    with after_commit():
        assert outbox.resend() == 1
    assert [m.to for m in mail.outbox] == [["henk@example.nl"]]


def test_a_mail_server_that_keeps_failing_ends_as_failed(client, world, after_commit, broker, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    ask_colleague(client, world, after_commit)
    row = OutgoingMail.objects.get()
    with server_down():
        with pytest.raises(Retry):
            outbox.send_queued_mail.apply(kwargs={"mail_id": row.pk})
        assert outbox.send_queued_mail.apply(kwargs={"mail_id": row.pk}).get() == OutgoingMailStatus.FAILED
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.context) == (OutgoingMailStatus.FAILED, 2, "away", {})
    with after_commit():
        assert outbox.resend() == 0
    assert mail.outbox == []


def test_a_broker_that_is_down_leaves_the_mail_pending_for_the_periodic_task(client, world, after_commit):
    with mock.patch.object(outbox.send_queued_mail, "delay", side_effect=OperationalError("broker away")):
        response = invite(client, world, after_commit)
    assert response.status_code == 200
    row = OutgoingMail.objects.get()
    assert (row.status, row.enqueued_at) == (OutgoingMailStatus.PENDING, None)
    assert Invitation.objects.filter(email="fleur@example.nl").exists(), "the invitation itself is saved"
    assert mail.outbox == []
    with after_commit():
        assert outbox.resend_queued_mail.delay().get() == 1  # what beat does
    assert [m.to for m in mail.outbox] == [["fleur@example.nl"]]
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT


def test_a_lost_message_is_enqueued_again_later(client, world, after_commit, broker, settings):
    invite(client, world, after_commit)
    broker.clear()  # the broker lost it
    with after_commit():
        assert outbox.resend() == 0, "too early: the message may still be on its way"
    later = timezone.now() + timedelta(minutes=settings.MAIL_REENQUEUE_MINUTES + 1)
    with after_commit():
        assert outbox.resend(now=later) == 1
    broker.work_off()
    assert len(mail.outbox) == 1


def test_a_message_delivered_twice_sends_once(client, world, after_commit, broker):
    invite(client, world, after_commit)
    broker.append(broker[0])  # the broker delivers the message a second time
    broker.work_off()
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().attempts == 1


def test_a_worker_that_died_mid_send_is_replaced_after_the_claim_timeout(client, world, after_commit, broker, settings):
    invite(client, world, after_commit)
    row = OutgoingMail.objects.get()
    with server_down(SystemExit("worker killed")), pytest.raises(SystemExit):
        outbox.deliver(mail_id=row.pk)
    broker.work_off()  # the redelivered message finds the row claimed and leaves it
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.MAIL_CLAIM_TIMEOUT_MINUTES + 1)):
        with after_commit():
            assert outbox.resend() == 1
        broker.work_off()
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.SENT


def test_a_mail_about_a_row_that_is_gone_is_not_sent(client, world, after_commit, broker):
    invite(client, world, after_commit)
    Invitation.objects.all().delete()
    broker.work_off()
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == OutgoingMailStatus.CANCELLED


def test_a_fault_of_ours_fails_at_once(client, world, after_commit, broker):
    invite(client, world, after_commit)
    with server_down(ValueError("bad template")), pytest.raises(ValueError):
        broker.work_off()
    row = OutgoingMail.objects.get()
    assert (row.status, row.attempts, row.last_error) == (OutgoingMailStatus.FAILED, 1, "bad template")


@pytest.mark.parametrize(
    "ask, pattern",
    [(invite, r"/uitnodiging/([^/\s]+)/"), (ask_colleague, r"/collega-feedback/([^/\s]+)/")],
    ids=["invitation", "collega-feedback"],
)
def test_the_token_leaves_the_database_once_the_mail_is_sent(client, world, after_commit, broker, ask, pattern):
    """While it waits the row holds the link (the worker needs it); once sent, only the hash is stored."""
    ask(client, world, after_commit)
    assert re.search(pattern, json.dumps(OutgoingMail.objects.get().context))
    broker.work_off()
    token = re.search(pattern, mail.outbox[0].body).group(1)
    row = OutgoingMail.objects.get()
    assert row.context == {}
    assert token not in json.dumps([getattr(row, field.attname) for field in row._meta.fields], default=str)


def test_password_reset_goes_through_the_outbox(client, db, after_commit, broker):
    UserFactory(email="petra@example.nl")
    with server_down():
        with after_commit():
            response = client.post(reverse("password_reset"), {"email": "petra@example.nl"})
        assert response.status_code == 302
    assert OutgoingMail.objects.get().template == "password_reset"
    broker.work_off()
    [message] = mail.outbox
    assert message.subject == "Nieuw wachtwoord voor de Stagegids"
    link = re.search(r"http://testserver(/account/wachtwoord-instellen/\S+/)", message.body).group(1)
    assert client.get(link, follow=True).status_code == 200
    assert OutgoingMail.objects.get().context == {}


def test_the_beheerder_sees_failed_mails_without_their_context(client, world, after_commit, settings):
    settings.MAIL_MAX_ATTEMPTS = 1
    with server_down():
        invite(client, world, after_commit)
    row = OutgoingMail.objects.get(status=OutgoingMailStatus.FAILED)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:stagegids_outgoingmail_changelist"), {"status__exact": "failed"})
    assert "fleur@example.nl" in listing.text and "away" in listing.text
    assert client.get(reverse("admin:stagegids_outgoingmail_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:stagegids_outgoingmail_add")).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel claims need a database with real locking")
def test_parallel_workers_send_a_mail_once(transactional_db, world):
    row = OutgoingMail.objects.create(template="invitation", recipient="fleur@example.nl")
    barrier = threading.Barrier(8)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(outbox.deliver(mail_id=row.pk))
        finally:
            connection.close()

    with mock.patch.object(outbox, "send_templated") as send:
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert send.call_count == 1
    assert sorted(results, key=str) == sorted([OutgoingMailStatus.SENT] + [None] * 7, key=str)
