"""The praktijkopleider withdraws an open collega-feedback request and sends a new link, on phone and desktop; the
old link says it was withdrawn (issue 13)."""

import re

from django.core import mail

from .steps import log_in


def test_praktijkopleider_sends_a_new_link_then_withdraws_the_request(page, world, look):
    log_in(page, world.opleider)
    page.goto(world.beoordeling.get_absolute_url())
    page.get_by_role("heading", name="Feedback van collega's").scroll_into_view_if_needed()
    look(page, "01-open-vraag")

    page.get_by_role("link", name="Nieuwe link versturen aan Cor Collega").click()
    page.get_by_role("heading", name="Een nieuwe link naar Cor Collega sturen?").wait_for()
    look(page, "02-opnieuw-bevestigen")
    page.get_by_role("button", name="Ja, nieuwe link versturen").click()
    page.get_by_text("De nieuwe link wordt verstuurd naar cor@a.nl; de oude link werkt niet meer.").wait_for()

    page.get_by_role("link", name="Intrekken vraag aan Cor Collega").click()
    look(page, "03-intrekken-bevestigen")
    page.get_by_role("button", name="Ja, intrekken").click()
    page.get_by_text("De vraag aan Cor Collega is ingetrokken; de link werkt niet meer.").wait_for()
    look(page, "04-ingetrokken")

    page.context.clear_cookies()
    page.goto(f"/collega-feedback/{world.collega_token}/")
    page.get_by_role("heading", name="Deze link werkt niet meer").wait_for()
    look(page, "05-vervangen-link")
    new_link = re.search(r"https?://\S+(/collega-feedback/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(new_link)
    page.get_by_role("heading", name="Deze vraag is ingetrokken").wait_for()
    look(page, "06-ingetrokken-link")
