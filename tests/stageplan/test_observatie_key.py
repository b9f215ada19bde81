"""An observatie sent again from the device's queue (issue 16, observaties zonder bereik): its device key makes the
retry answer with the first observatie instead of a second one, also when both arrive at the same moment."""

import threading
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stageplan.forms import ObservatieForm
from stageplan.models import Observatie
from tests.factories import png_bytes
from tests.test_confirm_steps import postgres_only

JSON = {"HTTP_ACCEPT": "application/json"}


def add_url(w):
    return reverse("stageplan:observatie_add", args=[w.stage.pk])


def data(key, **extra):
    return {
        "kind": "goed",
        "text": "Zette de groep zelf spanningsloos",
        "date": timezone.localdate().isoformat(),
        "client_key": str(key),
        **extra,
    }


def photo():
    return SimpleUploadedFile("kruipruimte.jpg", png_bytes(exif_gps=True), content_type="image/jpeg")


def test_the_form_carries_a_key_and_who_fills_it_in(client, world):
    client.force_login(world.wpb)
    form = client.get(add_url(world)).content.decode()
    assert 'name="client_key"' in form and f'name="recorded_by" value="{world.wpb.pk}"' in form
    assert 'maxlength="4000"' in form, "the text is bounded in the browser too"


def test_a_repeated_post_makes_one_observatie_and_gives_the_same_answer(client, world):
    client.force_login(world.wpb)
    key = uuid.uuid4()
    before = Observatie.objects.count()
    first = client.post(add_url(world), data(key, photo=photo()), **JSON)
    again = client.post(add_url(world), data(key, photo=photo()), **JSON)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Observatie.objects.count() == before + 1
    observatie = Observatie.objects.get(client_key=key)
    assert first.json() == {"observatie": observatie.pk, "redirect": reverse("start")}
    assert observatie.author == world.wpb and observatie.photo

    # The form as the browser sends it: a double submit lands on the same page with the same message.
    key = uuid.uuid4()
    answers = [client.post(add_url(world), data(key), follow=True) for _ in range(2)]
    assert [a.redirect_chain for a in answers] == [[(reverse("start"), 302)]] * 2
    assert all("De observatie over Sam Stagiair is vastgelegd." in a.content.decode() for a in answers)
    assert Observatie.objects.filter(client_key=key).count() == 1


def test_a_retry_is_answered_before_its_checks(client, world):
    """Sent again the next day, its date is no longer today: it was saved, so it is still the same answer."""
    client.force_login(world.wpb)
    key = uuid.uuid4()
    first = client.post(add_url(world), data(key), **JSON)
    retry = client.post(add_url(world), data(key, text=""), **JSON)
    assert retry.json() == first.json()


@pytest.mark.parametrize(
    "key",
    ["geen-sleutel", "1" * 37, "0b3d5c00-6151-45f5-a564-bff9f7012c97" + "0", "{" * 200],
)
def test_a_malformed_key_is_refused_in_dutch(client, world, key):
    client.force_login(world.wpb)
    before = Observatie.objects.count()
    response = client.post(add_url(world), data(key), **JSON)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "client_key",
            "label": "Sleutel",
            "messages": ["De sleutel van deze observatie is ongeldig. Laad het formulier opnieuw."],
        }
    ]
    html = client.post(add_url(world), data(key)).content.decode()
    assert "De sleutel van deze observatie is ongeldig" in html, "shown on the form, not only in the answer"
    assert Observatie.objects.count() == before


def test_a_retry_saved_after_the_look_up_still_gets_the_first_observatie(client, world, monkeypatch):
    """The parallel retry's window, made certain: the first request saves after this one's look-up (earlier()) found
    nothing. The key is then this author's own on this stage, so the checks let it through and the unique key
    answers with the first, rather than refusing it as someone else's."""
    client.force_login(world.wpb)
    key = uuid.uuid4()
    first = client.post(add_url(world), data(key), **JSON)
    monkeypatch.setattr(ObservatieForm, "earlier", lambda form: None)
    again = client.post(add_url(world), data(key, photo=photo()), **JSON)
    assert again.status_code == 200 and again.json() == first.json()
    assert Observatie.objects.filter(client_key=key).count() == 1


def test_someone_elses_key_is_not_answered_with_their_observatie(client, world):
    key = uuid.uuid4()
    client.force_login(world.wpb)
    client.post(add_url(world), data(key), **JSON)
    client.force_login(world.opleider)
    response = client.post(add_url(world), data(key), **JSON)
    assert response.status_code == 400
    assert "observatie" not in response.json()
    assert response.json()["errors"][0]["messages"] == ["Deze observatie hoort bij een andere stage of gebruiker."]


def test_a_queued_observatie_of_someone_else_on_the_same_phone_is_not_saved_as_mine(client, world):
    client.force_login(world.opleider)
    before = Observatie.objects.count()
    response = client.post(add_url(world), data(uuid.uuid4(), recorded_by=world.wpb.pk), **JSON)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "recorded_by"
    assert "vastgelegd door iemand anders" in error["messages"][0]
    assert Observatie.objects.count() == before


def test_the_queue_gets_the_server_checks_as_dutch_messages_with_labels(client, world):
    client.force_login(world.wpb)
    big = SimpleUploadedFile("groot.png", png_bytes() + b"\0" * (8 * 1024 * 1024), content_type="image/png")
    response = client.post(add_url(world), data(uuid.uuid4(), text="x" * 4001, photo=big), **JSON)
    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["photo"] == {"field": "photo", "label": "Foto", "messages": ["De foto is te groot: maximaal 8 MB."]}
    assert errors["text"]["label"] == "Wat zag u?"
    assert "4000" in errors["text"]["messages"][0]


def test_the_queue_learns_its_limits_from_the_server(client, world):
    client.force_login(world.wpb)
    response = client.get(add_url(world))
    limits = response.context["queue_limits"]
    assert limits["maxPhotoBytes"] == 8 * 1024 * 1024 and limits["maxPhotoPixels"] == 25_000_000
    assert 'id="wachtrij-grenzen"' in response.content.decode()
    assert limits["tooManyPixels"].startswith("Deze afbeelding is te groot: meer dan 25 megapixel")


def _stored_photos():
    return sorted(Path(settings.MEDIA_ROOT).glob("observaties/*/*/*"))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_posts_with_one_key_make_one_observatie(world):
    """The retry that arrives while the first is still being saved: the unique key decides, on PostgreSQL."""
    key, count = uuid.uuid4(), 4
    url = add_url(world)
    barrier = threading.Barrier(count)
    answers = [None] * count
    photos_before = _stored_photos()

    def post(n):
        try:
            client = Client()
            client.force_login(world.wpb)
            body = data(key, photo=photo())
            barrier.wait()
            answers[n] = client.post(url, body, **JSON)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    observatie = Observatie.objects.get(client_key=key)
    assert [a.status_code for a in answers] == [200] * count
    assert {a.json()["observatie"] for a in answers} == {observatie.pk}
    new_photos = set(_stored_photos()) - set(photos_before)
    assert new_photos == {Path(observatie.photo.path)}, "the photos of the inserts that lost are removed"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_unique_key_decides_when_no_look_up_saw_the_other(world):
    """The look-up before the checks cannot see an insert still under way: two records at once, past any look-up,
    and the constraint lets one through; the other answers with it."""
    key, count = uuid.uuid4(), 4
    barrier = threading.Barrier(count)
    results = [None] * count

    def record(n):
        try:
            observatie = Observatie(
                stage=world.stage, author=world.wpb, date=timezone.localdate(), kind="goed", text="x", client_key=key
            )
            barrier.wait()
            results[n] = observatie.record()
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = Observatie.objects.get(client_key=key)
    assert sorted(created for _observatie, created in results) == [False] * (count - 1) + [True]
    assert {observatie.pk for observatie, _created in results} == {saved.pk}
