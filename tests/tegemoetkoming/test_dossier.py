"""The dossier: one pdf made by a worker with a progress bar, and an xlsx of the weeks; read back from both."""

from datetime import date, timedelta
from io import BytesIO
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from openpyxl import load_workbook
from pypdf import PdfReader

from leerbedrijf.models import Erkenning, Leerweg, Stage
from stagemap.models import Verslag
from stagemap.verslagen import make_verslag
from tegemoetkoming import tasks
from tegemoetkoming.models import Dossier, DossierStatus
from tests.tegemoetkoming.helpers import approve_weeks, mondays
from tests.test_confirm_steps import in_parallel, postgres_only

TODAY = date(2026, 9, 1)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def bbl(world):
    Verslag.objects.all().delete()
    Stage.objects.filter(pk=world.stage.pk).update(
        leerweg=Leerweg.BBL, start_date=date(2025, 9, 1), end_date=date(2026, 7, 17), hours_per_week=32,
        pok_signed_on=date(2025, 8, 25), bpv_overeenkomst_signed_on=date(2025, 8, 26),
    )  # fmt: skip
    erkenning = Erkenning.objects.get(pk=world.erkenning.pk)
    erkenning.granted_on = date(2020, 1, 6)
    erkenning.save()
    world.stage.refresh_from_db()
    approve_weeks(world.stage, mondays(date(2025, 9, 1), 3), by=world.wpb, approver=world.opleider)
    approve_weeks(world.stage, mondays(date(2025, 9, 22), 1), by=world.wpb, approver=world.opleider, begeleiding="0")
    return world.stage


def verslag(world):
    return make_verslag(
        stage=world.stage,
        kind="tussenbeoordeling",
        title="Verslag tussenbeoordeling",
        template="verslagen/stagemap_inhoud.html",
        context={"rows": []},
        source=world.stage,
        source_version="1",
        signatures=[{"name": "Olga Opleider", "role": "praktijkopleider", "signed_at": "2026-03-01T10:00"}],
        by=world.opleider,
    )


def download(client, dossier, part):
    response = client.get(reverse("tegemoetkoming:dossier_download", args=[dossier.pk, part]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@time_machine.travel(TODAY, tick=False)
def test_stage_dossier_holds_the_proof_read_back_from_the_pdf_and_the_xlsx(
    client, world, bbl, django_capture_on_commit_callbacks
):
    verslag(world)
    client.force_login(world.opleider)
    client.post(
        reverse("tegemoetkoming:document_upload", args=[bbl.pk]),
        {"kind": "pok", "file": SimpleUploadedFile("pok.pdf", verslag(world).file.open("rb").read())},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tegemoetkoming:stage_dossier_start", args=[bbl.pk]), {"studiejaar": "2025"})
    dossier = Dossier.objects.get()
    assert response.url == reverse("tegemoetkoming:dossier", args=[dossier.pk])
    assert (dossier.status, dossier.progress) == (DossierStatus.DONE, 100)
    page = client.get(response.url, headers={"HX-Request": "true"}).text
    assert "Dossier downloaden (pdf)" in page and "hx-trigger" not in page

    content = download(client, dossier, "pdf")
    text = pdf_text(content)
    for expected in (
        "Dossier tegemoetkomingen Installatiebedrijf A, studiejaar 2025/2026",
        "Pok ondertekend op",
        "25 augustus 2025",
        "3 weken met begeleiding tellen mee.",
        "Goedgekeurde uren en begeleiding",
        "Willem Begeleider (1,50)",
        "Geschiedenis van de erkenning",
        "6 januari 2020",
        "Verslag tussenbeoordeling",
    ):
        assert expected in text, expected
    titles = [item.title for item in PdfReader(BytesIO(content)).outline if not isinstance(item, list)]
    assert bbl.stagiair.name in titles
    assert f"{bbl.stagiair.name}: praktijkovereenkomst (pok)" in titles
    assert f"{bbl.stagiair.name}: Verslag tussenbeoordeling" in titles

    book = load_workbook(BytesIO(download(client, dossier, "xlsx")))
    weeks = list(book["Weken"].iter_rows(values_only=True))
    assert weeks[0][:4] == ("Stagiair", "Crebo", "Leerweg", "Week (maandag)")
    assert [row[3].date() for row in weeks[1:]] == mondays(date(2025, 9, 1), 4)
    assert [row[10] for row in weeks[1:]] == ["ja", "ja", "ja", "nee"]
    assert weeks[1][5:9] == (32, 8, 0, 1.5)
    summary = list(book["Samenvatting"].iter_rows(values_only=True))
    assert summary[2][0] == bbl.stagiair.name and summary[2][6] == 3 and summary[2][7] == 128


def test_company_dossier_of_a_studiejaar_holds_each_of_its_stages(
    client, world, bbl, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tegemoetkoming:company_dossier_start", args=[world.a.pk]), {"studiejaar": "2025"})
    dossier = Dossier.objects.get()
    assert dossier.stage is None and dossier.status == DossierStatus.DONE
    text = pdf_text(download(client, dossier, "pdf"))
    assert bbl.stagiair.name in text
    assert world.stage_b.stagiair.name not in text  # another company's
    # A studiejaar outside the list asks for nothing.
    response = client.post(reverse("tegemoetkoming:company_dossier_start", args=[world.a.pk]), {"studiejaar": "1990"})
    assert response.status_code == 302 and Dossier.objects.count() == 1


def test_a_dossier_in_progress_polls_and_is_seen_only_by_who_asked(client, world, bbl):
    dossier = tasks.ask_dossier(leerbedrijf=world.a, stage=bbl, studiejaar=2025, by=world.opleider)
    client.force_login(world.opleider)
    page = client.get(reverse("tegemoetkoming:dossier", args=[dossier.pk])).text
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    response = client.get(reverse("tegemoetkoming:dossier_download", args=[dossier.pk, "pdf"]))
    assert response.url == reverse("tegemoetkoming:dossier", args=[dossier.pk])
    assert client.get(reverse("tegemoetkoming:dossier_download", args=[dossier.pk, "docx"])).status_code == 404
    client.force_login(world.wpb)
    assert client.get(reverse("tegemoetkoming:dossier", args=[dossier.pk])).status_code == 404


def test_a_broker_that_is_away_lets_the_dossier_wait_and_the_beat_makes_it(
    client, world, bbl, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    with (
        mock.patch.object(tasks.make_dossier, "delay", side_effect=OperationalError("broker away")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("tegemoetkoming:stage_dossier_start", args=[bbl.pk]), {"studiejaar": "2025"})
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.enqueued_at) == (DossierStatus.PENDING, None)
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        page = client.get(response.url).text
    assert "Het duurt langer dan gewoonlijk." in page and 'hx-trigger="every 10s"' in page
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_dossiers() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE and dossier.file and dossier.sheet


def test_a_dossier_whose_worker_died_is_taken_over(client, world, bbl, django_capture_on_commit_callbacks, settings):
    client.force_login(world.opleider)
    with (
        pytest.raises(SystemExit),
        mock.patch.object(tasks, "build_dossier", side_effect=SystemExit),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("tegemoetkoming:stage_dossier_start", args=[bbl.pk]), {"studiejaar": "2025"})
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.RUNNING
    tasks.make_dossier(dossier_id=dossier.pk)  # a redelivery finds the claim held and does nothing
    later = timezone.now() + timedelta(minutes=settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES + 1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.requeue_dossiers()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.attempts) == (DossierStatus.DONE, 2)


def test_company_dossier_keeps_its_queries_as_stages_and_weeks_grow(world, bbl):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tegemoetkoming.dossier import build_dossier
    from tests.factories import StageFactory

    def add(count, weeks):
        for _ in range(count):
            stage = StageFactory(leerbedrijf=world.a, leerweg=Leerweg.BBL, start_date=date(2025, 9, 1),
                                 end_date=date(2026, 7, 17), werkplekbegeleider=world.wpb)  # fmt: skip
            approve_weeks(stage, mondays(date(2025, 9, 1), weeks), by=world.wpb, approver=world.opleider)

    def queries():
        dossier = Dossier.objects.create(leerbedrijf=world.a, studiejaar=2025, requested_by=world.opleider,
                                         status=DossierStatus.RUNNING)  # fmt: skip
        dossier = Dossier.objects.select_related("leerbedrijf", "requested_by").get(pk=dossier.pk)
        with CaptureQueriesContext(connection) as captured:
            build_dossier(dossier)
        return len(captured.captured_queries)

    verslag(world)
    add(9, 1)  # ten stages: the progress moves in its ten steps at both sizes
    small = queries()
    add(5, 3)
    assert queries() == small


def test_a_dossier_asked_twice_is_made_once(client, world, bbl):
    """A double click on "Dossier maken": while the first waits in the queue, the second is that one."""
    client.force_login(world.opleider)
    url = reverse("tegemoetkoming:stage_dossier_start", args=[bbl.pk])
    first, second = client.post(url, {"studiejaar": "2025"}), client.post(url, {"studiejaar": "2025"})
    dossier = Dossier.objects.get()
    assert first.url == second.url == reverse("tegemoetkoming:dossier", args=[dossier.pk])
    # The company's dossier of the same year is another one.
    client.post(reverse("tegemoetkoming:company_dossier_start", args=[world.a.pk]), {"studiejaar": "2025"})
    client.post(reverse("tegemoetkoming:company_dossier_start", args=[world.a.pk]), {"studiejaar": "2025"})
    assert Dossier.objects.count() == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_dossier_asked_twice_at_once_is_made_once(world, bbl):
    url = reverse("tegemoetkoming:company_dossier_start", args=[world.a.pk])
    asked = (world.opleider, url, {"studiejaar": "2025"})
    with mock.patch("tegemoetkoming.tasks._enqueue"):  # both wait in the queue, as with a busy worker
        responses = in_parallel(asked, asked)
    assert all(response.status_code == 200 for response in responses)
    assert Dossier.objects.count() == 1
