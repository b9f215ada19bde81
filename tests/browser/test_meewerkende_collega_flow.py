"""Meerdere begeleiders (issue 15) in the browser: the praktijkopleider follows the zij-instromer hint to add an
informele begeleider and ends a meewerkende collega; the collega, on his start page, records an observatie."""

from datetime import date, timedelta

from leerbedrijf.models import MeewerkendeCollega, Stage
from stageplan.models import Observatie

from .steps import log_in


def test_collegas_are_added_and_ended_and_a_collega_records_an_observatie(page, world, look):
    Stage.objects.filter(pk=world.stage.pk).update(herkomst="zij_instromer")
    log_in(page, world.opleider)
    page.goto(world.stage.get_absolute_url())
    page.get_by_text("Sam Stagiair is zij-instromer").wait_for()
    look(page, "01-stage-met-collega-en-hint")
    page.get_by_role("link", name="Informele begeleider toevoegen").click()
    # In main: the header's search box is labelled "Zoek stagiairs, stages, collega's en scholen".
    page.locator("main").get_by_label("Collega").select_option(label="Wendy Andere")
    page.get_by_label("Tot en met").fill((date.today() + timedelta(days=30)).isoformat())
    look(page, "02-collega-toevoegen")
    page.get_by_role("button", name="Collega toevoegen").click()
    page.get_by_text("Wendy Andere werkt mee bij de stage van Sam Stagiair.").wait_for()
    assert MeewerkendeCollega.objects.get(user=world.wpb_other).kind == "informele_begeleider"
    assert page.get_by_text("Sam Stagiair is zij-instromer").count() == 0
    page.get_by_role("link", name="Beëindigen Mo Monteur").click()
    look(page, "03-meewerken-beeindigen")
    page.get_by_role("button", name="Ja, meewerken beëindigen").click()
    page.get_by_text("Mo Monteur werkt niet meer mee bij deze stage.").wait_for()
    look(page, "04-collegas")

    log_in(page, world.wpb_other)
    page.locator("summary", has_text="die u volgt").click()
    page.get_by_text("u werkt mee tot en met").wait_for()
    look(page, "05-start-collega")
    page.get_by_role("link", name="Observatie vastleggen").click()
    page.get_by_label("wat ging goed").check()
    page.get_by_label("Wat zag u?").fill("Hielp de klant vriendelijk verder")
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text("De observatie over Sam Stagiair is vastgelegd.").wait_for()
    assert Observatie.objects.filter(author=world.wpb_other, stage=world.stage).exists()
