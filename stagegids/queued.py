"""Rows that a worker sends exactly once: the reminders (stagegids/reminders.py) and the outbox (stagegids/outbox.py).

Both models derive from models.Queued; each module keeps its own rules (which statuses a row returns to, its
settings, what a mail forgets when it ends) and passes them in.

How "exactly once" holds
------------------------
1. Whoever makes rows stamps the pending ones it enqueues (enqueued_at) in its transaction and enqueues one send
   task per row after commit (enqueue). A message that never reached a worker leaves its row pending: a failed
   enqueue clears the stamp so that the next beat enqueues the row at once, a silently lost message is enqueued
   again some minutes after the last time (requeue_lost).
2. The send task claims its row with a conditional update (claim: pending -> sending, with a fresh claim id and
   one more attempt). One worker wins; a duplicate message finds nothing to claim and ends.
3. A transient mail error (the server away or refusing for now) returns the row for a retry, or marks it failed
   once its attempts are used (release).
4. After sending, the worker marks the row sent, conditional on its claim (finish): a worker whose claim was taken
   back changes nothing.

A worker killed between 2 and 4 leaves the row in "sending". Celery redelivers the message (acks_late,
reject_on_worker_lost) but the redelivery finds the row claimed and leaves it; after a claim timeout (longer than
any send can take) the beat returns the row to pending and enqueues it (reclaim_stale): it is sent once.
The one window no design closes: the mail server accepted the message and the worker died before the row was
marked sent, since mail and database share no transaction. We chose at least once over at most once: a reminder
or an invitation that never arrives costs more than one that arrives twice. So the mail goes out a second time
after the timeout, never lost, and with the same Message-ID (message_id: derived from the row, never from the
attempt), so mail systems that de-duplicate on it show it once. tests/stagegids/test_killed_worker.py kills a
worker mid-send against a slow mail server to hold us to this.
"""

import logging
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# The statuses every Queued model has; each model adds its own ends (work a worker makes ends in DONE).
PENDING, SENDING, FAILED, DONE = "pending", "sending", "failed", "done"


def message_id(kind, row):
    """The Message-ID of the mail a queued row sends: the same at every attempt. The row's creation time keeps it
    unique should ids start again (a database made anew)."""
    return f"<{kind}-{row.pk}-{row.created_at:%Y%m%d%H%M%S}@{settings.MAIL_ID_DOMAIN}>"


def waiting(model, **asked):
    """The newest row of `model` asked as `asked` that still waits in the queue and is not late yet (`model.LATE`):
    what a second click within that time asks for again. Ask it with the asker's row locked, so that two requests
    at once are one after the other."""
    since = timezone.now() - model.LATE
    return model.objects.filter(status=PENDING, created_at__gte=since, **asked).order_by("-created_at").first()


def enqueue(model, ids, *, send):
    """`send(pk)` for each row, after commit; when the broker is away, this row and the rest stay pending,
    unstamped, and the next beat enqueues them."""
    for done, pk in enumerate(ids):
        try:
            send(pk)
        except Exception:
            logger.warning(
                "%s %s rows not enqueued; the next beat tries again", len(ids) - done, model.__name__, exc_info=True
            )
            model.objects.filter(pk__in=ids[done:], status=PENDING).update(enqueued_at=None)
            return


def requeue_lost(model, *, now, minutes, batch, send):
    """Stamp the pending rows never enqueued, or last enqueued more than `minutes` ago (at most `batch`), and
    enqueue them after commit; returns how many. Call it inside a transaction."""
    again = now - timedelta(minutes=minutes)
    ids = list(
        model.objects.filter(status=PENDING)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=again))
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    if ids:
        model.objects.filter(pk__in=ids).update(enqueued_at=now)
        transaction.on_commit(partial(enqueue, model, ids, send=send))
    return len(ids)


def reclaim_stale(model, *, now, minutes, back_to=PENDING, max_attempts=None, **failed):
    """Take back the claims older than `minutes` (their workers died): to `back_to`, unstamped so they are
    enqueued again; with `max_attempts`, a row whose attempts are used is failed instead (with the `failed`
    changes), since a row whose every attempt killed its worker would otherwise come back for ever."""
    stale = model.objects.filter(status=SENDING, claimed_at__lt=now - timedelta(minutes=minutes))
    if max_attempts is not None:
        stale.filter(attempts__gte=max_attempts).update(status=FAILED, claim=None, claimed_at=None, **failed)
    stale.update(status=back_to, claim=None, claimed_at=None, enqueued_at=None)


def claim(queryset, *, now):
    """Claim the rows of `queryset` (pending -> sending, in the queryset's own terms); the claim id, or None when
    another worker was first."""
    token = uuid.uuid4()
    count = queryset.update(status=SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1)
    return token if count else None


def finish(model, token, **changes):
    """Leave "sending" with `changes`, conditional on the claim; returns how many rows."""
    return model.objects.filter(claim=token, status=SENDING).update(claim=None, claimed_at=None, **changes)


def release(model, token, error, *, back_to, max_attempts, **failed):
    """After a transient mail error: back to `back_to` for a retry, or failed (with the `failed` changes) once
    `max_attempts` are used. Returns whether the rows went back, so that the caller retries."""
    last_error = str(error)[:300]
    rows = model.objects.filter(claim=token, status=SENDING)
    rows.filter(attempts__gte=max_attempts).update(
        status=FAILED, claim=None, claimed_at=None, last_error=last_error, **failed
    )
    return bool(rows.update(status=back_to, claim=None, claimed_at=None, last_error=last_error))


# Work a worker makes, asked for in a request (the stagemap's pdf and missing verslagen, a dossier, an inzage): the
# same claim and finish, with the claim time-out and attempts of the stagemap's settings. Its task is stopped before
# its claim is taken over (time_limit=WORK_TIME_LIMIT), so that two workers never make the same thing at once.
WORK_TIME_LIMIT = settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES * 60 - 30


def make(model, pk, build, *, related=(), done=lambda row: {}):
    """Make the work of one queued row: claim it, `build(row)`, and finish it as done with what `done(row)` adds
    (its file), or as failed with the error, raised again for the worker's log. Nothing when another worker has it
    (a message delivered twice); a worker whose claim was taken over (it ran past the time-out) changes nothing.
    Returns what `build` returned, or None."""
    token = claim(model.objects.filter(pk=pk, status=PENDING), now=timezone.now())
    if token is None:
        return None
    row = model.objects.select_related(*related).get(pk=pk)
    try:
        result = build(row)
    except Exception as error:
        finish(model, token, status=FAILED, finished_at=timezone.now(), last_error=str(error)[:300])
        raise
    finish(model, token, status=DONE, finished_at=timezone.now(), **done(row))
    return result


def requeue_work(model, *, send):
    """Beat: take over the claims of dead workers (failed once their attempts are used) and enqueue what is pending
    and never reached a worker (the broker was away); returns how many were enqueued. Call it inside a
    transaction."""
    now = timezone.now()
    reclaim_stale(
        model,
        now=now,
        minutes=settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES,
        max_attempts=settings.STAGEMAP_MAX_ATTEMPTS,
        finished_at=now,
        last_error="worker lost",
    )
    return requeue_lost(model, now=now, minutes=settings.STAGEMAP_REENQUEUE_MINUTES, batch=1000, send=send)
