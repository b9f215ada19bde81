"""Passkeys on a phone and a desktop (issue 17): a werkplekbegeleider adds a passkey on his two-factor page (Chromium's
virtual authenticator stands in for the phone's fingerprint), keeps the recovery codes, and at the next login takes
the second step with the passkey instead of a code. A browser without WebAuthn is told so and sees no button."""

from django_otp_webauthn.models import WebAuthnCredential

from .steps import enter_password, log_in


def virtual_authenticator(page):
    """A platform authenticator that verifies the user at once, as a phone with a fingerprint does."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    return cdp


def test_add_a_passkey_and_log_in_with_it(page, world, look):
    virtual_authenticator(page)
    log_in(page, world.wpb)
    page.goto("/profiel/")
    page.get_by_role("link", name="Tweestapsverificatie").click()
    page.get_by_role("button", name="Passkey toevoegen").wait_for()
    assert not page.get_by_text("Deze browser kan geen passkeys gebruiken.").is_visible()
    # The name is asked first: the browser's own message on the empty field, no ceremony.
    page.get_by_role("button", name="Passkey toevoegen").click()
    assert not WebAuthnCredential.objects.exists()
    page.get_by_label("Naam van de passkey").fill("telefoon")
    page.get_by_role("button", name="Passkey toevoegen").click()
    page.get_by_text("Deze pagina toont de codes maar één keer.").wait_for()
    assert page.locator("li.col").count() == 10
    look(page, "01-herstelcodes")
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    page.get_by_role("heading", name="Goedendag").wait_for()
    page.goto("/account/tweestaps/")
    page.get_by_role("link", name="Verwijderen telefoon").wait_for()
    look(page, "02-passkeys")
    assert WebAuthnCredential.objects.get(user=world.wpb).name == "telefoon"

    # The next login: the password, then the passkey.
    enter_password(page, world.wpb, "/profiel/")
    page.get_by_role("heading", name="Inloggen met passkey").wait_for()
    look(page, "03-tweede-stap")
    page.get_by_role("button", name="Inloggen met passkey").click()
    page.get_by_role("heading", name="Uw profiel").wait_for()
    assert WebAuthnCredential.objects.get(user=world.wpb).last_used_at is not None


def test_a_browser_without_passkeys_is_told_so(page, world):
    page.add_init_script("delete window.PublicKeyCredential")
    log_in(page, world.wpb)
    page.goto("/account/tweestaps/")
    page.get_by_text("Deze browser kan geen passkeys gebruiken.").wait_for()
    assert not page.get_by_role("button", name="Passkey toevoegen").is_visible()
    assert not page.get_by_label("Naam van de passkey").is_visible()
