"""Collega-feedback (chapter 9): a single-use link that expires and opens nothing else."""

import re

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import CollegaVraag

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
