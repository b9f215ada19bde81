"""The header's search box (issue 16) on a phone and a desktop: suggestions while typing, the results page, a
result opened; and the same box without JavaScript, which is a plain form. Axe finds nothing on the way."""

from stagegids.roles import Role
from tests.browser.steps import log_in
from tests.factories import LeerbedrijfFactory, MembershipFactory, OnderwijsinstellingFactory, StageFactory, UserFactory


def _world():
    leerbedrijf = LeerbedrijfFactory(name="Installatiebedrijf Noord")
    opleider = MembershipFactory(
        role=Role.PRAKTIJKOPLEIDER, leerbedrijf=leerbedrijf, user=UserFactory(name="Petra Opleider")
    ).user
    school = OnderwijsinstellingFactory(name="ROC Gülpen")
    stage = StageFactory(leerbedrijf=leerbedrijf, stagiair__name="Ümit d'Hondt", onderwijsinstelling=school)
    return opleider, stage


def _open_box(page):
    if page.width_name == "phone":
        page.get_by_role("button", name="Menu openen").click()
    return page.locator("#zoek-kop")


def test_search_from_the_header(page, transactional_db, look):
    opleider, stage = _world()
    log_in(page, opleider)
    box = _open_box(page)
    box.press_sequentially("d'Hon", delay=50)
    suggestion = page.locator("#zoek-suggesties").get_by_role("link", name="Ümit d'Hondt")
    suggestion.wait_for()
    look(page, "suggesties")
    page.locator("#zoek-suggesties").get_by_role("link", name="Alle resultaten").click()
    page.get_by_role("heading", name="Stagiairs").wait_for()
    look(page, "resultaten")
    page.locator("main").get_by_role("link", name="Ümit d'Hondt").click()
    page.wait_for_url(f"**{stage.get_absolute_url()}")

    # Too short: a message on the page, the letter kept in the box.
    page.goto("/zoeken/?q=x")
    page.get_by_text("Typ minstens 2 tekens om te zoeken.").wait_for()
    assert page.locator("#zoek-pagina").input_value() == "x"
    look(page, "te-kort")


def test_without_javascript_the_box_is_a_form(browser, live_server, transactional_db):
    opleider, _stage = _world()
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, opleider)
    page.locator("#zoek-kop").fill("ROC Gül")
    page.locator("form[role=search]").get_by_role("button", name="Zoeken").click()
    page.get_by_role("heading", name="Scholen").wait_for()
    assert page.locator("main").get_by_role("link", name="ROC Gülpen").count() == 1
    assert page.locator("main").get_by_role("link", name="Ümit d'Hondt bij Installatiebedrijf Noord").count() == 1
    context.close()
