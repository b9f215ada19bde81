import re
from urllib.parse import urlparse

from django.core import mail

from leerbedrijf.models import Leerbedrijf

PASSWORD = "Leerling-Werkplaats-2026"


def test_a_praktijkopleider_registers_his_leerbedrijf(page, db, look):
    """From the login page of an empty portal to his own start page, on a phone and a desktop."""
    page.goto("/")
    page.get_by_role("link", name="Leerbedrijf aanmelden").click()
    page.get_by_role("heading", name="Leerbedrijf aanmelden").wait_for()
    look(page, "00-aanmelden")
    page.get_by_label("Naam van het bedrijf").fill("Klimaattechniek Jansen")
    page.get_by_label("KvK-nummer").fill("1234567")
    page.get_by_label("Postcode").fill("3542db")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text("Een KvK-nummer bestaat uit 8 cijfers.").wait_for()
    look(page, "01-aanmelden-fouten")

    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("Straat en huisnummer").fill("Industrieweg 4")
    page.get_by_label("Postcode").fill("3542db")
    page.get_by_label("Plaats").fill("Utrecht")
    page.get_by_label("Uw naam").fill("Jan Jansen")
    page.get_by_label("Uw e-mailadres").fill("jan@klimaat-jansen.nl")
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    look(page, "02-aanmelden")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("heading", name="Bevestig uw e-mailadres").wait_for()
    look(page, "03-verstuurd")
    assert not Leerbedrijf.objects.exists()

    link = re.search(r"https?://\S+/aanmelden/bevestigen/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_text("3542 DB Utrecht").wait_for()
    look(page, "04-bevestigen")
    page.get_by_role("button", name="Aanmelding bevestigen").click()
    page.get_by_text("u bent nu praktijkopleider bij Klimaattechniek Jansen").wait_for()
    look(page, "05-start")
    assert urlparse(page.url).path == "/"
