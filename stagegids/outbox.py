"""Mail asked for by a request leaves from a worker, after commit, and exactly once (the outbox).

1. `queue()` writes an OutgoingMail row in the caller's transaction, so the mail exists exactly when the thing it
   is about (an invitation, a question) exists. After commit one send task is enqueued. A request never talks to
   the mail server: a server that is down costs the page nothing.
2. From there an OutgoingMail is a queued row, sent exactly once as stagegids/queued.py explains. A transient mail
   error returns the row to pending and the task retries with backoff; after MAIL_MAX_ATTEMPTS the row is failed,
   which the beheerder sees in the admin. Any other error fails it at once: trying again does not help.
3. The beat task `resend_queued_mail` (every MAIL_RESEND_SECONDS) enqueues again what never reached a worker: at
   once when the enqueue failed, after MAIL_REENQUEUE_MINUTES when the message may have been lost silently. A
   claim older than MAIL_CLAIM_TIMEOUT_MINUTES belongs to a worker that died and goes back to pending, or is failed
   when its attempts are used.

The reminders (stagegids/reminders.py) are queued rows too, but their own: a reminder is derived from the data by
a scan and re-checked right before it is sent, which an outbox row is not.
"""

import logging
import smtplib
from functools import partial

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from . import queued
from .mail import send_templated
from .models import OutgoingMail, OutgoingMailStatus

logger = logging.getLogger(__name__)

# Errors worth trying again: the mail server is away or refuses for now.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
MODEL_KEY = "__model__"


class Gone(Exception):
    """A row the mail refers to was deleted before the mail left."""


def queue(*, template: str, to: str, context: dict) -> OutgoingMail:
    """Send `templates/mail/<template>*` to `to` after the current transaction commits.

    Context values are JSON values or model instances; an instance is stored as a reference and read again when
    the mail is sent. Call it inside the transaction that writes what the mail is about.
    """
    row = OutgoingMail.objects.create(
        template=template,
        recipient=to,
        context={name: _reference(value) for name, value in context.items()},
        enqueued_at=timezone.now(),
    )
    transaction.on_commit(partial(enqueue, [row.pk]), robust=True)
    return row


def _reference(value):
    if isinstance(value, models.Model):
        return {MODEL_KEY: value._meta.label_lower, "pk": value.pk}
    return value


def _resolve(value):
    if isinstance(value, dict) and MODEL_KEY in value:
        instance = apps.get_model(value[MODEL_KEY])._default_manager.filter(pk=value["pk"]).first()
        if instance is None:
            raise Gone(value)
        return instance
    return value


def _send(pk):
    send_queued_mail.delay(mail_id=pk)


def enqueue(ids):
    queued.enqueue(OutgoingMail, ids, send=_send)


def _finish(token, **changes):
    """Leave `sending`, conditional on the claim.

    Every end (sent, failed, cancelled) empties the context: it may hold a link with a one-time token (an
    invitation, a collega-feedback question, a password reset) of which the database otherwise keeps only the
    hash. A pending row needs it to be sent; once the mail has left, or never will, nobody needs it.
    """
    if changes.get("status") != OutgoingMailStatus.PENDING:
        changes["context"] = {}
    return queued.finish(OutgoingMail, token, **changes)


def deliver(*, mail_id, now=None):
    """Send one pending mail; returns its status afterwards, or None when there was nothing to claim.

    Raises a TRANSIENT_MAIL_ERRORS error when the mail server failed and a retry may help (the row is pending
    again for it).
    """
    now = now or timezone.now()
    token = queued.claim(OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMailStatus.PENDING), now=now)
    if token is None:
        return None
    row = OutgoingMail.objects.get(pk=mail_id)
    try:
        context = {name: _resolve(value) for name, value in row.context.items()}
    except Gone:
        _finish(token, status=OutgoingMailStatus.CANCELLED)
        return OutgoingMailStatus.CANCELLED
    try:
        send_templated(template=row.template, to=row.recipient, context=context, headers={"Message-ID": row.message_id})
    except TRANSIENT_MAIL_ERRORS as error:
        # Failed for good, the row forgets its context, as _finish explains.
        if queued.release(
            OutgoingMail,
            token,
            error,
            back_to=OutgoingMailStatus.PENDING,
            max_attempts=settings.MAIL_MAX_ATTEMPTS,
            context={},
        ):
            raise
        logger.error("mail %s failed after %s attempts", row.pk, row.attempts)
        return OutgoingMailStatus.FAILED
    except Exception as error:
        # A fault of ours (a template, an address the backend refuses): trying again does not help.
        _finish(token, status=OutgoingMailStatus.FAILED, last_error=str(error)[:300])
        raise
    _finish(token, status=OutgoingMailStatus.SENT, sent_at=timezone.now(), last_error="")
    return OutgoingMailStatus.SENT


def resend(*, now=None):
    """Enqueue every pending mail whose message may not have reached a worker; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        queued.reclaim_stale(
            OutgoingMail,
            now=now,
            minutes=settings.MAIL_CLAIM_TIMEOUT_MINUTES,
            max_attempts=settings.MAIL_MAX_ATTEMPTS,
            context={},
            last_error="worker lost",
        )
        return queued.requeue_lost(
            OutgoingMail,
            now=now,
            minutes=settings.MAIL_REENQUEUE_MINUTES,
            batch=settings.MAIL_RESEND_BATCH,
            send=_send,
        )


@shared_task(
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=None,  # the row counts its attempts (MAIL_MAX_ATTEMPTS) and ends as failed
)
def send_queued_mail(*, mail_id):
    return deliver(mail_id=mail_id)


@shared_task
def resend_queued_mail():
    """Beat, every MAIL_RESEND_SECONDS."""
    return resend()
