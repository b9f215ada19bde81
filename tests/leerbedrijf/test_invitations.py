"""An invitation accepted twice, resent and withdrawn (issue 13): a second "Account aanmaken" lands on the login or
the start page, never a 500; the praktijkopleider resends or withdraws an open invitation from the leerbedrijf page."""

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerbedrijf.models import Invitation, Membership
from leerbedrijf.models.organisatie import InvitationAction
from stagegids.models import OutgoingMail, User, Wijziging
from stagegids.roles import Role
from tests.confirm import CONFIRMED
from tests.factories import LeerbedrijfFactory, MembershipFactory, UserFactory

ACCOUNT = {"name": "Fleur Fitter", "password1": "zonnepaneel-42x", "password2": "zonnepaneel-42x"}


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite(client, world, after_commit, email="fleur@example.nl"):
    client.force_login(world.opleider)
    with after_commit():
        client.post(
            reverse("leerbedrijf:invite", args=[world.a.pk]),
            {"name": "Fleur Fitter", "email": email, "role": Role.WERKPLEKBEGELEIDER},
        )
    return Invitation.objects.open().get(email=email), last_link()


def last_link():
    return re.search(r"http://testserver(/uitnodiging/\S+/)", mail.outbox[-1].body).group(1)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_account_aanmaken_twice_lands_on_the_start_page_then_the_login(client, world, after_commit):
    _invitation, link = invite(client, world, after_commit)
    client.logout()
    assert client.post(link, ACCOUNT).url == reverse("start")

    again = client.post(link, ACCOUNT, follow=True)
    assert again.redirect_chain[-1][0] == reverse("start")
    assert "Deze uitnodiging is al aangenomen; er is niets gewijzigd." in messages_of(again)

    client.logout()
    anonymous = client.post(link, ACCOUNT, follow=True)
    assert anonymous.redirect_chain[-1][0] == reverse("login")
    assert "Deze uitnodiging is al aangenomen. Log in met uw e-mailadres en wachtwoord." in messages_of(anonymous)
    assert User.objects.filter(email="fleur@example.nl").count() == 1
    assert Membership.objects.filter(user__email="fleur@example.nl").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need real locking")
def test_parallel_account_aanmaken_makes_one_account_and_no_500(transactional_db):
    leerbedrijf, opleider = LeerbedrijfFactory(), UserFactory()
    MembershipFactory(user=opleider, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=leerbedrijf)
    _invitation, token = Invitation.create(
        leerbedrijf=leerbedrijf,
        email="fleur@example.nl",
        name="Fleur",
        role=Role.WERKPLEKBEGELEIDER,
        invited_by=opleider,
    )
    link = reverse("leerbedrijf:accept", args=[token])
    barrier = threading.Barrier(6)
    results = []

    def take():
        client = Client(raise_request_exception=False)
        barrier.wait()
        results.append(client.post(link, ACCOUNT))
        connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [302] * 6
    # The login may carry the link as ?next=: a login page all the same.
    assert {urlsplit(r.url).path for r in results} <= {reverse("start"), reverse("login")}
    assert User.objects.filter(email="fleur@example.nl").count() == 1
    assert Membership.objects.filter(user__email="fleur@example.nl", role=Role.WERKPLEKBEGELEIDER).count() == 1


def test_resend_gives_a_new_link_through_the_outbox_and_the_old_one_stops(client, world, after_commit):
    invitation, old_link = invite(client, world, after_commit)
    page = client.get(reverse("leerbedrijf:detail", args=[world.a.pk])).text
    url = reverse("leerbedrijf:invitation_resend", args=[world.a.pk, invitation.pk])
    assert url in page and "Opnieuw versturen" in page

    assert "De link uit de vorige e-mail werkt daarna niet meer" in client.get(url).text
    assert client.post(url).status_code == 200, "without the confirm step nothing changes"
    assert len(mail.outbox) == 1
    with after_commit():
        response = client.post(url, CONFIRMED, follow=True)
    assert "Er gaat een nieuwe uitnodiging naar fleur@example.nl; de oude link werkt niet meer." in messages_of(
        response
    )
    assert len(mail.outbox) == 2 and OutgoingMail.objects.filter(template="invitation").count() == 2
    new_link = last_link()
    assert new_link != old_link
    (entry,) = Wijziging.objects.for_object(invitation)
    assert (entry.action, entry.user, entry.label) == (
        InvitationAction.RESENT,
        world.opleider,
        "Uitnodiging aan fleur@example.nl opnieuw verstuurd",
    )

    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.post(new_link, ACCOUNT).url == reverse("start")


def test_resend_clicked_twice_sends_once(client, world, after_commit):
    """The confirm page names the sending it replaces: a double click, or a colleague's older page, sends nothing."""
    invitation, _link = invite(client, world, after_commit)
    url = reverse("leerbedrijf:invitation_resend", args=[world.a.pk, invitation.pk])
    sent = re.search(r'name="sent" value="([^"]+)"', client.get(url).text).group(1)
    with after_commit():
        client.post(url, {**CONFIRMED, "sent": sent})
    with after_commit():
        response = client.post(url, {**CONFIRMED, "sent": sent}, follow=True)
    again = "Er ging al een nieuwe uitnodiging naar fleur@example.nl; er is niets gewijzigd."
    assert messages_of(response)[-1] == again
    assert len(mail.outbox) == 2 and Wijziging.objects.for_object(invitation).count() == 1


def test_revoke_is_conditional_logged_and_the_link_says_so(client, world, after_commit):
    invitation, link = invite(client, world, after_commit)
    url = reverse("leerbedrijf:invitation_revoke", args=[world.a.pk, invitation.pk])
    response = client.post(url, CONFIRMED, follow=True)
    assert "De uitnodiging aan fleur@example.nl is ingetrokken." in messages_of(response)
    again = client.post(url, CONFIRMED, follow=True)
    assert "De uitnodiging aan fleur@example.nl staat niet meer open; er is niets gewijzigd." in messages_of(again)
    resend = client.post(reverse("leerbedrijf:invitation_resend", args=[world.a.pk, invitation.pk]), CONFIRMED)
    assert resend.status_code == 302 and len(mail.outbox) == 1
    assert [e.action for e in Wijziging.objects.for_object(invitation)] == [InvitationAction.REVOKED]
    assert url not in client.get(reverse("leerbedrijf:detail", args=[world.a.pk])).text

    client.logout()
    page = client.get(link)
    assert page.status_code == 404 and "Deze uitnodiging is ingetrokken" in page.text
    assert client.post(link, ACCOUNT).status_code == 404
    assert not User.objects.filter(email="fleur@example.nl").exists()

    # Withdrawn, the same person may be invited again at once.
    client.force_login(world.opleider)
    invite(client, world, after_commit)
    assert Invitation.objects.open().filter(email="fleur@example.nl").count() == 1


def test_the_open_invitations_list_takes_constant_queries(client, world, after_commit):
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:detail", args=[world.a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        Invitation.create(
            leerbedrijf=world.a,
            email=f"p{n}@example.nl",
            name=f"P {n}",
            role=Role.WERKPLEKBEGELEIDER,
            invited_by=world.opleider,
        )
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.text.count("Intrekken") >= 5
    assert len(five) == len(one)


def test_a_name_with_an_apostrophe_reads_as_typed_in_the_mail(client, world, after_commit):
    """The subject and the text part are plain text: not HTML-escaped (&#x27;). The HTML part escapes it."""
    world.a.name = "Installatiebedrijf 's-Gravensande & Zn"
    world.a.save()
    client.force_login(world.opleider)
    with after_commit():
        client.post(
            reverse("leerbedrijf:invite", args=[world.a.pk]),
            {"name": "Jolie D'Souza", "email": "jolie@example.nl", "role": Role.WERKPLEKBEGELEIDER},
        )
    sent = mail.outbox[-1]
    assert sent.subject == "Uitnodiging voor de Stagegids van Installatiebedrijf 's-Gravensande & Zn"
    assert "Beste Jolie D'Souza," in sent.body and "'s-Gravensande & Zn" in sent.body and "&#x27;" not in sent.body
    html = sent.alternatives[0][0]
    assert "Jolie D&#x27;Souza" in html and "&amp; Zn" in html
