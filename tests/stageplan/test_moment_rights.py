"""Who plans, moves, cancels and proposes the moments of a stage (gids ch. 7, 8; issue 12): the praktijkopleider
and the werkplekbegeleider plan, the stagiair proposes, the school reads the moments it takes part in. Cancelling
asks first, happens once, and can be undone while the moment is still to come."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stageplan.models import Moment, MomentKind, MomentVoorstel, Stageplan, StageplanVersion, VoorstelState
from tests.factories import MomentFactory
from tests.herinneringen import invitation, mails_titled, mails_to

# Cancelling says why (gids ch. 8: the moments are not skipped without a reason).
REASON = "De stagiair is ziek; het gesprek schuift op naar het volgende."


def url(name, w, **kwargs):
    return reverse(f"stageplan:{name}", kwargs={"pk": w.stage.pk, **kwargs})


def version(w):
    return Stageplan.objects.get(pk=w.stageplan.pk).version


def local(moment_at):
    return timezone.localtime(moment_at).strftime("%Y-%m-%dT%H:%M")


def in_days(days):
    return timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=days)


def page(client, w):
    return client.get(url("moments", w)).content.decode()


# Planning, moving, cancelling: the praktijkopleider and the werkplekbegeleider ---------------------------------


@pytest.mark.parametrize(("persona", "allowed"), [("opleider", True), ("wpb", True), ("stagiair", False)])
def test_who_plans_moves_and_cancels_a_moment(client, world, persona, allowed):
    w = world
    client.force_login(getattr(w, persona))
    added = client.post(
        url("moment_add", w),
        {"based_on": version(w), "kind": "voortgangsgesprek", "starts_at": local(in_days(20)), "location": "Kantine"},
    )
    moved = client.post(
        url("moment_edit", w, moment_pk=w.moment.pk),
        {"based_on": version(w), "starts_at": local(in_days(31)), "location": "Werkplaats"},
    )
    asked = client.get(url("moment_cancel", w, moment_pk=w.moment.pk))
    cancelled = client.post(url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": version(w), "reason": REASON})
    statuses = {added.status_code, moved.status_code, asked.status_code, cancelled.status_code}
    w.moment.refresh_from_db()
    if allowed:
        assert statuses == {302, 200}
        assert Moment.objects.filter(stage=w.stage, location="Kantine").exists()
        assert w.moment.location == "Werkplaats" and w.moment.cancelled_at is not None
    else:
        assert statuses == {403}
        assert not Moment.objects.filter(stage=w.stage, location="Kantine").exists()
        assert w.moment.location == "" and w.moment.cancelled_at is None and w.moment.sequence == 0


def test_the_stagiair_sees_no_cancel_button_but_may_propose_a_date(client, world):
    client.force_login(world.stagiair)
    moments = page(client, world)
    assert "Annuleren" not in moments and "Wijzigen" not in moments and "Moment toevoegen" not in moments
    assert url("moment_propose_date", world, moment_pk=world.moment.pk) in moments
    assert url("moment_propose", world) in moments


def test_the_praktijkbeoordelaar_reads_the_moments_only(client, world):
    client.force_login(world.beoordelaar)
    moments = page(client, world)
    assert "Voortgangsgesprek" in moments
    assert "Annuleren" not in moments and "voorstellen" not in moments.lower().replace("voorstellen voor", "")
    assert client.post(url("moment_propose", world), {}).status_code == 403


# Cancelling asks first, happens once, can be undone ---------------------------------------------------------


def test_cancelling_asks_first_and_says_who_is_told(client, world):
    w = world
    client.force_login(w.wpb)
    confirm = client.get(url("moment_cancel", w, moment_pk=w.moment.pk)).content.decode()
    assert "Voortgangsgesprek annuleren?" in confirm
    for name in ["Olga Opleider", "Willem Begeleider", "Sam Stagiair"]:
        assert name in confirm
    assert "Ja, annuleren" in confirm and "Liever verplaatsen" in confirm
    w.moment.refresh_from_db()
    assert w.moment.cancelled_at is None, "asking changes nothing"
    # The list links to this page; no form on it cancels in one tap.
    moments = page(client, w)
    assert f'href="{url("moment_cancel", w, moment_pk=w.moment.pk)}"' in moments
    assert f'action="{url("moment_cancel", w, moment_pk=w.moment.pk)}"' not in moments


def test_cancelling_twice_changes_nothing_and_says_so(client, world):
    w = world
    client.force_login(w.opleider)
    based_on = version(w)
    first = client.post(
        url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": based_on, "reason": REASON}, follow=True
    )
    assert "Het moment is geannuleerd." in first.content.decode()
    w.moment.refresh_from_db()
    cancelled_at, sequence, versions = w.moment.cancelled_at, w.moment.sequence, StageplanVersion.objects.count()
    for seen in (based_on, version(w)):
        again = client.post(
            url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": seen, "reason": REASON}, follow=True
        )
        assert "Dit moment was al geannuleerd." in again.content.decode()
    w.moment.refresh_from_db()
    assert (w.moment.cancelled_at, w.moment.sequence) == (cancelled_at, sequence)
    assert StageplanVersion.objects.count() == versions
    assert "Dit moment was al geannuleerd." in client.get(url("moment_cancel", w, moment_pk=w.moment.pk)).text


def test_a_cancellation_is_undone_while_the_moment_is_to_come(client, world):
    w = world
    client.force_login(w.wpb)
    client.post(url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": version(w), "reason": REASON})
    moments = page(client, w)
    assert "geannuleerd" in moments and "Terugzetten" in moments
    response = client.post(url("moment_restore", w, moment_pk=w.moment.pk), {"based_on": version(w)}, follow=True)
    assert "Het moment is teruggezet." in response.content.decode()
    w.moment.refresh_from_db()
    assert w.moment.cancelled_at is None and w.moment.sequence == 2
    assert "teruggezet" in client.get(url("versions", w)).content.decode()
    again = client.post(url("moment_restore", w, moment_pk=w.moment.pk), {"based_on": version(w)}, follow=True)
    assert "Dit moment staat al gepland." in again.content.decode()
    w.moment.refresh_from_db()
    assert w.moment.sequence == 2


def test_a_past_moment_cannot_be_restored(client, world):
    w = world
    past = MomentFactory(stage=w.stage, starts_at=timezone.now() - timedelta(days=2), cancelled_at=timezone.now())
    client.force_login(w.opleider)
    assert "Terugzetten" not in page(client, w)
    response = client.post(url("moment_restore", w, moment_pk=past.pk), {"based_on": version(w)}, follow=True)
    assert "Dit moment is al voorbij en kan niet meer terug." in response.content.decode()
    past.refresh_from_db()
    assert past.cancelled_at is not None


def test_a_moment_that_has_been_is_cancelled_as_not_held_but_not_undone_nor_proposed_again(client, world):
    w = world
    past = MomentFactory(stage=w.stage, starts_at=timezone.now() - timedelta(days=2))
    client.force_login(w.opleider)
    confirm = client.get(url("moment_cancel", w, moment_pk=past.pk)).content.decode()
    assert "Dit moment is al geweest." in confirm and "Sam Stagiair (Stagiair)" not in confirm
    response = client.post(
        url("moment_cancel", w, moment_pk=past.pk), {"based_on": version(w), "reason": REASON}, follow=True
    )
    assert "vastgelegd dat het niet is doorgegaan" in response.content.decode()
    past.refresh_from_db()
    assert past.cancelled_at is not None and not past.restorable
    assert url("moment_restore", w, moment_pk=past.pk) not in response.content.decode()
    client.force_login(w.stagiair)
    held = MomentFactory(stage=w.stage, starts_at=timezone.now() - timedelta(hours=1))
    assert url("moment_propose_date", w, moment_pk=held.pk) not in page(client, w)
    assert client.get(url("moment_propose_date", w, moment_pk=held.pk)).status_code == 404


def test_cancelled_then_restored_sends_a_cancel_and_then_a_new_invitation(client, reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK)
    scan()
    assert invitation(mails_to(w.stagiair)[0])["METHOD"] == "REQUEST"
    client.force_login(w.opleider)
    client.post(url("moment_cancel", w, moment_pk=moment.pk), {"based_on": version(w), "reason": REASON})
    scan()
    [cancel] = mails_titled(w.stagiair, "Geannuleerd:")
    event = invitation(cancel).walk("VEVENT")[0]
    assert invitation(cancel)["METHOD"] == "CANCEL" and event["SEQUENCE"] == 1
    client.post(url("moment_restore", w, moment_pk=moment.pk), {"based_on": version(w)})
    mail.outbox.clear()
    scan()
    scan()
    [again] = mails_to(w.stagiair)
    calendar = invitation(again)
    assert calendar["METHOD"] == "REQUEST" and calendar.walk("VEVENT")[0]["SEQUENCE"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.opleider.email, w.wpb.email, w.stagiair.email])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel requests need a database with real locking")
def test_cancelling_in_parallel_changes_once(transactional_db, world):
    w = world
    based_on = version(w)
    barrier = threading.Barrier(4)
    texts = []

    def cancel(user):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            response = client.post(
                url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": based_on, "reason": REASON}, follow=True
            )
            texts.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(user,)) for user in [w.opleider, w.wpb, w.opleider, w.wpb]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    w.moment.refresh_from_db()
    assert w.moment.cancelled_at is not None and w.moment.sequence == 1
    assert StageplanVersion.objects.filter(summary__contains="geannuleerd: ").count() == 1
    assert sum("Het moment is geannuleerd." in text for text in texts) == 1
    assert sum("Dit moment was al geannuleerd." in text for text in texts) == 3


# The stagiair proposes, who plans decides --------------------------------------------------------------------


def propose(client, w, **data):
    client.force_login(w.stagiair)
    fields = {"kind": "voortgangsgesprek", "starts_at": local(in_days(12)), "location": "Kantoor", **data}
    return client.post(url("moment_propose", w), fields)


def test_a_proposal_is_shown_on_the_planning_reminded_to_who_decides_and_accepted_once(client, reminders, scan):
    w = reminders
    assert propose(client, w, toelichting="Dan is mijn project af.").status_code == 302
    voorstel = MomentVoorstel.objects.get()
    assert voorstel.state == VoorstelState.OPEN and voorstel.proposed_by == w.stagiair
    assert not w.stage.moments.exists(), "a proposal plans nothing yet"
    assert "Wacht op het besluit" in page(client, w)
    scan()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.opleider.email, w.wpb.email])
    [message] = mails_to(w.wpb)
    assert message.subject.startswith("Sam Stagiair stelt een voortgangsgesprek voor op ")
    assert "Dan is mijn project af." in message.body and url("moments", w) in message.body

    client.force_login(w.wpb)
    assert "voorstel" in client.get(url("timeline", w)).content.decode()
    moments = page(client, w)
    assert "Aannemen" in moments and "Afwijzen" in moments
    decide = url("voorstel_besluit", w, voorstel_pk=voorstel.pk)
    based_on = version(w)
    response = client.post(decide, {"based_on": based_on, "besluit": "aannemen"}, follow=True)
    assert "Het voorstel is aangenomen" in response.content.decode()
    [moment] = w.stage.moments.all()
    assert (moment.kind, moment.starts_at, moment.location) == ("voortgangsgesprek", voorstel.starts_at, "Kantoor")
    voorstel.refresh_from_db()
    assert voorstel.state == VoorstelState.AANGENOMEN and voorstel.decided_by == w.wpb
    client.force_login(w.opleider)
    again = client.post(decide, {"based_on": version(w), "besluit": "afwijzen"}, follow=True)
    assert "Over dit voorstel is al besloten: aangenomen." in again.content.decode()
    assert w.stage.moments.count() == 1 and MomentVoorstel.objects.get().state == VoorstelState.AANGENOMEN

    mail.outbox.clear()
    scan()
    [told] = mails_to(w.stagiair)
    assert told.subject.startswith("Je voorstel is aangenomen: voortgangsgesprek op ")
    assert mails_to(w.opleider) == [] or all("voorstel" not in m.subject for m in mails_to(w.opleider))


def test_a_new_date_proposed_and_declined_leaves_the_moment_and_tells_the_stagiair(client, reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, starts_at=in_days(20))
    client.force_login(w.stagiair)
    response = client.post(
        url("moment_propose_date", w, moment_pk=moment.pk),
        {"kind": "eindbeoordeling", "starts_at": local(in_days(22)), "location": "Werkplaats"},
    )
    assert response.status_code == 302
    voorstel = MomentVoorstel.objects.get()
    assert voorstel.moment == moment and voorstel.kind == moment.kind, "the kind is the moment's"
    assert "Andere datum voorstellen" not in page(client, w), "one open proposal per moment"
    client.force_login(w.opleider)
    assert "stelt een andere datum voor" in page(client, w)
    client.post(
        url("voorstel_besluit", w, voorstel_pk=voorstel.pk),
        {"based_on": version(w), "besluit": "afwijzen", "reden": "Dan is de werkplaats dicht."},
    )
    moment.refresh_from_db()
    assert moment.starts_at == in_days(20) and moment.sequence == 0
    client.force_login(w.stagiair)
    mine = page(client, w)
    assert "afgewezen" in mine and "Dan is de werkplaats dicht." in mine
    mail.outbox.clear()
    scan()
    [told] = mails_titled(w.stagiair, "Je voorstel is afgewezen")
    assert "Dan is de werkplaats dicht." in told.body


def test_an_accepted_new_date_moves_the_moment(client, world):
    w = world
    client.force_login(w.stagiair)
    client.post(url("moment_propose_date", w, moment_pk=w.moment.pk), {"starts_at": local(in_days(33))})
    voorstel = MomentVoorstel.objects.get()
    client.force_login(w.opleider)
    client.post(url("voorstel_besluit", w, voorstel_pk=voorstel.pk), {"based_on": version(w), "besluit": "aannemen"})
    w.moment.refresh_from_db()
    assert w.moment.starts_at == in_days(33) and w.moment.sequence == 1


def test_a_proposal_must_lie_ahead(client, world):
    response = propose(client, world, starts_at=local(in_days(-1)))
    assert response.status_code == 200
    assert "Stel een moment in de toekomst voor." in response.content.decode()
    assert not MomentVoorstel.objects.exists()


# The school reads; the praktijkbeoordelaar is invited to the eindbeoordeling ---------------------------------


def test_the_mbo_begeleider_sees_the_moments_with_the_school(client, world):
    w = world
    start = MomentFactory(stage=w.stage, kind=MomentKind.STARTGESPREK, starts_at=in_days(4))
    eind = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=in_days(40))
    client.force_login(w.mbo)
    moments = page(client, w)
    assert "Startgesprek" in moments and "Eindbeoordeling" in moments
    assert "Voortgangsgesprek" not in moments, "a gesprek of the company alone is not the school's"
    assert "Annuleren" not in moments and "Wijzigen" not in moments and "Moment voorstellen" not in moments
    assert f'href="{url("detail", w)}"' not in moments and url("versions", w) not in moments, "no links into the plan"
    overview = client.get(w.stage.get_absolute_url()).content.decode()
    assert f'href="{url("moments", w)}"' in overview
    start_page = client.get(reverse("start")).content.decode()
    assert "Komende gesprekken en beoordelingen" in start_page
    assert start_page.index("Startgesprek") < start_page.index("Eindbeoordeling")
    assert Moment.objects.visible_to(w.mbo).filter(pk__in=[start.pk, eind.pk, w.moment.pk]).count() == 2
    client.force_login(w.mbo_same_school)
    assert client.get(url("moments", w)).status_code == 404


def test_the_praktijkbeoordelaar_is_invited_to_the_eindbeoordeling_and_reminded(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK)
    eind = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=in_days(6) + timedelta(hours=2))
    scan()
    [message] = mails_titled(w.beoordelaar, "Herinnering: eindbeoordeling")
    calendar = invitation(message)
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"moment-{eind.pk}@stagegids"
    assert len(mails_titled(w.beoordelaar, "Herinnering:")) == 1, "not invited to a voortgangsgesprek"
    with time_machine.travel(eind.starts_at - timedelta(hours=20)):
        scan()
    assert len(mails_titled(w.beoordelaar, "Herinnering: eindbeoordeling")) == 2


@pytest.mark.parametrize(
    "reason, error",
    [
        ("", "Schrijf op waarom dit moment niet doorgaat."),
        ("   ", "Schrijf op waarom dit moment niet doorgaat."),
        ("x" * 501, "hoogstens 500 tekens (nu 501)"),
    ],
)
def test_cancelling_needs_a_short_reason(client, world, reason, error):
    """Sla ze niet over (ch. 8): a moment is not cancelled without saying why, in at most 500 characters."""
    w = world
    client.force_login(w.opleider)
    response = client.post(url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": version(w), "reason": reason})
    assert response.status_code == 200 and error in response.content.decode()
    w.moment.refresh_from_db()
    assert w.moment.cancelled_at is None and w.moment.sequence == 0


def test_the_reason_is_kept_shown_and_cleared_on_restore(client, world):
    w = world
    client.force_login(w.wpb)
    client.post(url("moment_cancel", w, moment_pk=w.moment.pk), {"based_on": version(w), "reason": REASON})
    w.moment.refresh_from_db()
    assert w.moment.cancel_reason == REASON
    assert REASON in page(client, w)
    assert REASON in client.get(url("versions", w)).content.decode(), "the plan's history says why"
    client.post(url("moment_restore", w, moment_pk=w.moment.pk), {"based_on": version(w)})
    w.moment.refresh_from_db()
    assert w.moment.cancelled_at is None and w.moment.cancel_reason == ""
