"""The stageplan through its pages: leerdoelen, versions and agreement, concurrent edits, moments and timeline."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stageplan.models import (
    Leerdoel,
    LeerdoelComment,
    Moment,
    MomentKind,
    Stageplan,
    StageplanVersion,
    agreed_version,
)
from tests.factories import StageFactory, StagiairFactory, UserFactory


def url(name, w, **kwargs):
    return reverse(f"stageplan:{name}", kwargs={"pk": w.stage.pk, **kwargs})


def leerdoel_data(w, **fields):
    return {
        "based_on": Stageplan.objects.get(pk=w.stageplan.pk).version,
        "werkproces": "",
        "title": "",
        "skill": "hard",
        "activiteiten": "",
        "benodigd": "",
        "target_date": "",
        "status": "gepland",
        **fields,
    }


def test_creating_the_plan_proposes_the_moments_of_the_gids(client, world):
    stagiair = UserFactory()
    stage = StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, user=stagiair),
        start_date=world.stage.start_date,
        end_date=world.stage.start_date + timedelta(weeks=20),
    )
    client.force_login(stagiair)
    response = client.post(
        reverse("stageplan:create", args=[stage.pk]), {"interval_weeks": 4, "propose": "on"}, follow=True
    )
    assert "Het stageplan is gemaakt" in response.content.decode()
    kinds = list(stage.moments.values_list("kind", flat=True))
    for kind in MomentKind.values:
        assert kind in kinds, kind
    assert kinds.count(MomentKind.VOORTGANGSGESPREK) >= 2
    assert all(moment.starts_at.weekday() < 5 for moment in stage.moments.all())
    assert stage.stageplan.versions.get().summary == "Stageplan gemaakt"


def test_stagiair_adds_a_leerdoel_from_a_werkproces(client, world):
    client.force_login(world.stagiair)
    page = client.get(url("leerdoel_add", world), {"q": "installatie"}).content.decode()
    assert "Test de installatie" in page and "kan het bedrijf niet bieden" in page
    assert "Kies werkproces B1-K1-W2" in page
    assert "Kies werkproces B1-K1-W1" not in page, "the search narrows the list"
    response = client.post(
        url("leerdoel_add", world), leerdoel_data(world, werkproces=world.werkproces.pk, target_date="2026-12-01")
    )
    leerdoel = Leerdoel.objects.get(title="Legt leidingen aan")
    assert response.status_code == 302 and response.url == leerdoel.get_absolute_url()
    assert leerdoel.werkproces == world.werkproces
    assert [change.after("status") for change in leerdoel.status_history()] == ["gepland"]
    version = world.stageplan.versions.first()
    assert version.created_by == world.stagiair and "Legt leidingen aan" in version.summary


def test_the_werkproces_search_is_bounded_as_the_search_in_the_header(client, world):
    client.force_login(world.stagiair)
    page = client.get(url("leerdoel_add", world), {"q": "x" * 50_000}).content.decode()
    assert "Zoek met hoogstens 100 tekens." in page and "Kies werkproces B1-K1-W2" in page, "the whole list instead"
    # A NUL byte, which PostgreSQL refuses in text, is a space.
    page = client.get(url("leerdoel_add", world), {"q": "install\x00atie"}).content.decode()
    assert "Geen werkproces gevonden." in page


def test_example_werkprocessen_carry_a_badge(client, world):
    world.werkproces.is_example = True
    world.werkproces.save()
    client.force_login(world.stagiair)
    assert "voorbeelddata" in client.get(url("detail", world)).content.decode()
    assert "voorbeelddata" in client.get(url("leerdoel_add", world)).content.decode()


def test_a_leerdoel_needs_a_title_or_a_werkproces(client, world):
    client.force_login(world.stagiair)
    response = client.post(url("leerdoel_add", world), leerdoel_data(world))
    assert "Schrijf het leerdoel op, of kies een werkproces." in response.content.decode()
    assert Leerdoel.objects.count() == 1


def test_a_second_save_based_on_an_older_version_is_refused_and_keeps_the_text(client, world):
    leerdoel_url = url("leerdoel_edit", world, leerdoel_pk=world.leerdoel.pk)
    stale = leerdoel_data(world, title="Leidingen aanleggen", activiteiten="De tekst van de stagiair")
    client.force_login(world.opleider)
    assert client.post(leerdoel_url, {**stale, "activiteiten": "De tekst van de praktijkopleider"}).status_code == 302
    client.force_login(world.stagiair)
    response = client.post(leerdoel_url, stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd door Olga Opleider" in page
    assert "De tekst van de stagiair" in page, "the refused text is given back"
    world.leerdoel.refresh_from_db()
    assert world.leerdoel.activiteiten == "De tekst van de praktijkopleider"
    # Having seen the message, saving again is a deliberate choice, and works.
    resubmitted = {**stale, "based_on": Stageplan.objects.get(pk=world.stageplan.pk).version}
    assert client.post(leerdoel_url, resubmitted).status_code == 302


def test_concurrent_beginsituatie_edit_is_refused(client, world):
    client.force_login(world.stagiair)
    data = {"based_on": world.stageplan.version, "niveau": 2, "leerjaar": 1, "capaciteiten": "eerste"}
    assert client.post(url("beginsituatie", world), data).status_code == 302
    response = client.post(url("beginsituatie", world), {**data, "capaciteiten": "tweede"})
    assert "intussen gewijzigd" in response.content.decode() and "tweede" in response.content.decode()
    assert Stageplan.objects.get(pk=world.stageplan.pk).capaciteiten == "eerste"


def test_agreement_needs_both_and_a_later_change_withdraws_it(client, world):
    number = world.stageplan.version
    client.force_login(world.mbo)
    assert "nog geen stageplan afgestemd" in client.get(url("shared", world)).content.decode()

    client.force_login(world.stagiair)
    client.post(url("agree", world, number=number))
    assert agreed_version(world.stage) is None
    client.force_login(world.opleider)
    response = client.post(url("agree", world, number=number), follow=True)
    assert "is afgestemd door stagiair en praktijkopleider" in response.content.decode()
    assert agreed_version(world.stage).number == number

    client.force_login(world.mbo)
    shared = client.get(url("shared", world)).content.decode()
    assert "Leidingen aanleggen" in shared and f"Versie {number}" in shared
    assert client.get(url("detail", world)).status_code == 404

    client.force_login(world.stagiair)
    client.post(
        url("leerdoel_add", world),
        leerdoel_data(world, title="Zelf de klant te woord staan", skill="soft"),
    )
    detail = client.get(url("detail", world)).content.decode()
    assert "Afstemming ingetrokken." in detail
    assert f"De school ziet nog versie {number}" in detail
    assert f"afstemming van versie {number} ingetrokken" in client.get(url("versions", world)).content.decode()
    client.force_login(world.mbo)
    shared = client.get(url("shared", world)).content.decode()
    assert "Zelf de klant te woord staan" not in shared, "the school sees the agreed version, not the new change"


def test_only_the_latest_version_can_be_agreed(client, world):
    client.force_login(world.stagiair)
    response = client.post(url("agree", world, number=1), follow=True)
    assert "is niet meer de nieuwste" in response.content.decode()
    assert not StageplanVersion.objects.filter(agreed_by_stagiair__isnull=False).exists()


def test_diff_in_words(client, world):
    client.force_login(world.stagiair)
    edit = url("leerdoel_edit", world, leerdoel_pk=world.leerdoel.pk)
    client.post(edit, leerdoel_data(world, title="Leidingen aanleggen", target_date="2027-03-03"))
    client.post(edit, leerdoel_data(world, title="Leidingen aanleggen", target_date="2027-03-10", status="bezig"))
    page = client.get(url("diff", world)).content.decode()
    assert "Streefdatum van &#x27;Leidingen aanleggen&#x27; gewijzigd van 3 maart 2027 naar 10 maart 2027" in page
    assert "Status van &#x27;Leidingen aanleggen&#x27; gewijzigd van gepland naar bezig" in page
    page = client.get(url("diff", world), {"van": 1, "naar": 2}).content.decode()
    assert "Leerdoel &#x27;Leidingen aanleggen&#x27; toegevoegd" in page
    assert [change.after("status") for change in world.leerdoel.status_history()] == ["bezig"]


def test_comment_thread_per_leerdoel(client, world):
    client.force_login(world.opleider)
    comment = url("comment", world, leerdoel_pk=world.leerdoel.pk)
    client.post(comment, {"text": "Plan dit samen met Willem in week 3."})
    client.force_login(world.wpb)
    assert client.post(comment, {"text": "Ik ook"}).status_code == 403
    page = client.get(url("leerdoel", world, leerdoel_pk=world.leerdoel.pk)).content.decode()
    assert "Plan dit samen met Willem in week 3." in page
    assert "Reactie plaatsen" not in page, "a werkplekbegeleider reads"
    assert LeerdoelComment.objects.count() == 1


def test_werkplekbegeleider_reads_but_does_not_edit(client, world):
    client.force_login(world.wpb)
    page = client.get(url("detail", world)).content.decode()
    assert "Leidingen aanleggen" in page and "Leerdoel toevoegen" not in page


def test_hybride_begeleider_linked_to_the_stage_reads_and_observes(client, world):
    world.stage.werkplekbegeleider = world.hybride
    world.stage.save()
    client.force_login(world.hybride)
    assert client.get(url("detail", world)).status_code == 200
    assert client.get(url("observatie_add", world)).status_code == 200


def test_moving_a_moment_bumps_its_sequence_and_cancelling_sets_cancelled_at(client, world):
    moment = world.plan_moment
    client.force_login(world.opleider)
    response = client.post(
        url("moment_edit", world, moment_pk=moment.pk),
        {
            "based_on": Stageplan.objects.get(pk=world.stageplan.pk).version,
            "starts_at": "2026-12-02T09:30",
            "location": "Werkplaats",
        },
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.sequence == 1 and moment.location == "Werkplaats"
    client.post(
        url("moment_cancel", world, moment_pk=moment.pk),
        {"based_on": Stageplan.objects.get(pk=world.stageplan.pk).version, "reason": "Ziek"},
    )
    moment.refresh_from_db()
    assert moment.cancelled_at is not None and moment.sequence == 2
    page = client.get(url("versions", world)).content.decode()
    assert "geannuleerd" in page
    diff = client.get(url("diff", world)).content.decode()
    assert "geannuleerd" in diff


def test_adding_a_moment(client, world):
    client.force_login(world.wpb)
    before = Moment.objects.count()
    response = client.post(
        url("moment_add", world),
        {
            "based_on": Stageplan.objects.get(pk=world.stageplan.pk).version,
            "kind": "voortgangsgesprek",
            "starts_at": "2026-12-09T10:00",
            "location": "Kantine",
        },
    )
    assert response.status_code == 302 and Moment.objects.count() == before + 1


def test_timeline_warns_about_an_unrealistic_planning(client, world):
    client.force_login(world.stagiair)
    day = world.stage.start_date + timedelta(days=14)
    for n in range(4):
        Leerdoel.objects.create(stageplan=world.stageplan, title=f"Doel {n}", target_date=day)
    Leerdoel.objects.create(
        stageplan=world.stageplan, title="Te laat", target_date=world.stage.end_date + timedelta(days=10)
    )
    Moment.objects.create(
        stage=world.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=timezone.now() + timedelta(days=20)
    )
    page = client.get(url("timeline", world)).content.decode()
    assert "leerdoelen behaald zijn: is dat haalbaar?" in page
    assert "Te laat" in page and "valt buiten de stageperiode" in page
    assert "Tussenbeoordeling" in page
    assert "Te laat" in client.get(url("detail", world)).content.decode()


def test_agreed_version_is_none_without_a_plan(world):
    assert agreed_version(world.stage_b) is None


def test_start_page_panels(client, world):
    client.force_login(world.stagiair)
    page = client.get(reverse("start")).content.decode()
    assert "Jouw stageplan" in page and "nog niet door jou afgestemd" in page
    client.force_login(world.wpb)
    assert "Observatie vastleggen" in client.get(reverse("start")).content.decode()
    # The links under each stage are in the folded panel of the stages one follows, read when opened (issue 18).
    stages = reverse("start_panel", args=["stages"])
    client.force_login(world.opleider)
    page = client.get(reverse("start")).content.decode()
    assert "Stageplan versie" in page and "afstemmen" in page and "Sam Stagiair" in page, "a to-do (issue 16)"
    assert f'href="{reverse("stageplan:detail", args=[world.stage.pk])}"' in client.get(stages).content.decode()
    client.force_login(world.mbo)
    page = client.get(reverse("start")).content.decode() + client.get(stages).content.decode()
    assert reverse("stageplan:shared", args=[world.stage.pk]) in page, "the school's link to the agreed plan"
    assert f'href="{reverse("stageplan:detail", args=[world.stage.pk])}"' not in page
