"""Passkeys as the second step of the login (issue 17): added on the two-factor page (the first one brings the
recovery codes), used on the code page instead of a code from the app, removed with a recent login, and removed by a
reset. Through the pages with a passkey in software (tests/softkey.py); the browser's side is
tests/browser/test_passkey_flow.py."""

import re

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from stagegids import erasure, passkeys, twofactor
from stagegids.models import RecoveryCode, Wijziging
from tests.factories import totp_device
from tests.softkey import SoftKey, b64
from tests.stagegids.test_twofactor import CODE_PAGE, SETUP_PAGE, log_in

PAGE = reverse("twofactor")
ADD_OPTIONS = reverse("passkey_add_options")
ADD = reverse("passkey_add")
LOGIN_OPTIONS = reverse("twofactor_passkey_options")
LOGIN = reverse("twofactor_passkey")


def add_passkey(client, key=None, name="telefoon"):
    key = key or SoftKey()
    options = client.post(ADD_OPTIONS).json()
    return key, client.post(ADD, {"answer": key.create(options), "name": name})


def passkey_of(client):
    """A passkey stored through the pages for the person the client is fully logged in as."""
    key, _response = add_passkey(client)
    return key


def codes_in(page):
    return re.findall(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>", page)


# --- adding one ---------------------------------------------------------------------------------------------------


def test_add_a_passkey_then_the_recovery_codes_once(client, world):
    client.force_login(world.wpb)
    page = client.get(PAGE).text
    assert "Passkey toevoegen" in page and 'data-passkey="toevoegen"' in page and "js/passkey.js" in page
    assert "Deze browser kan geen passkeys gebruiken." in page, "said until the script finds WebAuthn"

    options = client.post(ADD_OPTIONS).json()
    assert options["rp"] == {"name": "Stagegids", "id": "testserver"} and options["challenge"]
    key = SoftKey()
    response = client.post(ADD, {"answer": key.create(options), "name": "telefoon"})
    assert len(codes_in(response.text)) == 10 and "Tweestapsverificatie staat aan." in response.text
    passkey = WebAuthnCredential.objects.get(user=world.wpb)
    assert passkey.name == "telefoon" and passkey.confirmed
    trail = Wijziging.objects.for_object(world.wpb).values_list("action", flat=True)
    assert set(trail) >= {twofactor.TwoFactorAction.ON, passkeys.PasskeyAction.ADDED}

    # A second passkey keeps the recovery codes.
    before = set(RecoveryCode.objects.filter(user=world.wpb).values_list("digest", flat=True))
    _key, second = add_passkey(client, name="laptop")
    assert second.status_code == 302 and second.url == PAGE
    assert set(RecoveryCode.objects.filter(user=world.wpb).values_list("digest", flat=True)) == before
    page = client.get(PAGE).text
    assert "telefoon" in page and "laptop" in page and "Tweestapsverificatie staat aan." in page
    assert "Er zijn nog 10 herstelcodes over." in page


def test_an_answer_counts_once_and_a_forged_one_is_refused(client, world):
    client.force_login(world.wpb)
    key = SoftKey()
    options = client.post(ADD_OPTIONS).json()
    answer = key.create(options)
    assert client.post(ADD, {"answer": answer, "name": "telefoon"}).status_code == 200
    again = client.post(ADD, {"answer": answer, "name": "telefoon"}, follow=True)
    assert "De passkey is niet toegevoegd" in again.text and WebAuthnCredential.objects.count() == 1

    options = client.post(ADD_OPTIONS).json()
    for answer in ["{", "[]", SoftKey().create(options, origin="https://elders.example")]:
        client.post(ADD_OPTIONS)
        response = client.post(ADD, {"answer": answer, "name": "x"}, follow=True)
        assert "De passkey is niet toegevoegd" in response.text
    response = client.post(ADD, {"answer": "x" * 20_001, "name": "y" * 65}, follow=True)
    assert "niet meer dan 64 tekens" in response.text and WebAuthnCredential.objects.count() == 1


def test_the_app_after_a_passkey_keeps_the_recovery_codes(client, world):
    from tests.stagegids.test_twofactor import set_up

    client.force_login(world.wpb)
    add_passkey(client)
    _key, response = set_up(client, world.wpb)
    assert response.status_code == 302 and RecoveryCode.objects.filter(user=world.wpb).count() == 10


# --- the second step ----------------------------------------------------------------------------------------------


def test_log_in_with_a_passkey_instead_of_a_code(client, world):
    client.force_login(world.wpb)
    key = passkey_of(client)
    other, start = log_in(world.wpb)
    assert start.url.startswith(CODE_PAGE)
    page = other.get(CODE_PAGE).text
    assert "Inloggen met passkey" in page and 'data-passkey="inloggen"' in page
    assert "Code uit de app" not in page, "no app: the page asks the passkey or a recovery code"
    # Only the step's own passkey requests are open during the step.
    assert other.post(ADD_OPTIONS).url.startswith(CODE_PAGE)

    options = other.post(LOGIN_OPTIONS).json()
    assert options["rpId"] == "testserver"
    assert [c["id"] for c in options["allowCredentials"]] == [b64(key.credential_id)]
    response = other.post(LOGIN, {"answer": key.get(options), "next": "/meldingen/"})
    assert response.status_code == 302 and response.url == "/meldingen/"
    assert other.get(reverse("start")).status_code == 200
    assert other.session.get(twofactor.SESSION_KEY) is None and other.session.get(twofactor.SESSION_LOGIN_AT)
    assert WebAuthnCredential.objects.get(user=world.wpb).last_used_at is not None


def test_a_passkey_beside_the_app(client, world):
    totp_device(world.wpb)
    client.force_login(world.wpb)
    key = passkey_of(client)
    other, _start = log_in(world.wpb)
    page = other.get(CODE_PAGE).text
    assert "Code uit de app" in page and "Inloggen met passkey" in page
    response = other.post(LOGIN, {"answer": key.get(other.post(LOGIN_OPTIONS).json())})
    assert response.status_code == 302 and other.get(reverse("start")).status_code == 200


def test_a_wrong_passkey_is_refused_and_counts_on_the_lock(client, world, settings):
    settings.AXES_ENABLED = True
    client.force_login(world.wpb)
    key = passkey_of(client)
    client.force_login(world.opleider)
    stranger = passkey_of(client)
    other, _start = log_in(world.wpb)
    attempts = [
        stranger.get(other.post(LOGIN_OPTIONS).json()),  # another person's passkey
        key.get(other.post(LOGIN_OPTIONS).json(), origin="https://elders.example"),
        "{}",
    ]
    for answer in attempts[: settings.AXES_FAILURE_LIMIT]:
        response = other.post(LOGIN, {"answer": answer})
        assert response.status_code == 200 and "Inloggen met de passkey is niet gelukt" in response.text
    # An answer without its challenge (sent twice) fails too.
    options = other.post(LOGIN_OPTIONS).json()
    answer = key.get(options)
    for _n in range(settings.AXES_FAILURE_LIMIT - len(attempts)):
        other.post(LOGIN, {"answer": "{}"})
    response = other.post(LOGIN, {"answer": answer})
    assert "Te veel mislukte pogingen" in response.text
    assert other.post(LOGIN_OPTIONS).status_code == 429
    assert other.get(reverse("start")).url.startswith(CODE_PAGE)


def test_an_answer_is_used_once(client, world):
    client.force_login(world.wpb)
    key = passkey_of(client)
    other, _start = log_in(world.wpb)
    answer = key.get(other.post(LOGIN_OPTIONS).json())
    third, _start = log_in(world.wpb)
    # Another session has no such challenge.
    assert "niet gelukt" in third.post(LOGIN, {"answer": answer}).text
    assert other.post(LOGIN, {"answer": answer}).status_code == 302


def test_without_a_step_the_passkey_requests_send_on(client, world):
    client.force_login(world.wpb)
    assert client.post(LOGIN_OPTIONS).status_code == 302
    assert client.post(LOGIN, {"answer": "{}"}).status_code == 302


@pytest.mark.django_db
def test_staff_may_use_a_passkey_instead_of_the_app(world):
    client, start = log_in(world.staff)
    assert start.url.startswith(SETUP_PAGE)
    page = client.get(SETUP_PAGE).text
    assert "Of gebruik een passkey" in page and "Passkey toevoegen" in page
    assert client.post(LOGIN_OPTIONS).url.startswith(SETUP_PAGE), "the login's passkey step is not this step"
    key, response = add_passkey(client)
    assert len(codes_in(response.text)) == 10
    assert client.get(reverse("admin:index")).status_code == 200
    other, start = log_in(world.staff)
    assert start.url.startswith(CODE_PAGE)
    assert other.post(LOGIN, {"answer": key.get(other.post(LOGIN_OPTIONS).json())}).status_code == 302
    assert other.get(reverse("admin:index")).status_code == 200


# --- removing one -------------------------------------------------------------------------------------------------


def test_remove_a_passkey_with_a_recent_login(client, world, settings):
    client.force_login(world.wpb)
    passkey_of(client)
    passkey = WebAuthnCredential.objects.get(user=world.wpb)
    url = reverse("passkey_remove", args=[passkey.pk])
    assert "Passkey „telefoon” verwijderen" in client.get(url).text
    assert client.post(url, {}).status_code == 200, "the confirmation is part of the form"
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    settings.TWOFACTOR_RECENT_LOGIN_SECONDS = -1
    page = client.post(url, {"confirmed": "True"}).text
    assert "Log uit en weer in" in page and WebAuthnCredential.objects.filter(pk=passkey.pk).exists()

    settings.TWOFACTOR_RECENT_LOGIN_SECONDS = 900
    response = client.post(url, {"confirmed": "True"})
    assert response.status_code == 302 and not WebAuthnCredential.objects.exists()
    # The last way of the second step went: so did the recovery codes, as when it is switched off.
    assert not RecoveryCode.objects.filter(user=world.wpb).exists()
    assert client.post(url, {"confirmed": "True"}).status_code == 404, "a second click finds nothing"
    assert "Tweestapsverificatie staat uit." in client.get(PAGE).text


def test_a_required_person_keeps_the_last_one(client, world):
    client.force_login(world.staff)
    passkey_of(client)
    passkey = WebAuthnCredential.objects.get(user=world.staff)
    response = client.post(reverse("passkey_remove", args=[passkey.pk]), {"confirmed": "True"})
    assert "Dit is uw laatste manier voor de tweede stap" in response.text
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_reset_removes_the_passkeys_too(client, world):
    client.force_login(world.wpb)
    passkey_of(client)
    assert twofactor.reset(world.wpb, by=world.opleider)
    assert not WebAuthnCredential.objects.filter(user=world.wpb).exists()
    assert not RecoveryCode.objects.filter(user=world.wpb).exists()
    _client, start = log_in(world.wpb)
    assert start.status_code == 200, "the password is the whole login again"


def test_an_anonymised_account_keeps_no_passkeys(client, world):
    client.force_login(world.wpb)
    passkey_of(client)
    erasure.anonymise(world.wpb)
    assert not WebAuthnCredential.objects.filter(user=world.wpb).exists()
    assert not RecoveryCode.objects.filter(user=world.wpb).exists()
