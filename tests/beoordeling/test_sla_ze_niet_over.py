"""Sla ze niet over (gids ch. 8; issue 15): a moment whose time passed without its gesprek or beoordeling being held
is flagged on the start page of whoever must act and reminded once, until it is held, moved or cancelled with a
reason; and each voortgangsgesprek asks whether the stageplan still fits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind
from beoordeling.gesprekken.models import Voortgangsgesprek
from stagegids.models import Reminder, ReminderStatus
from stagegids.tasks import scan_reminders
from stageplan.models import MomentKind, Stageplan
from tests.confirm import CONFIRMED
from tests.factories import MomentFactory
from tests.herinneringen import mails_titled, statuses, work_off
from tests.queries import count_queries

FLAG = "Niet vastgelegd: sla ze niet over"
OVERDUE = "Niet vastgelegd: "
NOTES = {
    "notes_goed": "Meten gaat zelfstandig.",
    "notes_ik_boodschap": "",
    "notes_reactie": "",
    "notes_verbeteren": "",
}


def past(days, kind=MomentKind.VOORTGANGSGESPREK, *, stage):
    return MomentFactory(stage=stage, kind=kind, starts_at=timezone.now() - timedelta(days=days))


def start_page(client, user):
    client.force_login(user)
    return client.get(reverse("start")).text


def version(w):
    return Stageplan.objects.get(pk=w.stageplan.pk).version


def hold_gesprek(client, w, moment):
    """Notes and afronden, as the gesprek's pages do."""
    client.force_login(w.opleider)
    client.post(reverse("beoordeling:gesprek_notes", args=[moment.pk]), {"version": 1, **NOTES})
    client.post(reverse("beoordeling:gesprek_afronden", args=[moment.pk]), {"version": 2, **CONFIRMED})
    assert Voortgangsgesprek.objects.get(moment=moment).is_afgerond


def move(client, w, moment, days):
    client.force_login(w.wpb)
    starts_at = timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("stageplan:moment_edit", args=[w.stage.pk, moment.pk]),
        {"based_on": version(w), "starts_at": starts_at, "location": "Werkplaats"},
    )
    assert response.status_code == 302


def cancel(client, w, moment):
    client.force_login(w.opleider)
    response = client.post(
        reverse("stageplan:moment_cancel", args=[w.stage.pk, moment.pk]),
        {"based_on": version(w), "reason": "Sam was ziek; besproken in het volgende gesprek."},
    )
    assert response.status_code == 302


def test_a_moment_not_held_is_flagged_to_whoever_must_act(client, world):
    w = world
    gesprek = past(3, stage=w.stage)
    tussen = past(4, MomentKind.TUSSENBEOORDELING, stage=w.stage)
    past(1, MomentKind.STARTGESPREK, stage=w.stage)  # within MOMENT_OVERDUE_DAYS: not yet
    page = start_page(client, w.opleider)
    assert FLAG in page
    when = timezone.localtime(gesprek.starts_at)
    assert f"Voortgangsgesprek van Sam Stagiair op {when.day} " in page
    assert reverse("beoordeling:gesprek", args=[gesprek.pk]) in page
    assert reverse("beoordeling:stage", args=[w.stage.pk]) in page and "Tussenbeoordeling van Sam Stagiair" in page
    assert "Startgesprek" not in page.split(FLAG)[1].split("</section>")[0]
    # The werkplekbegeleider holds gesprekken, not beoordelingen: he sees the gesprek only.
    page = start_page(client, w.wpb)
    assert "Voortgangsgesprek van Sam Stagiair" in page and "Tussenbeoordeling van Sam Stagiair" not in page
    for persona in ("stagiair", "mbo", "beoordelaar", "wpb_other", "opleider_b"):
        assert FLAG not in start_page(client, getattr(w, persona)), persona
    # The planning marks it too, with the way to record it.
    client.force_login(w.opleider)
    moments = client.get(reverse("stageplan:moments", args=[w.stage.pk])).text
    assert "niet vastgelegd" in moments and "Niet vastgelegd: nu vastleggen" in moments
    assert f'id="moment-{tussen.pk}"' in moments


def test_the_flag_goes_when_the_moment_is_held_moved_or_cancelled(client, world):
    w = world
    held, moved, cancelled = (past(days, stage=w.stage) for days in (3, 4, 5))
    beoordeling = past(6, MomentKind.TUSSENBEOORDELING, stage=w.stage)
    evaluatie = past(7, MomentKind.EVALUATIE, stage=w.stage)
    assert start_page(client, w.opleider).count("moment-overdue") == 5
    hold_gesprek(client, w, held)
    move(client, w, moved, days=7)
    cancel(client, w, cancelled)
    # A beoordeling counts as held once past its forms (the gesprek opened); the evaluatie once recorded.
    started = Beoordeling.start(
        stage=w.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=w.opleider, moment=beoordeling
    )
    assert "Tussenbeoordeling van Sam" in start_page(client, w.opleider), "started is not held"
    client.post(reverse("beoordeling:open_gesprek", args=[started.pk]))
    client.post(
        reverse("beoordeling:evaluatie_afronding", args=[w.stage.pk]),
        {"version": 1, "gesprek_notes": "Goed gesprek.", "vooruitzichten": "", "lessen": "Eerder starten."},
    )
    assert FLAG not in start_page(client, w.opleider), evaluatie


def test_the_overdue_reminder_comes_once_to_whoever_must_act(reminders, scan):
    w = reminders
    moment = past(3, MomentKind.MIDDENGESPREK, stage=w.stage)
    scan()
    scan()
    for person in (w.opleider, w.wpb):
        [message] = mails_titled(person, OVERDUE)
        assert message.subject.startswith("Niet vastgelegd: middengesprek (school, bedrijf en stagiair) van Sam")
        assert reverse("beoordeling:driegesprek", args=[moment.pk]) in message.body
    for person in (w.stagiair, w.mbo, w.beoordelaar):
        assert mails_titled(person, OVERDUE) == []
    assert Reminder.objects.filter(kind="moment_overgeslagen").count() == 2


@pytest.mark.parametrize("how", ["held", "moved", "cancelled"])
def test_the_overdue_reminder_stops_when_the_moment_is_held_moved_or_cancelled(client, reminders, scan, how):
    w = reminders
    moment = past(3, stage=w.stage)
    scan_reminders()  # made, not yet sent
    {"held": hold_gesprek, "moved": lambda c, w, m: move(c, w, m, days=7), "cancelled": cancel}[how](client, w, moment)
    work_off()
    assert mails_titled(w.opleider, OVERDUE) == [] and mails_titled(w.wpb, OVERDUE) == []
    assert {status for _user, status in statuses("moment_overgeslagen")} == {ReminderStatus.SKIPPED}
    scan()
    assert mails_titled(w.opleider, OVERDUE) == []


def test_a_moment_moved_to_another_past_time_is_a_new_occasion(client, reminders, scan):
    w = reminders
    moment = past(5, stage=w.stage)
    scan()
    move(client, w, moment, days=-3)
    scan()
    assert len(mails_titled(w.opleider, OVERDUE)) == 2


def stop(client, w, kind, days_ago):
    client.force_login(w.opleider)
    starts_on = timezone.localdate() - timedelta(days=days_ago)
    data = {"kind": kind, "reden": "stagiair", "starts_on": starts_on.isoformat(), "toelichting": ""}
    response = client.post(reverse("leerbedrijf:stage_stop", args=[w.stage.pk]), data)
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["onderbroken", "beeindigd"])
def test_a_moment_after_the_stage_stopped_was_not_skipped(client, world, kind):
    """Stopped as of a week ago: the gesprek of three days ago did not happen because the stage did not run."""
    w = world
    past(3, stage=w.stage)
    stop(client, w, kind, days_ago=7)
    assert OVERDUE not in start_page(client, w.opleider)


def test_a_skipped_moment_of_an_ended_stage_is_history_two_weeks_after_its_real_end(client, world):
    w = world
    past(25, stage=w.stage)
    assert FLAG in start_page(client, w.opleider)
    stop(client, w, "beeindigd", days_ago=20)
    assert OVERDUE not in start_page(client, w.opleider)


def test_a_moment_skipped_before_an_interruption_is_still_flagged(client, world):
    w = world
    past(25, stage=w.stage)
    stop(client, w, "onderbroken", days_ago=20)
    assert FLAG in start_page(client, w.opleider)


def test_the_flag_costs_the_same_queries_for_more_moments(client, world):
    client.force_login(world.opleider)
    past(3, stage=world.stage)
    few = count_queries(client, reverse("start"))
    for days in range(4, 20):
        past(days, MomentKind.STARTGESPREK if days % 2 else MomentKind.TUSSENBEOORDELING, stage=world.stage)
    page = client.get(reverse("start")).text
    assert "En nog 7 momenten." in page
    assert count_queries(client, reverse("start")) == few


# --- the periodic review of the stageplan -------------------------------------------------------------------------


def notes(client, w, **plan):
    client.force_login(w.wpb)
    gesprek = Voortgangsgesprek.shown_for(w.moment)
    return client.post(
        reverse("beoordeling:gesprek_notes", args=[w.moment.pk]),
        {"version": gesprek.notes_version, **NOTES, **plan},
        follow=True,
    )


def test_each_voortgangsgesprek_asks_whether_the_stageplan_still_fits(client, world):
    w = world
    client.force_login(w.wpb)
    form = client.get(reverse("beoordeling:gesprek_notes", args=[w.moment.pk])).text
    assert "Klopt het stageplan nog?" in form and "Nee, het moet anders" in form
    response = notes(client, w, plan_klopt="nee", plan_wijzigen=" ")
    assert "Schrijf op wat er anders moet in het stageplan." in response.text
    response = notes(client, w, plan_klopt="nee", plan_wijzigen="x" * 2001)
    assert "hoogstens 2000 tekens (nu 2001)" in response.text
    notes(client, w, plan_klopt="nee", plan_wijzigen="Leerdoel solderen later: eerst meten.")
    gesprek = Voortgangsgesprek.objects.get(moment=w.moment)
    assert (gesprek.plan_klopt, gesprek.plan_wijzigen) == (False, "Leerdoel solderen later: eerst meten.")
    # "No" leads whoever may change the plan to it; the werkplekbegeleider reads it but does not edit the plan.
    client.force_login(w.opleider)
    page = client.get(reverse("beoordeling:gesprek", args=[w.moment.pk])).text
    assert "Leerdoel solderen later" in page and "Stageplan aanpassen" in page
    assert reverse("stageplan:detail", args=[w.stage.pk]) in page
    client.force_login(w.wpb)
    assert "Stageplan aanpassen" not in client.get(reverse("beoordeling:gesprek", args=[w.moment.pk])).text
    # Its answer is in the verslag.
    client.force_login(w.opleider)
    client.post(
        reverse("beoordeling:gesprek_afronden", args=[w.moment.pk]), {"version": gesprek.notes_version, **CONFIRMED}
    )
    gesprek.refresh_from_db()
    assert gesprek.verslag()["plan_klopt"] is False and gesprek.verslag()["plan_wijzigen"].startswith("Leerdoel")
    notes_again = notes(client, w, plan_klopt="ja")
    assert "afgerond" in notes_again.text


def test_a_yes_needs_no_explanation_and_not_discussed_stays_empty(client, world):
    w = world
    notes(client, w, plan_klopt="ja")
    assert Voortgangsgesprek.objects.get(moment=w.moment).plan_klopt is True
    gesprek = Voortgangsgesprek.objects.get(moment=w.moment)
    client.post(
        reverse("beoordeling:gesprek_notes", args=[w.moment.pk]),
        {"version": gesprek.notes_version, **NOTES, "plan_klopt": ""},
    )
    assert Voortgangsgesprek.objects.get(moment=w.moment).plan_klopt is None
