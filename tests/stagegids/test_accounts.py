import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from leerbedrijf.models import Invitation, Membership
from stagegids.roles import Role
from tests.confirm import CONFIRMED
from tests.factories import PASSWORD, UserFactory


def invite(client, world, **data):
    client.force_login(world.opleider)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends after commit
        return client.post(
            reverse("leerbedrijf:invite", args=[world.a.pk]),
            {"name": "Fleur Fitter", "email": "Fleur@Example.nl", "role": Role.WERKPLEKBEGELEIDER, **data},
        )


def link_from_mail(message):
    return re.search(r"http://testserver(/uitnodiging/\S+/)", message.body).group(1)


def test_invitation_mail_link_sets_password_and_grants_role(client, world):
    response = invite(client, world)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fleur@example.nl"]
    assert "Olga Opleider nodigt u uit als werkplekbegeleider / praktijkbegeleider" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    link = link_from_mail(message)

    client.logout()
    page = client.get(link)
    assert "Kies een naam en een wachtwoord" in page.text
    response = client.post(
        link, {"name": "Fleur Fitter", "password1": "zonnepaneel-42x", "password2": "zonnepaneel-42x"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="fleur@example.nl")
    assert (membership.role, membership.leerbedrijf) == (Role.WERKPLEKBEGELEIDER, world.a)
    assert client.get(reverse("start")).status_code == 200

    client.logout()
    used = client.get(link)
    assert used.status_code == 302 and used.url == reverse("login"), "the link works once"
    assert Membership.objects.filter(user__email="fleur@example.nl").count() == 1


def test_invitation_password_errors_are_dutch_and_create_nothing(client, world):
    invite(client, world)
    link = link_from_mail(mail.outbox[0])
    client.logout()
    response = client.post(link, {"name": "Fleur", "password1": "kort", "password2": "anders"})
    assert "De twee wachtwoorden zijn niet gelijk." in response.text
    assert "Dit wachtwoord is te kort" in response.text
    assert not Membership.objects.filter(user__email="fleur@example.nl").exists()


def test_existing_account_accepts_after_login(client, world):
    invite(client, world, email=world.opleider_b.email, role=Role.PRAKTIJKBEOORDELAAR)
    link = link_from_mail(mail.outbox[0])
    client.logout()
    response = client.get(link)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(world.wpb)
    assert client.get(link).status_code == 403, "a different account cannot take it"
    client.force_login(world.opleider_b)
    assert client.post(link).status_code == 302
    assert world.opleider_b.memberships.filter(leerbedrijf=world.a, role=Role.PRAKTIJKBEOORDELAAR).exists()


def test_invitation_expires(client, world):
    with time_machine.travel(timezone.now() - timedelta(days=15)):
        invite(client, world)
    link = link_from_mail(mail.outbox[0])
    client.logout()
    response = client.get(link)
    assert response.status_code == 404
    assert "verlopen" in response.text


def test_stagiair_invitation_links_the_account_to_the_stagiair(client, world):
    stagiair = world.stage.stagiair
    stagiair.user = None
    stagiair.save()
    invite(client, world, role=Role.STAGIAIR, stagiair=stagiair.pk, email="sam@student.nl")
    client.logout()
    client.post(
        link_from_mail(mail.outbox[0]),
        {"name": "Sam", "password1": "zonnepaneel-42x", "password2": "zonnepaneel-42x"},
    )
    stagiair.refresh_from_db()
    assert stagiair.user.email == "sam@student.nl"
    assert client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).status_code == 200


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"role": Role.STAGIAIR}, "Kies de stagiair die deze uitnodiging krijgt."),
        ({"email": "wpb@a.nl"}, "Deze persoon heeft deze rol al in uw bedrijf."),
        ({"email": "nieuw@a.nl"}, "Deze persoon heeft al een openstaande uitnodiging voor deze rol."),
        ({"email": "geen-adres"}, "Voer een geldig e-mailadres in."),
    ],
)
def test_invalid_invitation_is_refused_in_dutch(client, world, data, error):
    before = Invitation.objects.count()
    response = invite(client, world, **data)
    assert response.status_code == 200
    assert error in response.text
    assert Invitation.objects.count() == before
    assert not mail.outbox


def test_invitation_form_has_no_default_role_and_a_dutch_empty_choice(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("leerbedrijf:invite", args=[world.a.pk])).text
    assert "Select an option" not in page
    role = re.search(r'<select name="role".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>kies…</option>', role), "the empty choice comes first, chosen"
    assert "selected" not in role.replace('<option value="" selected>', ""), "no role is chosen for the person"
    stagiair = re.search(r'<select name="stagiair".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>kies…</option>' in stagiair

    before = Invitation.objects.count()
    response = invite(client, world, role="")
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text
    assert Invitation.objects.count() == before and not mail.outbox


def test_werkplekbegeleider_cannot_invite(client, world):
    client.force_login(world.wpb)
    response = client.post(
        reverse("leerbedrijf:invite", args=[world.a.pk]),
        {"name": "X", "email": "x@example.nl", "role": Role.PRAKTIJKOPLEIDER},
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@example.nl").exists()


def test_ending_a_role(client, world):
    client.force_login(world.opleider)
    client.post(reverse("leerbedrijf:membership_end", args=[world.a.pk, world.membership_wpb_other.pk]), CONFIRMED)
    world.membership_wpb_other.refresh_from_db()
    assert world.membership_wpb_other.ended_at is not None
    assert world.membership_wpb_other.ended_by == world.opleider
    own = world.opleider.memberships.get()
    response = client.post(reverse("leerbedrijf:membership_end", args=[world.a.pk, own.pk]), CONFIRMED, follow=True)
    assert "U kunt uw eigen rol niet beëindigen" in response.text


def test_login_by_email_is_case_insensitive(client, db):
    UserFactory(email="petra@example.nl")
    response = client.post(reverse("login"), {"username": "Petra@Example.NL", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_gives_dutch_error(client, db):
    UserFactory(email="petra@example.nl")
    response = client.post(reverse("login"), {"username": "petra@example.nl", "password": "fout"})
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in response.text


def test_password_guessing_locks_the_account(client, db, settings):
    settings.AXES_ENABLED = True
    UserFactory(email="petra@example.nl")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "petra@example.nl", "password": "fout"})
    response = client.post(reverse("login"), {"username": "petra@example.nl", "password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.text


def test_password_reset_mail(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="petra@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "petra@example.nl"})
    assert mail.outbox[0].subject == "Nieuw wachtwoord voor de Stagegids"
    assert "/account/wachtwoord-instellen/" in mail.outbox[0].body


def test_session_expires_after_inactivity(client, world, settings):
    client.force_login(world.opleider)
    assert client.get(reverse("start")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("start"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_start_page_per_role(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("start")).text
    assert "Installatiebedrijf A" in page and "Iemand uitnodigen" in page and "Sam Stagiair" in page
    assert "stage die u volgt</summary>" in page
    client.force_login(world.wpb)
    page = client.get(reverse("start")).text
    assert "Sam Stagiair" in page and "Iemand uitnodigen" not in page
    client.force_login(world.stagiair)
    page = client.get(reverse("start")).text
    assert "Jouw stage" in page and "die u volgt" not in page
    client.force_login(world.wpb_other)
    page = client.get(reverse("start")).text
    assert "Sam Stagiair" not in page
    client.force_login(world.opleider_b)
    page = client.get(reverse("start")).text
    assert "Sam Stagiair" not in page and "Installatiebedrijf A" not in page


@pytest.mark.parametrize("persona", ["opleider", "wpb", "stagiair", "mbo"])
def test_start_page_queries_do_not_grow_with_stages(client, world, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import StageFactory, StagiairFactory

    def count():
        client.get(reverse("start"))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("start"))
        return len(queries)

    client.force_login(getattr(world, persona))
    before = count()
    for _ in range(5):
        StageFactory(
            leerbedrijf=world.a,
            stagiair=StagiairFactory(leerbedrijf=world.a, user=world.stagiair),
            werkplekbegeleider=world.wpb,
            mbo_begeleider=world.mbo,
            onderwijsinstelling=world.school,
        )
    assert count() == before


# Production as documented in the README (issue 18): files in an object store, JSON logs, an error tracker.
PRODUCTION_EXTRAS = {
    "STAGEGIDS_S3_BUCKET": "stagegids-bestanden",
    "STAGEGIDS_S3_REGION": "eu-central-1",
    "STAGEGIDS_LOG_FORMAT": "json",
    "SENTRY_DSN": "https://public@sentry.example.nl/1",
    "DJANGO_BEHIND_PROXY": "true",
}


@pytest.mark.parametrize("extras", [{}, PRODUCTION_EXTRAS], ids=["plain", "production"])
def test_check_deploy_passes_with_debug_off(extras):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "stagegids.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "stagegids.example.nl",
        "STAGEGIDS_VAR_DIR": "var/check-deploy",
        **extras,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_security_headers(client, world):
    client.force_login(world.opleider)
    response = client.get(reverse("start"))
    csp = response.headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'nonce-" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    assert f'nonce="{nonce}"' in response.text, "inline htmx config carries the nonce"


def test_cookies_are_secure_with_debug_off(client, world, settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    response = client.post(reverse("login"), {"username": world.opleider.email, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_browser_that_asks_for_english_still_gets_dutch_dates_and_errors(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk]), headers={"Accept-Language": "en-US,en"})
    month = world.stage.start_date.month
    dutch = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"][month - 1]  # fmt: skip
    assert dutch in page.text.lower()
    client.logout()
    login = client.post(reverse("login"), {"username": "", "password": ""}, headers={"Accept-Language": "en"})
    assert "Dit veld is verplicht." in login.text and "This field is required" not in login.text
