"""Celery tasks: thin, keyword-only ids; the work is in herinneringen.py."""

from celery import shared_task

from . import herinneringen


@shared_task
def scan_reminders():
    """Beat, every REMINDER_SCAN_SECONDS: create what is due and enqueue every pending reminder."""
    return herinneringen.scan()


@shared_task(
    autoretry_for=herinneringen.TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=None,  # the row counts its attempts (REMINDER_MAX_ATTEMPTS) and ends as failed
)
def send_reminder(*, reminder_id):
    return herinneringen.deliver(reminder_id=reminder_id)


@shared_task
def send_digests():
    """Beat, daily at REMINDER_DIGEST_HOUR: one digest task per person with waiting reminders."""
    return herinneringen.enqueue_digests()


@shared_task(
    autoretry_for=herinneringen.TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=None,
)
def send_digest(*, user_id):
    return herinneringen.deliver_digest(user_id=user_id)
