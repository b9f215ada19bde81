import re

from django.core import mail

from stagegids.roles import Role
from tests.factories import PASSWORD


def test_praktijkopleider_invites_werkplekbegeleider(page, world, look):
    page.goto("/")
    look(page, "01-login")
    page.get_by_label("E-mailadres").fill(world.opleider.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Olga").wait_for()
    look(page, "02-start-praktijkopleider")

    if page.width_name == "phone":
        page.get_by_role("button", name="Menu openen").is_visible()
    # The company's panel is folded on the start page: open it as a user would, by its summary.
    page.locator("summary", has_text="Uw leerbedrijf").click()
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.get_by_label("Naam").fill("Fleur Fitter")
    page.get_by_label("E-mailadres").fill("fleur@example.nl")
    page.get_by_label("Rol").select_option(Role.WERKPLEKBEGELEIDER.value)
    look(page, "03-uitnodigen")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("De uitnodiging wordt verstuurd naar fleur@example.nl").wait_for()
    look(page, "04-leerbedrijf")
    page.get_by_role(
        "button", name="Uitloggen"
    ).click() if page.width_name == "desktop" else page.context.clear_cookies()

    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
    # Logging out first empties the phone's kept pages (static/js/offline.js), then posts: wait for the login page it
    # lands on, or the late post aborts the next navigation.
    if page.width_name == "desktop":
        page.wait_for_url("**/account/inloggen/**")
    page.goto(link)
    page.get_by_label("Kies een wachtwoord").fill("warmtepomp-2026")
    page.get_by_label("Herhaal het wachtwoord").fill("warmtepomp-2026")
    look(page, "05-uitnodiging-aannemen")
    page.get_by_role("button", name="Account aanmaken en uitnodiging aannemen").click()
    page.get_by_text("Welkom! U bent nu werkplekbegeleider / praktijkbegeleider bij Installatiebedrijf A.").wait_for()
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()

    page.goto("/")
    page.get_by_label("E-mailadres").fill("fleur@example.nl")
    page.get_by_label("Wachtwoord").fill("warmtepomp-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Fleur").wait_for()
    look(page, "06-start-werkplekbegeleider")
    # text_content, not inner_text: a folded panel's text counts too, whether or not it is opened.
    body = page.locator("main").text_content()
    assert "Sam Stagiair" not in body, "no stagiair is linked to Fleur yet"
    assert "Iemand uitnodigen" not in body
    assert "Installatiebedrijf B" not in body


def test_praktijkopleider_withdraws_an_open_invitation(page, world, look):
    page.goto("/")
    page.get_by_label("E-mailadres").fill(world.opleider.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag, Olga").wait_for()
    page.goto(world.a.get_absolute_url())
    page.get_by_role("heading", name="Openstaande uitnodigingen").scroll_into_view_if_needed()
    look(page, "01-openstaande-uitnodigingen")
    page.get_by_role("link", name="Intrekken uitnodiging aan Nieuwe Collega").click()
    look(page, "02-intrekken-bevestigen")
    page.get_by_role("button", name="Ja, intrekken").click()
    page.get_by_text("De uitnodiging aan nieuw@a.nl is ingetrokken.").wait_for()

    page.context.clear_cookies()
    page.goto(f"/uitnodiging/{world.invitation_token}/")
    page.get_by_role("heading", name="Deze uitnodiging is ingetrokken").wait_for()
    look(page, "03-link-ingetrokken")
