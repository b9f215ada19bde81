"""A long form on a phone (issue 16): the stagiair's zelfbeoordeling, saved as a concept while she fills it in,
handed in incomplete; the page opens at the error summary, and its links take her to each field. Then the
comparison as cards and the evaluatie."""

from playwright.sync_api import expect

from beoordeling.beoordelingen.models import Invulling, Party
from beoordeling.evaluatie.models import EVALUATIE_QUESTIONS, Evaluatie

from .steps import log_in


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_zelfbeoordeling_handed_in_incomplete_opens_at_the_errors_and_keeps_a_concept(page, world, look):
    b = world.beoordeling
    werkprocessen = {}
    for criterium in b.criteria.exclude(werkproces=None):
        werkprocessen.setdefault(criterium.werkproces_label, []).append(criterium)
    first, *rest = werkprocessen.values()

    log_in(page, world.stagiair)
    page.goto(f"/beoordelingen/{b.pk}/invullen/")
    status = page.locator("#concept-status")
    done = page.locator("[data-voortgang-done]")
    assert done.inner_text() == "0"
    # The first werkproces scored, the second one's first criterium too: the count follows, and the concept is kept.
    for criterium in first:
        page.locator(f"#id_score_{criterium.pk}_2").check()
    page.locator(f"#id_score_{rest[0][0].pk}_1").check()
    page.locator(f"#id_toelichting_{first[0].pk}").fill("Ik bereid het werk voor met de tekening erbij")
    assert done.inner_text() == "1"
    status.get_by_text("Concept opgeslagen om").wait_for()
    look(page, "01-concept-opgeslagen")
    stored = Invulling.objects.get(beoordeling=b, party=Party.STAGIAIR)
    assert stored.submitted_at is None
    assert stored.antwoorden.filter(toelichting="Ik bereid het werk voor met de tekening erbij").exists()

    page.get_by_role("button", name="Opslaan en inleveren").click()
    summary = page.locator("#fouten")
    summary.wait_for()
    assert page.title().startswith("Fout:")
    # The page opens at the summary, which has the focus, and says what to do about each field.
    assert active_id(page) == "fouten"
    expect(summary).to_be_in_viewport()
    assert done.inner_text() == "1", "the count of what was posted"
    look(page, "02-fouten-bovenaan")

    link = summary.get_by_role("link").first
    target = link.get_attribute("href").lstrip("#")
    link.click()
    assert active_id(page) == target
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    # The one she jumped to is chosen; the concept is saved again, and the count goes on.
    page.locator(f"#{target}").check()
    status.get_by_text("Concept opgeslagen om").wait_for()
    look(page, "03-na-de-link")


def test_the_comparison_stacks_as_cards_and_the_evaluatie_keeps_a_concept(page, world, look):
    b = world.beoordeling
    for party, user, score, note in (
        (Party.PRAKTIJKOPLEIDER, world.opleider, "goed", "Bereidt het werk zelfstandig voor"),
        (Party.STAGIAIR, world.stagiair, "voldoende", "Voorbereiden gaat nog langzaam"),
    ):
        invulling = Invulling.objects.get(beoordeling=b, party=party)
        answers = {c: (score, note) for c in b.criteria.all()}
        invulling.save_answers(by=user, revision=invulling.revision, answers=answers, submit=True)

    log_in(page, world.stagiair)
    page.goto(b.get_absolute_url())
    page.get_by_text("Naast elkaar: eerst de verschillen").wait_for()
    cell = page.locator("td[data-label='Stagiair']").first
    if page.width_name == "phone":
        # A card: the cell takes the card's width and says whose answer it is above it.
        table = page.locator("table.vergelijking").first
        assert abs(cell.bounding_box()["width"] - table.bounding_box()["width"]) < 20
        label = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert label == '"Stagiair"'
    look(page, "01-vergelijking")

    page.goto(f"/stages/{world.stage.pk}/evaluatie/invullen/")
    page.get_by_label("Toelichting").first.fill("Ik heb veel geleerd van de monteurs")
    page.locator("#concept-status").get_by_text("Concept opgeslagen om").wait_for()
    assert page.locator("[data-voortgang-done]").inner_text() == "0"
    page.locator("input[type=radio]").first.check()
    assert page.locator("[data-voortgang-done]").inner_text() == "1"
    page.locator("#concept-status").get_by_text("Concept opgeslagen om").wait_for()
    page.get_by_role("button", name="Indienen").click()
    page.locator("#fouten").wait_for()
    assert active_id(page) == "fouten"
    look(page, "02-evaluatie-fouten")


def test_a_click_on_indienen_while_the_concept_is_being_saved_hands_in(page, world):
    """The click waits for the save under way and is then sent on the version that save answered."""
    log_in(page, world.stagiair)
    # A slow connection: every background request takes two seconds, so the click comes during the save.
    page.add_init_script(
        "const slowFetch = window.fetch;"
        "window.fetch = (...args) => new Promise((done) => setTimeout(() => done(slowFetch(...args)), 2000));"
    )
    page.goto(f"/stages/{world.stage.pk}/evaluatie/invullen/")
    for question in EVALUATIE_QUESTIONS:
        if question.scale:
            page.locator(f"input[name=score_{question.key}][value='4']").check()
    page.get_by_label("Welke tips heb je voor mij?").fill("Vaker vragen hoe het gaat.")
    page.locator("#concept-status[data-state=saving]").wait_for()
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Je evaluatie is ingediend.").wait_for()
    evaluatie = Evaluatie.objects.get(stage=world.stage)
    assert evaluatie.submitted_at is not None
