"""Voortgangsgesprekken, afspraken and the evaluatie (chapters 8 and 9), through the pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.evaluatie.models import EVALUATIE_QUESTIONS, Evaluatie, EvaluatieAntwoord
from beoordeling.gesprekken.models import Afspraak, GesprekAction, Voortgangsgesprek
from stagegids.models import Wijziging
from stageplan.models import Leerdoel, Moment, MomentKind, Observatie
from tests.confirm import CONFIRMED
from tests.factories import StageFactory, StagiairFactory, UserFactory
from tests.queries import count_queries

REFLECTIE = {"reflectie_goed": "Radiator gemonteerd", "reflectie_moeilijk": "Solderen", "reflectie_leren": "Cv-ketel"}
NOTES = {
    "notes_goed": "Je bent altijd op tijd.",
    "notes_ik_boodschap": "Ik merk dat je weinig vragen stelt.",
    "notes_reactie": "Sam durft het niet goed.",
    "notes_verbeteren": "Elke dag één vraag stellen.",
}


def moment(stage, days, **extra):
    return Moment.objects.create(
        stage=stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=timezone.now() + timedelta(days=days), **extra
    )


def url(name, pk):
    return reverse(f"beoordeling:{name}", args=[pk])


def gesprek_page(client, user, world):
    client.force_login(user)
    return client.get(url("gesprek", world.moment.pk)).content.decode()


def test_zelfreflectie_is_the_stagiairs_until_submitted(client, world):
    client.force_login(world.stagiair)
    response = client.post(url("zelfreflectie", world.moment.pk), {"version": 1, "save": "1", **REFLECTIE})
    assert response.status_code == 302
    assert "Radiator gemonteerd" in gesprek_page(client, world.stagiair, world)
    page = gesprek_page(client, world.opleider, world)
    assert "Radiator gemonteerd" not in page
    assert "nog niet ingediend" in page

    client.force_login(world.stagiair)
    client.post(url("zelfreflectie", world.moment.pk), {"version": 2, "submit": "1", **REFLECTIE})
    for reader in (world.opleider, world.wpb, world.beoordelaar):
        assert "Radiator gemonteerd" in gesprek_page(client, reader, world)
    # Submitted is final: the form sends the stagiair back, and a late post changes nothing.
    client.force_login(world.stagiair)
    assert client.get(url("zelfreflectie", world.moment.pk)).status_code == 302
    client.post(url("zelfreflectie", world.moment.pk), {"version": 3, "save": "1", "reflectie_goed": "anders"})
    assert Voortgangsgesprek.objects.get().reflectie_goed == "Radiator gemonteerd"
    actions = list(Wijziging.objects.for_object(world.gesprek).order_by("pk").values_list("action", "user"))
    assert actions == [
        ("afspraak_added", world.opleider.pk),  # the world's own afspraak
        ("reflectie_saved", world.stagiair.pk),
        ("reflectie_submitted", world.stagiair.pk),
    ]


def test_empty_zelfreflectie_cannot_be_submitted(client, world):
    client.force_login(world.stagiair)
    response = client.post(url("zelfreflectie", world.moment.pk), {"version": 1, "submit": "1"})
    assert "Vul minstens één vraag in" in response.content.decode()
    assert not Voortgangsgesprek.objects.get().reflectie_submitted


def test_notes_are_read_by_the_stagiair_only_once_afgerond(client, world):
    client.force_login(world.wpb)
    response = client.get(url("gesprek_notes", world.moment.pk))
    assert "Ik zie…" in response.content.decode(), "the gids's ik-boodschap is shown beside the field"
    assert client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES}).status_code == 302
    assert "Elke dag één vraag stellen." not in gesprek_page(client, world.stagiair, world)
    assert "Elke dag één vraag stellen." not in gesprek_page(client, world.beoordelaar, world)

    client.force_login(world.wpb)
    assert client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED}).status_code == 403
    client.force_login(world.opleider)
    client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED})
    gesprek = Voortgangsgesprek.objects.get()
    assert gesprek.is_afgerond and gesprek.afgerond_by == world.opleider
    assert "Elke dag één vraag stellen." in gesprek_page(client, world.stagiair, world)

    # Afgerond is final: notes, afspraken and zelfreflectie no longer change.
    client.force_login(world.opleider)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 3, **NOTES, "notes_goed": "later"})
    client.post(
        url("afspraak_add", world.moment.pk),
        {"text": "Te laat", "owner": world.stagiair.pk, "due_date": "2030-01-01"},
    )
    client.force_login(world.stagiair)
    client.post(url("zelfreflectie", world.moment.pk), {"version": 1, "save": "1", **REFLECTIE})
    gesprek.refresh_from_db()
    assert gesprek.notes_goed == NOTES["notes_goed"] and gesprek.reflectie_goed == ""
    assert not Afspraak.objects.filter(text="Te laat").exists()
    client.force_login(world.opleider)
    client.post(url("gesprek_afronden", world.moment.pk), {"version": gesprek.notes_version, **CONFIRMED})
    assert Voortgangsgesprek.objects.get().afgerond_at == gesprek.afgerond_at


def test_a_stale_save_is_refused_and_the_text_kept(client, world):
    client.force_login(world.wpb)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
    client.force_login(world.opleider)
    response = client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES, "notes_goed": "Mijn tekst"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Niet opgeslagen: Willem Begeleider heeft dit intussen gewijzigd" in page
    assert "Mijn tekst" in page, "the refused text stays in the form"
    assert "Je bent altijd op tijd." in page, "the saved version is shown beside it"
    assert 'name="version" value="2"' in page
    assert Voortgangsgesprek.objects.get().notes_goed == "Je bent altijd op tijd."
    refused = Wijziging.objects.get(action=GesprekAction.REFUSED)
    assert refused.user == world.opleider and refused.data["notes_goed"] == "Mijn tekst"
    # Saving again from the version shown wins, and is logged with its author.
    client.post(url("gesprek_notes", world.moment.pk), {"version": 2, **NOTES, "notes_goed": "Mijn tekst"})
    assert Voortgangsgesprek.objects.get().notes_goed == "Mijn tekst"
    latest = Wijziging.objects.filter(action="notes_saved").newest_first()
    assert latest.values_list("user", flat=True).first() == world.opleider.pk


def test_reflectie_and_notes_do_not_collide(client, world):
    client.force_login(world.wpb)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
    client.force_login(world.stagiair)
    client.post(url("zelfreflectie", world.moment.pk), {"version": 1, "save": "1", **REFLECTIE})
    gesprek = Voortgangsgesprek.objects.get()
    assert gesprek.notes_goed == NOTES["notes_goed"] and gesprek.reflectie_goed == REFLECTIE["reflectie_goed"]
    assert not Wijziging.objects.filter(action=GesprekAction.REFUSED).exists()


def test_afronden_on_a_stale_version_is_refused(client, world):
    client.force_login(world.wpb)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
    client.force_login(world.opleider)
    client.post(url("gesprek_afronden", world.moment.pk), {"version": 1, **CONFIRMED})
    assert not Voortgangsgesprek.objects.get().is_afgerond


def test_afspraken_carry_into_the_next_gesprek_and_show_on_the_leerdoel(client, world):
    leerdoel = Leerdoel.objects.create(stageplan=world.stageplan, title="Cv-ketel")
    volgende = moment(world.stage, 35)
    client.force_login(world.opleider)
    response = client.post(
        url("afspraak_add", world.moment.pk),
        {"text": "Meelopen bij onderhoud", "owner": world.wpb.pk, "due_date": "2030-01-01", "leerdoel": leerdoel.pk},
    )
    assert response.status_code == 302
    afspraak = Afspraak.objects.get(text="Meelopen bij onderhoud")
    assert afspraak.created_by == world.opleider
    assert list(Afspraak.objects.for_leerdoel(leerdoel)) == [afspraak]

    client.force_login(world.stagiair)
    client.post(url("afspraak_status", world.afspraak.pk), {"done": "1"})
    world.afspraak.refresh_from_db()
    assert world.afspraak.done_by == world.stagiair

    client.force_login(world.opleider)
    preparation = client.get(url("gesprek", volgende.pk)).context["earlier_afspraken"]
    assert preparation == [afspraak, world.afspraak], "open afspraken first"
    client.post(url("afspraak_status", world.afspraak.pk), {"done": "0"})
    assert Afspraak.objects.get(pk=world.afspraak.pk).done_at is None
    assert list(Wijziging.objects.for_object(world.gesprek).newest_first().values_list("action", flat=True)) == [
        "afspraak_reopened",
        "afspraak_done",
        "afspraak_added",
        "afspraak_added",  # the world's own afspraak
    ]


def test_open_afspraken_carry_on_until_done(client, world):
    first, second = moment(world.stage, -30), moment(world.stage, -15)
    for text, done in (("Open sinds het eerste", None), ("Gedaan in het eerste", timezone.now())):
        Afspraak.objects.create(
            stage=world.stage,
            gesprek=Voortgangsgesprek.for_moment(first),
            text=text,
            owner=world.wpb,
            due_date=date.today(),
            done_at=done,
        )
    Voortgangsgesprek.for_moment(second)
    client.force_login(world.wpb)
    page = client.get(url("gesprek", world.moment.pk)).content.decode()
    assert "Open sinds het eerste" in page and "Gedaan in het eerste" not in page


def test_afspraak_status_goes_back_only_to_this_site(client, world):
    client.force_login(world.opleider)
    response = client.post(url("afspraak_status", world.afspraak.pk), {"done": "1", "next": "https://evil.example/"})
    assert response.url == url("gesprek", world.moment.pk)


def test_afspraak_owner_must_be_on_the_stage(client, world):
    client.force_login(world.opleider)
    response = client.post(
        url("afspraak_add", world.moment.pk), {"text": "x", "owner": world.mbo.pk, "due_date": "2030-01-01"}
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    response = client.post(url("afspraak_add", world.moment.pk), {"text": "x", "owner": world.opleider_b.pk})
    assert set(response.context["form"].errors) == {"owner", "due_date"}
    assert Afspraak.objects.count() == 1


def test_preparation_counts_from_the_last_gesprek_that_was_held(client, world):
    world.observatie.delete()
    held = moment(world.stage, -20)
    moment(world.stage, -10, cancelled_at=timezone.now())
    old = Observatie.objects.create(
        stage=world.stage, author=world.wpb, date=date.today() - timedelta(days=25), text="Oud", kind="goed"
    )
    new = Observatie.objects.create(
        stage=world.stage, author=world.wpb, date=date.today() - timedelta(days=15), text="Nieuw", kind="goed"
    )
    gesprek = Voortgangsgesprek.for_moment(world.moment)
    assert gesprek.previous_moment() == held
    assert gesprek.preparation()["observaties"] == [new]
    assert Voortgangsgesprek.for_moment(held).preparation()["observaties"] == [old]
    verslag = gesprek.verslag()
    assert verslag["stagiair"] == "Sam Stagiair" and verslag["previous_moment"] == held.starts_at.isoformat()
    assert [o["text"] for o in verslag["observaties"]] == ["Nieuw"]


def test_the_verslag_is_fixed_when_afgerond(client, world):
    leerdoel = Leerdoel.objects.create(stageplan=world.stageplan, title="Solderen")
    client.force_login(world.stagiair)
    client.post(url("zelfreflectie", world.moment.pk), {"version": 1, "save": "1", **REFLECTIE})
    client.force_login(world.opleider)
    client.post(url("gesprek_notes", world.moment.pk), {"version": 1, **NOTES})
    assert Voortgangsgesprek.objects.get().verslag()["reflectie"] is None, "a draft reflectie is not in the verslag"
    client.post(url("gesprek_afronden", world.moment.pk), {"version": 2, **CONFIRMED})
    Leerdoel.objects.filter(pk=leerdoel.pk).update(status="behaald")
    world.afspraak.set_done(done=True, by=world.stagiair)
    verslag = Voortgangsgesprek.objects.get().verslag()
    assert {"title": "Solderen", "status": "gepland"} in verslag["leerdoelen"], "the snapshot keeps the status it had"
    assert verslag["afspraken"][0]["done_at"] is None
    assert verslag["notes"]["Wat gaat goed?"] == NOTES["notes_goed"]
    assert verslag["afgerond_by"] == world.opleider.name


def test_cancelled_gesprek_is_not_found(client, world):
    Moment.objects.filter(pk=world.moment.pk).update(cancelled_at=timezone.now())
    client.force_login(world.opleider)
    assert client.get(url("gesprek", world.moment.pk)).status_code == 404


def evaluatie_data(**extra):
    data = {"version": 1}
    for question in EVALUATIE_QUESTIONS:
        if question.scale:
            data[f"score_{question.key}"] = 4
        data[f"text_{question.key}"] = f"Antwoord op {question.key}"
    return {**data, **extra}


def test_evaluatie_submitted_then_recorded(client, world):
    client.force_login(world.stagiair)
    client.post(url("evaluatie_fill", world.stage.pk), {"version": 1, "save": "1", "text_tips": "Meer uitleg"})
    client.force_login(world.opleider)
    page = client.get(url("evaluatie", world.stage.pk)).content.decode()
    assert "Meer uitleg" not in page and "nog niet ingediend" in page

    client.force_login(world.stagiair)
    response = client.post(url("evaluatie_fill", world.stage.pk), {"version": 2, "submit": "1"})
    assert "Kies een cijfer van 1 tot 5" in response.content.decode()
    client.post(url("evaluatie_fill", world.stage.pk), evaluatie_data(version=2, submit="1"))
    evaluatie = Evaluatie.objects.get()
    assert evaluatie.is_submitted and evaluatie.antwoorden.count() == len(EVALUATIE_QUESTIONS)
    assert client.get(url("evaluatie_fill", world.stage.pk)).status_code == 302

    client.force_login(world.opleider)
    assert "Antwoord op tips" in client.get(url("evaluatie", world.stage.pk)).content.decode()
    form = {
        "version": evaluatie.afronding_version,
        "gesprek_notes": "Goed gesprek",
        "bijbaan": "on",
        "lessen": "Eerder uitleg",
    }
    assert client.post(url("evaluatie_afronding", world.stage.pk), form).status_code == 302
    evaluatie.refresh_from_db()
    assert evaluatie.bijbaan and evaluatie.recorded_by == world.opleider and evaluatie.lessen == "Eerder uitleg"
    # A second post from the same old version is refused, not applied.
    response = client.post(url("evaluatie_afronding", world.stage.pk), {**form, "lessen": "Overschreven?"})
    assert "Niet opgeslagen" in response.content.decode()
    assert Evaluatie.objects.get().lessen == "Eerder uitleg"
    client.force_login(world.stagiair)
    page = client.get(url("evaluatie", world.stage.pk)).content.decode()
    assert "vakantie- of bijbaan" in page and "Eerder uitleg" not in page, "the lessons are the company's"


def finished_stage(leerbedrijf, score):
    stage = StageFactory(
        leerbedrijf=leerbedrijf,
        stagiair=StagiairFactory(leerbedrijf=leerbedrijf, user=UserFactory()),
        start_date=date.today() - timedelta(days=200),
        end_date=date.today() - timedelta(days=10),
    )
    evaluatie = Evaluatie.objects.create(stage=stage, submitted_at=timezone.now(), lessen=f"Les {score}")
    EvaluatieAntwoord.objects.create(evaluatie=evaluatie, question="stage_ervaren", score=score, text="Leuk")
    return stage


def test_overzicht_counts_only_submitted_evaluaties_of_the_company(client, world):
    finished_stage(world.a, 5)
    finished_stage(world.a, 3)
    finished_stage(world.b, 1)
    Evaluatie.objects.create(stage=world.stage)
    EvaluatieAntwoord.objects.create(evaluatie=world.stage.evaluatie, question="stage_ervaren", score=1)
    client.force_login(world.opleider)
    response = client.get(url("evaluatie_overzicht", world.a.pk))
    chart = response.context["questions"][0]["chart"]
    assert [bar["count"] for bar in chart["bars"]] == [0, 0, 1, 0, 1]
    assert chart["average"] == 4
    page = response.content.decode()
    assert "<svg" in page and "style=" not in page.split("<main")[1]
    assert "Les 5" in page and "Les 1" not in page


@pytest.mark.parametrize("size", [1, 10])
def test_overzicht_queries_do_not_grow(client, world, django_assert_num_queries, size):
    for n in range(size):
        finished_stage(world.a, 1 + n % 5)
    client.force_login(world.opleider)
    client.get(url("evaluatie_overzicht", world.a.pk))
    with django_assert_num_queries(9):  # with the header's count of unread notifications
        assert client.get(url("evaluatie_overzicht", world.a.pk)).status_code == 200


@pytest.mark.parametrize("size", [1, 20])
def test_gesprek_page_queries_do_not_grow(client, world, django_assert_num_queries, size):
    plan = world.stageplan
    held = moment(world.stage, -14)
    earlier = Voortgangsgesprek.for_moment(held)
    for n in range(size):
        leerdoel = Leerdoel.objects.create(stageplan=plan, title=f"Leerdoel {n}")
        Observatie.objects.create(
            stage=world.stage, leerdoel=leerdoel, author=world.wpb, date=date.today(), text="x", kind="goed"
        )
        Afspraak.objects.create(
            stage=world.stage, gesprek=earlier, leerdoel=leerdoel, text="x", owner=world.wpb, due_date=date.today()
        )
        Afspraak.objects.create(
            stage=world.stage, gesprek=world.gesprek, text="y", owner=world.stagiair, due_date=date.today()
        )
        world.gesprek.log_action(GesprekAction.NOTES_SAVED, by=world.wpb)
    client.force_login(world.opleider)
    client.get(url("gesprek", world.moment.pk))
    with django_assert_num_queries(12):  # with the header's count of unread notifications
        assert client.get(url("gesprek", world.moment.pk)).status_code == 200


@pytest.mark.parametrize("size", [1, 10])
def test_stage_gesprekken_queries_do_not_grow(client, world, django_assert_num_queries, size):
    for n in range(size):
        Afspraak.objects.create(
            stage=world.stage,
            gesprek=Voortgangsgesprek.for_moment(moment(world.stage, 10 + n)),
            text="x",
            owner=world.wpb,
            due_date=date.today(),
        )
    client.force_login(world.opleider)
    client.get(url("stage_gesprekken", world.stage.pk))
    with django_assert_num_queries(8):  # with the header's count of unread notifications
        assert client.get(url("stage_gesprekken", world.stage.pk)).status_code == 200


def test_start_page_queries_do_not_grow(client, world):
    def add_afspraken(first, count):
        for n in range(first, first + count):
            Afspraak.objects.create(
                stage=world.stage,
                gesprek=Voortgangsgesprek.for_moment(moment(world.stage, 10 + n)),
                text="x",
                owner=world.wpb,
                due_date=date.today(),
            )

    client.force_login(world.opleider)
    add_afspraken(0, 1)
    before = count_queries(client, reverse("start"))
    add_afspraken(1, 9)
    assert count_queries(client, reverse("start")) == before


def test_start_page_panels(client, world):
    client.force_login(world.stagiair)
    page = client.get(reverse("start")).content.decode()
    assert "Zelfreflectie invullen" in page and url("zelfreflectie", world.moment.pk) in page
    client.force_login(world.opleider)
    page = client.get(reverse("start")).content.decode()
    assert "1 voortgangsgesprek in de komende maand</summary>" in page
    assert "Afspraak: Veiligheidsinstructie lezen — Sam Stagiair</a>" in page
    assert url("stage_gesprekken", world.stage.pk) in page
    client.force_login(world.mbo)
    page = client.get(reverse("start")).content.decode()
    assert "voortgangsgesprek" not in page.lower() and "Veiligheidsinstructie" not in page

    client.force_login(world.stagiair)
    client.post(url("zelfreflectie", world.moment.pk), {"version": 1, "submit": "1", **REFLECTIE})
    assert "Zelfreflectie invullen" not in client.get(reverse("start")).content.decode()
    world.stage.end_date = date.today() + timedelta(days=10)
    world.stage.save()
    assert url("evaluatie_fill", world.stage.pk) in client.get(reverse("start")).content.decode()


def test_the_owner_of_an_afspraak_may_mark_it_done_on_the_page(client, world):
    status_url = url("afspraak_status", world.afspraak.pk)
    assert status_url in gesprek_page(client, world.stagiair, world)
    assert status_url not in gesprek_page(client, world.beoordelaar, world)
    client.force_login(world.beoordelaar)
    assert client.post(status_url, {"done": "1"}).status_code == 403
    assert Afspraak.objects.get(pk=world.afspraak.pk).done_at is None
