from .steps import log_in


def test_praktijkopleider_completes_the_first_day_checklist(page, world, look):
    log_in(page, world.opleider)
    page.get_by_role("link", name="Onboarding: 13 acties te laat — Sam Stagiair").wait_for()
    look(page, "01-start-met-onboarding")

    page.get_by_role("link", name="Onboarding: 13 acties te laat — Sam Stagiair").click()
    page.get_by_role("heading", name="Een goede start voor Sam Stagiair").wait_for()
    look(page, "02-onboarding")

    first_day = page.locator("section", has=page.get_by_role("heading", name="Eerste dag", exact=True))
    buttons = first_day.get_by_role("button", name="Afvinken")
    assert buttons.count() == 5
    for done in range(1, 6):
        buttons.first.click()
        # htmx swaps the item and the progress in place: no page load.
        page.get_by_text(f"{done} van 13 gedaan").wait_for()
    assert first_day.get_by_role("button", name="Afvinken").count() == 0
    assert first_day.get_by_text("Afgevinkt door Olga Opleider").count() == 5
    look(page, "03-eerste-dag-klaar")

    assert world.stage.onboarding_items.filter(phase="eerste_dag", done_by=world.opleider).count() == 5
    page.get_by_role("link", name="Sam Stagiair").first.click()
    page.get_by_text("5 van 13 gedaan").wait_for()
    look(page, "04-stage")
