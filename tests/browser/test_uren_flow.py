"""The week of hours in a browser, on a phone and a desktop (issue 14): the stagiair fills last week per day and
hands it in, the werkplekbegeleider approves it from the start page; each page screenshot and axe-checked."""

from datetime import timedelta

from django.utils import timezone

from uren.models import Urenweek, WeekStatus, monday_of

from .steps import log_in


def test_the_stagiair_fills_a_week_and_the_werkplekbegeleider_approves_it(page, world, look):
    last_week = monday_of(timezone.localdate()) - timedelta(days=7)
    number = last_week.isocalendar()[1]
    log_in(page, world.stagiair)
    page.goto(f"/stages/{world.stage.pk}/uren/")
    page.get_by_role("heading", name="Uren en aanwezigheid van Sam Stagiair").wait_for()
    look(page, "01-uren")

    page.get_by_role("link", name=f"Week {number} ·").click()
    page.get_by_role("button", name="Normale week bevestigen").wait_for()
    look(page, "02-week")

    page.get_by_text("Anders gegaan? Vul per dag in").click()
    tuesday = last_week + timedelta(days=1)
    page.get_by_role("combobox", name=f"dinsdag {tuesday.day} ").select_option("ziek")
    page.get_by_label("Willem Begeleider").fill("1.5")
    # Leave the number field as a person does: a full-page screenshot taken while it has the focus makes headless
    # Chromium drop the next click.
    page.get_by_label("Willem Begeleider").press("Tab")
    look(page, "03-per-dag")
    page.get_by_role("button", name="Indienen", exact=True).click()
    page.get_by_text("De week is ingediend en wacht op akkoord.").wait_for()
    look(page, "04-ingediend")

    log_in(page, world.wpb)
    page.get_by_role("link", name=f"Uren van week {number} akkoord geven — Sam Stagiair").click()
    page.get_by_role("button", name="Akkoord").click()
    page.get_by_text("De uren van deze week zijn akkoord.").wait_for()
    look(page, "05-akkoord")
    week = Urenweek.objects.get(stage=world.stage, week_start=last_week)
    assert week.status == WeekStatus.AKKOORD
    assert week.days.get(day=last_week + timedelta(days=1)).afwezigheid == "ziek"
