from datetime import date, timedelta

from beoordeling.evaluatie.models import EVALUATIE_QUESTIONS
from beoordeling.gesprekken.models import Afspraak, Voortgangsgesprek
from stageplan.models import Leerdoel, Observatie

from . import steps


def log_in(page, user, first_name):
    steps.log_in(page, user)
    page.get_by_role("heading", name=f"Goedendag, {first_name}").wait_for()


def test_zelfreflectie_then_the_gesprek_held_and_closed(page, world, look):
    leerdoel = Leerdoel.objects.create(stageplan=world.stageplan, title="Cv-ketel onderhouden")
    Observatie.objects.create(
        stage=world.stage,
        leerdoel=leerdoel,
        author=world.wpb,
        date=date.today(),
        text="Vroeg zelf om uitleg.",
        kind="goed",
    )

    log_in(page, world.stagiair, "Sam")
    look(page, "01-start-stagiair")
    page.get_by_role("link", name="Voor je voortgangsgesprek").click()
    page.get_by_label("Wat ging goed?").fill("Ik heb een radiator aangesloten.")
    page.get_by_label("Wat vond je moeilijk?").fill("Tekeningen lezen.")
    page.get_by_label("Wat wil je hierna leren?").fill("Een cv-ketel onderhouden.")
    look(page, "02-zelfreflectie")
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Je zelfreflectie is ingediend.").wait_for()

    log_in(page, world.opleider, "Olga")
    look(page, "03-start-praktijkopleider")
    page.locator("summary", has_text="in de komende maand").click()
    page.get_by_role("link", name="Sam Stagiair ·").click()
    page.get_by_text("Ik heb een radiator aangesloten.").wait_for()
    page.get_by_role("link", name="Notities bewerken").click()
    page.get_by_label("Wat gaat goed?").fill("Je werkt netjes en bent op tijd.")
    page.get_by_label("Wat zie en merk je?").fill("Ik merk dat je weinig vragen stelt.")
    page.get_by_label("Hoe denkt de stagiair erover?").fill("Sam wil niemand storen.")
    look(page, "04-notities")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De notities zijn opgeslagen.").wait_for()
    page.get_by_role("link", name="Afspraak toevoegen").click()
    page.get_by_label("Afspraak").fill("Twee onderhoudsbeurten meelopen.")
    page.get_by_label("Wie").select_option(label=world.stagiair.name)
    page.get_by_label("Wanneer klaar?").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_label("Bij leerdoel").select_option(label="Cv-ketel onderhouden")
    look(page, "05-afspraak")
    page.get_by_role("button", name="Afspraak vastleggen").click()
    page.get_by_text("De afspraak is vastgelegd.").wait_for()
    page.get_by_role("link", name="Gesprek afronden").click()
    page.get_by_text("Afronden is definitief").wait_for()
    look(page, "06-afronden-bevestigen")
    page.get_by_role("button", name="Ja, gesprek afronden").click()
    page.get_by_text("Het gesprek is afgerond.").wait_for()
    look(page, "07-gesprek-afgerond")

    gesprek = Voortgangsgesprek.objects.get(moment=world.moment)
    assert gesprek.is_afgerond and gesprek.notes_ik_boodschap == "Ik merk dat je weinig vragen stelt."
    assert Afspraak.objects.for_leerdoel(leerdoel).get().owner == world.stagiair

    log_in(page, world.stagiair, "Sam")
    page.goto(f"/gesprekken/{world.moment.pk}/")
    page.get_by_text("Ik merk dat je weinig vragen stelt.").wait_for()
    look(page, "08-verslag-stagiair")


def test_evaluatie_filled_and_seen_in_the_overzicht(page, world, look):
    log_in(page, world.stagiair, "Sam")
    page.goto(f"/stages/{world.stage.pk}/evaluatie/invullen/")
    for question in EVALUATIE_QUESTIONS:
        if question.scale:
            page.locator(f"input[name=score_{question.key}][value='4']").check()
    page.get_by_label("Welke tips heb je voor mij?").fill("Vaker vragen hoe het gaat.")
    look(page, "01-evaluatie-invullen")
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Je evaluatie is ingediend.").wait_for()

    log_in(page, world.opleider, "Olga")
    page.locator("summary", has_text="Leren van evaluaties").click()
    page.get_by_role("link", name="Wat stagiairs van hun stage bij Installatiebedrijf A vonden").click()
    page.get_by_text("Gemiddeld 4,0 uit 1 antwoord.").first.wait_for()
    look(page, "02-evaluaties-overzicht")
