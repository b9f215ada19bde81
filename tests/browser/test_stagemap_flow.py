from stagemap.verslagen import make_verslag

from .steps import log_in


def test_praktijkopleider_shares_verslag_and_mbo_begeleider_gives_akkoord(page, world, look):
    world.verslag.delete()
    make_verslag(
        stage=world.stage,
        kind="tussenbeoordeling",
        title="Verslag tussenbeoordeling",
        template="verslagen/stagemap_inhoud.html",
        context={"rows": []},
        source=world.stage,
        source_version="1",
        signatures=[{"name": "Olga Opleider", "role": "praktijkopleider", "signed_at": "2026-11-01"}],
        by=world.opleider,
    )
    log_in(page, world.opleider)
    page.goto(f"/stages/{world.stage.pk}/stagemap/")
    look(page, "01-stagemap-praktijkopleider")
    page.get_by_role("button", name="Delen met mbo-begeleider").click()
    page.get_by_text("Het verslag is gedeeld met").wait_for()

    log_in(page, world.mbo)
    look(page, "02-start-mbo-begeleider")
    page.get_by_role("link", name="Verslag tussenbeoordeling").click()
    page.get_by_label("Akkoord").check()
    page.get_by_label("Toelichting").fill("Duidelijk verslag, dank je.")
    look(page, "03-stagemap-mbo-begeleider")
    page.get_by_role("button", name="Oordeel opslaan").click()
    page.get_by_text("Uw oordeel is opgeslagen.").wait_for()

    log_in(page, world.stagiair)
    page.goto(f"/stages/{world.stage.pk}/stagemap/")
    page.get_by_text("akkoord school").wait_for()
    page.get_by_text("Duidelijk verslag, dank je.").wait_for()
    look(page, "04-stagemap-stagiair")
