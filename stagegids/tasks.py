"""Celery tasks of the reminder engine: thin, keyword-only ids; the work is in reminders.py."""

from celery import shared_task

from . import reminders

# Mail errors are retried with backoff; the row counts its attempts (REMINDER_MAX_ATTEMPTS) and ends as failed.
RETRY_MAIL = {
    "autoretry_for": reminders.TRANSIENT_MAIL_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": None,
}


@shared_task
def scan_reminders():
    """Beat, every REMINDER_SCAN_SECONDS: create what is due and enqueue every pending reminder."""
    return reminders.scan(send=send_reminder.delay)


@shared_task(**RETRY_MAIL)
def send_reminder(*, reminder_id):
    return reminders.deliver(reminder_id=reminder_id)


@shared_task
def send_digests():
    """Beat, daily at REMINDER_DIGEST_HOUR: one digest task per person with waiting reminders."""
    return reminders.enqueue_digests(send=send_digest.delay)


@shared_task(**RETRY_MAIL)
def send_digest(*, user_id):
    return reminders.deliver_digest(user_id=user_id)


@shared_task
def run_retention():
    """Beat, daily at RETENTION_HOUR: remove or anonymise what has passed its retention (stagegids/retention.py)."""
    from . import retention

    return retention.run().pk
