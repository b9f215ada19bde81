import hashlib
import logging
from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from stagegids.pdf import render_pdf
from stagemap import tasks
from stagemap.models import (
    StagemapExport,
    StagemapExportStatus,
    Verslag,
    VerslagComment,
)
from stagemap.verslagen import make_verslag
from tests.factories import VerslagFactory
from tests.test_confirm_steps import in_parallel, postgres_only


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_renderer_fetches_nothing_but_own_static_files(world, caplog):
    caplog.set_level(logging.WARNING)
    document = render_pdf(
        template="verslagen/aanval.html",
        context={
            "stage": world.stage,
            "title": "Aanval",
            "user_text": '<img src="file:///etc/passwd"> <link rel=stylesheet href="http://169.254.169.254/">',
            "rows": range(80),
        },
        filename="aanval.pdf",
    )
    refused = [r.getMessage() for r in caplog.records if r.name == "stagegids.pdf"]
    assert any("file:///etc/passwd" in message for message in refused)
    assert any("169.254.169.254" in message for message in refused)
    assert any("etc/passwd" in message and "verslag.invalid" in message for message in refused), "no ../ escape"
    assert not any("verslag.css" in message for message in refused), "the project's own stylesheet loads"

    reader = PdfReader(BytesIO(document.content))
    text = pdf_text(document.content)
    assert "root:" not in text
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {}), "attachments are dropped"
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    # User text is escaped: it shows as text and fetched nothing.
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")
    assert sum("169.254.169.254/\n" in m or m.endswith("169.254.169.254/") for m in refused) == 0
    assert len(reader.pages) >= 2 and f"pagina 1 van {len(reader.pages)}" in text
    flat = " ".join(text.split())
    assert "Installatiebedrijf A" in flat and "crebo 25333" in flat and "Sam Stagiair" in flat


def test_fonts_are_embedded_and_pdf_is_tagged(world):
    document = render_pdf(
        template="verslagen/stagemap_inhoud.html", context={"stage": world.stage, "title": "T", "rows": []},
        filename="t.pdf",
    )  # fmt: skip
    reader = PdfReader(BytesIO(document.content))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    descriptors = [
        font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts
    ]
    assert all("/FontFile2" in d.get_object() or "/FontFile3" in d.get_object() for d in descriptors)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert document.content_type == "application/pdf"


def make(world, source=None, **extra):
    return make_verslag(
        stage=world.stage,
        kind="tussenbeoordeling",
        title="Verslag tussenbeoordeling",
        template="verslagen/stagemap_inhoud.html",
        context={"rows": []},
        source=source or world.stage,
        source_version="3",
        signatures=[{"name": "Olga Opleider", "role": "praktijkopleider", "signed_at": "2026-11-01T10:00"}],
        by=world.opleider,
        **extra,
    )


def test_verslag_is_stored_with_hash_and_never_changes(world):
    verslag = make(world)
    with verslag.file.open("rb") as handle:
        content = handle.read()
    assert verslag.sha256 == hashlib.sha256(content).hexdigest()
    assert (verslag.source_type, verslag.source_id, verslag.source_version) == (
        "leerbedrijf.Stage",
        world.stage.pk,
        "3",
    )
    verslag.title = "Anders"
    with pytest.raises(ValidationError):
        verslag.save()
    with pytest.raises(ValidationError):
        verslag.save(update_fields=["file"])


def test_correction_replaces_the_old_verslag(client, world):
    old = make(world)
    new = make(world)
    old.refresh_from_db()
    assert old.replaced_by == new and new.replaced_by is None
    client.force_login(world.opleider)
    page = client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).text
    assert "vervangen" in page


def test_sharing_gives_and_takes_access_on_the_next_request(client, world):
    download = reverse("stagemap:verslag_download", args=[world.verslag.pk])
    client.force_login(world.mbo)
    assert client.get(download).status_code == 404

    client.force_login(world.opleider)
    client.post(reverse("stagemap:verslag_share", args=[world.verslag.pk]), {"share": "1"})
    client.force_login(world.mbo)
    assert client.get(download).status_code == 200
    assert "Verslag tussenbeoordeling" in client.get(reverse("start")).text
    assert "wacht op uw oordeel" in client.get(reverse("start")).text
    for outsider in (world.mbo_same_school, world.mbo_other_school, world.opleider_b):
        client.force_login(outsider)
        assert client.get(download).status_code == 404

    client.force_login(world.opleider)
    client.post(reverse("stagemap:verslag_share", args=[world.verslag.pk]), {"share": "0"})
    client.force_login(world.mbo)
    assert client.get(download).status_code == 404
    assert "Verslag tussenbeoordeling" not in client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).text


def test_mbo_begeleider_reviews_and_company_sees_it(client, world):
    world.verslag.share(by=world.opleider)
    client.force_login(world.mbo)
    url = reverse("stagemap:verslag_review", args=[world.verslag.pk])
    response = client.post(url, {"review": "wijziging"}, follow=True)
    assert "Schrijf wat er anders moet." in response.text
    world.verslag.refresh_from_db()
    assert world.verslag.review == ""
    client.post(url, {"review": "wijziging", "text": "Graag de afspraken concreter."})
    world.verslag.refresh_from_db()
    assert (world.verslag.review, world.verslag.reviewed_by) == ("wijziging", world.mbo)
    assert VerslagComment.objects.get().text == "Graag de afspraken concreter."
    for person in (world.opleider, world.stagiair):
        client.force_login(person)
        assert "vraagt om een wijziging" in client.get(reverse("start")).text
        assert "Graag de afspraken concreter." in client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).text


def test_stagiair_comments_but_cannot_share(client, world):
    client.force_login(world.stagiair)
    client.post(reverse("stagemap:verslag_comment", args=[world.verslag.pk]), {"text": "Klopt!"})
    assert VerslagComment.objects.get().author == world.stagiair
    assert client.post(reverse("stagemap:verslag_share", args=[world.verslag.pk])).status_code == 403
    world.verslag.refresh_from_db()
    assert world.verslag.shared_at is None


def test_whole_stagemap_is_made_by_a_task_with_table_of_contents(client, world, django_capture_on_commit_callbacks):
    nothing_in_the_stagemap()  # the world's own request would be this one's (asked twice within a minute)
    make(world)
    make(world, source=world.stage_b.stagiair)  # another source: both are current
    client.force_login(world.opleider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stagemap:stagemap_export_start", args=[world.stage.pk]))
    export = StagemapExport.objects.latest("created_at")
    assert response.url == reverse("stagemap:stagemap_export", args=[export.pk])
    page = client.get(response.url, headers={"HX-Request": "true"}).text
    assert "Stagemap downloaden" in page and "hx-trigger" not in page
    pdf = b"".join(client.get(reverse("stagemap:stagemap_export_download", args=[export.pk])).streaming_content)
    reader = PdfReader(BytesIO(pdf))
    text = pdf_text(pdf)
    assert "Inhoud" in text and "Deze stagemap bevat 2 verslagen." in text
    assert [item.title for item in reader.outline if not isinstance(item, list)][-2:] == [
        "Verslag tussenbeoordeling"
    ] * 2
    assert len(reader.pages) == 3


def test_export_in_progress_polls(client, world):
    client.force_login(world.opleider)
    export = tasks.ask_stagemap(world.stage, by=world.opleider)
    page = client.get(reverse("stagemap:stagemap_export", args=[export.pk])).text
    assert 'hx-trigger="every 1s"' in page and "<progress" in page


@pytest.mark.parametrize("count", [1, 6])
def test_stagemap_queries_do_not_grow(client, world, django_assert_num_queries, count):
    VerslagFactory.create_batch(count, stage=world.stage, created_by=world.opleider)
    client.force_login(world.opleider)
    with django_assert_num_queries(8):  # with the header's count of unread notifications
        client.get(reverse("stagemap:stagemap", args=[world.stage.pk]))


def nothing_in_the_stagemap():
    """The world's verslag has no real pdf, and the beat would take up the world's export too."""
    Verslag.objects.all().delete()
    StagemapExport.objects.all().delete()


def broker_down(task):
    return mock.patch.object(task, "delay", side_effect=OperationalError("broker away"))


def beat(after_commit, minutes=0):
    """The beat of stagemap.tasks, `minutes` from now, with a broker that works."""
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False), after_commit(execute=True):
        return tasks.requeue_stagemap_work()


def test_a_broker_that_is_away_lets_the_export_wait_and_the_beat_makes_it(
    client, world, django_capture_on_commit_callbacks
):
    nothing_in_the_stagemap()
    client.force_login(world.opleider)
    with broker_down(tasks.make_stagemap), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stagemap:stagemap_export_start", args=[world.stage.pk]))
    export = StagemapExport.objects.latest("created_at")
    assert response.status_code == 302 and response.url == reverse("stagemap:stagemap_export", args=[export.pk])
    page = client.get(response.url).text
    assert "De pdf van de stagemap volgt." in page and 'hx-trigger="every 1s"' in page
    assert (export.status, export.enqueued_at) == (StagemapExportStatus.PENDING, None), "the beat enqueues it at once"

    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        page = client.get(response.url).text
    assert "Het duurt langer dan gewoonlijk. De pdf volgt vanzelf" in page and 'hx-trigger="every 10s"' in page

    assert beat(django_capture_on_commit_callbacks) == 1  # the broker is back
    export.refresh_from_db()
    assert export.status == StagemapExportStatus.DONE and export.file and export.claim is None
    assert "Stagemap downloaden" in client.get(response.url).text


def test_an_export_whose_worker_was_killed_is_taken_over_after_the_time_out(
    client, world, django_capture_on_commit_callbacks, settings
):
    nothing_in_the_stagemap()
    client.force_login(world.opleider)
    # SystemExit passes every `except Exception`: as far as the row can tell, the worker died mid-render.
    with (
        pytest.raises(SystemExit),
        mock.patch.object(tasks, "build_stagemap", side_effect=SystemExit),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("stagemap:stagemap_export_start", args=[world.stage.pk]))
    export = StagemapExport.objects.get()
    assert export.status == StagemapExportStatus.RUNNING and export.attempts == 1
    tasks.make_stagemap(export_id=export.pk)  # the broker redelivers: the claim is still held, nothing happens
    assert beat(django_capture_on_commit_callbacks, minutes=settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES - 1) == 0
    export.refresh_from_db()
    assert export.status == StagemapExportStatus.RUNNING

    beat(django_capture_on_commit_callbacks, minutes=settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES + 1)
    export.refresh_from_db()
    assert (export.status, export.attempts) == (StagemapExportStatus.DONE, 2)
    assert "Stagemap downloaden" in client.get(reverse("stagemap:stagemap_export", args=[export.pk])).text


def test_an_export_that_kills_every_worker_fails_after_its_attempts(
    client, world, django_capture_on_commit_callbacks, settings
):
    nothing_in_the_stagemap()
    client.force_login(world.opleider)
    with mock.patch.object(tasks, "build_stagemap", side_effect=SystemExit):
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("stagemap:stagemap_export_start", args=[world.stage.pk]))
        export = StagemapExport.objects.get()
        for attempt in range(2, settings.STAGEMAP_MAX_ATTEMPTS + 1):
            with pytest.raises(SystemExit):
                beat(
                    django_capture_on_commit_callbacks, minutes=attempt * (settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES + 1)
                )
        beat(django_capture_on_commit_callbacks, minutes=99 * settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.last_error) == (
        StagemapExportStatus.FAILED,
        settings.STAGEMAP_MAX_ATTEMPTS,
        "worker lost",
    )
    page = client.get(reverse("stagemap:stagemap_export", args=[export.pk])).text
    # The whole page: its header has a trigger of its own (the search box); the status must not poll any more.
    assert "Het maken van de pdf is mislukt" in page and 'hx-trigger="every' not in page


def test_the_stagemap_pdf_asked_twice_is_made_once(client, world):
    """A double click on "Stagemap als pdf": while the first waits in the queue, the second is that one."""
    client.force_login(world.opleider)
    url = reverse("stagemap:stagemap_export_start", args=[world.stage.pk])
    exports = StagemapExport.objects.filter(stage=world.stage)
    with time_machine.travel(timezone.now() + StagemapExport.LATE):  # past the world's own request
        before = exports.count()
        first, second = client.post(url), client.post(url)
        export = exports.latest("created_at")
        assert exports.count() == before + 1
        assert first.url == second.url == reverse("stagemap:stagemap_export", args=[export.pk])
        # Someone else's is their own.
        client.force_login(world.stagiair)
        client.post(url)
        assert exports.count() == before + 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_stagemap_pdf_asked_twice_at_once_is_made_once(world):
    url = reverse("stagemap:stagemap_export_start", args=[world.stage.pk])
    waiting = StagemapExport.objects.filter(stage=world.stage, status=StagemapExportStatus.PENDING)
    with mock.patch("stagemap.tasks._enqueue_export"):  # both wait in the queue, as with a busy worker
        responses = in_parallel((world.opleider, url, {}), (world.opleider, url, {}))
    assert all(response.status_code == 200 for response in responses)
    assert waiting.count() == 1
