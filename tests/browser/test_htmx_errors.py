"""An htmx click whose answer is an error page shows its Dutch message at the top of the page, instead of nothing
(issue 13)."""

from django.urls import reverse

from .steps import log_in


def test_a_tick_after_the_role_ended_says_the_page_is_gone(page, world, look):
    log_in(page, world.opleider)
    page.goto(reverse("leerbedrijf:onboarding", args=[world.stage.pk]))
    page.get_by_role("heading", name="Een goede start voor Sam Stagiair").wait_for()
    # Meanwhile a colleague ends the praktijkopleider's role: the stage no longer exists for him.
    world.opleider.memberships.get().end(by=world.opleider)
    page.get_by_role("button", name="Afvinken").first.click()
    alert = page.locator("#htmx-fout")
    alert.get_by_role("heading", name="Pagina niet gevonden").wait_for()
    assert "bestaat niet (meer), of is niet zichtbaar voor dit account" in alert.inner_text()
    assert "Pagina niet gevonden" not in page.title(), "the page stays the page it was"
    assert page.locator("#foutmelding").count() == 1, "the message once, not a page inside the page"
    look(page, "01-afvinken-geeft-404")
