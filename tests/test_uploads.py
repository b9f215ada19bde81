"""Uploaded images, an observatie's photo and a bewijsstuk alike (stagegids.images): refused above a pixel count
before they are decoded, stored without metadata; a replaced bewijsstuk, or one of a deleted erkenning, leaves the
disk when nothing refers to it.
"""

import io
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from bench.images import png_of
from leerbedrijf.models import ChecklistItem, Erkenning, ErkenningCheck
from stagegids import images
from stagegids.models import Wijziging
from stageplan.models import Observatie
from tests.conftest import PDF
from tests.factories import ErkenningFactory, UserFactory, png_bytes


@pytest.fixture(scope="module")
def bomb():
    """The probe's image: 13,000 x 13,000 pixels (169 million) in a file of some 20 KB."""
    return png_of(13_000, 13_000)


@pytest.fixture
def no_decoding(monkeypatch):
    """Decoding pixels fails the test: a refusal by pixel count must come from the header alone."""

    def load(self):
        raise AssertionError(f"decoded an image of {self.size}")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


def post_observatie(client, w, photo):
    url = reverse("stageplan:observatie_add", args=[w.stage.pk])
    data = {"kind": "goed", "text": "Netjes afgemonteerd", "date": timezone.localdate().isoformat(), "photo": photo}
    return client.post(url, data)


def post_evidence(client, check, upload):
    return client.post(
        reverse("leerbedrijf:erkenning_check", args=[check.erkenning_id, check.pk]), {"evidence": upload}
    )


REFUSED = "Deze afbeelding is te groot: meer dan 25 megapixel. Verklein de afbeelding of kies een andere."


def test_a_photo_of_too_many_pixels_is_refused_before_decoding(client, world, bomb, no_decoding):
    client.force_login(world.wpb)
    response = post_observatie(client, world, SimpleUploadedFile("foto.png", bomb, content_type="image/png"))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert Observatie.objects.count() == 1, "only the world's own"


def test_a_bewijsstuk_of_too_many_pixels_is_refused_before_decoding(client, world, bomb, no_decoding):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    response = post_evidence(client, check, SimpleUploadedFile("scan.png", bomb, content_type="image/png"))
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    check.refresh_from_db()
    assert not check.evidence


def test_the_pixel_limit_is_inclusive_and_pillow_holds_the_same(client, world, monkeypatch):
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS, "any other image the portal opens is bounded too"
    monkeypatch.setattr(images, "MAX_PIXELS", 40 * 30)
    client.force_login(world.wpb)
    exact = SimpleUploadedFile("foto.png", png_bytes(size=(40, 30)), content_type="image/png")
    assert post_observatie(client, world, exact).status_code == 302
    over = SimpleUploadedFile("foto.png", png_bytes(size=(41, 30)), content_type="image/png")
    assert "Deze afbeelding is te groot" in post_observatie(client, world, over).content.decode()


def test_a_photographed_bewijsstuk_loses_its_location(client, world):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    photo = png_bytes(exif_gps=True, size=(800, 600))
    with Image.open(SimpleUploadedFile("x.jpg", photo)) as original:
        assert original.getexif().get_ifd(0x8825), "the upload has a GPS location"
    response = post_evidence(client, check, SimpleUploadedFile("RI&E.jpg", photo, content_type="image/jpeg"))
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.evidence_name == "RI&E.jpg"
    with Image.open(check.evidence.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (800, 600))
        assert not stored.getexif(), "no EXIF, so no GPS location and no camera"


def test_a_replaced_bewijsstuk_leaves_the_disk(client, world, django_capture_on_commit_callbacks):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    stored = []
    for n in range(3):
        upload = SimpleUploadedFile(f"ri&e-{n}.png", png_bytes(size=(40 + n, 30)), content_type="image/png")
        with django_capture_on_commit_callbacks(execute=True):
            assert post_evidence(client, check, upload).status_code == 302
        check.refresh_from_db()
        stored.append(Path(check.evidence.path))
    assert [path.exists() for path in stored] == [False, False, True]
    folder = sorted(path.name for path in stored[-1].parent.iterdir())
    assert folder == sorted([stored[-1].name, Path(world.check.evidence.path).name]), "this one and the world's own"


def test_a_replaced_bewijsstuk_the_history_refers_to_stays(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(world.opleider)
    old = world.check.evidence.name
    monkeypatch.setitem(Wijziging._actions, "test.bewijsstuk", "Bewijsstuk vervangen")
    Wijziging.log(world.check, "test.bewijsstuk", user=world.opleider, data={"bewijsstuk": old})
    upload = SimpleUploadedFile("polis-2027.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_evidence(client, world.check, upload).status_code == 302
    world.check.refresh_from_db()
    assert world.check.evidence.name != old
    assert Path(world.check.evidence.storage.path(old)).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel uploads need a database with real locking")
def test_parallel_replacements_leave_one_file(transactional_db, world):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    clients = [Client() for _ in range(6)]
    for client in clients:
        client.force_login(world.opleider)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def upload(client, n):
        try:
            photo = SimpleUploadedFile(f"ri&e-{n}.png", png_bytes(size=(40 + n, 30)), content_type="image/png")
            barrier.wait()
            statuses.append(post_evidence(client, check, photo).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(client, n)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)
    check.refresh_from_db()
    folder = sorted(path.name for path in Path(check.evidence.path).parent.iterdir())
    assert folder == sorted([Path(check.evidence.path).name, Path(world.check.evidence.path).name])


def test_deleting_an_erkenning_removes_its_bewijsstukken_after_commit(
    client, world, django_capture_on_commit_callbacks
):
    """In the beheer (no page of the portal deletes an erkenning); its checks go with it, and so do their files."""
    client.force_login(world.opleider)
    werkplek = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    upload = SimpleUploadedFile("ri&e.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_evidence(client, werkplek, upload).status_code == 302
    files = [Path(check.evidence.path) for check in world.erkenning.checks.exclude(evidence="")]
    assert len(files) == 2 and all(path.exists() for path in files)
    other = ErkenningFactory()
    other_check = other.checks.get(item=ChecklistItem.VERZEKERING)
    other_check.record(done=True, note="", evidence=ContentFile(PDF, name="polis.pdf"), by=world.opleider)
    kept = Path(other_check.evidence.path)

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:leerbedrijf_erkenning_delete", args=[world.erkenning.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Erkenning.objects.filter(pk=world.erkenning.pk).exists()
    assert not ErkenningCheck.objects.filter(erkenning_id=world.erkenning.pk).exists()
    assert [path.exists() for path in files] == [False, False]
    assert kept.exists(), "another erkenning's bewijsstuk stays"


def test_a_deletion_rolled_back_keeps_the_bewijsstukken(world, django_capture_on_commit_callbacks):
    path = Path(world.check.evidence.path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        world.erkenning.delete()
        transaction.set_rollback(True)
    assert callbacks == [] and path.exists()
    assert ErkenningCheck.objects.filter(pk=world.check.pk).exists()


def pdf_with_metadata(*, signed=False):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Jan Geheim", "/Creator": "Tekstverwerker van Jan"})
    writer.xmp_metadata = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jan Geheim</dc:creator></x:xmpmeta>'
    if signed:
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/SigFlags"): NumberObject(3), NameObject("/Fields"): ArrayObject()}
        )
    out = io.BytesIO()
    writer.write(out)
    assert b"Jan Geheim" in out.getvalue()
    return out.getvalue()


def test_a_pdf_bewijsstuk_loses_its_author_and_software(client, world):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    upload = SimpleUploadedFile("RI&E.pdf", pdf_with_metadata(), content_type="application/pdf")
    assert post_evidence(client, check, upload).status_code == 302
    check.refresh_from_db()
    stored = Path(check.evidence.path).read_bytes()
    assert b"Jan Geheim" not in stored and b"Tekstverwerker" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert (len(reader.pages), reader.metadata, reader.xmp_metadata) == (1, None, None)
    assert check.evidence_name == "RI&E.pdf"


@pytest.mark.parametrize("content", [pdf_with_metadata(signed=True), PDF], ids=["signed", "unreadable-by-pypdf"])
def test_a_signed_or_unreadable_pdf_is_kept_as_it_came(client, world, content):
    """A signature would break, and a pdf pypdf cannot read was accepted before by its first bytes: both stay as they
    came, metadata and all (named in README)."""
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    assert post_evidence(client, check, SimpleUploadedFile("polis.pdf", content)).status_code == 302
    check.refresh_from_db()
    assert Path(check.evidence.path).read_bytes() == content
