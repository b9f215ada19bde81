"""Two-factor login on a phone and a desktop (issue 17): a werkplekbegeleider sets up an app from his profile, keeps
the recovery codes, and logs in with the password and a code; a wrong code is a Dutch message on the form."""

import base64

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import totp_code

from .steps import enter_password, log_in


def not_a_code(key):
    """Six digits that the app does not show now, nor one step before or after."""
    binary = bytes.fromhex(key)
    now = TOTP(binary).t()
    valid = {f"{hotp(binary, t):06d}" for t in range(now - 1, now + 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def test_set_up_an_app_and_log_in_with_a_code(page, world, look):
    log_in(page, world.wpb)
    page.goto("/profiel/")
    page.get_by_role("link", name="Tweestapsverificatie").click()
    page.get_by_role("link", name="Tweestapsverificatie instellen").click()
    page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    look(page, "01-instellen")

    key = base64.b32decode(page.locator("#sleutel").inner_text().replace(" ", "")).hex()
    page.locator("#id_code").fill(not_a_code(key))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("Deze code klopt niet of is al gebruikt.").wait_for()
    page.locator("#id_code").fill(totp_code(world.wpb, key=key))
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_text("Deze pagina toont de codes maar één keer.").wait_for()
    assert page.locator("li.col").count() == 10
    look(page, "02-herstelcodes")
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    page.get_by_role("heading", name="Goedendag").wait_for()
    assert TOTPDevice.objects.filter(user=world.wpb, confirmed=True).count() == 1

    # The next login: the password, then the code page, which lets nothing else through.
    enter_password(page, world.wpb)
    page.get_by_role("heading", name="Code uit de app").wait_for()
    look(page, "03-code")
    page.goto("/profiel/")
    page.get_by_role("heading", name="Code uit de app").wait_for()
    page.locator("#id_code").fill("12345")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Vul de 6 cijfers uit de app in, of een herstelcode").wait_for()
    look(page, "04-code-fout")
    code = totp_code(world.wpb)
    page.locator("#id_code").fill(f"{code[:3]} {code[3:]}")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Uw profiel").wait_for()
