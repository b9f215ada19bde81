from django.urls import reverse

from leerbedrijf.models import ErkenningStatus, Stage

from .steps import log_in

CSV = (
    "naam;e-mailadres;crebo;leerweg;startdatum;einddatum;leerjaar;niveau\n"
    "Fatima Yilmaz;fatima@student.nl;25333;bol;01-02-2027;30-06-2027;1;\n"
    "Jesse de Boer;jesse@student.nl;99999;bbl;01-09-2027;31-08-2027;2;\n"
)


def test_kandidaat_rejected_and_school_csv_previewed(page, world, look, tmp_path):
    assert world.erkenning.status == ErkenningStatus.ERKEND  # the world is erkend for the stage's kwalificatie
    log_in(page, world.opleider)
    look(page, "01-start")
    page.get_by_role("link", name="Besluiten over 1 kandidaat").click()
    look(page, "02-kandidaten")
    page.get_by_role("link", name=world.kandidaat.name).click()
    look(page, "03-kandidaat")
    page.get_by_label("niet aangenomen").check()
    page.get_by_label("Reden").fill("Wat de kandidaat wil leren, bieden wij niet.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Motivatie, e-mailadres en aantekeningen van de meeloopdag zijn gewist.").wait_for()
    look(page, "04-kandidaat-afgewezen")

    page.goto(reverse("leerbedrijf:import", args=[world.a.pk]))
    path = tmp_path / "stagiairs.csv"
    path.write_text(CSV, encoding="utf-8")
    page.get_by_label("School die het bestand stuurt").select_option(str(world.school.pk))
    page.get_by_label("CSV-bestand").set_input_files(path)
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_text("Crebo 99999 is onbekend.").wait_for()
    look(page, "05-import-fouten")
    assert page.get_by_role("button", name="importeren").count() == 0
    path.write_text(CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n", encoding="utf-8")
    page.get_by_label("School die het bestand stuurt").select_option(str(world.school.pk))
    page.get_by_label("CSV-bestand").set_input_files(path)
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("button", name="1 stagiair importeren").click()
    page.get_by_text("1 stagiair geïmporteerd.").wait_for()
    look(page, "06-geimporteerd")
    assert Stage.objects.filter(stagiair__email="fatima@student.nl").exists()
