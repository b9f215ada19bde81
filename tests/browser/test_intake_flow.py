from leerbedrijf.models import ErkenningStatus, Invitation, Onderwijsinstelling, Stage

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
    page.get_by_label("Bpv-coördinator", exact=True).fill("Bea Coördinator")

    # The school is not in the portal yet: it is added right there, and what was typed stays.
    page.get_by_text("School staat er niet bij? Voeg de school toe").click()
    page.get_by_label("Naam van de school").fill("ROC Midden Nederland")
    page.get_by_label("BRIN-code").fill("25P")
    look(page, "01b-school-toevoegen")
    page.get_by_role("button", name="School toevoegen").click()
    page.get_by_text("Een BRIN-code bestaat uit twee cijfers en twee letters").wait_for()
    page.get_by_label("BRIN-code").fill("25pz")
    page.get_by_role("button", name="School toevoegen").click()
    page.get_by_text("ROC Midden Nederland (BRIN-code 25PZ) is toegevoegd en gekozen.").wait_for()
    school = Onderwijsinstelling.objects.get(brin="25PZ")
    assert page.get_by_role("combobox", name="School").input_value() == str(school.pk)
    assert page.get_by_label("Naam stagiair").input_value() == "Ilse Instroom"
    assert page.get_by_label("Bpv-coördinator", exact=True).input_value() == "Bea Coördinator"
    # It has no mbo-begeleider in the portal yet: the praktijkopleider invites one.
    page.get_by_text("Deze school heeft nog geen mbo-begeleider in de Stagegids").wait_for()
    page.get_by_label("Naam van de mbo-begeleider").fill("Karin Bos")
    page.get_by_label("E-mailadres van de mbo-begeleider").fill("k.bos@rocmn.nl")
    look(page, "01c-school-gekozen")
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
    page.get_by_text("De uitnodiging voor de mbo-begeleider wordt verstuurd naar k.bos@rocmn.nl.").wait_for()
    look(page, "03-stage")
    body = page.locator("main").inner_text()
    assert "ondertekend op 12 januari 2027" in body
    assert "€ 2.100,00" in body
    assert "Karin Bos (uitgenodigd)" in body
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert (stage.werkplekbegeleider, stage.onderwijsinstelling) == (world.wpb_other, school)
    assert Invitation.objects.get(email="k.bos@rocmn.nl").stage == stage
