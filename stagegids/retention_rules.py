"""The core's retention rules: reminders and notifications, outgoing mail, login attempts, erased accounts."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _

from . import erasure
from .models import Notification, OutgoingMail, OutgoingMailStatus, Reminder, ReminderStatus, User
from .retention import Rule, register

FINAL_REMINDER = [ReminderStatus.SENT, ReminderStatus.SKIPPED, ReminderStatus.FAILED]
FINAL_MAIL = [OutgoingMailStatus.SENT, OutgoingMailStatus.CANCELLED, OutgoingMailStatus.FAILED]


def reminders(run):
    """A reminder that was sent (or no longer needed) and whose occasion lies far enough back: the scan only looks
    at occasions to come or just past, so the row is not needed to send it once; a notification by its date."""
    cutoff = run.cutoff("herinneringen")
    gone, _ = Reminder.objects.filter(status__in=FINAL_REMINDER, occasion_at__lt=cutoff).delete()
    read, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    return gone + read


def outgoing_mail(run):
    gone, _ = OutgoingMail.objects.filter(status__in=FINAL_MAIL, created_at__lt=run.cutoff("uitgaande_mail")).delete()
    return gone


def login_attempts(run):
    cutoff = run.cutoff("inlogpogingen")
    # AccessAttemptExpiration cascades from AccessAttempt.
    return sum(
        model.objects.filter(attempt_time__lt=cutoff).delete()[0]
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    )


def erased_accounts(run):
    due = User.objects.filter(
        erasure_requested_at__lt=run.cutoff("account_verwijderd"), anonymised_at__isnull=True
    ).order_by("pk")
    return sum(erasure.anonymise(user, now=run.now) for user in due)


register(Rule("herinneringen", _("herinneringen en meldingen"), reminders, order=80))
register(Rule("uitgaande_mail", _("verstuurde e-mails"), outgoing_mail, order=81))
register(Rule("inlogpogingen", _("inlogpogingen"), login_attempts, order=82))
register(Rule("account_verwijderd", _("verwijderde accounts geanonimiseerd"), erased_accounts, order=90))
