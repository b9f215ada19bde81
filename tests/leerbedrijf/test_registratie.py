"""A leerbedrijf registers itself (issue 12): the form, the confirmation mail through the outbox, the single-use link,
expiry, the beheerder who sees and blocks, and the throttle. Through the pages, from an empty database."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerbedrijf.models import Aanmelding, Leerbedrijf, Membership
from leerbedrijf.models.organisatie import LeerbedrijfAction
from stagegids.models import OutgoingMail, User, Wijziging
from stagegids.roles import Role
from tests.conftest import Client
from tests.factories import LeerbedrijfFactory, UserFactory
from tests.test_get_writes_nothing import writes

PASSWORD = "Leerling-Werkplaats-2026"
FORM = {
    "bedrijfsnaam": "Klimaattechniek Jansen",
    "kvk_nummer": "12345678",
    "sbb_leerbedrijf_id": "100054321",
    "straat": "Industrieweg 4",
    "postcode": "3542db",
    "plaats": "Utrecht",
    "name": "Jan Jansen",
    "email": "Jan@Klimaat-Jansen.nl",
    "password1": PASSWORD,
    "password2": PASSWORD,
}
LINK = re.compile(r"http://testserver(/aanmelden/bevestigen/[^/\s]+/)")


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def register(client, after_commit, **data):
    with after_commit():
        return client.post(reverse("leerbedrijf:aanmelden"), {**FORM, **data}, follow=True)


def last_link():
    return LINK.search(mail.outbox[-1].body).group(1)


def registered(client, after_commit, **data):
    """Register and confirm; returns the new praktijkopleider's leerbedrijf."""
    register(client, after_commit, **data)
    client.post(last_link())
    return Leerbedrijf.objects.get(kvk_nummer=data.get("kvk_nummer", FORM["kvk_nummer"]))


def test_a_leerbedrijf_registers_itself_and_its_praktijkopleider_confirms(client, db, after_commit):
    login_page = client.get(reverse("login")).text
    assert "Leerbedrijf aanmelden" in login_page and reverse("leerbedrijf:aanmelden") in login_page
    form = client.get(reverse("leerbedrijf:aanmelden")).text
    assert "KvK-nummer" in form and "SBB leerbedrijf-ID" in form and "Postcode" in form

    response = register(client, after_commit)
    assert response.redirect_chain[-1][0] == reverse("leerbedrijf:aanmelding_verstuurd")
    assert "We sturen een e-mail naar jan@klimaat-jansen.nl" in response.text
    assert "De e-mail met de bevestigingslink volgt" in response.text
    # Nothing exists but the aanmelding and its mail, which went through the outbox.
    assert not Leerbedrijf.objects.exists() and not User.objects.exists()
    assert OutgoingMail.objects.get().template == "aanmelding"
    (message,) = mail.outbox
    assert message.to == ["jan@klimaat-jansen.nl"]
    assert message.subject == "Bevestig de aanmelding van Klimaattechniek Jansen in de Stagegids"
    assert "Klimaattechniek Jansen (KvK 12345678)" in message.body
    assert OutgoingMail.objects.get().context == {}  # the token left with the mail

    page = client.get(last_link())
    assert "Aanmelding bevestigen" in page.text and "3542 DB Utrecht" in page.text
    response = client.post(last_link(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("start")
    assert "u bent nu praktijkopleider bij Klimaattechniek Jansen" in response.text
    assert "Uw leerbedrijf" in response.text  # his start page, with the company to manage

    leerbedrijf = Leerbedrijf.objects.get()
    assert (leerbedrijf.name, leerbedrijf.kvk_nummer, leerbedrijf.sbb_leerbedrijf_id) == (
        "Klimaattechniek Jansen",
        "12345678",
        "100054321",
    )
    assert (leerbedrijf.straat, leerbedrijf.postcode, leerbedrijf.plaats) == ("Industrieweg 4", "3542 DB", "Utrecht")
    user = User.objects.get()
    assert (user.email, user.name) == ("jan@klimaat-jansen.nl", "Jan Jansen")
    membership = Membership.objects.get()
    assert (membership.user, membership.role, membership.leerbedrijf) == (user, Role.PRAKTIJKOPLEIDER, leerbedrijf)
    assert Wijziging.objects.for_object(leerbedrijf).get().action == LeerbedrijfAction.AANGEMELD
    assert Aanmelding.objects.get().password == ""  # the hash lives on the account now

    client.logout()
    response = client.post(reverse("login"), {"username": "jan@klimaat-jansen.nl", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("start")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kvk_nummer", "1234567", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("kvk_nummer", "1234567a", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("postcode", "0123 AB", "Vul de postcode in als vier cijfers en twee letters"),
        ("postcode", "3542 D", "Vul de postcode in als vier cijfers en twee letters"),
        ("sbb_leerbedrijf_id", "SBB-12", "Een SBB leerbedrijf-ID bestaat alleen uit cijfers."),
        ("email", "jan@", "Voer een geldig e-mailadres in."),
        ("password1", "kort", "Dit wachtwoord is te kort."),
        ("password2", "iets-anders-2026", "De twee wachtwoorden zijn niet gelijk."),
        ("bedrijfsnaam", "", "Dit veld is verplicht."),
        ("bedrijfsnaam", "x" * 201, "Zorg dat deze waarde niet meer dan 200 tekens bevat"),
    ],
)
def test_a_wrong_field_is_refused_in_dutch(client, db, after_commit, field, value, message):
    response = register(client, after_commit, **{field: value})
    assert response.status_code == 200 and message in response.text
    assert not Aanmelding.objects.exists() and mail.outbox == []


def test_a_kvk_nummer_with_spaces_is_read_as_its_digits(client, db, after_commit):
    register(client, after_commit, kvk_nummer="1234 5678")
    assert Aanmelding.objects.get().kvk_nummer == "12345678"


def test_a_registered_kvk_nummer_is_refused_without_saying_whose_it_is(client, db, after_commit):
    LeerbedrijfFactory(name="Geheim Installatiebedrijf", kvk_nummer="12345678")
    response = register(client, after_commit)
    assert "Dit KvK-nummer is al aangemeld in de Stagegids" in response.text
    assert "Geheim" not in response.text
    assert not Aanmelding.objects.exists() and mail.outbox == []


def test_an_address_with_an_account_is_refused(client, db, after_commit):
    UserFactory(email="jan@klimaat-jansen.nl")
    response = register(client, after_commit)
    assert "Met dit e-mailadres is al een account gemaakt" in response.text
    assert not Aanmelding.objects.exists()


def test_registering_twice_before_confirming_makes_one_leerbedrijf(client, db, after_commit):
    register(client, after_commit)
    register(client, after_commit)
    first, second = (LINK.search(message.body).group(1) for message in mail.outbox)
    assert first != second
    assert client.post(second).status_code == 302
    client.logout()
    # The other link is spent: the company exists, it makes nothing.
    response = client.post(first)
    assert response.status_code == 404 and "Deze link werkt niet (meer)" in response.text
    assert Leerbedrijf.objects.count() == 1 and User.objects.count() == 1 and Membership.objects.count() == 1


def test_two_people_registering_one_kvk_nummer_make_one_leerbedrijf(client, db, after_commit):
    register(client, after_commit)
    register(client, after_commit, email="collega@klimaat-jansen.nl", name="Kees Collega")
    jan, kees = (LINK.search(message.body).group(1) for message in mail.outbox)
    client.post(kees)
    other = Client()
    assert other.post(jan).status_code == 404
    assert Leerbedrijf.objects.count() == 1
    assert Membership.objects.get().user.email == "collega@klimaat-jansen.nl"


def test_confirming_twice_changes_nothing_and_lands_on_the_start_or_login_page(client, db, after_commit):
    register(client, after_commit)
    link = last_link()
    client.post(link)
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("start") and "Deze aanmelding is al bevestigd" in response.text
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("start")
    anonymous = Client()
    response = anonymous.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login") and "Deze aanmelding is al bevestigd" in response.text
    assert Leerbedrijf.objects.count() == 1 and Membership.objects.count() == 1
    assert Wijziging.objects.count() == 1


def test_an_expired_link_makes_nothing_and_the_company_registers_again(client, db, after_commit, settings):
    register(client, after_commit)
    link = last_link()
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)):
        page = client.get(link)
        assert page.status_code == 404 and "Meld uw bedrijf opnieuw aan" in page.text
        assert client.post(link).status_code == 404
        assert not Leerbedrijf.objects.exists()

        register(client, after_commit)
        assert len(mail.outbox) == 2
        response = client.post(last_link(), follow=True)
        assert response.redirect_chain[-1][0] == reverse("start")
    assert Leerbedrijf.objects.count() == 1


def test_an_unknown_link_is_a_dutch_404(client, db):
    response = client.get(reverse("leerbedrijf:aanmelding_bevestigen", args=["niet-bestaand"]))
    assert response.status_code == 404 and "Deze link werkt niet (meer)" in response.text


def test_the_pages_write_nothing_on_get(client, db, after_commit):
    urls = [reverse("leerbedrijf:aanmelden"), reverse("leerbedrijf:aanmelding_verstuurd")]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        assert writes(queries.captured_queries) == [], url
    register(client, after_commit)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(last_link()).status_code == 200
    assert writes(queries.captured_queries) == []
    assert not Leerbedrijf.objects.exists() and Aanmelding.objects.get().confirmed_at is None


def test_the_beheerder_sees_new_registrations_and_blocks_one(client, db, after_commit):
    leerbedrijf = registered(client, after_commit)
    register(Client(), after_commit, kvk_nummer="87654321", email="piet@example.nl", bedrijfsnaam="Piet Loodgieter")
    opleider = client

    beheerder = Client()
    beheerder.force_login(UserFactory(is_staff=True, is_superuser=True))
    start = beheerder.get(reverse("start")).text
    assert "Nieuwe aanmeldingen van leerbedrijven" in start
    assert "Klimaattechniek Jansen" in start and "Piet Loodgieter" in start and "wacht op bevestiging" in start
    assert reverse("admin:leerbedrijf_leerbedrijf_change", args=[leerbedrijf.pk]) in start
    assert beheerder.get(reverse("admin:leerbedrijf_aanmelding_changelist")).status_code == 200

    block = {"action": "block", "_selected_action": [leerbedrijf.pk]}
    changelist = reverse("admin:leerbedrijf_leerbedrijf_changelist")
    assert "1 leerbedrijf geblokkeerd" in beheerder.post(changelist, block, follow=True).text
    assert "0 leerbedrijven geblokkeerd" in beheerder.post(changelist, block, follow=True).text
    logged = Wijziging.objects.for_object(leerbedrijf).filter(action=LeerbedrijfAction.GEBLOKKEERD)
    assert logged.count() == 1 and logged.get().user.is_staff

    for url in (reverse("start"), reverse("leerbedrijf:detail", args=[leerbedrijf.pk])):
        page = opleider.get(url)
        assert page.status_code == 403, url
        assert "Het account van uw leerbedrijf is geblokkeerd" in page.text and "Wij Techniek" in page.text
    assert "geblokkeerd" in beheerder.get(reverse("start")).text
    # A blocked KvK-nummer stays taken.
    assert "Dit KvK-nummer is al aangemeld" in register(Client(), after_commit, email="nieuw@example.nl").text

    beheerder.post(changelist, {"action": "unblock", "_selected_action": [leerbedrijf.pk]})
    assert opleider.get(reverse("leerbedrijf:detail", args=[leerbedrijf.pk])).status_code == 200
    assert Wijziging.objects.for_object(leerbedrijf).filter(action=LeerbedrijfAction.DEBLOKKEERD).count() == 1


def test_blocking_takes_only_the_roles_in_that_leerbedrijf(client, world):
    world.a.block(by=world.staff)
    client.force_login(world.wpb)
    assert "Het account van uw leerbedrijf is geblokkeerd" in client.get(reverse("start")).text
    # A role in another leerbedrijf keeps the person in, for that one only.
    Membership.grant(user=world.wpb, role=Role.WERKPLEKBEGELEIDER, leerbedrijf=world.b)
    assert client.get(reverse("start")).status_code == 200
    assert client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).status_code == 404
    client.force_login(world.opleider_b)
    assert client.get(reverse("leerbedrijf:detail", args=[world.b.pk])).status_code == 200
    # Logging out is always possible.
    client.force_login(world.opleider)
    assert client.post(reverse("logout")).status_code == 302


def test_registration_is_throttled_per_address_like_the_login(client, db, after_commit, settings):
    settings.AXES_ENABLED = True
    # A mistake in the form costs no attempt: only what sends a mail or asks about an existing company.
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        register(client, after_commit, postcode="onzin")
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert register(client, after_commit, kvk_nummer=f"1000000{n}", email=f"p{n}@example.nl").status_code == 200
    assert Aanmelding.objects.count() == settings.AXES_FAILURE_LIMIT
    response = register(client, after_commit, kvk_nummer="20000000", email="laat@example.nl")
    assert response.status_code == 429
    assert "Vanaf dit adres zijn te veel aanmeldingen verstuurd" in response.text
    assert Aanmelding.objects.count() == settings.AXES_FAILURE_LIMIT
    # Another address may; and the login's lock-out is its own.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert register(other, after_commit, kvk_nummer="20000001", email="ander@example.nl").status_code == 200
    assert Aanmelding.objects.count() == settings.AXES_FAILURE_LIMIT + 1
    # What axes keeps of the attempts holds no password or personal data.
    from axes.models import AccessAttempt

    stored = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert PASSWORD not in stored and "example.nl" not in stored


def test_the_beheerders_panel_queries_do_not_grow_with_registrations(client, db, after_commit):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("start"))
        return len(queries)

    registered(Client(), after_commit)
    few = count()
    for n in range(3):
        registered(Client(), after_commit, kvk_nummer=f"3000000{n}", email=f"q{n}@example.nl")
    assert count() == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel confirmations need real locking")
def test_parallel_confirmations_make_one_leerbedrijf(transactional_db):
    Client().post(reverse("leerbedrijf:aanmelden"), FORM)
    link = last_link()
    barrier = threading.Barrier(6)
    statuses = []

    def confirm():
        try:
            barrier.wait()
            statuses.append(Client().post(link).url)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == sorted([reverse("start")] + [reverse("login")] * 5)
    assert Leerbedrijf.objects.count() == 1 and User.objects.count() == 1 and Membership.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel confirmations need real locking")
def test_parallel_confirmations_of_one_kvk_nummer_make_one_leerbedrijf(transactional_db):
    for n in range(4):
        Client().post(reverse("leerbedrijf:aanmelden"), {**FORM, "email": f"p{n}@example.nl"})
    links = [LINK.search(message.body).group(1) for message in mail.outbox]
    barrier = threading.Barrier(len(links))
    statuses = []

    def confirm(link):
        try:
            barrier.wait()
            statuses.append(Client().post(link).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=[link]) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The first makes the company; each other finds its link spent (404) or meets it at the unique index (409).
    assert statuses.count(302) == 1 and set(statuses) - {302} <= {404, 409}
    assert Leerbedrijf.objects.count() == 1 and User.objects.count() == 1 and Membership.objects.count() == 1
