"""The import of SBB's kwalificatiedossier export and of a crebolijst, on fixture files in their structure."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

import leerbedrijf.demo
from leerbedrijf.models import Kerntaak, Kwalificatie, Kwalificatiedossier, Werkproces
from tests.factories import MembershipFactory, UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
XML = FIXTURES / "sbb-kwalificatiedossiers.xml"
XLSX = FIXTURES / "crebolijst-2026.xlsx"

pytestmark = pytest.mark.django_db


def run(**options):
    out = StringIO()
    call_command("import_kwalificaties", stdout=out, **options)
    return out.getvalue()


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Kwalificatiedossier, Kwalificatie, Kerntaak, Werkproces)
    ]


def test_xml_creates_kerntaken_and_werkprocessen_with_codes_and_source():
    output = run(xml=str(XML), editie="2026")

    basis = Kerntaak.objects.get(dossier__crebo="23127", kwalificatie=None, code="B1-K1")
    assert basis.title == "Installeert en onderhoudt elektrotechnische installaties"
    assert list(basis.werkprocessen.values_list("code", flat=True)) == ["B1-K1-W1", "B1-K1-W2"]
    werkproces = Werkproces.objects.get(kerntaak=basis, code="B1-K1-W1")
    assert werkproces.resultaat == "De werkzaamheden zijn goed voorbereid."
    assert werkproces.gedrag == "Werkt nauwkeurig."
    assert "versie 2026" in werkproces.source and not werkproces.is_example

    profiel = Kerntaak.objects.get(kwalificatie__crebo="25333", code="P1-K1")
    assert profiel.werkprocessen.get().code == "P1-K1-W1"
    nieuw = Kwalificatie.objects.get(crebo="25999")
    assert (nieuw.niveau, nieuw.soort, nieuw.dossier.crebo) == (3, "vakopleiding", "23127")
    # The kwalificatie that migration 0003 loaded is matched on its crebo and now says where it came from.
    assert Kwalificatie.objects.filter(crebo="25333").count() == 1
    assert "SBB-export" in Kwalificatie.objects.get(crebo="25333").source

    assert "nieuw: werkproces B1-K1-W1 (23127)" in output
    assert "overgeslagen: werkproces Werkproces zonder nummer van kerntaak B1-K1: geen nummer of titel" in output
    assert "overgeslagen: kerntaak Kerntaak zonder nummer" in output
    assert "overgeslagen: profiel Profiel zonder crebo" in output and "geen crebo in creboinformatie" in output
    assert "niveau „5” is geen mbo-niveau 1 tot 4" in output
    assert not Kwalificatie.objects.filter(crebo="25998").exists()


def test_second_run_changes_nothing():
    run(xml=str(XML), crebolijst=str(XLSX), editie="2026")
    before = snapshot()
    output = run(xml=str(XML), crebolijst=str(XLSX), editie="2026")
    assert snapshot() == before
    assert "Klaar: 0 nieuw, 0 bijgewerkt," in output
    assert "nieuw:" not in output and "bijgewerkt:" not in output


def test_matches_on_codes_never_on_names():
    Kwalificatie.objects.filter(crebo="25333").update(name="Een oude naam")
    Kwalificatie.objects.filter(crebo="25332").update(name="Monteur elektrotechnische installaties")
    output = run(xml=str(XML))
    assert Kwalificatie.objects.get(crebo="25333").name == "Monteur elektrotechnische installaties"
    assert Kwalificatie.objects.get(crebo="25332").name == "Monteur elektrotechnische installaties"
    assert "bijgewerkt: kwalificatie 25333 (naam, bron)" in output


def test_crebolijst_updates_known_codes_and_reports_what_it_skips():
    output = run(crebolijst=str(XLSX), editie="2026")
    updated = Kwalificatie.objects.get(crebo="25332")
    assert updated.name == "Eerste monteur elektrotechnische installaties woning en utiliteit (2026)"
    assert updated.source == "SBB crebolijst 2026"
    # A number typed in Excel is stored as the text code.
    assert Kwalificatie.objects.get(crebo="25996").dossier.crebo == "23127"
    assert "overgeslagen: rij 6 (crebo 25997): nieuwe kwalificatie zonder bekend kwalificatiedossier" in output
    assert "overgeslagen: rij 7: „2533” is geen crebonummer van vijf cijfers" in output
    assert "overgeslagen: rij 8 (crebo 25331): niveau „7” is geen mbo-niveau 1 tot 4" in output
    assert Kwalificatie.objects.get(crebo="25331").niveau == 3


@pytest.mark.parametrize("column", ["Crebonummer", "Erkende opleidingscode", "Opleidingscode"])
def test_crebolijst_code_column_of_every_edition(tmp_path, column):
    path = tmp_path / "lijst.xlsx"
    workbook = Workbook()
    workbook.active.append([column, "Naam"])
    workbook.active.append(["25333", "Monteur elektrotechnische installaties (nieuwe naam)"])
    workbook.save(path)
    run(crebolijst=str(path), editie="2024")
    assert Kwalificatie.objects.get(crebo="25333").name == "Monteur elektrotechnische installaties (nieuwe naam)"


def test_real_rows_replace_example_rows_with_the_same_code():
    leerbedrijf.demo.load_example_werkprocessen()
    output = run(xml=str(XML), editie="2026")
    werkproces = Werkproces.objects.get(kerntaak__dossier__crebo="23127", kerntaak__kwalificatie=None, code="B1-K1-W1")
    assert not werkproces.is_example and werkproces.title == "Bereidt de werkzaamheden voor"
    assert (
        "bijgewerkt: werkproces B1-K1-W1 (23127) (titel, omschrijving, resultaat, gedrag, bron, voorbeelddata)"
        in output
    )
    # Example rows the file does not give stay, still marked as examples.
    assert Werkproces.objects.get(kerntaak__dossier__crebo="23127", code="B1-K2-W1").is_example


def test_broken_xml_changes_nothing():
    before = snapshot()
    with pytest.raises(CommandError, match="Niets geïmporteerd"):
        run(xml=str(FIXTURES / "sbb-kwalificatiedossiers-afgebroken.xml"))
    assert snapshot() == before


def test_an_unreadable_crebolijst_stops_the_whole_import_even_with_a_good_xml(tmp_path):
    path = tmp_path / "lijst.xlsx"
    workbook = Workbook()
    workbook.active.append(["Code", "Naam"])
    workbook.save(path)
    before = snapshot()
    with pytest.raises(CommandError, match="geen kolom „Crebonummer”"):
        run(xml=str(XML), crebolijst=str(path))
    assert snapshot() == before
    not_a_workbook = tmp_path / "lijst2.xlsx"
    not_a_workbook.write_bytes(b"%PDF-1.4 dit is geen spreadsheet")
    with pytest.raises(CommandError, match="geen leesbaar XLSX-bestand"):
        run(crebolijst=str(not_a_workbook))
    assert snapshot() == before


def test_xml_with_an_entity_bomb_is_refused(tmp_path):
    path = tmp_path / "bom.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE sbb [<!ENTITY a "aaaa">]><sbb>&a;</sbb>')
    with pytest.raises(CommandError, match="Niets geïmporteerd"):
        run(xml=str(path))


def test_xml_that_is_not_an_sbb_export_is_refused(tmp_path):
    path = tmp_path / "ander.xml"
    path.write_text("<dossiers><dossier nr='1' titel='x'/></dossiers>")
    with pytest.raises(CommandError, match="geen SBB-export"):
        run(xml=str(path))


def test_the_beheerder_imports_from_the_beheer_without_a_shell(client):
    """The beheerder's start page links here (issue 12): the same import as the command, from uploaded files."""
    url = reverse("admin:leerbedrijf_kwalificatie_import")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Kwalificaties importeren" in client.get(url).content.decode()
    assert url in client.get(reverse("admin:leerbedrijf_kwalificatie_changelist")).content.decode()

    assert "Kies een XML-export, een crebolijst of allebei." in client.post(url, {}).content.decode()

    before = snapshot()
    with open(FIXTURES / "sbb-kwalificatiedossiers-afgebroken.xml", "rb") as broken:
        page = client.post(url, {"xml": broken}).content.decode()
    assert "Niets geïmporteerd." in page and snapshot() == before

    with open(XML, "rb") as xml, open(XLSX, "rb") as xlsx:
        page = client.post(url, {"xml": xml, "crebolijst": xlsx, "editie": "2026"}).content.decode()
    assert "Klaar:" in page and "overgeslagen: kerntaak Kerntaak zonder nummer" in page
    assert "versie 2026" in Werkproces.objects.get(kerntaak__dossier__crebo="23127", code="B1-K1-W1").source


def test_only_a_beheerder_imports_kwalificaties(client):
    client.force_login(MembershipFactory().user)
    response = client.get(reverse("admin:leerbedrijf_kwalificatie_import"))
    assert response.status_code == 302 and "/beheer/login/" in response.url
