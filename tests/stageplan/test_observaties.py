"""Observaties: recorded on a phone by the werkplekbegeleider, seen by the stagiair and the praktijkopleider."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from stageplan.models import Moment, Observatie
from stageplan.photos import MAX_BYTES
from tests.factories import png_bytes


def add_url(w):
    return reverse("stageplan:observatie_add", args=[w.stage.pk])


def post(client, w, **extra):
    data = {"kind": "goed", "text": "Vroeg zelf om uitleg", "date": timezone.localdate().isoformat(), **extra}
    return client.post(add_url(w), data)


def test_werkplekbegeleider_records_with_a_photo_without_location(client, world):
    client.force_login(world.wpb)
    assert client.get(reverse("stageplan:observatie_start")).url == add_url(world), "one stagiair: straight there"
    form = client.get(add_url(world)).content.decode()
    assert timezone.localdate().isoformat() in form, "the date defaults to today"
    photo = SimpleUploadedFile("IMG_0001.jpg", png_bytes(exif_gps=True), content_type="image/jpeg")
    response = post(client, world, leerdoel=world.leerdoel.pk, photo=photo)
    assert response.status_code == 302
    observatie = Observatie.objects.latest("pk")
    assert observatie.author == world.wpb and observatie.leerdoel == world.leerdoel
    assert "IMG_0001" not in observatie.photo.name
    with Image.open(observatie.photo.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif(), "no EXIF, so no GPS location"

    client.force_login(world.stagiair)
    served = client.get(reverse("stageplan:observatie_photo", args=[observatie.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "Vroeg zelf om uitleg" in client.get(reverse("stageplan:observaties")).content.decode()
    leerdoel_page = client.get(world.leerdoel.get_absolute_url()).content.decode()
    assert "Vroeg zelf om uitleg" in leerdoel_page


def test_photo_is_checked_by_content_and_size(client, world, settings):
    client.force_login(world.wpb)
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not an image" * 10, content_type="image/jpeg")
    response = post(client, world, photo=fake)
    assert "Alleen een foto als jpg of png" in response.content.decode()
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    response = post(client, world, photo=SimpleUploadedFile("foto.png", gif.getvalue(), content_type="image/png"))
    assert "Alleen een foto als jpg of png" in response.content.decode()
    big = SimpleUploadedFile("groot.png", png_bytes() + b"\0" * MAX_BYTES, content_type="image/png")
    assert "De foto is te groot" in post(client, world, photo=big).content.decode()
    assert Observatie.objects.count() == 1, "nothing saved"


def test_observatie_cannot_be_in_the_future(client, world):
    client.force_login(world.wpb)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "kies vandaag of eerder" in post(client, world, date=tomorrow).content.decode()


def test_who_sees_which_observaties(client, world):
    client.force_login(world.opleider)
    assert "Werkt netjes" in client.get(reverse("stageplan:observaties")).content.decode()
    client.force_login(world.wpb_other)
    assert "Werkt netjes" not in client.get(reverse("stageplan:observaties")).content.decode()
    assert client.get(reverse("stageplan:observatie_photo", args=[world.observatie.pk])).status_code == 404
    assert client.post(add_url(world), {"kind": "goed", "text": "x"}).status_code == 404
    client.force_login(world.opleider_b)
    assert "Werkt netjes" not in client.get(reverse("stageplan:observaties")).content.decode()


def test_a_leerdoel_of_another_stage_cannot_be_linked(client, world):
    from stageplan.changes import create_plan
    from stageplan.models import Leerdoel

    other = Leerdoel.objects.create(
        stageplan=create_plan(stage=world.stage_b, by=world.opleider_b, interval_weeks=4, propose=False), title="B"
    )
    client.force_login(world.wpb)
    assert "Selecteer een geldige keuze" in post(client, world, leerdoel=other.pk).content.decode()


def test_observaties_since_the_last_gesprek(world):
    now = timezone.now()
    Moment.objects.filter(stage=world.stage).delete()
    Moment.objects.create(stage=world.stage, kind="voortgangsgesprek", starts_at=now - timedelta(days=10))
    Moment.objects.create(
        stage=world.stage, kind="voortgangsgesprek", starts_at=now - timedelta(days=3), cancelled_at=now
    )
    Moment.objects.create(stage=world.stage, kind="voortgangsgesprek", starts_at=now + timedelta(days=3))
    old = Observatie.objects.create(
        stage=world.stage, author=world.wpb, date=timezone.localdate() - timedelta(days=20), text="oud", kind="goed"
    )
    new = Observatie.objects.create(
        stage=world.stage, author=world.wpb, date=timezone.localdate() - timedelta(days=5), text="nieuw", kind="goed"
    )
    since = set(Observatie.objects.since_last_gesprek(stage=world.stage))
    assert new in since and old not in since
