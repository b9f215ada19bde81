"""Steps shared by the reminder tests of every app (the fixtures `reminders` and `scan` are in conftest.py)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from stagegids import reminders as engine
from stagegids.models import Reminder, ReminderStatus


def work_off():
    """A worker takes up the messages the scan enqueued (it ran outside a commit, so they are still waiting)."""
    for row in Reminder.objects.filter(status=ReminderStatus.PENDING):
        engine.deliver(reminder_id=row.pk)


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def invitation(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename == "uitnodiging.ics"
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def mails_titled(user, start):
    return [message for message in mails_to(user) if message.subject.startswith(start)]


def statuses(kind):
    return {(row.recipient_id, row.status) for row in Reminder.objects.filter(kind=kind)}


def in_hours(hours):
    return timezone.now() + timedelta(hours=hours)
