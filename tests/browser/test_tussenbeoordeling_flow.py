from .steps import log_in


def fill_form(page, choice, note):
    for group in page.locator("fieldset fieldset").all():
        group.get_by_label(choice, exact=True).check()
    page.get_by_label("Toelichting").first.fill(note)


def test_tussenbeoordeling_both_fill_compare_and_sign(page, world, look):
    log_in(page, world.opleider)
    look(page, "01-start-praktijkopleider")
    page.get_by_role("link", name="Tussenbeoordeling: formulier invullen").click()
    look(page, "02-beoordeling-praktijkopleider")
    page.get_by_role("link", name="Formulier invullen").click()
    fill_form(page, "goed", "Bereidt het werk zelfstandig voor")
    look(page, "03-invullen-praktijkopleider")
    page.get_by_role("button", name="Opslaan en inleveren").click()
    page.get_by_text("Het formulier is ingeleverd.").wait_for()

    log_in(page, world.stagiair)
    page.get_by_role("link", name="Tussenbeoordeling: formulier invullen").click()
    assert "Bereidt het werk zelfstandig voor" not in page.locator("main").inner_text()
    page.get_by_role("link", name="Formulier invullen").click()
    fill_form(page, "voldoende", "Voorbereiden gaat nog langzaam")
    page.get_by_role("button", name="Opslaan en inleveren").click()
    page.get_by_text("Naast elkaar: eerst de verschillen").wait_for()
    look(page, "04-vergelijking-stagiair")
    assert "Bereidt het werk zelfstandig voor" in page.locator("main").inner_text()

    log_in(page, world.opleider)
    page.goto(world.beoordeling.get_absolute_url())
    page.get_by_role("link", name="Conclusie invullen").click()
    page.get_by_label("ja, op weg naar het eindniveau").check()
    page.get_by_label("Afspraken").fill("Voorbereiding samen met Willem oefenen")
    look(page, "05-conclusie")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Ondertekenen").click()
    page.get_by_role("heading", name="De tussenbeoordeling van Sam Stagiair ondertekenen?").wait_for()
    look(page, "06-ondertekenen-bevestigen")
    page.get_by_role("button", name="Ja, ondertekenen").click()
    page.get_by_text("U heeft de beoordeling ondertekend.").wait_for()

    log_in(page, world.stagiair)
    page.goto(world.beoordeling.get_absolute_url())
    page.get_by_role("link", name="Ondertekenen").click()
    assert "Met je handtekening bevestig je" in page.locator("main").inner_text()
    look(page, "07-ondertekenen-bevestigen-stagiair")
    page.get_by_role("button", name="Ja, ik onderteken").click()
    page.get_by_text("ondertekend", exact=True).first.wait_for()
    look(page, "08-ondertekend")
    world.beoordeling.refresh_from_db()
    assert world.beoordeling.state == "ondertekend"
