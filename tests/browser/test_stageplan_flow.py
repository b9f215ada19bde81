from tests.factories import png_bytes

from .steps import log_in


def test_observatie_leerdoel_and_agreement(page, world, look):
    log_in(page, world.wpb)
    look(page, "01-start-werkplekbegeleider")
    page.get_by_role("link", name="Observatie vastleggen").click()
    page.get_by_role("heading", name="Observatie over Sam Stagiair").wait_for()
    page.get_by_label("wat ging goed").check()
    page.get_by_label("Wat zag u?").fill("Maakte de werkplek veilig voordat hij begon.")
    page.get_by_label("Bij leerdoel (mag leeg)").select_option(label="Leidingen aanleggen")
    page.get_by_label("Foto").set_input_files(
        files=[{"name": "werkplek.jpg", "mimeType": "image/jpeg", "buffer": png_bytes(exif_gps=True, size=(800, 600))}]
    )
    look(page, "02-observatie-formulier")
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text("De observatie over Sam Stagiair is vastgelegd.").wait_for()

    log_in(page, world.stagiair)
    look(page, "03-start-stagiair")
    page.get_by_role("link", name="Observaties over jou").click()
    page.get_by_text("Maakte de werkplek veilig voordat hij begon.").wait_for()
    photo = page.locator("img.observatie-foto").first
    photo.scroll_into_view_if_needed()
    # decode() waits until the image has loaded: reading naturalWidth at once raced the download.
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0, "the photo is served"
    look(page, "04-observaties-stagiair")

    page.get_by_role("link", name="Stageplan", exact=True).click()
    look(page, "05-stageplan")
    page.get_by_role("link", name="Leerdoel toevoegen").click()
    page.get_by_label("Zoek een werkproces").fill("installatie")
    page.get_by_role("region", name="Kies een werkproces").get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Kies werkproces B1-K1-W2").click()
    page.get_by_label("Activiteiten: wat ga je doen?").fill("Samen met Willem drie installaties testen.")
    page.get_by_label("Streefdatum: wanneer behaald?").fill(world.stage.end_date.isoformat())
    look(page, "05b-leerdoel-toevoegen")
    page.get_by_role("button", name="Leerdoel opslaan").click()
    page.get_by_role("heading", name="Test de installatie").wait_for()
    look(page, "06-leerdoel")
    page.get_by_role("link", name="Stageplan", exact=True).click()
    page.get_by_role("link", name="Naar de versies om af te stemmen").click()
    page.get_by_role("button", name="afstemmen").click()
    # The leerdoel just added made the version after the world's last.
    version = world.stageplan.version + 1
    page.get_by_text(f"Je hebt versie {version} afgestemd. Je praktijkopleider moet dat ook nog doen.").wait_for()
    look(page, "07-versies-stagiair")

    log_in(page, world.opleider)
    look(page, "08-start-praktijkopleider")
    page.get_by_role("link", name=f"Stageplan versie {version} afstemmen — Sam Stagiair").click()
    page.get_by_role("button", name=f"Versie {version} afstemmen").click()
    page.get_by_text(
        f"Versie {version} is afgestemd door stagiair en praktijkopleider en is gedeeld met de school."
    ).wait_for()
    look(page, "09-versies-afgestemd")
    page.get_by_role("link", name="Planning").click()
    look(page, "10-planning")
