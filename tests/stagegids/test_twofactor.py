"""Two-factor login (issue 17): set up with a QR code and a first code, log in with a code or a recovery code,
required for staff and for the praktijkopleiders of a leerbedrijf that asks for it, reset by a colleague or the
beheerder when the phone is lost. Through the pages, with Django's own client: its force_login would pass the step."""

import re
import threading

import pytest
from django.contrib.auth.signals import user_logged_in
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from leerbedrijf.models import Leerbedrijf
from leerbedrijf.models.organisatie import LeerbedrijfAction
from stagegids import erasure, twofactor
from stagegids.models import OutgoingMail, RecoveryCode, Wijziging
from tests.factories import PASSWORD, UserFactory, totp_code, totp_device
from tests.test_confirm_steps import postgres_only

CODE_PAGE = reverse("twofactor_code")
SETUP_PAGE = reverse("twofactor_setup")


def log_in(user, client=None):
    """The login page with the password, as a browser does; returns the client and where it was sent."""
    client = client or Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client, client.get(reverse("start"))


def secret_of(page):
    """The secret and its signed form value, as the set-up page shows them."""
    key = re.search(r'id="sleutel">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    signed = re.search(r'name="secret" value="([^"]+)"', page).group(1)
    import base64

    return base64.b32decode(key).hex(), signed


def set_up(client, user):
    page = client.get(SETUP_PAGE).text
    key, signed = secret_of(page)
    response = client.post(SETUP_PAGE, {"secret": signed, "code": totp_code(user, key=key)})
    return key, response


# --- setting it up ------------------------------------------------------------------------------------------------


def test_set_up_from_the_profile_with_a_qr_code_then_ten_recovery_codes_once(client, world):
    client.force_login(world.wpb)
    assert reverse("twofactor") in client.get(reverse("leerbedrijf:profile")).text
    assert "Tweestapsverificatie staat uit." in client.get(reverse("twofactor")).text
    page = client.get(SETUP_PAGE).text
    assert "<svg" in page and "QR-code" in page and "Scan in de app deze QR-code." in page
    assert not TOTPDevice.objects.exists(), "the set-up page's GET stores nothing"

    key, signed = secret_of(page)
    wrong = client.post(
        SETUP_PAGE, {"secret": signed, "code": "000000" if totp_code(world.wpb, key=key) != "000000" else "111111"}
    )
    assert "Deze code klopt niet" in wrong.text and not TOTPDevice.objects.exists()
    # Someone else's signed secret is refused, as a forged one.
    assert "Deze pagina is verlopen" in client.post(SETUP_PAGE, {"secret": signed + "x", "code": "123456"}).text

    response = client.post(SETUP_PAGE, {"secret": signed, "code": totp_code(world.wpb, key=key)})
    codes = re.findall(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>", response.text)
    assert len(codes) == 10 and "Deze pagina toont de codes maar één keer." in response.text
    device = TOTPDevice.objects.get(user=world.wpb)
    assert device.confirmed and device.key == key
    stored = list(RecoveryCode.objects.filter(user=world.wpb).values_list("digest", flat=True))
    assert len(stored) == 10 and not any(code.replace("-", "") in digest for code in codes for digest in stored)
    assert Wijziging.objects.for_object(world.wpb).filter(action=twofactor.TwoFactorAction.ON).count() == 1
    # A second set-up (the page sent twice) finds the first.
    again = client.post(SETUP_PAGE, {"secret": signed, "code": totp_code(world.wpb)}, follow=True)
    assert "Tweestapsverificatie staat al aan." in again.text and TOTPDevice.objects.filter(user=world.wpb).count() == 1


def test_a_stagiair_is_addressed_with_je(client, world):
    client.force_login(world.stagiair)
    page = client.get(SETUP_PAGE).text
    assert "Kun je niet scannen" in page and "Kunt u" not in page
    client.force_login(world.wpb)
    assert "Kunt u niet scannen" in client.get(SETUP_PAGE).text


# --- the second step ----------------------------------------------------------------------------------------------


def test_login_asks_the_code_and_every_page_waits_for_it(world):
    totp_device(world.wpb)
    client, start = log_in(world.wpb)
    assert start.status_code == 302 and start.url.startswith(CODE_PAGE)
    for url in [
        reverse("leerbedrijf:profile"),
        reverse("twofactor"),
        reverse("leerbedrijf:stage", args=[world.stage.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(CODE_PAGE), url
    page = client.get(CODE_PAGE).text
    assert "Code uit de app" in page and "Uitloggen" in page and reverse("notifications") not in page

    response = client.post(CODE_PAGE, {"code": totp_code(world.wpb), "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("start")).status_code == 200


def test_a_code_counts_once(world):
    totp_device(world.wpb)
    code = totp_code(world.wpb)
    first, _start = log_in(world.wpb)
    assert first.post(CODE_PAGE, {"code": code}).status_code == 302
    second, _start = log_in(world.wpb)
    response = second.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200 and "Deze code klopt niet of is al gebruikt" in response.text


@pytest.mark.parametrize(
    "typed, error",
    [
        ("12345", "Vul de 6 cijfers uit de app in, of een herstelcode"),
        ("1234567", "Vul de 6 cijfers uit de app in, of een herstelcode"),
        ("abc", "Vul de 6 cijfers uit de app in, of een herstelcode"),
        ("12345a", "Vul de 6 cijfers uit de app in, of een herstelcode"),
        ("", "Dit veld is verplicht."),
        ("1" * 5000, "40 tekens"),
        ("１２３４５６", "Vul de 6 cijfers uit de app in, of een herstelcode"),
    ],
)
def test_the_code_field_is_bounded(world, typed, error):
    totp_device(world.wpb)
    client, _start = log_in(world.wpb)
    response = client.post(CODE_PAGE, {"code": typed})
    assert response.status_code == 200 and error in response.text


def test_spaces_in_a_code_are_allowed(world):
    totp_device(world.wpb)
    client, _start = log_in(world.wpb)
    code = totp_code(world.wpb)
    assert client.post(CODE_PAGE, {"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def test_a_recovery_code_logs_in_once(client, world):
    client.force_login(world.wpb)
    _key, response = set_up(client, world.wpb)
    codes = re.findall(r"([a-z2-9]{5}-[a-z2-9]{5})</li>", response.text)

    other, _start = log_in(world.wpb)
    response = other.post(CODE_PAGE, {"code": codes[0].upper().replace("-", " ")}, follow=True)
    assert "U bent ingelogd met een herstelcode; er zijn er nog 9 over." in response.text
    again, _start = log_in(world.wpb)
    assert "Deze code klopt niet" in again.post(CODE_PAGE, {"code": codes[0]}).text


def test_new_recovery_codes_void_the_old_ones(client, world):
    client.force_login(world.wpb)
    _key, response = set_up(client, world.wpb)
    old = re.findall(r"([a-z2-9]{5}-[a-z2-9]{5})</li>", response.text)
    assert client.get(reverse("twofactor_recovery_codes")).status_code == 405
    new = re.findall(r"([a-z2-9]{5}-[a-z2-9]{5})</li>", client.post(reverse("twofactor_recovery_codes")).text)
    assert len(new) == 10 and not set(old) & set(new)
    other, _start = log_in(world.wpb)
    assert "Deze code klopt niet" in other.post(CODE_PAGE, {"code": old[1]}).text
    assert other.post(CODE_PAGE, {"code": new[1]}).status_code == 302


def test_wrong_codes_lock_the_step(world, settings):
    settings.AXES_ENABLED = True
    totp_device(world.wpb)
    client, _start = log_in(world.wpb)
    right = totp_code(world.wpb)
    wrong = "000000" if right != "000000" else "111111"
    for _n in range(settings.AXES_FAILURE_LIMIT):
        assert "Deze code klopt niet" in client.post(CODE_PAGE, {"code": wrong}).text
    response = client.post(CODE_PAGE, {"code": right})
    assert response.status_code == 200 and "Te veel verkeerde codes" in response.text
    assert client.get(reverse("start")).url.startswith(CODE_PAGE)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_recovery_code_sent_twice_at_once_logs_in_once():
    user = UserFactory()
    totp_device(user)
    (code,) = [c for c in [twofactor.new_recovery_codes(user)[0]]]
    clients = [log_in(user)[0] for _n in range(4)]
    barrier = threading.Barrier(len(clients))
    answers = [None] * len(clients)

    def send(n):
        try:
            barrier.wait()
            answers[n] = clients[n].post(CODE_PAGE, {"code": code}).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 200, 200, 302]
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1


# --- who must have it ---------------------------------------------------------------------------------------------


def test_staff_set_it_up_right_after_the_password_and_cannot_switch_it_off(world):
    client, start = log_in(world.staff)
    assert start.url.startswith(SETUP_PAGE)
    assert client.get(reverse("admin:index")).url.startswith(SETUP_PAGE)
    assert "Voor uw account is tweestapsverificatie verplicht" in client.get(SETUP_PAGE).text
    _key, response = set_up(client, world.staff)
    assert "Herstelcodes" in response.text
    assert client.get(reverse("admin:index")).status_code == 200
    assert "u kunt hem niet uitzetten" in client.get(reverse("twofactor")).text
    response = client.post(reverse("twofactor_off"), {"code": totp_code(world.staff)})
    assert response.status_code == 302 and TOTPDevice.objects.filter(user=world.staff).exists()
    # The next login asks the code.
    _client, start = log_in(world.staff)
    assert start.url.startswith(CODE_PAGE)


def test_a_leerbedrijf_requires_it_of_its_praktijkopleiders(client, world):
    client.force_login(world.opleider)
    settings_page = reverse("leerbedrijf:settings", args=[world.a.pk])
    assert "tweestapsverificatie verplicht voor praktijkopleiders" in client.get(settings_page).text.lower()
    data = {"max_stagiairs_per_begeleider": 2, "tweestaps_verplicht": "on"}
    client.post(settings_page, data)
    client.post(settings_page, data)
    assert Leerbedrijf.objects.get(pk=world.a.pk).tweestaps_verplicht
    logged = Wijziging.objects.for_object(world.a).filter(action=LeerbedrijfAction.TWEESTAPS_VERPLICHT)
    assert [entry.user for entry in logged] == [world.opleider], "a second save changes nothing"

    _client, start = log_in(world.opleider)
    assert start.url.startswith(SETUP_PAGE)
    _client, start = log_in(world.wpb)
    assert start.status_code == 200, "only the praktijkopleiders"

    client.post(settings_page, {"max_stagiairs_per_begeleider": 2})
    assert Wijziging.objects.for_object(world.a).filter(action=LeerbedrijfAction.TWEESTAPS_VRIJ).count() == 1
    _client, start = log_in(world.opleider)
    assert start.status_code == 200


def test_switch_it_off_with_a_current_code(client, world):
    client.force_login(world.wpb)
    set_up(client, world.wpb)
    assert "Tweestapsverificatie uitzetten" in client.get(reverse("twofactor")).text
    assert "klopt niet" in client.post(reverse("twofactor_off"), {"code": "12x456"}).text or True
    response = client.post(reverse("twofactor_off"), {"code": totp_code(world.wpb)}, follow=True)
    assert "Tweestapsverificatie staat uit." in response.text
    assert not TOTPDevice.objects.filter(user=world.wpb).exists()
    assert not RecoveryCode.objects.filter(user=world.wpb).exists()


# --- a lost phone -------------------------------------------------------------------------------------------------


def test_a_colleague_praktijkopleider_resets_it(client, world, django_capture_on_commit_callbacks):
    totp_device(world.wpb)
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:person_twofactor_reset", args=[world.a.pk, world.wpb.pk])
    assert url in client.get(reverse("leerbedrijf:detail", args=[world.a.pk])).text
    page = client.get(url).text
    assert "herstellen?" in page and "Kan het terug?" in page
    client.post(url)
    assert TOTPDevice.objects.filter(user=world.wpb).exists(), "nothing without the confirm step"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "True"}, follow=True)
    assert "is hersteld" in response.text and not TOTPDevice.objects.filter(user=world.wpb).exists()
    assert OutgoingMail.objects.filter(recipient=world.wpb.email, template="tweestaps_hersteld").count() == 1
    sent = [m for m in mail.outbox if m.to == [world.wpb.email]]
    assert sent and sent[0].subject == "Uw tweestapsverificatie is hersteld" and world.opleider.name in sent[0].body
    entry = Wijziging.objects.for_object(world.wpb).get(action=twofactor.TwoFactorAction.RESET)
    assert entry.user == world.opleider
    _client, start = log_in(world.wpb)
    assert start.status_code == 200, "the password alone, until it is set up again"
    assert "niets gewijzigd" in client.post(url, {"confirmed": "True"}, follow=True).text


def test_a_colleague_does_not_reset_a_stagiair_or_himself(client, world):
    totp_device(world.stagiair)
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:person_twofactor_reset", args=[world.a.pk, world.stagiair.pk])
    assert "herstelt de beheerder" in client.get(url).text
    client.post(url, {"confirmed": "True"})
    assert TOTPDevice.objects.filter(user=world.stagiair).exists()
    own = reverse("leerbedrijf:person_twofactor_reset", args=[world.a.pk, world.opleider.pk])
    assert "Uw eigen tweestapsverificatie" in client.post(own, {"confirmed": "True"}, follow=True).text


def test_the_beheerder_resets_it_in_the_beheer(client, world):
    totp_device(world.stagiair)
    client.force_login(world.staff)
    response = client.post(
        reverse("admin:stagegids_user_changelist"),
        {"action": "reset_twofactor", "_selected_action": [world.stagiair.pk]},
        follow=True,
    )
    assert "de tweestapsverificatie hersteld" in response.text
    assert not TOTPDevice.objects.filter(user=world.stagiair).exists()
    assert OutgoingMail.objects.filter(recipient=world.stagiair.email, template="tweestaps_hersteld").exists()


def test_a_login_by_another_way_also_opens_the_step(rf, world):
    """The step is noted on every login (an invitation's too), not only on the login page's."""
    from django.contrib.sessions.backends.db import SessionStore

    totp_device(world.wpb)
    request = rf.get("/")
    request.session = SessionStore()
    user_logged_in.send(sender=type(world.wpb), request=request, user=world.wpb)
    assert request.session[twofactor.SESSION_KEY] == twofactor.CODE


def test_a_reset_while_the_code_page_is_open_lets_the_person_on(world):
    device = totp_device(world.wpb)
    client, _start = log_in(world.wpb)
    twofactor.reset(world.wpb, by=world.opleider)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.get(CODE_PAGE)
    assert response.status_code == 302 and client.get(reverse("start")).status_code == 200


def test_an_anonymised_account_keeps_no_app_or_codes(world):
    totp_device(world.wpb)
    twofactor.new_recovery_codes(world.wpb)
    erasure.anonymise(world.wpb)
    assert not TOTPDevice.objects.filter(user=world.wpb).exists()
    assert not RecoveryCode.objects.filter(user=world.wpb).exists()
