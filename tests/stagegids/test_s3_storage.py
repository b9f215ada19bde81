"""Files in an S3-compatible object store (issue 18): with STAGEGIDS_S3_BUCKET set, uploads and verslagen go
through Django's storage API to the bucket (django-storages), come back only through the policy's views, and go when
the portal removes them. Against moto's S3 server, started by these tests on a free port of 127.0.0.1: a real HTTP
server that boto3 talks to as it talks to S3."""

from io import BytesIO

import boto3
import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image
from pypdf import PdfReader

from stagegids import settings as production
from stagemap.models import StagemapExport, Verslag
from stageplan.models import Observatie
from tests.beoordeling.test_gesprekken import NOTES, url
from tests.confirm import CONFIRMED
from tests.factories import png_bytes
from tests.stageplan.test_observaties import post

BUCKET = "stagegids-test"
CREDENTIALS = {"access_key": "test", "secret_key": "test", "region": "eu-west-1"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """An empty private bucket, and the portal's default storage pointed at it as the settings do in production."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-west-1",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": production.s3_storage(bucket=BUCKET, endpoint_url=s3_server, **CREDENTIALS),
    }
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(bucket):
    return {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def stored(bucket, name):
    return bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()


def test_the_settings_choose_the_bucket_by_environment():
    assert production.S3_BUCKET == "" and production.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_an_observation_photo_goes_to_the_bucket_and_back_only_through_the_policy(client, world, bucket):
    assert type(storages["default"]).__name__ == "S3Storage"
    client.force_login(world.wpb)
    photo = SimpleUploadedFile("IMG_0001.jpg", png_bytes(exif_gps=True), content_type="image/jpeg")
    assert post(client, world, leerdoel=world.leerdoel.pk, photo=photo).status_code == 302
    observatie = Observatie.objects.latest("pk")
    assert observatie.photo.name in keys(bucket)
    with Image.open(BytesIO(stored(bucket, observatie.photo.name))) as image:
        assert image.format == "JPEG" and not image.getexif(), "cleaned of its location before it was stored"

    served = client.get(reverse("stageplan:observatie_photo", args=[observatie.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == stored(bucket, observatie.photo.name)
    client.force_login(world.opleider_b)
    assert client.get(reverse("stageplan:observatie_photo", args=[observatie.pk])).status_code == 404


def test_a_url_the_storage_makes_is_signed_and_short_lived(bucket):
    name = default_storage.save("proef/een.txt", SimpleUploadedFile("een.txt", b"een"))
    link = default_storage.url(name)
    assert "X-Amz-Signature=" in link and "X-Amz-Expires=300" in link


def test_evidence_replaced_leaves_the_bucket(client, world, bucket, django_capture_on_commit_callbacks):
    check = world.erkenning.checks.exclude(pk=world.check.pk).first()
    check_url = reverse("leerbedrijf:erkenning_check", args=[world.erkenning.pk, check.pk])
    client.force_login(world.opleider)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_url, {"done": "on", "note": "RI&E", "evidence": SimpleUploadedFile("rie.pdf", pdf)})
    check.refresh_from_db()
    first = check.evidence.name
    assert first in keys(bucket)
    download = client.get(reverse("leerbedrijf:erkenning_evidence", args=[world.erkenning.pk, check.pk]))
    assert b"".join(download.streaming_content) == stored(bucket, first)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_url, {"done": "on", "note": "RI&E", "evidence": SimpleUploadedFile("nieuw.png", png_bytes())})
    check.refresh_from_db()
    assert keys(bucket) == {check.evidence.name}, "the replaced one is gone from the bucket"


def test_verslagen_and_the_whole_stagemap_are_rendered_into_the_bucket(
    client, world, bucket, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
        client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED})
    verslag = Verslag.objects.filter(stage=world.stage).latest("pk")
    assert verslag.file.name in keys(bucket)
    download = client.get(reverse("stagemap:verslag_download", args=[verslag.pk]))
    assert b"".join(download.streaming_content) == stored(bucket, verslag.file.name)

    # The world's own verslagen were made before these tests pointed the storage at the bucket; its own request for
    # the pdf would be this one's (asked twice within a minute).
    Verslag.objects.filter(stage=world.stage).exclude(pk=verslag.pk).delete()
    StagemapExport.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stagemap:stagemap_export_start", args=[world.stage.pk]))
    export = StagemapExport.objects.latest("created_at")
    assert export.file.name in keys(bucket)
    pdf = b"".join(client.get(reverse("stagemap:stagemap_export_download", args=[export.pk])).streaming_content)
    assert len(PdfReader(BytesIO(pdf)).pages) > 1
