"""Import of stagiairs from a school's CSV, through the pages: preview with per-row errors, then all or nothing."""

import re
import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from leerbedrijf.models import Erkenning, ErkenningStatus, Stage, StagiairImport
from stagegids.roles import Role
from tests.factories import KwalificatieFactory, MembershipFactory, StageFactory, StagiairFactory, UserFactory

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


def previewed(client, world):
    """The confirmation the preview page offers, as the browser would send it."""
    page = client.get(reverse("leerbedrijf:import", args=[world.a.pk])).content.decode()
    return re.search(r'name="upload" value="([^"]*)"', page).group(1)


def confirm(client, world, token=None):
    token = previewed(client, world) if token is None else token
    return client.post(reverse("leerbedrijf:import_confirm", args=[world.a.pk]), {"upload": token}, follow=True)


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
        # What the confirmation met with a 500: the model's lengths and the date window.
        (
            f"{'N' * 200};ab@student.nl;25333;bol;01-02-2027;30-06-2027;;\n",
            "Naam: Zorg dat deze waarde niet meer dan 150 tekens",
        ),
        (
            f"Ab;{'a' * 280}@student.nl;25333;bol;01-02-2027;30-06-2027;;\n",
            "E-mailadres: Zorg dat deze waarde niet meer dan 254 tekens",
        ),
        ("Ab;ab@student.nl;25333;bol;01-02-2027;31-12-9999;;\n", "Einddatum: Vul een datum tussen 1 januari 2000"),
        ("Ab;ab@student.nl;25333;bol;01-01-0001;30-06-2027;;\n", "Startdatum: Vul een datum tussen 1 januari 2000"),
        ("Ab;ab@student.nl;25333;bbl;01-09-2027;01-09-2032;;\n", "Een stage duurt hoogstens 4 jaar."),
    ],
)
def test_a_row_with_an_error_blocks_the_whole_file(opleider, world, row, message):
    page = upload(opleider, world, HEADER + GOOD + row).content.decode()
    assert message in page
    assert "Er wordt niets geïmporteerd" in page
    assert "importeren</button>" not in page
    # A confirmation sent anyway (an old tab) checks again and imports nothing.
    page = confirm(opleider, world, StagiairImport.objects.get().token).content.decode()
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
    with django_assert_num_queries(7):  # 6, and the header's count of unread notifications
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


def test_a_four_year_bbl_leerbaan_imports(opleider, world):
    upload(opleider, world, HEADER + "Ab;ab@student.nl;25333;bbl;01-09-2027;01-09-2031;;\n")
    assert "1 stagiair geïmporteerd." in confirm(opleider, world).content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((HEADER + GOOD).replace(";", "\t").encode("utf-16"), "1 stagiair, zonder fouten."),
        (("\ufeff" + HEADER + GOOD).replace(";", "\t").encode("utf-16-be"), "1 stagiair, zonder fouten."),
        ((HEADER + GOOD).encode("utf-16-le"), "opgeslagen als Unicode-tekst zonder kenmerk"),
        ((HEADER + GOOD.replace("Fatima", "Fátima Çelik")).encode("cp1252"), "1 stagiair, zonder fouten."),
        ((HEADER + GOOD).replace("\n", "\r").encode(), "1 stagiair, zonder fouten."),
        ((HEADER + GOOD.replace("Yilmaz", "Yil\x00maz")).encode(), "Regel 2 bevat een NUL-teken"),
        ((HEADER + GOOD.replace("Yilmaz", "Y" * 140_000)).encode(), "Regel 2 is geen CSV: een veld is te lang"),
    ],
)
def test_files_excel_writes_are_read_or_refused_for_what_they_are(opleider, world, content, message):
    response = opleider.post(
        reverse("leerbedrijf:import", args=[world.a.pk]),
        {"onderwijsinstelling": world.school.pk, "file": SimpleUploadedFile("s.csv", content, "text/csv")},
        follow=True,
    )
    page = response.content.decode()
    assert message in page
    assert "ontbreken in de eerste regel" not in page
    if "stagiair, zonder fouten." in page:
        assert "Fátima Çelik" in page or "Fatima Yilmaz" in page
        assert "1 stagiair geïmporteerd." in confirm(opleider, world).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses a NUL in text; SQLite keeps it")
def test_a_nul_byte_is_refused_in_the_preview_on_postgresql(opleider, world):
    page = upload(opleider, world, HEADER + GOOD.replace("Yilmaz", "Yil\x00maz")).content.decode()
    assert "Regel 2 bevat een NUL-teken" in page
    assert not StagiairImport.objects.exists()


@pytest.fixture
def collega(world):
    """A second praktijkopleider of the same company."""
    person = UserFactory(email="tweede@a.nl", name="Tom Tweede")
    MembershipFactory(user=person, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=world.a)
    client = Client()
    client.force_login(person)
    return client


def test_a_confirmation_imports_only_the_file_it_previewed(opleider, world, collega):
    upload(opleider, world, HEADER + GOOD)
    token = previewed(opleider, world)
    upload(collega, world, HEADER + "Jesse de Boer;jesse@student.nl;25333;bol;01-09-2027;31-01-2028;2;\n")
    page = confirm(opleider, world, token).content.decode()
    assert "Er is niets geïmporteerd: intussen is een ander bestand geüpload." in page
    assert not Stage.objects.filter(stagiair__email__in=["fatima@student.nl", "jesse@student.nl"]).exists()
    assert StagiairImport.objects.get().uploaded_by.email == "tweede@a.nl", "the colleague's upload still waits"


def test_only_who_uploaded_the_file_confirms_it(opleider, world, collega):
    upload(collega, world, HEADER + GOOD)
    page = opleider.get(reverse("leerbedrijf:import", args=[world.a.pk])).content.decode()
    assert "Dit bestand is geüpload door Tom Tweede; alleen die kan het importeren." in page
    assert 'name="upload"' not in page
    token = StagiairImport.objects.get().token
    assert "Er is niets geïmporteerd" in confirm(opleider, world, token).content.decode()
    assert not Stage.objects.filter(stagiair__email="fatima@student.nl").exists()
    assert "1 stagiair geïmporteerd." in confirm(collega, world).content.decode()


@pytest.mark.parametrize("token", ["", "²:abc", "99999999999999999999999:x", "1"])
def test_a_malformed_confirmation_imports_nothing(opleider, world, token):
    upload(opleider, world, HEADER + GOOD)
    assert "Er is niets geïmporteerd" in confirm(opleider, world, token).content.decode()
    assert StagiairImport.objects.exists()


def test_a_second_confirmation_says_the_file_is_imported_already(opleider, world):
    upload(opleider, world, HEADER + GOOD)
    token = previewed(opleider, world)
    assert "1 stagiair geïmporteerd." in confirm(opleider, world, token).content.decode()
    page = confirm(opleider, world, token).content.decode()
    assert "het bestand is al geïmporteerd of vervangen" in page
    assert Stage.objects.filter(stagiair__email="fatima@student.nl").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel confirmations need real row locks")
def test_parallel_confirmations_import_once(transactional_db, world):
    assert world.erkenning.status == ErkenningStatus.ERKEND
    first = Client()
    first.force_login(world.opleider)
    upload(first, world, HEADER + GOOD)
    token = previewed(first, world)
    barrier = threading.Barrier(6)
    pages = []

    def click():
        try:
            client = Client()
            client.force_login(world.opleider)
            barrier.wait()
            pages.append(confirm(client, world, token).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Stage.objects.filter(stagiair__email="fatima@student.nl").count() == 1
    assert sum("1 stagiair geïmporteerd." in page for page in pages) == 1
    assert sum("het bestand is al geïmporteerd of vervangen" in page for page in pages) == 5
