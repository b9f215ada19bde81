from leerbedrijf.models import Erkenning
from tests.conftest import PDF
from tests.factories import KerntaakFactory, KwalificatieFactory, WerkprocesFactory

from .steps import log_in


def test_praktijkopleider_records_an_erkenning_and_ticks_its_checklist(page, world, look, tmp_path):
    woning = KwalificatieFactory(crebo="25349", name="Eerste Monteur woning", niveau=3, soort="vakopleiding")
    kerntaak = KerntaakFactory(dossier=woning.dossier, code="B1-K1", title="Bereidt het werk voor", is_example=True)
    WerkprocesFactory(kerntaak=kerntaak, code="B1-K1-W1", title="Stemt het werk af", is_example=True)
    WerkprocesFactory(kerntaak=kerntaak, code="B1-K1-W2", title="Richt de werkplek in", is_example=True)
    polis = tmp_path / "polis-studentendekking.pdf"
    polis.write_bytes(PDF)

    log_in(page, world.opleider)
    # The erkenningen are an overview on the start page, folded: one click opens them.
    page.locator("summary", has_text="SBB-erkenningen").click()
    look(page, "01-start-met-erkenningen")

    page.get_by_role("link", name="Erkenningen bekijken").click()
    page.get_by_role("heading", name="SBB-erkenningen").wait_for()
    look(page, "02-erkenningen")
    page.get_by_role("link", name="Erkenning vastleggen").click()
    page.get_by_label("Kwalificatie").select_option(label="Eerste Monteur woning (crebo 25349, niveau 3)")
    page.get_by_label("Status").select_option("aangevraagd")
    page.get_by_label("Aangevraagd op").fill("2026-11-02")
    page.get_by_label("SBB-kenmerk").fill("SBB-2026-000123")
    look(page, "03-erkenning-vastleggen")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De erkenning voor Eerste Monteur woning is vastgelegd.").wait_for()
    page.get_by_text("Nog 6 eisen te regelen").wait_for()
    look(page, "04-erkenning")

    erkenning = Erkenning.objects.get(kwalificatie__crebo="25349")
    werkplek = erkenning.checks.get(item="werkplek")
    item = page.locator(f"#eis-{werkplek.pk}")
    item.get_by_label("Geregeld").check()
    item.get_by_label("Toelichting").fill("RI&E bijgewerkt in oktober.")
    item.get_by_role("button", name="Opslaan").click()
    page.locator(f"#eis-{werkplek.pk}").get_by_text("Opgeslagen.").wait_for()

    verzekering = erkenning.checks.get(item="verzekering")
    item = page.locator(f"#eis-{verzekering.pk}")
    item.get_by_label("Geregeld").check()
    item.get_by_label("Bewijsstuk").set_input_files(str(polis))
    item.get_by_role("button", name="Opslaan").click()
    page.locator(f"#eis-{verzekering.pk}").get_by_role("link", name="Bewijsstuk: polis-studentendekking.pdf").wait_for()
    page.get_by_text("Nog 4 eisen te regelen").wait_for()
    look(page, "05-eisen-afgevinkt")

    page.reload()
    page.get_by_text("Nog 4 eisen te regelen").wait_for()
    look(page, "06-erkenning-herladen")
    verzekering.refresh_from_db()
    assert verzekering.done and verzekering.ticked_by == world.opleider
    assert verzekering.evidence.read() == PDF
    with page.expect_download() as download:
        page.get_by_role("link", name="Bewijsstuk: polis-studentendekking.pdf").click()
    assert download.value.suggested_filename == "polis-studentendekking.pdf"

    page.get_by_role("link", name="Werkprocessen aangeven").click()
    page.get_by_label("B1-K1-W2 Richt de werkplek in").check()
    look(page, "07-werkprocessen")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De werkprocessen zijn opgeslagen.").wait_for()
    assert [w.code for w in erkenning.unavailable_werkprocessen.all()] == ["B1-K1-W2"]
    look(page, "08-erkenning-met-werkprocessen")
