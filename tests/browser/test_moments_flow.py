"""The moments in a browser, without JavaScript needed: the stagiair proposes a new date, the werkplekbegeleider
accepts it, cancels a moment after confirming and undoes it; the school reads the moments it takes part in."""

import re
from datetime import timedelta

from django.utils import timezone

from stageplan.models import MomentKind
from tests.factories import MomentFactory

from .steps import log_in


def test_propose_accept_cancel_and_undo(page, world, look):
    moments = f"/stages/{world.stage.pk}/momenten/"
    MomentFactory(stage=world.stage, kind=MomentKind.EINDBEOORDELING, starts_at=timezone.now() + timedelta(days=40))
    new_date = (timezone.localtime() + timedelta(days=33)).replace(hour=10, minute=0)

    log_in(page, world.stagiair)
    page.goto(moments)
    page.get_by_role("link", name=re.compile(r"Andere datum voorstellen\W+voortgangsgesprek")).click()
    page.get_by_label("Datum en tijd").fill(new_date.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Waarom dit moment? (mag leeg)").fill("Dan ben ik terug van school.")
    look(page, "01-voorstel-stagiair")
    page.get_by_role("button", name="Voorstel versturen").click()
    page.get_by_text("Je voorstel is verstuurd.").wait_for()
    look(page, "02-momenten-stagiair")

    log_in(page, world.wpb)
    page.goto(f"/stages/{world.stage.pk}/stageplan/planning/")
    page.get_by_text("De stagiair stelde een moment voor dat nog op een besluit wacht.").wait_for()
    look(page, "03-planning-met-voorstel")
    page.get_by_role("link", name="Naar de gesprekken en beoordelingen").click()
    look(page, "04-momenten-werkplekbegeleider")
    page.get_by_role("button", name=re.compile(r"Aannemen\W+voortgangsgesprek")).click()
    page.get_by_text("Het voorstel is aangenomen en staat in de planning.").wait_for()

    page.get_by_role("link", name=re.compile(r"Annuleren\W+eindbeoordeling")).click()
    page.get_by_role("heading", name="Eindbeoordeling annuleren?").wait_for()
    look(page, "05-annuleren-bevestigen")
    page.get_by_role("button", name="Ja, annuleren").click()
    page.get_by_text("Schrijf op waarom dit moment niet doorgaat.").wait_for()
    page.get_by_label("Reden van annuleren").fill("De eindbeoordeling valt samen met de pvb.")
    page.get_by_role("button", name="Ja, annuleren").click()
    page.get_by_text("Het moment is geannuleerd.").wait_for()
    look(page, "06-geannuleerd")
    page.get_by_role("button", name=re.compile(r"Terugzetten\W+eindbeoordeling")).click()
    page.get_by_text("Het moment is teruggezet.").wait_for()

    log_in(page, world.mbo)
    # The school's moments are a folded panel on the start page: open it by its summary, then follow the stage.
    upcoming = page.locator("details", has=page.locator("summary", has_text="Komende gesprekken en beoordelingen"))
    upcoming.locator("summary").click()
    upcoming.get_by_role("link", name="Sam Stagiair").click()
    page.get_by_text("Eindbeoordeling").first.wait_for()
    assert page.get_by_text("Voortgangsgesprek").count() == 0
    look(page, "07-momenten-school")
