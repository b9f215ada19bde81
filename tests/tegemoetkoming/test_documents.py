"""The pok and bpv-overeenkomst as pdf uploads: checked by content, bounded in size, served only by the policy."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stagegids.models import Wijziging
from tegemoetkoming.forms import DOCUMENT_MAX_BYTES
from tegemoetkoming.models import StageDocument
from tests.conftest import PDF
from tests.factories import png_bytes


def upload(client, stage, kind="pok", content=PDF, name="pok getekend.pdf"):
    return client.post(
        reverse("tegemoetkoming:document_upload", args=[stage.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_praktijkopleider_uploads_the_pok_and_a_new_one_replaces_it(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.opleider)
    response = upload(client, world.stage)
    assert response.status_code == 302
    document = StageDocument.objects.get(stage=world.stage, kind="pok")
    assert document.name == "pok getekend.pdf"
    assert document.file.name.startswith(f"overeenkomsten/{world.stage.pk}/")
    assert "getekend" not in document.file.name  # stored under a name of the portal's making
    assert Wijziging.objects.for_object(document).get().action == "overeenkomst_geupload"
    first = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world.stage, content=PDF + b"\n% tweede", name="pok-v2.pdf")
    document.refresh_from_db()
    assert document.name == "pok-v2.pdf"
    assert not document.file.storage.exists(first)
    assert StageDocument.objects.filter(stage=world.stage).count() == 1

    url = reverse("tegemoetkoming:document", args=[world.stage.pk, "pok"])
    response = client.get(url)
    assert response["Content-Disposition"].startswith('attachment; filename="pok-v2.pdf"')
    assert b"".join(response.streaming_content).endswith(b"% tweede")
    client.force_login(world.wpb)
    assert client.get(url).status_code == 200
    assert client.get(reverse("tegemoetkoming:document", args=[world.stage.pk, "bpv"])).status_code == 404
    for outsider in (world.stagiair, world.mbo, world.beoordelaar):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_anything_but_a_pdf_or_too_big_is_refused_in_dutch(client, world):
    client.force_login(world.opleider)
    response = upload(client, world.stage, content=png_bytes(), name="pok.pdf")
    assert response.status_code == 200
    assert "Alleen een pdf kan als overeenkomst; dit bestand is dat niet." in response.content.decode()
    response = upload(client, world.stage, content=PDF + b"0" * DOCUMENT_MAX_BYTES)
    assert "Het bestand is te groot: maximaal 10 MB." in response.content.decode()
    response = upload(client, world.stage, kind="loonstrook")
    assert "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(reverse("tegemoetkoming:document_upload", args=[world.stage.pk]), {"kind": "bpv"})
    assert "Kies het bestand van de getekende overeenkomst." in response.content.decode()
    assert not StageDocument.objects.exists()


def test_only_the_praktijkopleider_uploads(client, world):
    client.force_login(world.wpb)
    assert upload(client, world.stage).status_code == 403
    assert not StageDocument.objects.exists()
