"""Mail asked for by a request leaves from a worker, after commit, and exactly once (the outbox).

1. `queue()` writes an OutgoingMail row in the caller's transaction, so the mail exists exactly when the thing it
   is about (an invitation, a question) exists. After commit one send task is enqueued. A request never talks to
   the mail server: a server that is down costs the page nothing.
2. The send task claims its row with a conditional update (pending -> sending, with a fresh claim id). One worker
   wins; a duplicate message finds nothing to claim and ends.
3. A transient mail error (the server away or refusing for now) returns the row to pending and the task retries
   with backoff; after MAIL_MAX_ATTEMPTS the row is failed, which the beheerder sees in the admin.
4. A message that never reached a worker (broker away, message lost) leaves the row pending: the beat task
   `resend_queued_mail` enqueues it again, at once when the enqueue failed, after MAIL_REENQUEUE_MINUTES when the
   message may have been lost silently. A claim older than MAIL_CLAIM_TIMEOUT_MINUTES belongs to a worker that
   died and goes back to pending. The one window no design closes (mail and database share no transaction): the
   server accepted the mail and the worker died before marking it sent. It is then sent a second time with the
   same Message-ID: at least once rather than lost.

The reminders (beoordeling/herinneringen.py) keep their own rows: a reminder is derived from the data by a scan
and re-checked right before it is sent, which an outbox row is not.
"""

import logging
import smtplib
import uuid
from datetime import timedelta
from functools import partial

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

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


def enqueue(ids):
    for done, pk in enumerate(ids):
        try:
            send_queued_mail.delay(mail_id=pk)
        except Exception:
            # The broker is away: these rows stay pending, unstamped, and the next resend enqueues them.
            logger.warning("%s mails not enqueued; the next resend tries again", len(ids) - done, exc_info=True)
            OutgoingMail.objects.filter(pk__in=ids[done:], status=OutgoingMailStatus.PENDING).update(enqueued_at=None)
            return


def _claim(mail_id, *, now):
    token = uuid.uuid4()
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMailStatus.PENDING).update(
        status=OutgoingMailStatus.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return token if claimed else None


def _finish(token, **changes):
    """Leave `sending`, conditional on the claim.

    Every end (sent, failed, cancelled) empties the context: it may hold a link with a one-time token (an
    invitation, a collega-feedback question, a password reset) of which the database otherwise keeps only the
    hash. A pending row needs it to be sent; once the mail has left, or never will, nobody needs it.
    """
    if changes.get("status") != OutgoingMailStatus.PENDING:
        changes["context"] = {}
    return OutgoingMail.objects.filter(claim=token, status=OutgoingMailStatus.SENDING).update(
        claim=None, claimed_at=None, **changes
    )


def deliver(*, mail_id, now=None):
    """Send one pending mail; returns its status afterwards, or None when there was nothing to claim.

    Raises a TRANSIENT_MAIL_ERRORS error when the mail server failed and a retry may help (the row is pending
    again for it).
    """
    now = now or timezone.now()
    token = _claim(mail_id, now=now)
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
        last_error = str(error)[:300]
        if row.attempts >= settings.MAIL_MAX_ATTEMPTS:
            _finish(token, status=OutgoingMailStatus.FAILED, last_error=last_error)
            logger.error("mail %s failed after %s attempts", row.pk, row.attempts)
            return OutgoingMailStatus.FAILED
        _finish(token, status=OutgoingMailStatus.PENDING, last_error=last_error)
        raise
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
        stale = OutgoingMail.objects.filter(
            status=OutgoingMailStatus.SENDING,
            claimed_at__lt=now - timedelta(minutes=settings.MAIL_CLAIM_TIMEOUT_MINUTES),
        )
        # A mail whose every attempt killed its worker would otherwise come back for ever.
        stale.filter(attempts__gte=settings.MAIL_MAX_ATTEMPTS).update(
            status=OutgoingMailStatus.FAILED, claim=None, claimed_at=None, context={}, last_error="worker lost"
        )
        stale.update(status=OutgoingMailStatus.PENDING, claim=None, claimed_at=None, enqueued_at=None)
        again = now - timedelta(minutes=settings.MAIL_REENQUEUE_MINUTES)
        ids = list(
            OutgoingMail.objects.filter(status=OutgoingMailStatus.PENDING)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=again))
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.MAIL_RESEND_BATCH]
        )
        if ids:
            OutgoingMail.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(partial(enqueue, ids))
    return len(ids)


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
