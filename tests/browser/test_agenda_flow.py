"""The agenda in a browser (issue 16): the werkplekbegeleider opens it from the header, pages to next week, moves a
moment through its own form and comes back to the agenda, looks at the month and makes the calendar link, which a
calendar (without a session) reads with the move in it; the stagiair sees the same moment, without moving it."""

import re
from datetime import datetime, time, timedelta

from django.utils import timezone
from icalendar import Calendar

from stageplan.models import MomentKind
from tests.factories import MomentFactory

from .steps import log_in


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_agenda_move_and_subscribe(page, world, look, browser):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    moment = MomentFactory(stage=world.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=_at(monday, 10))
    cancelled = MomentFactory(stage=world.stage, kind=MomentKind.EINDGESPREK, starts_at=_at(monday, 14))
    cancelled.cancel()

    log_in(page, world.wpb)
    if page.width_name == "phone":
        page.get_by_role("button", name="Menu openen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    page.get_by_role("heading", name="Agenda", exact=True).wait_for()
    look(page, "01-agenda-deze-week")

    page.get_by_role("link", name="Volgende week").click()
    item = page.locator(f"#moment-{moment.pk}")
    item.wait_for()
    assert page.locator(f"#moment-{cancelled.pk} del").count() == 1
    look(page, "02-agenda-volgende-week")

    item.get_by_role("link", name=re.compile(r"Verplaatsen\W+voortgangsgesprek")).click()
    page.get_by_role("heading", name="Moment wijzigen").wait_for()
    look(page, "03-verplaatsen")
    thursday = monday + timedelta(days=3)
    page.get_by_label("Datum en tijd").fill(f"{thursday:%Y-%m-%d}T14:30")
    page.get_by_role("button", name="Moment opslaan").click()
    page.get_by_text("Het moment is aangepast.").wait_for()
    assert "14:30" in page.locator(f"#moment-{moment.pk}").inner_text()
    day = page.locator(".agenda-day", has=page.locator(f"#moment-{moment.pk}"))
    assert str(thursday.day) in day.locator("h3").inner_text()
    look(page, "04-verplaatst")

    page.get_by_role("link", name="Maand").click()
    page.locator(f"#moment-{moment.pk}").wait_for()
    look(page, "05-agenda-maand")

    page.get_by_role("link", name="In Outlook of Google Calendar").click()
    page.get_by_role("button", name="Agenda-link maken").click()
    page.get_by_text("Uw agenda-link is klaar.").wait_for()
    look(page, "06-agenda-link")
    url = page.get_by_label("Kopieer deze link").input_value()

    # A calendar has no session: a context of its own.
    calendar = browser.new_context()
    try:
        response = calendar.request.get(url)
        assert response.status == 200
        events = {str(event["uid"]): event for event in Calendar.from_ical(response.body()).walk("VEVENT")}
    finally:
        calendar.close()
    moved = events[f"moment-{moment.pk}@stagegids"]
    assert moved["sequence"] == 1 and moved.decoded("dtstart") == _at(thursday, 14) + timedelta(minutes=30)
    assert events[f"moment-{cancelled.pk}@stagegids"]["status"] == "CANCELLED"

    log_in(page, world.stagiair)
    page.goto(f"/agenda/?maand={thursday:%Y-%m}")
    page.locator(f"#moment-{moment.pk}").wait_for()
    assert page.get_by_role("link", name=re.compile("Verplaatsen")).count() == 0
    look(page, "07-agenda-stagiair")
