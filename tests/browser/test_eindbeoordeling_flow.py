import re

from beoordeling.beoordelingen.models import Beoordeling
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
    page.get_by_text("Het formulier is ingeleverd.").wait_for()

    log_in(page, world.mbo)
    page.get_by_role("link", name=re.compile(r"^Proeve van bekwaamheid.*Sam Stagiair$")).click()
    look(page, "02-eindbeoordeling-mbo-begeleider")
    page.get_by_role("link", name="Deel van de school invullen").click()
    page.get_by_label("Inhoudelijke opdracht").fill("De opdracht over de warmtepomp is goed uitgewerkt.")
    page.get_by_label("Projectmap").fill("Compleet, met foto's van elke stap.")
    look(page, "03-deel-van-de-school")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het deel van de school is opgeslagen.").wait_for()

    log_in(page, world.beoordelaar)
    page.get_by_role("link", name=re.compile(r"^Proeve van bekwaamheid.*Sam Stagiair$")).click()
    assert "De opdracht over de warmtepomp is goed uitgewerkt." in page.locator("main").inner_text()
    look(page, "04-eindbeoordeling-praktijkbeoordelaar")


def test_bpv_beoordeling_by_the_praktijkopleider_discussed_and_signed(page, world, look):
    """Gids ch. 9: the praktijkopleider fills in the bpv-beoordeling and discusses it with the stagiair and the
    mbo-begeleider, who writes the school's part."""
    MomentFactory(stage=world.stage, kind=MomentKind.EINDBEOORDELING)
    log_in(page, world.opleider)
    page.goto(f"/stages/{world.stage.pk}/beoordelingen/")
    assert "Een proeve van bekwaamheid (pvb) start en vult de praktijkbeoordelaar" in page.locator("main").inner_text()
    page.get_by_label("Soort").first.select_option("bpv")
    page.get_by_role("button", name="Starten").first.click()
    page.get_by_role("link", name="Formulier invullen").click()
    fill_form(page, "voldoende", "Sluit een groep zelfstandig aan")
    look(page, "01-bpv-invullen-praktijkopleider")
    page.get_by_role("button", name="Opslaan en inleveren").click()
    page.get_by_text("Het formulier is ingeleverd.").wait_for()

    log_in(page, world.mbo)
    page.get_by_role("link", name=re.compile(r"^Bpv-beoordeling.*Sam Stagiair$")).click()
    page.get_by_role("link", name="Deel van de school invullen").click()
    page.get_by_label("Eindproduct").fill("Het eindproduct is in orde.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Het deel van de school is opgeslagen.").wait_for()

    log_in(page, world.opleider)
    page.get_by_role("link", name=re.compile(r"^Bpv-beoordeling.*Sam Stagiair$")).click()
    page.get_by_role("link", name="Conclusie invullen").click()
    page.get_by_label("behaald", exact=True).check()
    page.get_by_label("Observaties van het leerbedrijf").fill("Werkt veilig en netjes.")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De conclusie is opgeslagen.").wait_for()
    look(page, "02-bpv-praktijkopleider")
    page.get_by_role("link", name="Ondertekenen").click()
    page.get_by_role("heading", name="De bpv-beoordeling van Sam Stagiair ondertekenen?").wait_for()
    look(page, "03-bpv-ondertekenen-bevestigen")
    page.get_by_role("button", name="Ja, ondertekenen").click()
    page.get_by_text("U heeft de beoordeling ondertekend.").wait_for()

    log_in(page, world.stagiair)
    # Their own: the to-do names no one.
    page.get_by_role("link", name="Bpv-beoordeling ondertekenen", exact=True).click()
    page.get_by_role("link", name="Ondertekenen").click()
    page.get_by_role("button", name="Ja, ik onderteken").click()
    page.get_by_text("U heeft de beoordeling ondertekend.").wait_for()
    bpv = Beoordeling.objects.get(kind="bpv")
    assert bpv.state == "ondertekend" and bpv.bedrijf_signed_by == world.opleider
