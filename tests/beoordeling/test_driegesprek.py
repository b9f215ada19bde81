"""The driegesprekken (start-, midden- en eindgesprek of school, bedrijf and stagiair; issue 15), through the pages:
who took part, the notes of both sides, afspraken carried on, closing once, and the verslag in the stagemap."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.gesprekken.models import Afspraak, Driegesprek, GesprekAction, Voortgangsgesprek
from stagegids.models import Wijziging
from stagemap.models import Verslag
from stagemap.verslagen import make_missing_verslagen
from stageplan.models import MomentKind
from tests.confirm import CONFIRMED
from tests.factories import MomentFactory
from tests.test_confirm_steps import in_parallel, postgres_only

NOTES = {
    "deelnemer_stagiair": "on",
    "deelnemer_bedrijf": "on",
    "deelnemer_school": "on",
    "deelnemers_anders": "Cor Collega",
    "notes_besproken": "De stage loopt goed; Sam wil meer zelf aanleggen.",
}


# The driegesprek page for the mbo-begeleider, whatever the number of afspraken.
QUERIES = 10  # with the header's count of unread notifications


def url(name, pk):
    return reverse(f"beoordeling:{name}", args=[pk])


def driegesprek(world, kind=MomentKind.MIDDENGESPREK, days=-1):
    return MomentFactory(stage=world.stage, kind=kind, starts_at=timezone.now() + timedelta(days=days))


def record(client, world, moment, **notes):
    client.force_login(world.opleider)
    return client.post(url("driegesprek_notes", moment.pk), {"version": 1, **NOTES, **notes})


def school_notes(client, world, moment, text="Het leerbedrijf begeleidt goed.", version=1):
    client.force_login(world.mbo)
    return client.post(url("driegesprek_school", moment.pk), {"version": version, "school_notes": text})


def afronden(client, world, moment, version, school_version):
    client.force_login(world.opleider)
    data = {"version": version, "school_version": school_version, **CONFIRMED}
    return client.post(url("driegesprek_afronden", moment.pk), data, follow=True)


def test_a_driegesprek_is_recorded_by_both_sides_and_closed_into_a_verslag(client, world):
    moment = driegesprek(world)
    client.force_login(world.opleider)
    page = client.get(url("driegesprek", moment.pk)).text
    assert "Gesprek vastleggen" in page and not Driegesprek.objects.exists(), "opening writes nothing"
    form = client.get(url("driegesprek_notes", moment.pk)).text
    assert "Wie waren erbij?" in form and "checked" in form, "who usually sits at the table is ticked"

    assert record(client, world, moment).status_code == 302
    assert school_notes(client, world, moment).status_code == 302
    client.force_login(world.wpb)
    client.post(
        url("driegesprek_afspraak_add", moment.pk),
        {"text": "Schoolbezoek op de werkplek plannen", "owner": world.opleider.pk, "due_date": date.today()},
    )
    # Before the close the stagiair reads no notes; those who took part read each other's part.
    client.force_login(world.stagiair)
    assert "De stage loopt goed" not in client.get(url("driegesprek", moment.pk)).text
    client.force_login(world.mbo)
    mbo_page = client.get(url("driegesprek", moment.pk)).text
    assert "De stage loopt goed" in mbo_page and "Schoolbezoek op de werkplek plannen" in mbo_page
    assert "Uw notities toevoegen" in mbo_page and "Gesprek vastleggen" not in mbo_page

    gesprek = Driegesprek.objects.get()
    confirm = client.get(url("driegesprek_afronden", moment.pk))
    assert confirm.status_code == 403, "the praktijkopleider closes it"
    client.force_login(world.opleider)
    assert "Het middengesprek" in client.get(url("driegesprek_afronden", moment.pk)).text
    response = afronden(client, world, moment, gesprek.notes_version, gesprek.school_version)
    assert "Het driegesprek is afgerond. Het verslag staat vast." in response.text
    gesprek.refresh_from_db()
    assert gesprek.is_afgerond and gesprek.verslag_snapshot["school_notes"] == "Het leerbedrijf begeleidt goed."
    assert gesprek.verslag_snapshot["deelnemers"] == [
        "Sam Stagiair",
        "praktijkopleider of werkplekbegeleider van Installatiebedrijf A",
        f"{world.mbo.name} (mbo-begeleider)",
        "Cor Collega",
    ]
    # Closed: the mbo-begeleider's part is final too, and the stagiair reads it all.
    client.force_login(world.mbo)
    late = client.post(url("driegesprek_school", moment.pk), {"version": 2, "school_notes": "later"}, follow=True)
    assert "Dit gesprek is afgerond" in late.text and Driegesprek.objects.get().school_notes != "later"
    client.force_login(world.stagiair)
    assert "Het leerbedrijf begeleidt goed." in client.get(url("driegesprek", moment.pk)).text

    (verslag,) = make_missing_verslagen(world.stage, by=world.opleider)
    assert verslag.kind == "driegesprek" and verslag.title.startswith("Verslag middengesprek")
    assert Verslag.objects.visible_to(world.mbo).filter(pk=verslag.pk).exists(), "the school took part: no sharing"
    actions = set(Wijziging.objects.for_object(gesprek).values_list("action", "role"))
    assert (GesprekAction.SCHOOL_NOTES_SAVED, "mbo_begeleider") in actions
    assert (GesprekAction.AFGEROND, "praktijkopleider") in actions


def test_who_took_part_is_asked_and_the_notes_are_bounded(client, world):
    moment = driegesprek(world)
    response = record(
        client, world, moment, deelnemer_stagiair="", deelnemer_bedrijf="", deelnemer_school="", deelnemers_anders=" "
    )
    assert "Vink aan wie er bij het gesprek waren, of vul hun namen in." in response.text
    response = record(client, world, moment, notes_besproken="x" * 5001)
    assert "hoogstens 5000 tekens (nu 5001)" in response.text
    response = school_notes(client, world, moment, "y" * 5001)
    assert "hoogstens 5000 tekens (nu 5001)" in response.text
    assert not Driegesprek.objects.filter(notes_besproken__startswith="x").exists()


def test_the_two_parts_never_collide_but_closing_sees_both(client, world):
    moment = driegesprek(world)
    record(client, world, moment)
    school_notes(client, world, moment)
    gesprek = Driegesprek.objects.get()
    assert (gesprek.notes_version, gesprek.school_version) == (2, 2)
    # The praktijkopleider read version 2 of both; the school saves again before he closes: refused, nothing lost.
    school_notes(client, world, moment, "Aangevuld na het gesprek.", version=2)
    response = afronden(client, world, moment, 2, 2)
    assert "Niet afgerond: het gesprek is intussen gewijzigd." in response.text
    gesprek.refresh_from_db()
    assert not gesprek.is_afgerond and gesprek.school_notes == "Aangevuld na het gesprek."
    # A stale save of the school's part is refused with the other's text beside it.
    response = school_notes(client, world, moment, "Oude versie", version=2)
    assert "Niet opgeslagen" in response.text and "Aangevuld na het gesprek." in response.text


def test_afronden_twice_changes_nothing_and_says_so(client, world):
    moment = driegesprek(world)
    record(client, world, moment)
    afronden(client, world, moment, 2, 1)
    closed_at = Driegesprek.objects.get().afgerond_at
    response = afronden(client, world, moment, 2, 1)
    assert "was al afgerond door" in response.text
    assert Driegesprek.objects.get().afgerond_at == closed_at


def test_a_driegesprek_nobody_wrote_in_can_be_closed(client, world):
    """Closed from its confirm page before either side saved a word (found by test_form_bounds: it was a 500)."""
    moment = driegesprek(world)
    client.force_login(world.opleider)
    assert client.get(url("driegesprek_afronden", moment.pk)).status_code == 200
    response = afronden(client, world, moment, 1, 1)
    assert "Het driegesprek is afgerond. Het verslag staat vast." in response.text
    assert Driegesprek.objects.get(moment=moment).is_afgerond
    (verslag,) = make_missing_verslagen(world.stage, by=world.opleider)
    assert verslag.kind == "driegesprek"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_afronden_in_parallel_closes_once(world):
    moment = driegesprek(world)
    gesprek = Driegesprek.shown_for(moment)
    gesprek.save_notes(version=1, by=world.opleider, values={"deelnemer_school": True, "notes_besproken": "Goed"})
    data = {"version": 2, "school_version": 1, **CONFIRMED}
    target = url("driegesprek_afronden", moment.pk)
    responses = in_parallel(*[(world.opleider, target, data)] * 4)
    texts = [response.content.decode() for response in responses]
    assert sum("Het driegesprek is afgerond." in text for text in texts) == 1
    assert sum("was al afgerond door" in text for text in texts) == 3
    assert Wijziging.objects.filter(action=GesprekAction.AFGEROND).count() == 1


def test_afspraken_of_a_driegesprek_come_back_in_the_next_gesprekken(client, world):
    """Like a voortgangsgesprek's: open afspraken of a driegesprek come back in the next voortgangsgesprek (the
    company side's) and in the next driegesprek. A driegesprek shows the school no afspraken of the
    voortgangsgesprekken: those are the company's until it shares them."""
    start = driegesprek(world, MomentKind.STARTGESPREK, days=-20)
    client.force_login(world.opleider)
    client.post(
        url("driegesprek_afspraak_add", start.pk),
        {"text": "Portfolio bijwerken", "owner": world.stagiair.pk, "due_date": date.today()},
    )
    midden = driegesprek(world, MomentKind.MIDDENGESPREK, days=40)
    assert "Portfolio bijwerken" in client.get(url("gesprek", world.moment.pk)).text
    client.force_login(world.mbo)
    page = client.get(url("driegesprek", midden.pk)).text
    assert "Portfolio bijwerken" in page
    assert "Veiligheidsinstructie lezen" not in page, "the world's voortgangsgesprek afspraak stays with the company"
    afspraak = Afspraak.objects.get(text="Portfolio bijwerken")
    afspraak.set_done(done=True, by=world.stagiair)
    third = driegesprek(world, MomentKind.EINDGESPREK, days=80)
    assert "Portfolio bijwerken" not in client.get(url("driegesprek", third.pk)).text, "done in an older gesprek"


def test_a_voortgangsgesprek_moment_is_no_driegesprek_and_the_other_way_round(client, world):
    moment = driegesprek(world)
    client.force_login(world.opleider)
    assert client.get(url("driegesprek", world.moment.pk)).status_code == 404
    assert client.get(url("gesprek", moment.pk)).status_code == 404
    record(client, world, moment)
    afronden(client, world, moment, 2, 1)
    assert not Voortgangsgesprek.objects.filter(moment__kind=MomentKind.VOORTGANGSGESPREK, afgerond_at__isnull=False)
    assert [v.kind for v in make_missing_verslagen(world.stage, by=world.opleider)] == ["driegesprek"]


def test_the_school_finds_the_moments_of_its_students_on_its_start_page(client, world):
    moment = driegesprek(world, days=3)
    client.force_login(world.mbo)
    start = client.get(reverse("start")).text
    assert "Komende gesprekken en beoordelingen" in start
    assert url("driegesprek", moment.pk) in start
    moments = client.get(reverse("stageplan:moments", args=[world.stage.pk])).text
    assert url("driegesprek", moment.pk) in moments


@pytest.mark.parametrize("size", [1, 8])
def test_driegesprek_page_queries_do_not_grow(client, world, django_assert_num_queries, size):
    moment = driegesprek(world)
    record(client, world, moment)
    for n in range(size):
        Driegesprek.objects.get().add_afspraak(
            by=world.opleider, text=f"Afspraak {n}", owner=world.stagiair, due_date=date.today()
        )
    client.force_login(world.mbo)
    client.get(url("driegesprek", moment.pk))
    with django_assert_num_queries(QUERIES):
        assert client.get(url("driegesprek", moment.pk)).status_code == 200


def test_a_stale_save_of_who_took_part_shows_the_saved_version_in_words(client, world):
    moment = driegesprek(world)
    record(client, world, moment)
    response = record(client, world, moment, notes_besproken="Mijn versie")
    assert "Niet opgeslagen" in response.text and "Mijn versie" in response.text
    saved = response.text.split("De opgeslagen versie")[1].split("</section>")[0]
    assert "erbij" in saved and "True" not in saved
