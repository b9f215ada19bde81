from leerbedrijf.models import ErkenningStatus, Stage

from .steps import log_in


def test_praktijkopleider_takes_a_stagiair_in(page, world, look):
    assert world.erkenning.status == ErkenningStatus.ERKEND  # the world is erkend for the stage's kwalificatie
    log_in(page, world.opleider)
    page.get_by_role("heading", name="Goedendag, Olga").wait_for()

    page.goto(f"/leerbedrijf/{world.a.pk}/")
    page.get_by_role("link", name="Stagiair aannemen").click()
    page.get_by_role("heading", name="Intake van een stagiair").wait_for()
    look(page, "01-intake-leeg")

    page.get_by_label("Naam stagiair").fill("Ilse Instroom")
    page.get_by_label("E-mailadres stagiair").fill("ilse@student.nl")
    page.get_by_label("Kwalificatie").select_option(str(world.stage.kwalificatie.pk))
    page.get_by_label("Leerjaar").fill("1")
    page.get_by_label("Leerweg").select_option("bbl")
    page.get_by_label("Komt van").select_option("zij_instromer")
    page.get_by_label("School").select_option(str(world.school.pk))
    page.get_by_label("Mbo-begeleider").select_option(str(world.mbo.pk))
    page.get_by_label("Bpv-coördinator", exact=True).fill("Bea Coördinator")
    page.get_by_label("Startdatum").fill("2027-02-01")
    page.get_by_label("Einddatum").fill("2028-01-31")
    page.get_by_label("Dagen per week").fill("4")
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Pok ondertekend op").fill("2027-01-10")
    page.get_by_label("Salaris per maand").fill("2100")
    page.get_by_label("Werkplekbegeleider", exact=True).select_option(str(world.wpb_other.pk))
    page.get_by_role("button", name="Stagiair aannemen").click()

    page.get_by_text("Er is niets opgeslagen").wait_for()
    page.get_by_text("Bij bbl hoort naast de pok ook een bpv-overeenkomst").wait_for()
    look(page, "02-intake-fout")
    assert not Stage.objects.filter(stagiair__email="ilse@student.nl").exists()

    page.get_by_label("Bpv-overeenkomst ondertekend op").fill("2027-01-12")
    page.get_by_role("button", name="Stagiair aannemen").click()
    page.get_by_text("Ilse Instroom is aangenomen.").wait_for()
    look(page, "03-stage")
    body = page.locator("main").inner_text()
    assert "ondertekend op 12 januari 2027" in body
    assert "€ 2.100,00" in body
    assert Stage.objects.get(stagiair__email="ilse@student.nl").werkplekbegeleider == world.wpb_other
