"""The moments as iCalendar, built in one place: the invitation a reminder mail carries (herinneringen.py) and the
agenda feed a calendar subscribes to (views/agenda.py) hold the same event, with one UID per moment and its
SEQUENCE, so a calendar recognises a moved or cancelled moment as the same one."""

from datetime import UTC, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

# A Moment has a start and no end; calendars get an hour.
MOMENT_DURATION = timedelta(hours=1)
# How often a subscribed calendar should look again (Outlook and Apple read these; Google has its own pace).
REFRESH = timedelta(hours=1)


def _calendar(product):
    calendar = Calendar()
    calendar.add("prodid", f"-//Stagegids//{product}//NL")
    calendar.add("version", "2.0")
    return calendar


def moment_event(moment, *, stamp, cancelled):
    """The VEVENT of a moment (its stage and stagiair loaded), stamped `stamp`."""
    event = Event()
    event.add("uid", f"moment-{moment.pk}@stagegids")
    event.add("sequence", moment.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", moment.starts_at.astimezone(UTC))
    event.add("dtend", (moment.starts_at + MOMENT_DURATION).astimezone(UTC))
    event.add("summary", f"{moment.get_kind_display()} – {moment.stage.stagiair.name}")
    if moment.location:
        event.add("location", moment.location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def invitation(moment, *, method, attendee):
    """An iCalendar REQUEST (new or changed) or CANCEL for a moment, to one attendee."""
    calendar = _calendar("herinneringen")
    calendar.add("method", method)
    event = moment_event(moment, stamp=timezone.now(), cancelled=method == "CANCEL")
    event.add("organizer", vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}"))
    event.add("attendee", vCalAddress(f"mailto:{attendee.email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def feed(moments, *, name):
    """The agenda feed: every moment in `moments` (stage and stagiair loaded), a cancelled one as CANCELLED, each
    stamped with its last change, so the same moments give the same bytes (the feed's ETag)."""
    calendar = _calendar("agenda")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for moment in moments:
        event = moment_event(moment, stamp=moment.changed_at, cancelled=moment.cancelled_at is not None)
        event.add("last-modified", moment.changed_at)
        event.add("url", settings.SITE_URL + reverse("stageplan:moments", args=[moment.stage_id]))
        calendar.add_component(event)
    return calendar.to_ical()
