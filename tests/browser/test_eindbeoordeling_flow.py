from stageplan.models import MomentKind
from tests.factories import MomentFactory

from .steps import log_in
from .test_tussenbeoordeling_flow import fill_form


def test_eindbeoordeling_from_its_planned_moment_with_the_school_part(page, world, look):
    MomentFactory(stage=world.stage, kind=MomentKind.EINDBEOORDELING)
    log_in(page, world.beoordelaar)
    page.goto(f"/stages/{world.stage.pk}/beoordelingen/")
    look(page, "01-geplande-momenten")
    page.get_by_label("Soort").first.select_option("pvb")
    page.get_by_role("button", name="Starten").first.click()
    page.get_by_text("Gepland moment: eindbeoordeling op").wait_for()
    page.get_by_role("link", name="Formulier invullen").click()
    fill_form(page, "goed", "Zelfstandig een warmtepomp aangesloten")
    page.get_by_role("button", name="Opslaan en inleveren").click()
    page.get_by_text("Uw formulier is ingeleverd.").wait_for()

    log_in(page, world.mbo)
    page.get_by_role("link", name="Proeve van bekwaamheid · Sam Stagiair").click()
    look(page, "02-eindbeoordeling-mbo-begeleider")
    page.get_by_role("link", name="Deel van de school invullen").click()
    page.get_by_label("Inhoudelijke opdracht").fill("De opdracht over de warmtepomp is goed uitgewerkt.")
    page.get_by_label("Projectmap").fill("Compleet, met foto's van elke stap.")
    look(page, "03-deel-van-de-school")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het deel van de school is opgeslagen.").wait_for()

    log_in(page, world.beoordelaar)
    page.get_by_role("link", name="Proeve van bekwaamheid · Sam Stagiair").click()
    assert "De opdracht over de warmtepomp is goed uitgewerkt." in page.locator("main").inner_text()
    look(page, "04-eindbeoordeling-praktijkbeoordelaar")
