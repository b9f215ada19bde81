"""Notifications are marked read once seen (issue 16): the header counts them, the page shows them and, once
loaded, posts the ids it showed (htmx); no GET writes. Its screens pass axe on a phone and a desktop."""

from stagegids.models import Notification
from stagegids.notifications import notify

from .steps import log_in


def test_the_meldingen_page_marks_what_it_showed_read(page, world, look):
    notify(user=world.wpb, key="een", title="Voortgangsgesprek met Sam morgen", url=world.stage.get_absolute_url())
    notify(user=world.wpb, key="twee", title="Uren van Sam wachten op akkoord", url="/")
    log_in(page, world.wpb)
    page.get_by_role("heading", name="Vandaag en deze week").wait_for()
    look(page, "01-start")
    if page.get_by_role("button", name="Menu openen").is_visible():
        page.get_by_role("button", name="Menu openen").click()
    link = page.get_by_role("link", name="Meldingen 2 ongelezen")
    with page.expect_response(lambda response: "/meldingen/gelezen/" in response.url) as marked:
        link.click()
        page.get_by_role("heading", name="Meldingen").wait_for()
    assert marked.value.status == 204
    look(page, "02-meldingen")
    assert not Notification.objects.filter(user=world.wpb, read_at__isnull=True).exists()

    page.get_by_role("button", name="Voortgangsgesprek met Sam morgen").click()
    page.get_by_role("heading", name="Sam Stagiair", exact=False).first.wait_for()
    assert "ongelezen" not in page.locator("#meldingen-link").inner_text()
