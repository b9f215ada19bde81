"""Inzage (issue 17): a person downloads everything the portal holds about him; a praktijkopleider asks for a
stagiair's on request. Made by a worker with a progress bar; seen only by who asked and the person; expires."""

import json
import zipfile
from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from leerbedrijf import tasks
from leerbedrijf.models import Inzage, InzageStatus, Raadpleging, RaadplegingWhat
from stagegids.models import RetentionRun, Wijziging
from stagegids.tasks import run_retention
from tests.test_confirm_steps import in_parallel, postgres_only


def download(client, inzage):
    response = client.get(reverse("leerbedrijf:inzage_download", args=[inzage.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))


def sections(archive):
    data = json.loads(archive.read("export.json"))
    return data, {part["model"]: part["rijen"] for part in data["onderdelen"]}


def test_a_stagiair_asks_for_his_inzage_and_downloads_everything_about_him(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.stagiair)
    assert "Inzage aanvragen" in client.get(reverse("leerbedrijf:inzage")).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leerbedrijf:inzage_start"))
    inzage = Inzage.objects.get()
    assert response.url == reverse("leerbedrijf:inzage_status", args=[inzage.pk])
    assert (inzage.status, inzage.progress, inzage.person) == (InzageStatus.DONE, 100, world.stagiair)
    page = client.get(response.url, headers={"HX-Request": "true"}).text
    assert "Inzage downloaden (zip)" in page and "hx-trigger" not in page

    archive = download(client, inzage)
    data, parts = sections(archive)
    assert data["over"] == "Sam Stagiair" and data["alleen_dit_leerbedrijf"] is None
    assert [row["email"] for row in parts["stagegids.User"]] == ["stagiair@student.nl"]
    assert "password" not in parts["stagegids.User"][0]
    assert [row["title"] for row in parts["stageplan.Leerdoel"]] == ["Leidingen aanleggen"]
    assert parts["stageplan.Stageplan"] and parts["stageplan.StageplanVersion"]
    [observatie] = parts["stageplan.Observatie"]
    assert observatie["text"] == "Werkt netjes" and observatie["author"] == "Willem Begeleider"
    # The photo is in the zip, under the name the json gives it, and is the stored file.
    assert archive.read(observatie["photo"]) == world.observatie.photo.open("rb").read()
    assert [row["title"] for row in parts["stagemap.Verslag"]] == [world.verslag.title]
    assert archive.read(parts["stagemap.Verslag"][0]["file"]).startswith(b"%PDF")
    assert parts["beoordeling.Beoordeling"] and parts["beoordeling.Afspraak"]
    # Another company's stage is not his, and nothing of it is here.
    assert {row["id"] for row in parts["leerbedrijf.Stage"]} == {world.stage.pk}

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(archive.read("inzage.pdf"))).pages)
    assert "Wat de Stagegids over Sam Stagiair bewaart" in text
    assert "Leidingen aanleggen" in text and "Werkt netjes" in text

    # Downloading it is logged, for him to see.
    entry = Raadpleging.objects.get(what=RaadplegingWhat.INZAGE)
    assert (entry.user, entry.person) == (world.stagiair, world.stagiair)


def test_a_praktijkopleider_asks_on_request_and_gets_only_what_his_company_holds(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:stage_inzage", args=[world.stage.pk])
    page = client.post(url, {"on_request_of": ""}).text
    assert "Vul in wie om de inzage vroeg." in page and not Inzage.objects.exists()
    assert "hoogstens 200 tekens" in client.post(url, {"on_request_of": "x" * 201}).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"on_request_of": "Sam zelf, per mail van 3 maart"})
    inzage = Inzage.objects.get()
    assert (inzage.stagiair, inzage.person, inzage.requested_by) == (
        world.stage.stagiair,
        world.stagiair,
        world.opleider,
    )
    assert inzage.status == InzageStatus.DONE
    # Who asked, and on whose request, is in the trail.
    entry = Wijziging.objects.get(action="inzage_gevraagd")
    assert (entry.user, entry.data["reason"]) == (world.opleider, "Sam zelf, per mail van 3 maart")

    data, parts = sections(download(client, inzage))
    assert data["op_verzoek_van"] == "Sam zelf, per mail van 3 maart"
    assert data["alleen_dit_leerbedrijf"] == world.a.name
    assert parts["stageplan.Observatie"]
    # What is not the company's (his account's notifications, his roles elsewhere) stays out.
    assert "stagegids.User" not in parts and "stagegids.Notification" not in parts
    assert response.url == reverse("leerbedrijf:inzage_status", args=[inzage.pk])

    # The stagiair sees it and may download it; a colleague of who asked may not.
    client.force_login(world.stagiair)
    assert "gevraagd door Olga Opleider" in client.get(reverse("leerbedrijf:inzage")).text
    download(client, inzage)
    for persona in ("wpb", "opleider_b", "mbo"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("leerbedrijf:inzage_download", args=[inzage.pk])).status_code == 404


def test_an_inzage_expires_and_its_file_is_removed(client, world, django_capture_on_commit_callbacks, settings):
    client.force_login(world.stagiair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("leerbedrijf:inzage_start"))
    inzage = Inzage.objects.get()
    storage, name = inzage.file.storage, inzage.file.name
    later = timezone.now() + timedelta(days=settings.RETENTION_DAYS["inzage"], minutes=1)
    with time_machine.travel(later, tick=False):
        client.force_login(world.stagiair)  # the session of a week ago has expired
        response = client.get(reverse("leerbedrijf:inzage_download", args=[inzage.pk]))
        assert response.url == reverse("leerbedrijf:inzage_status", args=[inzage.pk])
        assert "Deze inzage is verlopen" in client.get(response.url).text
        with django_capture_on_commit_callbacks(execute=True):
            report = RetentionRun.objects.get(pk=run_retention())
        assert report.counts["inzage"] == 1
    inzage.refresh_from_db()
    assert not inzage.file and not storage.exists(name)


def test_a_broker_that_is_away_lets_the_inzage_wait_and_the_beat_makes_it(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.stagiair)
    with (
        mock.patch.object(tasks.make_inzage, "delay", side_effect=OperationalError("broker away")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("leerbedrijf:inzage_start"))
    inzage = Inzage.objects.get()
    assert (inzage.status, inzage.enqueued_at) == (InzageStatus.PENDING, None)
    page = client.get(response.url).text
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert "Het duurt langer dan gewoonlijk." in client.get(response.url).text
    assert client.get(reverse("leerbedrijf:inzage_download", args=[inzage.pk])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_inzages() == 1
    inzage.refresh_from_db()
    assert inzage.status == InzageStatus.DONE and inzage.file
    # A second message for the same row finds nothing to claim.
    tasks.make_inzage(inzage_id=inzage.pk)
    assert Inzage.objects.get().attempts == 1


def test_a_second_click_while_it_is_made_asks_nothing_new(client, world):
    client.force_login(world.stagiair)
    client.post(reverse("leerbedrijf:inzage_start"))  # no commit here: it waits for a worker
    response = client.post(reverse("leerbedrijf:inzage_start"), follow=True)
    assert "Deze inzage wordt al gemaakt; er is niets nieuws gevraagd." in response.text
    assert Inzage.objects.count() == 1
    assert Wijziging.objects.filter(action="inzage_gevraagd").count() == 1
    # Another person's request, or the praktijkopleider's for the same stagiair, is its own.
    client.force_login(world.opleider)
    client.post(reverse("leerbedrijf:stage_inzage", args=[world.stage.pk]), {"on_request_of": "Sam"})
    client.post(reverse("leerbedrijf:inzage_start"))
    assert Inzage.objects.count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_make_one_inzage(world):
    url = reverse("leerbedrijf:stage_inzage", args=[world.stage.pk])
    responses = in_parallel(*[(world.opleider, url, {"on_request_of": "Sam zelf"})] * 4)
    assert Inzage.objects.count() == 1
    said = [r.text for r in responses]
    assert sum("Deze inzage wordt al gemaakt" in text for text in said) == 3
    assert Wijziging.objects.filter(action="inzage_gevraagd").count() == 1


def test_the_inzage_page_says_je_to_a_stagiair_and_u_to_others(client, world):
    client.force_login(world.stagiair)
    assert "Inzage in je gegevens" in client.get(reverse("leerbedrijf:inzage")).text
    client.force_login(world.opleider)
    page = client.get(reverse("leerbedrijf:inzage")).text
    assert "Inzage in uw gegevens" in page and "U hebt nog geen inzage gevraagd." in page
