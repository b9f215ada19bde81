"""Who saw what (issue 17): every view that serves a verslag, photo, bewijsstuk, certificaat, document or export
records who opened it; the praktijkopleider sees his leerbedrijf's log, the stagiair what was opened of his."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from leerbedrijf.models import Raadpleging, RaadplegingWhat, log_view
from tests.conftest import PDF
from tests.factories import StageFactory
from tests.queries import count_queries


def _open_everything(client, world):
    """Each serving view once, by who may open it."""
    world.check.evidence.save("polis.pdf", ContentFile(PDF), save=True)
    client.force_login(world.wpb)
    assert client.get(reverse("stageplan:observatie_photo", args=[world.observatie.pk])).status_code == 200
    assert (
        client.get(reverse("leerbedrijf:erkenning_evidence", args=[world.erkenning.pk, world.check.pk])).status_code
        == 200
    )
    client.force_login(world.opleider)
    assert client.get(reverse("stagemap:verslag_download", args=[world.verslag.pk])).status_code == 200
    assert client.get(reverse("stagemap:verslag", args=[world.verslag.pk])).status_code == 200


def test_each_serving_view_logs_who_opened_what(client, world):
    _open_everything(client, world)
    entries = {(e.what, e.user.email, e.stage_id, e.leerbedrijf_id, e.person_id) for e in Raadpleging.objects.all()}
    stage, a = world.stage, world.a.pk
    assert entries == {
        (RaadplegingWhat.FOTO, "wpb@a.nl", stage.pk, a, world.stagiair.pk),
        (RaadplegingWhat.BEWIJSSTUK, "wpb@a.nl", None, a, None),
        (RaadplegingWhat.VERSLAG, "opleider@a.nl", stage.pk, a, world.stagiair.pk),
    }
    assert Raadpleging.objects.filter(what=RaadplegingWhat.VERSLAG).count() == 2  # downloaded and read


def test_the_praktijkopleider_filters_his_companys_log_and_the_stagiair_sees_his_own(client, world):
    _open_everything(client, world)
    log_view(world.opleider_b, RaadplegingWhat.VERSLAG, "Van een ander bedrijf", stage=world.stage_b)
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:raadplegingen", args=[world.a.pk])
    page = client.get(url).text
    assert "4 keer geopend" in page and "polis.pdf" in page and "Van een ander bedrijf" not in page
    assert "1 keer geopend" in client.get(url, {"wat": "foto"}).text
    page = client.get(url, {"stagiair": world.stage.stagiair.pk}).text
    assert "3 keer geopend" in page and "polis.pdf" not in page
    page = client.get(url, {"stagiair": world.stage_b.stagiair.pk}).text
    assert "Een filter heeft een waarde die niet bestaat." in page

    client.force_login(world.stagiair)
    page = client.get(reverse("leerbedrijf:raadplegingen_own")).text
    assert "3 keer geopend" in page and "Willem Begeleider" in page and "polis.pdf" not in page
    assert client.get(url).status_code == 404


def test_the_log_pages_keep_their_queries_as_rows_grow(client, world):
    client.force_login(world.opleider)
    urls = [reverse("leerbedrijf:raadplegingen", args=[world.a.pk]), reverse("leerbedrijf:raadplegingen_own")]
    log_view(world.wpb, RaadplegingWhat.VERSLAG, "Eerste", stage=world.stage, person=world.opleider)
    before = [count_queries(client, url) for url in urls]
    for number in range(60):
        stage = StageFactory(leerbedrijf=world.a)
        log_view(world.wpb if number % 2 else world.opleider, RaadplegingWhat.FOTO, f"Foto {number}", stage=stage,
                 person=world.opleider)  # fmt: skip
    assert [count_queries(client, url) for url in urls] == before
    assert "Pagina 1 van 2" in client.get(urls[0]).text


def test_purge_before_removes_only_the_older_entries(world):
    old = log_view(world.wpb, RaadplegingWhat.VERSLAG, "Oud", stage=world.stage)
    Raadpleging.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    recent = log_view(world.wpb, RaadplegingWhat.VERSLAG, "Nieuw", stage=world.stage)
    assert Raadpleging.purge_before(timezone.now() - timedelta(days=365)) == 1
    assert list(Raadpleging.objects.all()) == [recent]


@pytest.mark.parametrize("persona", ["anonymous", "stagiair", "opleider", "mbo"])
def test_the_privacy_page_is_public_and_says_je_to_a_stagiair(client, world, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    page = client.get(reverse("privacy")).text
    if persona == "stagiair":
        assert "Wat de Stagegids over jou bewaart" in page and "Je gegevens inzien" in page
    else:
        assert "Wat de Stagegids over u bewaart" in page and "Uw gegevens inzien" in page
    assert "Hoe lang we het bewaren" in page and "365 dagen" in page and "7 dagen" in page
    assert "Verwerkingsregister downloaden" not in page


def test_the_privacy_page_follows_the_retention_settings_and_is_linked_from_login(client, world, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "raadpleging": 90}
    assert "90 dagen" in client.get(reverse("privacy")).text
    assert reverse("privacy") in client.get(reverse("login")).text


def test_the_beheerder_downloads_the_verwerkingsregister(client, world):
    client.force_login(world.staff)
    assert "Verwerkingsregister downloaden" in client.get(reverse("privacy")).text
    response = client.get(reverse("verwerkingsregister"))
    assert response["Content-Disposition"] == 'attachment; filename="verwerkingsregister.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Doel;Grondslag;Categorieën betrokkenen;Categorieën persoonsgegevens;Ontvangers")
    assert any(line.startswith("Beoordelen:") and "dagen" in line for line in lines)
    client.force_login(world.opleider)
    assert client.get(reverse("verwerkingsregister")).status_code == 403
