"""Import of stagiairs from a school's CSV, through the pages: preview with per-row errors, then all or nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerbedrijf.models import Erkenning, ErkenningStatus, Stage, StagiairImport
from tests.factories import KwalificatieFactory, StageFactory, StagiairFactory

HEADER = "naam;e-mailadres;crebo;leerweg;startdatum;einddatum;leerjaar;niveau\n"
GOOD = "Fatima Yilmaz;fatima@student.nl;25333;bol;01-02-2027;30-06-2027;1;\n"


@pytest.fixture
def opleider(client, world):
    assert world.erkenning.status == ErkenningStatus.ERKEND  # the world's erkenning for the stage's kwalificatie
    KwalificatieFactory(crebo="25349", name="Eerste monteur", niveau=3, soort="vakopleiding")
    client.force_login(world.opleider)
    return client


def upload(client, world, text, name="stagiairs.csv"):
    return client.post(
        reverse("leerbedrijf:import", args=[world.a.pk]),
        {"onderwijsinstelling": world.school.pk, "file": SimpleUploadedFile(name, text.encode(), "text/csv")},
        follow=True,
    )


def confirm(client, world):
    return client.post(reverse("leerbedrijf:import_confirm", args=[world.a.pk]), follow=True)


def test_good_file_previews_then_imports_everything(opleider, world):
    text = HEADER + GOOD + "Jesse de Boer;jesse@student.nl;25333;BBL;2027-09-01;2028-08-31;2;3\n"
    page = upload(opleider, world, text).content.decode()
    assert "2 stagiairs, zonder fouten." in page
    assert not Stage.objects.filter(stagiair__email="fatima@student.nl").exists(), "nothing before confirmation"
    assert "2 stagiairs geïmporteerd." in confirm(opleider, world).content.decode()
    fatima = Stage.objects.get(stagiair__email="fatima@student.nl")
    assert (fatima.start_date, fatima.end_date, fatima.niveau, fatima.leerjaar) == (
        date(2027, 2, 1),
        date(2027, 6, 30),
        2,
        1,
    )
    assert fatima.onderwijsinstelling == world.school
    assert Stage.objects.get(stagiair__email="jesse@student.nl").leerweg == "bbl"
    assert not StagiairImport.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Ab;ab@student.nl;99999;bol;01-02-2027;30-06-2027;;\n", "Crebo 99999 is onbekend."),
        ("Ab;ab@student.nl;25349;bol;01-02-2027;30-06-2027;;\n", "Uw bedrijf is niet erkend voor crebo 25349."),
        ("Ab;ab@student.nl;25333;bol;31-02-2027;30-06-2027;;\n", "Startdatum ‘31-02-2027’ is geen datum"),
        ("Ab;ab@student.nl;25333;bol;01-02-2027;morgen;;\n", "Einddatum ‘morgen’ is geen datum"),
        ("Ab;ab@student.nl;25333;bol;01-02-2027;01-01-2027;;\n", "De einddatum ligt niet na de startdatum."),
        ("Ab;;25333;bol;01-02-2027;30-06-2027;;\n", "Kolom ‘e-mailadres’ is leeg."),
        ("Ab;geen-adres;25333;bol;01-02-2027;30-06-2027;;\n", "‘geen-adres’ is geen geldig e-mailadres."),
        ("Ab;ab@student.nl;25333;duaal;01-02-2027;30-06-2027;;\n", "Leerweg moet bol of bbl zijn."),
        ("Ab;ab@student.nl;25333;bol;01-02-2027;30-06-2027;7;\n", "Leerjaar moet een getal van 1 tot en met 4 zijn."),
        # '²' passes str.isdigit() but not int()
        ("Ab;ab@student.nl;25333;bol;01-02-2027;30-06-2027;²;\n", "Leerjaar moet een getal van 1 tot en met 4 zijn."),
        ("Ab;ab@student.nl;25333;bol;01-02-2027;30-06-2027;;٣\n", "Niveau moet een getal van 1 tot en met 4 zijn."),
        (GOOD.replace("Fatima", "Fatima Dubbel"), "Dubbel: regel 2 heeft dezelfde stagiair in dezelfde periode."),
        (
            f"Sam;{'stagiair@student.nl'};25333;bol;01-01-2026;01-01-2030;;\n",
            "Deze stagiair heeft in deze periode al een stage bij uw bedrijf.",
        ),
    ],
)
def test_a_row_with_an_error_blocks_the_whole_file(opleider, world, row, message):
    page = upload(opleider, world, HEADER + GOOD + row).content.decode()
    assert message in page
    assert "Er wordt niets geïmporteerd" in page
    assert "importeren</button>" not in page
    page = confirm(opleider, world).content.decode()
    assert "Er is niets geïmporteerd" in page
    assert not Stage.objects.filter(stagiair__email="fatima@student.nl").exists()


def test_confirm_checks_again_and_imports_nothing_when_the_world_changed(opleider, world):
    upload(opleider, world, HEADER + GOOD)
    StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, email="fatima@student.nl"),
        start_date=date(2027, 3, 1),
        end_date=date(2027, 4, 1),
    )
    page = confirm(opleider, world).content.decode()
    assert "Er is niets geïmporteerd" in page
    assert Stage.objects.filter(stagiair__email="fatima@student.nl").count() == 1


def test_reupload_replaces_the_preview(opleider, world):
    upload(opleider, world, HEADER + "Ab;;25333;bol;01-02-2027;30-06-2027;;\n")
    page = upload(opleider, world, HEADER + GOOD).content.decode()
    assert "1 stagiair, zonder fouten." in page and "Kolom ‘e-mailadres’ is leeg." not in page
    assert StagiairImport.objects.count() == 1
    assert "1 stagiair geïmporteerd." in confirm(opleider, world).content.decode()


def test_preview_survives_a_new_visit(opleider, world):
    upload(opleider, world, HEADER + GOOD)
    page = opleider.get(reverse("leerbedrijf:import", args=[world.a.pk])).content.decode()
    assert "Fatima Yilmaz" in page and "1 stagiair importeren" in page


def test_comma_separated_and_excel_bom(opleider, world):
    text = "\ufeff" + HEADER.replace(";", ",") + GOOD.replace(";", ",")
    assert "1 stagiair, zonder fouten." in upload(opleider, world, text).content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 fake", "Dit is geen CSV-bestand."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "Dit is geen CSV-bestand."),
        (b"naam;crebo\nAb;25333\n", "ontbreken in de eerste regel"),
        (HEADER.encode(), "Het bestand bevat geen stagiairs."),
        (b"x" * (513 * 1024), "Het bestand is te groot"),
    ],
)
def test_unreadable_files_are_refused(client, opleider, world, content, message):
    response = client.post(
        reverse("leerbedrijf:import", args=[world.a.pk]),
        {"onderwijsinstelling": world.school.pk, "file": SimpleUploadedFile("s.csv", content, "text/csv")},
    )
    assert message in response.content.decode()
    assert not StagiairImport.objects.exists()


def test_example_file_is_a_valid_import(opleider, world):
    response = opleider.get(reverse("leerbedrijf:import_example", args=[world.a.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="stagiairs-voorbeeld.csv"'
    Erkenning.objects.create(
        leerbedrijf=world.a, kwalificatie=KwalificatieFactory(crebo="25349"), status=ErkenningStatus.ERKEND
    )
    page = upload(opleider, world, response.content.decode()).content.decode()
    assert "2 stagiairs, zonder fouten." in page


@pytest.mark.parametrize("rows", [1, 50])
def test_preview_queries_are_constant(opleider, world, django_assert_num_queries, rows):
    lines = "".join(f"S{n};s{n}@student.nl;25333;bol;01-02-2027;30-06-2027;1;\n" for n in range(rows))
    upload(opleider, world, HEADER + lines)
    url = reverse("leerbedrijf:import", args=[world.a.pk])
    with django_assert_num_queries(9):
        page = opleider.get(url).content.decode()
    assert page.count("@student.nl") == rows


def test_an_imported_stage_has_its_onboarding_checklists(opleider, world):
    upload(opleider, world, HEADER + GOOD)
    confirm(opleider, world)
    stage = Stage.objects.get(stagiair__email="fatima@student.nl")
    page = opleider.get(reverse("leerbedrijf:onboarding", args=[stage.pk])).content.decode()
    assert "geen acties" not in page
    assert "0 van 14 gedaan" in page, "the gids's 13 items and the company's own one"
    assert "Zorg dat er iemand klaarstaat om de stagiair op te vangen en welkom te heten." in page
    assert "Toolbox veilig werken op hoogte" in page
