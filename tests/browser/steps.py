"""Steps the browser flows share."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, totp_code


def enter_password(page, user, path="/"):
    """Log out, ask for `path` and log in there with `user`'s password (the factories'): the first step of the login."""
    # A request still under way can answer with the old session's cookie after it was cleared,
    # and the next page is still the previous person's start page: let the page finish first, and clear them
    # again if the login page still sends us on (seen under the full suite's load).
    for _attempt in range(3):
        page.wait_for_load_state("networkidle")
        page.context.clear_cookies()
        page.goto(path)
        if page.get_by_label("E-mailadres").count():
            break
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def log_in(page, user):
    """Log in on the login page as `user` (the factories' password, and a code where the person has an app) and wait
    for the start page."""
    enter_password(page, user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        # The login's second step (stagegids/twofactor.py): the code the person's app shows.
        page.get_by_role("heading", name="Code uit de app").wait_for()
        page.locator("#id_code").fill(totp_code(user))
        page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Goedendag").wait_for()
