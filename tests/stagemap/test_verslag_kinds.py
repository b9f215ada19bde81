"""The five verslag kinds, each rendered from its real data and put in the stagemap from its page."""

import html
import logging
import re
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingState
from beoordeling.beoordelingen.verslagen import EINDBEOORDELING, TUSSENBEOORDELING
from beoordeling.evaluatie.models import Evaluatie, EvaluatieAntwoord
from beoordeling.evaluatie.verslagen import EVALUATIE
from beoordeling.gesprekken.verslagen import VOORTGANGSGESPREK
from stagemap.models import Verslag, VerslagenUpdate, VerslagenUpdateStatus
from stagemap.signals import document_finished
from stagemap.tasks import make_verslagen, requeue_stagemap_work
from stagemap.verslagen import make_missing_verslagen
from stageplan.changes import agree
from stageplan.verslagen import STAGEPLAN
from tests.beoordeling.test_beoordeling import conclude_and_sign, fill
from tests.beoordeling.test_gesprekken import NOTES, url
from tests.confirm import CONFIRMED

from .test_verslagen import pdf_text


def tussenbeoordeling_signed(client, world):
    b = world.beoordeling
    first = b.criteria.first()
    fill(client, world.opleider, b, note="Werkt <b>netjes</b> & veilig", scores={first.pk: "goed"})
    fill(client, world.stagiair, b, note="Ik vind solderen lastig")
    conclude_and_sign(client, world, b)
    assert b.state == BeoordelingState.ONDERTEKEND
    return b, first


def eindbeoordeling_signed(client, world):
    client.force_login(world.beoordelaar)
    client.post(reverse("beoordeling:start", args=[world.stage.pk]), {"kind": "pvb"})
    eind = Beoordeling.objects.get(kind="pvb")
    fill(client, world.beoordelaar, eind, score="goed", note="Zelfstandig uitgevoerd")
    client.force_login(world.mbo)
    client.post(
        reverse("beoordeling:school_part", args=[eind.pk]),
        {"revision": Beoordeling.objects.get(pk=eind.pk).revision, "mbo_eindproduct": "Eindproduct in orde"},
    )
    client.force_login(world.beoordelaar)
    eind.refresh_from_db()
    assert eind.mbo_eindproduct == "Eindproduct in orde"
    client.post(
        reverse("beoordeling:conclude", args=[eind.pk]),
        {
            "revision": eind.revision,
            "uitkomst": "behaald",
            "observaties_beoordelaar": "Werkte veilig en zelfstandig tijdens de proeve",
        },
    )
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    client.force_login(world.stagiair)
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    eind.refresh_from_db()
    assert eind.state == BeoordelingState.ONDERTEKEND


def gesprek_afgerond(client, world):
    client.force_login(world.opleider)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
    client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED})
    world.gesprek.refresh_from_db()
    assert world.gesprek.is_afgerond


def stageplan_agreed(world):
    version = world.stageplan.versions.order_by("-number").first()
    agree(version=version, by=world.stagiair, as_stagiair=True, as_opleider=False)
    agree(version=version, by=world.opleider, as_stagiair=False, as_opleider=True)
    return version


def evaluatie_recorded(world):
    evaluatie = Evaluatie.objects.create(stage=world.stage, submitted_at=timezone.now())
    EvaluatieAntwoord.objects.create(evaluatie=evaluatie, question="stage_ervaren", score=4, text="Leerzaam bedrijf")
    EvaluatieAntwoord.objects.create(evaluatie=evaluatie, question="tips", text="Meer uitleg bij de ketel")
    evaluatie.record_afronding(
        version=1,
        by=world.opleider,
        values={
            "gesprek_notes": "Open gesprek",
            "bijbaan": True,
            "vooruitzichten": "Zomerbaan",
            "lessen": "Eerder uitleg",
        },
    )
    return evaluatie


def make_from_the_stagemap(client, world):
    """ "Verslagen bijwerken", then a worker makes what was asked (here, no commit enqueues it: the test does)."""
    client.force_login(world.opleider)
    response = client.post(reverse("stagemap:stagemap_make_verslagen", args=[world.stage.pk]), follow=True)
    assert response.status_code == 200
    assert "de ontbrekende verslagen volgen" in response.content.decode()
    for pk in VerslagenUpdate.objects.filter(status=VerslagenUpdateStatus.PENDING).values_list("pk", flat=True):
        make_verslagen(update_id=pk)
    return client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).content.decode()


def text_of(world, kind):
    verslag = Verslag.objects.current().exclude(pk=world.verslag.pk).get(kind=kind)
    with verslag.file.open("rb") as f:
        # Table cells wrap: compare on the words, not on where the lines break.
        return " ".join(pdf_text(f.read()).split())


def words(text):
    return set(re.findall(r"\w+", text))


def shows_what_its_pdf_shows(client, verslag):
    """The text of `verslag` read in its page (issue 16), checked to hold the words of its pdf; the client's user
    must see it."""
    page = client.get(reverse("stagemap:verslag", args=[verslag.pk])).content.decode()
    article = re.search(r'<article class="verslag-weergave".*?</article>', page, re.S).group(0)
    shown = html.unescape(re.sub(r"<[^>]+>", " ", article))
    with verslag.file.open("rb") as f:
        printed = pdf_text(f.read())
    # All but the pdf's page numbers ("pagina 1 van 2") and the pieces of the words it hyphenated.
    missing = {w for w in words(printed) - words(shown) if not w.isdigit() and w != "pagina"}
    assert not {w for w in missing if not any(w in s for s in words(shown))}, (verslag.kind, missing)
    return shown


def test_every_kind_is_rendered_from_its_data_without_failing_resources(client, world, caplog):
    version = stageplan_agreed(world)
    gesprek_afgerond(client, world)
    _b, first = tussenbeoordeling_signed(client, world)
    eindbeoordeling_signed(client, world)
    evaluatie_recorded(world)
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    caplog.set_level(logging.DEBUG, logger="stagegids.pdf")
    caplog.clear()

    make_from_the_stagemap(client, world)
    problems = [r for r in caplog.records if r.name.startswith(("weasyprint", "stagegids.pdf"))]
    assert not [r.getMessage() for r in problems if r.levelno >= logging.WARNING]
    assert Verslag.objects.filter(source_type__in=["stageplan.Stageplan"]).get().source_version == str(version.number)

    stageplan = text_of(world, STAGEPLAN.code)
    assert "Leidingen aanleggen" in stageplan and "Sam Stagiair" in stageplan and "Olga Opleider" in stageplan
    assert "pagina 1 van" in stageplan

    gesprek = text_of(world, VOORTGANGSGESPREK.code)
    assert NOTES["notes_goed"] in gesprek and "Veiligheidsinstructie lezen" in gesprek
    assert "Afgerond door" in gesprek and "Olga Opleider" in gesprek

    tussen = text_of(world, TUSSENBEOORDELING.code)
    assert "Praktijkopleider" in tussen and "Stagiair" in tussen
    assert "Verschil" in tussen and first.text in tussen, "the differing criterium is marked"
    assert "Werkt <b>netjes</b> & veilig" in tussen, "user text is escaped, not markup"
    assert "ja, op weg naar het eindniveau" in tussen and "Vaker zelf inmeten" in tussen
    assert tussen.count("Olga Opleider") >= 1 and "Sam Stagiair" in tussen

    eind = text_of(world, EINDBEOORDELING.code)
    assert "behaald" in eind and "Werkte veilig en zelfstandig tijdens de proeve" in eind
    assert "Eindproduct in orde" in eind and "Zelfstandig uitgevoerd" in eind
    assert f"Ingevuld door {world.mbo.name} (mbo-begeleider)" in eind

    evaluatie = text_of(world, EVALUATIE.code)
    assert "Hoe heb je je stage ervaren?" in evaluatie and "Leerzaam bedrijf" in evaluatie
    assert "Meer uitleg bij de ketel" in evaluatie and "Vakantie- of bijbaan" in evaluatie
    assert "Eerder uitleg" in evaluatie and "Zomerbaan" in evaluatie

    make_from_the_stagemap(client, world)
    assert Verslag.objects.current().exclude(pk=world.verslag.pk).count() == 5, "nothing is made twice"
    for verslag in Verslag.objects.current().exclude(pk=world.verslag.pk):
        shows_what_its_pdf_shows(client, verslag)


def test_a_correction_makes_a_new_verslag_and_replaces_the_old(client, world):
    b, _first = tussenbeoordeling_signed(client, world)
    (old,) = make_missing_verslagen(world.stage, by=world.opleider)
    correction = b.correct(by=world.opleider, reason="Score verkeerd ingevuld")
    fill(client, world.opleider, correction, score="goed", note="Na correctie")
    conclude_and_sign(client, world, correction)
    assert make_missing_verslagen(world.stage, by=world.opleider) != []
    old.refresh_from_db()
    new = Verslag.objects.current().exclude(pk=world.verslag.pk).get(kind=TUSSENBEOORDELING.code)
    assert old.replaced_by == new and new.source_version == "2" and (new.source_id, old.source_id) == (b.pk, b.pk)
    assert "Score verkeerd ingevuld" in text_of(world, TUSSENBEOORDELING.code)
    page = make_from_the_stagemap(client, world)
    assert "vervangen" in page.lower()


def test_only_final_sources_get_a_verslag(client, world):
    fill(client, world.opleider, world.beoordeling)
    assert make_missing_verslagen(world.stage, by=world.opleider) == []


def test_a_finished_document_gets_its_verslag_from_a_worker_after_the_commit(
    client, world, django_capture_on_commit_callbacks
):
    def made(kind):
        return Verslag.objects.current().filter(stage=world.stage, kind=kind).exclude(pk=world.verslag.pk).count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stageplan_agreed(world)
    assert len(callbacks) == 1 and made(STAGEPLAN.code) == 1

    b = world.beoordeling
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    client.force_login(world.opleider)
    client.post(
        reverse("beoordeling:conclude", args=[b.pk]),
        {"revision": Beoordeling.objects.get(pk=b.pk).revision, "conclusie": "ja"},
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("beoordeling:sign", args=[b.pk]), CONFIRMED)
    assert callbacks == [], "one signature does not finish the beoordeling"
    client.force_login(world.stagiair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("beoordeling:sign", args=[b.pk]), CONFIRMED)
    assert made(TUSSENBEOORDELING.code) == 1

    client.force_login(world.opleider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
        client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED})
    assert made(VOORTGANGSGESPREK.code) == 1

    evaluatie = Evaluatie.objects.create(stage=world.stage, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("beoordeling:evaluatie_afronding", args=[world.stage.pk]),
            {"version": evaluatie.afronding_version, "gesprek_notes": "Open gesprek", "lessen": "Eerder uitleg"},
        )
    assert made(EVALUATIE.code) == 1

    # A message delivered twice (acks_late) makes nothing twice.
    assert make_verslagen(update_id=VerslagenUpdate.objects.latest("pk").pk) == []


def test_one_signal_enqueues_once_after_the_commit_and_a_broker_away_undoes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    """Every finished document goes through stagemap.signals.document_finished; the worker is asked after the
    commit, and a broker that is away leaves the gesprek afgerond and the request waiting for the beat."""
    client.force_login(world.opleider)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
    sent = []
    document_finished.connect(lambda sender, **kwargs: sent.append(kwargs), dispatch_uid="test", weak=False)
    try:
        with (
            mock.patch("stagemap.tasks.make_verslagen.delay", side_effect=OperationalError("broker away")) as delay,
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            response = client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED})
    finally:
        document_finished.disconnect(dispatch_uid="test")
    assert sent == [{"signal": document_finished, "stage_id": world.stage.pk, "by": world.opleider}]
    update = VerslagenUpdate.objects.get()
    assert len(callbacks) == 1 and delay.call_args.kwargs == {"update_id": update.pk}
    assert response.status_code == 302
    world.gesprek.refresh_from_db()
    assert world.gesprek.is_afgerond
    assert not Verslag.objects.filter(kind=VOORTGANGSGESPREK.code).exists()
    update.refresh_from_db()
    assert (update.status, update.enqueued_at) == (VerslagenUpdateStatus.PENDING, None), "the beat's to enqueue"

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stagemap_work() == 1  # the broker is back
    assert Verslag.objects.filter(kind=VOORTGANGSGESPREK.code).count() == 1
    update.refresh_from_db()
    assert update.status == VerslagenUpdateStatus.DONE


def test_a_broker_that_is_away_when_the_stagemap_is_brought_up_to_date_says_the_verslagen_follow(
    client, world, django_capture_on_commit_callbacks
):
    with (
        mock.patch("stagemap.tasks.make_missing_verslagen", side_effect=RuntimeError("a bug, since fixed")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        stageplan_agreed(world)
    assert VerslagenUpdate.objects.get().status == VerslagenUpdateStatus.FAILED
    client.force_login(world.opleider)
    make = reverse("stagemap:stagemap_make_verslagen", args=[world.stage.pk])
    with (
        mock.patch("stagemap.tasks.make_verslagen.delay", side_effect=OperationalError("broker away")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(make)
    assert response.status_code == 302
    assert "De stagemap wordt bijgewerkt: de ontbrekende verslagen volgen" in client.get(response.url).text
    assert "Dit was al gevraagd" in client.post(make, follow=True).text, "a second click adds nothing"
    update = VerslagenUpdate.objects.get(status=VerslagenUpdateStatus.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stagemap_work() == 1  # the broker is back
    update.refresh_from_db()
    assert update.status == VerslagenUpdateStatus.DONE
    assert Verslag.objects.current().filter(stage=world.stage, kind=STAGEPLAN.code).count() == 1
