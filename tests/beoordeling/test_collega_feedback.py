"""Collega-feedback (chapter 9): a single-use link that expires and opens nothing else; the praktijkopleider
withdraws an open request or sends a new link (issue 13)."""

import re
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import BeoordelingAction, CollegaVraag
from stagegids import outbox
from stagegids.models import OutgoingMail, OutgoingMailStatus, Wijziging
from tests.confirm import CONFIRMED
from tests.test_confirm_steps import in_parallel, postgres_only

ANSWERS = {"zelfstandigheid": "Pakt klussen zelf op", "houding": "Altijd op tijd", "resultaten": "Netjes werk"}


def test_praktijkopleider_asks_a_colleague_by_mail_and_only_the_hash_is_stored(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    url = reverse("beoordeling:ask_colleague", args=[world.beoordeling.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Henk Monteur", "email": "Henk@Example.nl"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["henk@example.nl"] and "Sam Stagiair" in message.subject
    token = re.search(r"/collega-feedback/([^/\s]+)/", message.body).group(1)
    vraag = CollegaVraag.objects.get(email="henk@example.nl")
    assert token not in vraag.token_hash and len(vraag.token_hash) == 64


def test_the_colleague_sees_only_the_questions_and_the_name_and_answers_once(client, world):
    url = reverse("beoordeling:collega_antwoord", args=[world.collega_token])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam Stagiair" in html and "zelfstandig" in html
    for secret in [world.a.name, world.opleider.name, world.stage.kwalificatie.name, "Uitloggen", "beoordelingen/"]:
        assert secret not in html

    assert client.post(url, {"zelfstandigheid": "", "houding": "", "resultaten": ""}).status_code == 200
    assert CollegaVraag.objects.get(pk=world.collega_vraag.pk).answered_at is None

    assert "Bedankt" in client.post(url, ANSWERS).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {**ANSWERS, "houding": "overschreven"}).status_code == 404
    vraag = CollegaVraag.objects.get(pk=world.collega_vraag.pk)
    assert vraag.houding == "Altijd op tijd"

    client.force_login(world.stagiair)
    assert client.get(reverse("beoordeling:detail", args=[world.beoordeling.pk])).status_code == 200


def test_answers_appear_in_the_beoordeling_view(client, world):
    client.post(reverse("beoordeling:collega_antwoord", args=[world.collega_token]), ANSWERS)
    client.force_login(world.opleider)
    html = client.get(reverse("beoordeling:detail", args=[world.beoordeling.pk])).content.decode()
    assert "Pakt klussen zelf op" in html and "Cor Collega" in html


def test_the_link_dies_after_expiry(client, world):
    url = reverse("beoordeling:collega_antwoord", args=[world.collega_token])
    with time_machine.travel(timezone.now() + timezone.timedelta(days=11)):
        assert client.get(url).status_code == 404
        assert client.post(url, ANSWERS).status_code == 404
    assert CollegaVraag.objects.get(pk=world.collega_vraag.pk).answered_at is None


def test_a_guessed_token_opens_nothing(client, world):
    assert client.get(reverse("beoordeling:collega_antwoord", args=["verzonnen"])).status_code == 404


def test_the_link_works_for_a_logged_in_user_without_granting_anything(client, world):
    client.force_login(world.wpb)
    url = reverse("beoordeling:collega_antwoord", args=[world.collega_token])
    assert client.post(url, ANSWERS).status_code == 200
    assert client.get(reverse("beoordeling:detail", args=[world.beoordeling.pk])).status_code == 404


# --- withdraw and resend (issue 13) --------------------------------------------------------------------------------


def step_url(world, step):
    return reverse(f"beoordeling:collega_{step}", args=[world.beoordeling.pk, world.collega_vraag.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def resend_data(world):
    """What the confirm page posts: the link it replaces, named by its expiry."""
    vraag = CollegaVraag.objects.get(pk=world.collega_vraag.pk)
    return {**CONFIRMED, "replaces": vraag.expires_at.isoformat()}


def test_withdrawing_asks_first_is_conditional_logged_and_the_link_says_so(client, world):
    client.force_login(world.opleider)
    detail = client.get(world.beoordeling.get_absolute_url()).text
    url = step_url(world, "revoke")
    assert url in detail and step_url(world, "resend") in detail
    page = client.get(url).text
    assert "De vraag om feedback aan Cor Collega intrekken?" in page and 'name="confirmed"' in page
    assert client.post(url).status_code == 200, "without the confirm step nothing changes"
    assert CollegaVraag.objects.get(pk=world.collega_vraag.pk).revoked_at is None

    done = client.post(url, CONFIRMED, follow=True)
    assert "De vraag aan Cor Collega is ingetrokken; de link werkt niet meer." in messages_of(done)
    again = client.post(url, CONFIRMED, follow=True)
    assert "De vraag aan Cor Collega staat niet meer open; er is niets gewijzigd." in messages_of(again)
    assert client.post(step_url(world, "resend"), resend_data(world)).status_code == 302
    assert mail.outbox == [] and not OutgoingMail.objects.exists(), "a withdrawn request is not resent"
    entries = Wijziging.objects.for_object(world.beoordeling).filter(action=BeoordelingAction.COLLEGA_REVOKED)
    assert [(e.user, e.label) for e in entries] == [
        (world.opleider, "Vraag om collega-feedback aan Cor Collega ingetrokken")
    ]
    detail = client.get(world.beoordeling.get_absolute_url()).text
    assert "Ingetrokken op" in detail and url not in detail

    client.logout()
    link = reverse("beoordeling:collega_antwoord", args=[world.collega_token])
    page = client.get(link)
    assert page.status_code == 404 and "Deze vraag is ingetrokken" in page.text
    assert client.post(link, ANSWERS).status_code == 404
    assert CollegaVraag.objects.get(pk=world.collega_vraag.pk).answered_at is None


def test_resending_mails_a_new_link_through_the_outbox_and_the_old_one_stops(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    url = step_url(world, "resend")
    page = client.get(url).text
    assert "Een nieuwe link naar Cor Collega sturen?" in page and "werkt daarna niet meer" in page
    old_expiry = CollegaVraag.objects.get(pk=world.collega_vraag.pk).expires_at
    data = resend_data(world)
    with time_machine.travel(timezone.now() + timezone.timedelta(days=8)):
        client.force_login(world.opleider)  # the session of eight days ago has expired
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, follow=True)
        assert "De nieuwe link wordt verstuurd naar cor@a.nl; de oude link werkt niet meer." in messages_of(response)
        again = client.post(url, data, follow=True)
        assert "Er is al een nieuwe link naar cor@a.nl verstuurd; er is niets gewijzigd." in messages_of(again)
    [message] = mail.outbox
    assert message.to == ["cor@a.nl"] and OutgoingMail.objects.get().template == "collega_feedback"
    vraag = CollegaVraag.objects.get(pk=world.collega_vraag.pk)
    assert vraag.expires_at > old_expiry + timezone.timedelta(days=7), "the new link has a full term"
    entries = Wijziging.objects.for_object(world.beoordeling).filter(action=BeoordelingAction.COLLEGA_RESENT)
    assert [e.label for e in entries] == ["Nieuwe link voor collega-feedback gestuurd aan Cor Collega"]

    client.logout()
    old = client.get(reverse("beoordeling:collega_antwoord", args=[world.collega_token]))
    assert old.status_code == 404 and "Deze link werkt niet meer" in old.text
    new_link = re.search(r"http://testserver(/collega-feedback/[^/\s]+/)", message.body).group(1)
    assert "Bedankt" in client.post(new_link, ANSWERS).text


def test_resending_with_the_mail_server_down_succeeds_and_the_mail_follows(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    server_down = mock.patch.object(outbox, "send_templated", side_effect=smtplib.SMTPServerDisconnected("away"))
    with server_down, django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(world, "resend"), resend_data(world), follow=True)
    assert response.status_code == 200
    assert "De nieuwe link wordt verstuurd naar cor@a.nl; de oude link werkt niet meer." in messages_of(response)
    row = OutgoingMail.objects.get()
    assert (row.status, row.last_error) == (OutgoingMailStatus.PENDING, "away")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.resend() == 1  # what beat does once the server is back
    [message] = mail.outbox
    assert message.to == ["cor@a.nl"] and "/collega-feedback/" in message.body


def test_only_an_open_request_offers_withdraw_and_resend(client, world):
    client.post(reverse("beoordeling:collega_antwoord", args=[world.collega_token]), ANSWERS)
    client.force_login(world.opleider)
    assert step_url(world, "revoke") not in client.get(world.beoordeling.get_absolute_url()).text
    for step in ("revoke", "resend"):
        response = client.get(step_url(world, step), follow=True)
        assert "De vraag aan Cor Collega staat niet meer open; er is niets gewijzigd." in messages_of(response)
    assert CollegaVraag.objects.get(pk=world.collega_vraag.pk).revoked_at is None


@postgres_only
@pytest.mark.parametrize("step", ["revoke", "resend"])
def test_parallel_withdraw_or_resend_happens_once(transactional_db, world, step):
    data = resend_data(world) if step == "resend" else CONFIRMED
    with mock.patch.object(outbox.send_queued_mail, "delay"):
        responses = in_parallel(*[(world.opleider, step_url(world, step), data)] * 6)
    assert [r.status_code for r in responses] == [200] * 6
    action = {"revoke": BeoordelingAction.COLLEGA_REVOKED, "resend": BeoordelingAction.COLLEGA_RESENT}[step]
    assert Wijziging.objects.for_object(world.beoordeling).filter(action=action).count() == 1
    assert OutgoingMail.objects.count() == (1 if step == "resend" else 0)
