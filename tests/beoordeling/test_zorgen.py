"""Zorgen signaleren (issue 15), through the pages: recording, who sees which concern, sharing with the school,
editing with history, closing and reopening once, the start page, the reminder, and the proposal of a
tussenbeoordeling concluding twijfel or nee."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingState
from beoordeling.zorgen.models import Zorg, ZorgAction
from stagegids.models import Notification, Reminder, Wijziging
from stageplan.models import Moment, MomentKind
from tests.confirm import CONFIRMED
from tests.factories import StageFactory, StagiairFactory, UserFactory
from tests.herinneringen import mails_titled, mails_to
from tests.queries import count_queries
from tests.test_confirm_steps import in_parallel, postgres_only, ready_to_sign


def day(offset=0):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


ZORG = {
    "kind": "aanwezigheid",
    "happened": "Sam was deze week twee keer te laat zonder te bellen.",
    "agreed": "Sam belt voor half acht als hij later komt.",
    "next_step": "Gesprek met Sam op maandag",
    "next_step_on": day(3),
}


def url(name, *args):
    return reverse(f"beoordeling:{name}", args=args)


def record(client, user, stage, **changes):
    client.force_login(user)
    response = client.post(url("zorg_add", stage.pk), {**ZORG, **changes}, follow=True)
    assert response.status_code == 200
    return response, Zorg.objects.order_by("-pk").first()


def sees(client, user, zorg):
    client.force_login(user)
    return client.get(url("zorg", zorg.pk)).status_code == 200


def test_the_werkplekbegeleider_records_a_concern_the_stagiair_reads_it(client, world):
    response, zorg = record(client, world.wpb, world.stage)
    assert "De zorg is vastgelegd." in response.text and "Gesprek met Sam op maandag" in response.text
    assert zorg.created_by == world.wpb and zorg.is_open and not zorg.internal
    assert [w.action for w in Wijziging.objects.for_object(zorg)] == [ZorgAction.RECORDED]
    for person in (world.opleider, world.wpb, world.beoordelaar, world.stagiair):
        assert sees(client, person, zorg), person
    for person in (world.mbo, world.wpb_other, world.opleider_b, world.mbo_other_school):
        assert not sees(client, person, zorg), person
    client.force_login(world.stagiair)
    page = client.get(url("zorgen", world.stage.pk)).text
    assert "Aanwezigheid" in page and "Zorg vastleggen" not in page


def test_an_internal_concern_is_the_companys_only_and_cannot_be_shared(client, world):
    _response, zorg = record(client, world.opleider, world.stage, internal="on", kind="welzijn")
    assert zorg.internal
    for person in (world.opleider, world.wpb, world.beoordelaar):
        assert sees(client, person, zorg)
    assert not sees(client, world.stagiair, zorg) and not sees(client, world.mbo, zorg)
    client.force_login(world.stagiair)
    assert "Welzijn" not in client.get(url("zorgen", world.stage.pk)).text
    client.force_login(world.opleider)
    assert "Delen met de mbo-begeleider" not in client.get(url("zorg", zorg.pk)).text
    response = client.post(url("zorg_share", zorg.pk), CONFIRMED, follow=True)
    assert "Een interne zorg wordt niet gedeeld met de school" in response.text
    zorg.refresh_from_db()
    assert zorg.shared_at is None and not sees(client, world.mbo, zorg)


def test_sharing_lets_the_mbo_begeleider_read_it_once(client, world):
    _response, zorg = record(client, world.wpb, world.stage)
    client.force_login(world.wpb)
    assert client.get(url("zorg_share", zorg.pk)).status_code == 403, "sharing is the praktijkopleider's choice"
    client.force_login(world.opleider)
    page = client.get(url("zorg_share", zorg.pk)).text
    assert "delen met de mbo-begeleider?" in page and "delen is definitief" in page
    assert client.post(url("zorg_share", zorg.pk)).status_code == 200, "without the confirm the page comes back"
    assert not sees(client, world.mbo, zorg)
    client.force_login(world.opleider)
    response = client.post(url("zorg_share", zorg.pk), CONFIRMED, follow=True)
    assert "De zorg is gedeeld met de mbo-begeleider." in response.text
    again = client.post(url("zorg_share", zorg.pk), CONFIRMED, follow=True)
    assert "Deze zorg was al gedeeld door Olga Opleider op" in again.text and "niets gewijzigd" in again.text
    assert Wijziging.objects.for_object(zorg).filter(action=ZorgAction.SHARED).count() == 1
    assert sees(client, world.mbo, zorg) and not sees(client, world.mbo_same_school, zorg)
    assert Notification.objects.filter(user=world.mbo, title="Zorg over Sam Stagiair gedeeld").count() == 1
    client.force_login(world.mbo)
    assert "Aanwezigheid" in client.get(url("zorgen", world.stage.pk)).text
    # Shared, it stays visible to the stagiair: the form no longer lets it become internal.
    client.force_login(world.opleider)
    zorg.refresh_from_db()
    client.post(url("zorg_edit", zorg.pk), {**ZORG, "version": zorg.version, "internal": "on"})
    zorg.refresh_from_db()
    assert not zorg.internal


def test_edits_keep_history_and_a_stale_edit_keeps_its_text(client, world):
    _response, zorg = record(client, world.wpb, world.stage)
    seen = zorg.version
    client.force_login(world.opleider)
    response = client.post(
        url("zorg_edit", zorg.pk), {**ZORG, "version": seen, "next_step": "Gesprek met Sam en zijn ouders"}, follow=True
    )
    assert "De zorg is opgeslagen." in response.text
    assert "volgende stap: Gesprek met Sam op maandag → Gesprek met Sam en zijn ouders" in response.text
    client.force_login(world.wpb)
    stale = client.post(url("zorg_edit", zorg.pk), {**ZORG, "version": seen, "agreed": "Mijn nieuwe afspraak"})
    assert stale.status_code == 200
    assert "Niet opgeslagen: Olga Opleider heeft deze zorg intussen gewijzigd." in stale.text
    assert "Mijn nieuwe afspraak" in stale.text and "Gesprek met Sam en zijn ouders" in stale.text
    zorg.refresh_from_db()
    assert zorg.agreed == ZORG["agreed"] and zorg.next_step == "Gesprek met Sam en zijn ouders"
    refused = Wijziging.objects.for_object(zorg).get(action=ZorgAction.REFUSED)
    assert "wat is afgesproken?: Mijn nieuwe afspraak" in refused.details()


def test_closing_records_how_it_ended_once_and_it_can_reopen(client, world):
    _response, zorg = record(client, world.wpb, world.stage)
    client.force_login(world.stagiair)
    assert client.get(url("zorg_close", zorg.pk)).status_code == 403
    client.force_login(world.wpb)
    empty = client.post(url("zorg_close", zorg.pk), {"outcome": ""})
    assert "Dit veld is verplicht." in empty.text
    response = client.post(url("zorg_close", zorg.pk), {"outcome": "Sam is elke dag op tijd."}, follow=True)
    assert "De zorg is gesloten." in response.text and "Sam is elke dag op tijd." in response.text
    again = client.post(url("zorg_close", zorg.pk), {"outcome": "Nog eens"}, follow=True)
    assert "Deze zorg was al gesloten door Willem Begeleider op" in again.text
    assert "Deze zorg was al gesloten" in client.get(url("zorg_close", zorg.pk), follow=True).text
    zorg.refresh_from_db()
    assert zorg.outcome == "Sam is elke dag op tijd."
    assert client.get(url("zorg_edit", zorg.pk), follow=True).text.count("Deze zorg is gesloten.") == 1

    reopened = client.post(url("zorg_reopen", zorg.pk), follow=True)
    assert "De zorg staat weer open." in reopened.text and "Zorg wijzigen" in reopened.text
    assert "Deze zorg stond al open" in client.post(url("zorg_reopen", zorg.pk), follow=True).text
    zorg.refresh_from_db()
    assert zorg.is_open and zorg.outcome == ""
    trail = Wijziging.objects.for_object(zorg)
    assert list(trail.values_list("action", flat=True)) == [
        ZorgAction.RECORDED,
        ZorgAction.CLOSED,
        ZorgAction.REOPENED,
    ]
    assert trail.get(action=ZorgAction.REOPENED).details() == ["Sam is elke dag op tijd."]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_closes_close_once(world):
    _response, zorg = record(Client(), world.wpb, world.stage)
    data = {"outcome": "Opgelost."}
    responses = in_parallel(
        *[(world.wpb, url("zorg_close", zorg.pk), data)] * 2, *[(world.opleider, url("zorg_close", zorg.pk), data)] * 2
    )
    assert Wijziging.objects.for_object(zorg).filter(action=ZorgAction.CLOSED).count() == 1
    said = [r.text for r in responses]
    assert sum("De zorg is gesloten." in text for text in said) == 1
    assert sum("Deze zorg was al gesloten door" in text for text in said) == 3
    connection.close()


def test_bounded_inputs_are_refused_in_dutch(client, world):
    client.force_login(world.wpb)
    response = client.post(
        url("zorg_add", world.stage.pk),
        {**ZORG, "kind": "ruzie", "happened": "x" * 2001, "next_step_on": day(-1), "extra_gesprek": "9999-01-01T10:00"},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze." in response.text
    assert "Zorg dat deze waarde niet meer dan 2000 tekens bevat" in response.text
    assert "Kies een datum vanaf vandaag" in response.text
    assert "Vul een datum tussen" in response.text
    assert not Zorg.objects.exists()


def test_an_extra_gesprek_is_planned_with_the_concern(client, world):
    starts_at = (timezone.localtime() + timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
    versions = world.stageplan.versions.count()
    response, zorg = record(client, world.wpb, world.stage, extra_gesprek=starts_at.strftime("%Y-%m-%dT%H:%M"))
    assert "het extra gesprek staat in de planning" in response.text
    assert zorg.moment.kind == MomentKind.VOORTGANGSGESPREK and zorg.moment.starts_at == starts_at
    assert world.stageplan.versions.count() == versions + 1, "planned as a change of the stageplan"


def test_open_concerns_on_the_start_page_of_who_takes_the_next_step(client, world):
    _response, zorg = record(client, world.wpb, world.stage)
    for person in (world.opleider, world.wpb):
        client.force_login(person)
        page = client.get("/").text
        assert "Zorg over " in page and "Gesprek met Sam op maandag" in page
        assert url("zorg", zorg.pk) in page
    for person in (world.stagiair, world.mbo, world.wpb_other, world.opleider_b):
        client.force_login(person)
        assert "Zorg over " not in client.get("/").text
    client.force_login(world.wpb)
    client.post(url("zorg_close", zorg.pk), {"outcome": "Opgelost."})
    assert "Open zorgen" not in client.get("/").text


def more_stages(world, size):
    """Stages of the same leerbedrijf and werkplekbegeleider, each with an open and a closed concern."""
    for n in range(size):
        stage = StageFactory(
            leerbedrijf=world.a,
            werkplekbegeleider=world.wpb,
            stagiair=StagiairFactory(leerbedrijf=world.a, user=UserFactory(), name=f"Stagiair {n}"),
        )
        Zorg.record(stage=stage, by=world.wpb, **{**ZORG, "next_step_on": date.today()})
        closed = Zorg.record(stage=world.stage, by=world.wpb, **{**ZORG, "next_step_on": date.today()})
        closed.close(by=world.opleider, outcome="Opgelost.")


def test_start_page_queries_do_not_grow(client, world):
    client.force_login(world.wpb)
    more_stages(world, 1)
    few = count_queries(client, "/")
    more_stages(world, 12)
    assert count_queries(client, "/") == few


def test_zorgen_list_queries_do_not_grow(client, world):
    client.force_login(world.opleider)
    more_stages(world, 1)
    few = count_queries(client, url("zorgen", world.stage.pk))
    more_stages(world, 12)
    assert count_queries(client, url("zorgen", world.stage.pk)) == few


# --- the reminder ----------------------------------------------------------------------------------------------


def test_a_next_step_that_passed_is_reminded_once_to_the_recorder_and_the_praktijkopleider(reminders, scan, client):
    w = reminders
    _response, zorg = record(client, w.wpb, w.stage)
    scan()
    assert mail.outbox == [], "not before its date has passed"
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        scan()
        scan()
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        scan()
    for person in (w.wpb, w.opleider):
        [message] = mails_to(person)
        assert message.subject.startswith("Zorg over Sam Stagiair: de volgende stap was op ")
        assert "Gesprek met Sam op maandag" in message.body
        assert f"https://stagegids.example.nl/zorgen/{zorg.pk}/" in message.body
    assert mails_to(w.stagiair) == [] and Reminder.objects.filter(kind="zorg_volgende_stap").count() == 2

    # A new date is a new occasion; a closed concern is not reminded.
    mail.outbox.clear()
    Zorg.objects.filter(pk=zorg.pk).update(next_step_on=date.today() + timedelta(days=6))
    with time_machine.travel(timezone.now() + timedelta(days=7)):
        scan()
    assert len(mails_titled(w.wpb, "Zorg over")) == 1
    mail.outbox.clear()
    zorg.refresh_from_db()
    zorg.close(by=w.opleider, outcome="Opgelost.")
    Zorg.objects.filter(pk=zorg.pk).update(next_step_on=date.today() + timedelta(days=8))
    with time_machine.travel(timezone.now() + timedelta(days=9)):
        scan()
    assert [m for m in mail.outbox if m.subject.startswith("Zorg over")] == []


# --- the proposal of a tussenbeoordeling -------------------------------------------------------------------------


def concluded(client, world, conclusie):
    b = ready_to_sign(client, world)
    client.post(
        url("conclude", b.pk),
        {
            "revision": b.revision,
            "conclusie": conclusie,
            "conclusie_toelichting": "Meten gaat nog niet zelfstandig.",
            "afspraken": "Elke week samen meten.",
        },
    )
    b.refresh_from_db()
    return b


def test_twijfel_proposes_a_concern_and_an_extra_gesprek_after_signing(client, world):
    b = concluded(client, world, "twijfel")
    assert "Voorstel: zorg vastleggen en een extra gesprek plannen" in client.get(b.get_absolute_url()).text
    response = client.post(url("sign", b.pk), CONFIRMED, follow=True)
    assert "U heeft de beoordeling ondertekend." in response.text
    assert response.redirect_chain[-1][0] == url("zorg_voorstel", b.pk)
    assert "Voorstel na de tussenbeoordeling" in response.text and "er is nog niets vastgelegd" in response.text
    assert "Meten gaat nog niet zelfstandig." in response.text and "Elke week samen meten." in response.text
    assert 'name="extra_gesprek"' in response.text and "Extra voortgangsgesprek" in response.text
    assert not Zorg.objects.exists(), "a proposal, not created silently"

    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["extra_gesprek"] = form["extra_gesprek"].value().strftime("%Y-%m-%dT%H:%M")
    data["next_step_on"] = form["next_step_on"].value().isoformat()
    data = {k: v for k, v in data.items() if v not in (None, False)}
    recorded = client.post(url("zorg_voorstel", b.pk), data, follow=True)
    assert "De zorg is vastgelegd en het extra gesprek staat in de planning." in recorded.text
    zorg = Zorg.objects.get()
    assert zorg.beoordeling == b and zorg.kind == "leren" and zorg.moment.kind == MomentKind.VOORTGANGSGESPREK
    assert Moment.objects.filter(pk=zorg.moment_id, cancelled_at=None).exists()
    page = client.get(b.get_absolute_url()).text
    assert "Voorstel: zorg vastleggen" not in page and "De zorg naar aanleiding van deze beoordeling" in page
    again = client.get(url("zorg_voorstel", b.pk), follow=True)
    assert "Bij deze beoordeling is al een zorg vastgelegd." in again.text


def test_ja_proposes_nothing(client, world):
    b = concluded(client, world, "ja")
    assert "Voorstel: zorg vastleggen" not in client.get(b.get_absolute_url()).text
    response = client.post(url("sign", b.pk), CONFIRMED, follow=True)
    assert response.redirect_chain[-1][0] == b.get_absolute_url()
    assert "stelt een zorg voor" in client.get(url("zorg_voorstel", b.pk), follow=True).text
    assert Beoordeling.objects.get(pk=b.pk).state == BeoordelingState.GESPREK
