"""Stage onderbreken of beëindigen (issue 15), through the praktijkopleider's pages: the status everywhere, the
moments cancelled with a calendar CANCEL, the reminders stopped, the mbo-begeleider told, the closing verslag, the
resumption with new dates, and the undo within the grace period."""

import subprocess
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beoordeling.zorgen.models import Zorg, ZorgKind
from leerbedrijf.models import OnboardingItem, Stage, StageStop, StopKind
from leerbedrijf.models.stop import StopAction
from stagegids import reminders as engine
from stagegids.models import Notification, OutgoingMail, Reminder, ReminderStatus, Wijziging
from stagegids.tasks import scan_reminders
from stagemap.models import Verslag
from stageplan.models import Moment, MomentKind, MomentVoorstel
from tests.factories import MomentFactory, VerslagFactory
from tests.herinneringen import invitation, mails_to, work_off
from tests.test_confirm_steps import in_parallel, postgres_only


def stop_url(stage):
    return reverse("leerbedrijf:stage_stop", args=[stage.pk])


def end(client, world, *, kind=StopKind.BEEINDIGD, starts_on=None, reden="stagiair", toelichting="", **follow):
    client.force_login(world.opleider)
    data = {
        "kind": kind,
        "reden": reden,
        "starts_on": (starts_on or date.today()).isoformat(),
        "toelichting": toelichting,
    }
    return client.post(stop_url(world.stage), data, **follow)


@pytest.fixture
def ended(client, world, django_capture_on_commit_callbacks):
    """The world's stage ended today on the stagiair's request, with what runs after commit (mail, verslag) done."""
    with django_capture_on_commit_callbacks(execute=True):
        response = end(client, world, toelichting="Sam wil een andere opleiding gaan doen.", follow=True)
    world.stage.refresh_from_db()
    world.stop = StageStop.objects.get(stage=world.stage)
    world.response = response
    return world


def test_an_ended_stage_asks_nothing_more_on_the_start_page(client, world):
    """Its late onboarding, its plan to agree and its open afspraken leave the start page of those who had them, and
    the stage's page and the stagiair list no longer count onboarding as late."""
    OnboardingItem.objects.filter(pk=world.onboarding_item.pk).update(
        responsible=world.wpb, due_date=date.today() - timedelta(days=1)
    )
    asked = {
        world.opleider: ["te laat — Sam Stagiair", "afstemmen — Sam", "Veiligheidsinstructie lezen"],
        world.wpb: ["voor u — Sam Stagiair", "Veiligheidsinstructie lezen"],
    }
    for person, panels in asked.items():
        client.force_login(person)
        page = client.get(reverse("start")).text
        assert all(panel in page for panel in panels), person
    client.force_login(world.opleider)
    lists = [world.stage.get_absolute_url(), reverse("leerbedrijf:stagiairs", args=[world.a.pk])]
    assert all("te laat</span>" in client.get(url).text for url in lists)
    end(client, world, follow=True)
    for person, panels in asked.items():
        client.force_login(person)
        page = client.get(reverse("start")).text
        assert not any(panel in page for panel in panels), person
    client.force_login(world.opleider)
    assert not any("te laat</span>" in client.get(url).text for url in lists)


def test_the_praktijkopleider_ends_a_stage_and_it_shows_everywhere(client, ended):
    w = ended
    assert "De stage van Sam Stagiair is beëindigd per" in w.response.text
    assert "ongedaan" in w.response.text
    assert (w.stage.stopped, w.stage.stopped_on) == (StopKind.BEEINDIGD, date.today())
    page = client.get(w.stage.get_absolute_url()).text
    assert 'class="badge status-beeindigd">beëindigd<' in page
    assert "Beëindigd met ingang van" in page and "Op verzoek van de stagiair." in page
    assert "Sam wil een andere opleiding gaan doen." in page
    assert "Ongedaan maken" in page
    stagiairs = client.get(reverse("leerbedrijf:stagiairs", args=[w.a.pk]) + "?status=beeindigd").text
    assert "Sam Stagiair" in stagiairs and "status-beeindigd" in stagiairs
    assert "Sam Stagiair" not in client.get(reverse("leerbedrijf:detail", args=[w.a.pk])).text, "no longer current"
    # The stagiair still finds the own stage on the start page, with its status.
    client.force_login(w.stagiair)
    assert "status-beeindigd" in client.get(reverse("start")).text
    [entry] = Wijziging.objects.for_stage(w.stage).filter(action=StopAction.BEEINDIGD)
    assert (entry.user, entry.role) == (w.opleider, "praktijkopleider")
    assert entry.label == f"Stage beëindigd per {date.today().isoformat()} (op verzoek van de stagiair)"


def test_the_form_says_what_happens_and_refuses_bad_dates_in_dutch(client, world):
    client.force_login(world.opleider)
    page = client.get(stop_url(world.stage)).text
    assert "Wat er gebeurt" in page and "annulering voor de agenda" in page and "geen herinneringen meer" in page
    assert "De stagiair en wie de stage begeleidt of beoordeelt krijgen een e-mail met de reden" in page
    for starts_on, error in [
        (world.stage.start_date - timedelta(days=1), "Deze datum ligt vóór de start van de stage"),
        (date.today() + timedelta(days=1), "een stage stopt niet vooruit"),
        (date(1999, 12, 31), "Vul een datum tussen 1 januari 2000 en"),
    ]:
        response = end(client, world, starts_on=starts_on)
        assert response.status_code == 200 and error in response.text
        assert "Er is niets vastgelegd" in response.text
    response = client.post(stop_url(world.stage), {"kind": "weg", "reden": "zomaar", "starts_on": "gisteren"})
    assert "Selecteer een geldige keuze" in response.text and "Voer een geldige datum in" in response.text
    response = end(client, world, toelichting="x" * 2001)
    assert "Zorg dat deze waarde niet meer dan 2000 tekens bevat" in response.text
    world.stage.refresh_from_db()
    assert world.stage.stopped == "" and not StageStop.objects.exists()


def test_a_second_end_changes_nothing_and_says_so(client, ended):
    w = ended
    response = end(client, w, reden="bedrijf", follow=True)
    assert "is al beëindigd per" in response.text and "er is niets gewijzigd" in response.text
    assert StageStop.objects.count() == 1
    assert "is al beëindigd" in client.get(stop_url(w.stage), follow=True).text


def test_future_moments_are_cancelled_and_the_invited_get_a_calendar_cancel(client, reminders, scan, ended_later):
    w = reminders
    past = MomentFactory(stage=w.stage, starts_at=timezone.now() - timedelta(days=1))
    coming = MomentFactory(stage=w.stage, starts_at=timezone.now() + timedelta(days=3))
    later = MomentFactory(
        stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=timezone.now() + timedelta(days=40)
    )
    scan()  # the invitations of the coming one go out
    assert len(mail.outbox) == 3
    mail.outbox.clear()
    ended_later(client, w)
    past.refresh_from_db(), coming.refresh_from_db(), later.refresh_from_db()
    assert past.cancelled_at is None, "what has been stays as it was"
    assert coming.cancelled_at is not None and later.cancelled_at is not None
    scan()
    scan()
    cancels = [m for m in mail.outbox if m.subject.startswith("Geannuleerd:")]
    assert sorted(m.to[0] for m in cancels) == sorted([w.opleider.email, w.wpb.email, w.stagiair.email])
    calendar = invitation(next(m for m in cancels if m.to == [w.stagiair.email]))
    assert calendar["METHOD"] == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"moment-{coming.pk}@stagegids"
    stop = StageStop.objects.get()
    assert [entry["id"] for entry in stop.cancelled_moments] == [coming.pk, later.pk]
    version = w.stageplan.versions.order_by("-number").first()
    assert version.summary == "Geplande momenten geannuleerd: stage beëindigd"


@pytest.fixture
def ended_later(django_capture_on_commit_callbacks):
    def run(client, world, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return end(client, world, **kwargs)

    return run


def test_reminders_stop_after_beeindigen(client, reminders, scan, ended_later):
    """Exactly: what was made before the end and not yet sent is skipped; after it nothing of that stage is made
    or sent, of any kind, while the same occasions of another stage still are."""
    w = reminders
    today = date.today()
    Stage.objects.filter(pk__in=[w.stage.pk, w.stage_b.pk]).update(start_date=today - timedelta(days=14))
    item = w.onboarding_item
    OnboardingItem.objects.filter(pk=item.pk).update(done_at=None, due_date=today + timedelta(days=1))
    MomentFactory(stage=w.stage, starts_at=timezone.now() + timedelta(days=6))
    scan_reminders()  # made and enqueued; the worker has not taken them up yet
    made = set(Reminder.objects.values_list("kind", "recipient", "status"))
    assert {(kind, status) for kind, _recipient, status in made} == {
        ("gesprek", ReminderStatus.PENDING),
        ("stageplan_akkoord", ReminderStatus.PENDING),
        ("onboarding", ReminderStatus.PENDING),
    }
    # The other stage's akkoord reminders are among them.
    assert Reminder.objects.filter(kind="stageplan_akkoord", subject_id=w.stage_b.pk).exists()

    ended_later(client, w)
    assert sorted(m.subject for m in mail.outbox) == [
        *["De stage van Sam Stagiair is beëindigd"] * (len(mail.outbox) - 1),
        "Je stage bij Installatiebedrijf A is beëindigd",
    ]
    mail.outbox.clear()
    work_off()
    own = Reminder.objects.exclude(kind="stageplan_akkoord", subject_id=w.stage_b.pk)
    assert set(own.values_list("status", flat=True)) == {ReminderStatus.SKIPPED}
    assert {m.to[0] for m in mail.outbox} == {w.opleider_b.email}, "only the other stage's akkoord went out"

    # Days later new occasions arise on both stages: a new due date, a verslag shared with the school.
    mail.outbox.clear()
    OnboardingItem.objects.filter(pk=item.pk).update(due_date=today + timedelta(days=4))
    shared = timezone.now() - timedelta(days=3)
    Verslag.objects.filter(pk=w.verslag.pk).update(shared_at=shared)
    VerslagFactory(stage=w.stage_b, created_by=w.opleider_b, shared_at=shared)
    before = Reminder.objects.count()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        scan()
        scan()
    new = Reminder.objects.order_by("pk")[before:]
    assert [(r.kind, r.recipient) for r in new] == [("verslag_oordeel", w.mbo_other_school)]
    assert [m.to[0] for m in mail.outbox] == [w.mbo_other_school.email]


def _urenweek(w):
    """Last week of the world's stage, handed in by the stagiair with the one-tap button's days (uren, issue 14)."""
    from uren.models import Urenweek, monday_of, planned_days

    monday = monday_of(date.today()) - timedelta(days=7)
    week = Urenweek.shown_for(w.stage, monday)
    week.fill(by=w.stagiair, version=week.version, days=planned_days(w.stage, monday), begeleiding={}, submit=True)
    return week


# The subject of each kind of reminder on the world's stage, by the model of its current(): a kind of a new model
# adds its subject here, so that it is proved to stop with its stage.
SUBJECTS = {
    "stageplan.moment": lambda w: w.moment,
    "leerbedrijf.stage": lambda w: w.stage,
    "leerbedrijf.onboardingitem": lambda w: w.onboarding_item,
    "stagemap.verslag": lambda w: w.verslag,
    "beoordeling.beoordeling": lambda w: w.beoordeling,
    "beoordeling.collegavraag": lambda w: w.collega_vraag,
    "stageplan.momentvoorstel": lambda w: MomentVoorstel.objects.create(
        stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=w.moment.starts_at, proposed_by=w.stagiair
    ),
    "beoordeling.zorg": lambda w: Zorg.record(
        stage=w.stage,
        by=w.wpb,
        kind=ZorgKind.AANWEZIGHEID,
        happened="Te laat",
        next_step="Gesprek",
        next_step_on=date.today(),
    ),
    "uren.urenweek": _urenweek,
}
# The kinds that go on after the end, and why: the CANCEL clears the calendars of the moments the end cancelled;
# an erkenning belongs to the leerbedrijf, not to a stage; the praktijkleren subsidy is applied for afterwards, for the
# weeks of begeleiding an ended stage had.
AFTER_THE_END = {"gesprek_geannuleerd", "erkenning_herbeoordeling", "praktijkleren_aanvragen"}


@pytest.mark.parametrize("code", [kind.code for kind in engine.kinds()])
def test_every_kind_of_reminder_stops_with_its_stage(code, client, world, settings):
    kind = engine.kind_of(code)
    now = timezone.now()
    if kind.stage_lookup is None:
        assert code in AFTER_THE_END
        return
    model = kind.current(None, now=now).model
    subject = SUBJECTS[model._meta.label_lower](world)
    due = engine.Due(subject.pk, "proef", now, world.opleider.pk, "praktijkopleider")
    sendable = model._default_manager.filter(engine.running(kind, model), pk=subject.pk)
    assert engine.on_running_stages(kind, [due], now=now) == [due] and sendable.exists()

    end(client, world)

    assert engine.on_running_stages(kind, [due], now=now) == [], "the scan makes no reminder of it"
    assert not sendable.exists(), "a reminder made before is skipped right before sending (Kind.message)"
    with mock.patch.object(type(kind), "due", lambda self, *, now: [due]):
        engine.scan(send=lambda **ids: None)
    assert not Reminder.objects.filter(kind=code, occasion="proef").exists()


def test_everyone_on_the_stage_is_told_by_mail_after_commit(ended):
    """The stagiair in his own words, the school and the begeleiders in theirs; not the praktijkopleider who did it."""
    w = ended
    told = set(OutgoingMail.objects.filter(template="stage_stop").values_list("recipient", flat=True))
    assert told == {
        w.mbo.email,
        w.stagiair.email,
        w.wpb.email,
        w.beoordelaar.email,
    }
    [message] = mails_to(w.mbo)
    assert message.subject == "De stage van Sam Stagiair is beëindigd"
    assert "is beëindigd met ingang van" in message.body and "op verzoek van de stagiair" in message.body
    assert "Sam wil een andere opleiding gaan doen." in message.body
    assert "u krijgt er een annulering voor uw agenda van" in message.body
    assert f"/stages/{w.stage.pk}/" in message.body
    [own] = mails_to(w.stagiair)
    assert own.subject == "Je stage bij Installatiebedrijf A is beëindigd"
    assert "Je stage bij Installatiebedrijf A is beëindigd met ingang van" in own.body
    assert "je krijgt er een annulering voor je agenda van" in own.body and " u " not in own.body
    assert not mails_to(w.opleider)
    for person in (w.mbo, w.stagiair, w.wpb):
        assert Notification.objects.filter(user=person, key=f"stage_stop:{w.stop.pk}:stopped").exists()
    assert Notification.objects.get(user=w.stagiair).title == "Je stage bij Installatiebedrijf A is beëindigd"


def test_the_stagemap_gets_the_closing_verslag(client, ended, tmp_path):
    w = ended
    verslag = Verslag.objects.get(kind="stage_stop")
    assert verslag.title == "Beëindiging van de stage"
    pdf = tmp_path / "verslag.pdf"
    pdf.write_bytes(verslag.file.read())
    # poppler-utils' pdftotext (test-packages.txt): the text as a reader's tool extracts it.
    pdftotext = subprocess.run(  # noqa: S603 (a fixed command on our own file)
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    text = " ".join(pdftotext.stdout.split())
    assert "Beëindiging van de stage" in text and "Sam Stagiair" in text and "Installatiebedrijf A" in text
    assert "De stage is beëindigd met ingang van" in text and "Op verzoek van de stagiair" in text
    assert "Sam wil een andere opleiding gaan doen." in text and "Olga Opleider" in text
    assert "Voortgangsgesprek" in text, "the moment it cancelled"
    # Everyone on the stage reads it, the school included.
    for person in (w.opleider, w.stagiair, w.mbo, w.wpb):
        client.force_login(person)
        assert client.get(verslag.get_absolute_url()).status_code == 200
    client.force_login(w.opleider_b)
    assert client.get(verslag.get_absolute_url()).status_code == 404


def test_undo_within_the_grace_period_puts_everything_back(client, ended, django_capture_on_commit_callbacks):
    w = ended
    assert Moment.objects.get(pk=w.moment.pk).cancelled_at is not None
    undo = reverse("leerbedrijf:stage_stop_undo", args=[w.stage.pk, w.stop.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(undo, follow=True)
    assert "Het is ongedaan gemaakt" in response.text
    w.stage.refresh_from_db()
    assert (w.stage.stopped, w.stage.stopped_on) == ("", None)
    assert Moment.objects.get(pk=w.moment.pk).cancelled_at is None, "the moment it cancelled is back"
    assert not Verslag.objects.filter(kind="stage_stop").exists(), "the verslag of what did not happen goes"
    assert mails_to(w.mbo)[-1].subject == "De stage van Sam Stagiair loopt toch door"
    assert "Ongedaan maken" not in client.get(w.stage.get_absolute_url()).text
    response = client.post(undo, follow=True)
    assert "Dit was al ongedaan gemaakt door Olga Opleider" in response.text
    actions = list(Wijziging.objects.for_stage(w.stage).values_list("action", flat=True))
    assert actions.count(StopAction.BEEINDIGD) == 1 and actions.count(StopAction.UNDONE) == 1


def test_after_the_grace_period_the_undo_is_gone_and_refused(client, ended, settings):
    w = ended
    undo = reverse("leerbedrijf:stage_stop_undo", args=[w.stage.pk, w.stop.pk])
    with time_machine.travel(timezone.now() + timedelta(hours=settings.STAGE_STOP_UNDO_HOURS, minutes=1)):
        client.force_login(w.opleider)  # the session of a day ago has ended
        assert "Ongedaan maken" not in client.get(w.stage.get_absolute_url()).text
        response = client.post(undo, follow=True)
    assert "Ongedaan maken kon tot" in response.text and "dat is voorbij" in response.text
    w.stage.refresh_from_db()
    assert w.stage.stopped == StopKind.BEEINDIGD


def test_an_interrupted_stage_resumes_with_new_dates_and_moments_are_planned_again(client, world):
    w = world
    end(client, w, kind=StopKind.ONDERBROKEN, reden="overleg")
    w.stage.refresh_from_db()
    page = client.get(w.stage.get_absolute_url()).text
    assert "status-onderbroken" in page and "Stage hervatten" in page and "Stage beëindigen" in page
    # While interrupted nothing is planned.
    add = reverse("stageplan:moment_add", args=[w.stage.pk])
    moment = {"kind": "voortgangsgesprek", "starts_at": "2027-01-12T10:00", "based_on": w.stageplan.version + 1}
    response = client.post(add, moment)
    assert "Deze stage is onderbroken: er worden geen momenten gepland" in response.text
    resume = reverse("leerbedrijf:stage_resume", args=[w.stage.pk])
    response = client.post(resume, {"end_date": date.today().isoformat()})
    assert "Kies een einddatum na vandaag" in response.text
    new_end = w.stage.end_date + timedelta(days=60)
    response = client.post(resume, {"end_date": new_end.isoformat()}, follow=True)
    assert "is hervat tot" in response.text
    w.stage.refresh_from_db()
    assert (w.stage.stopped, w.stage.end_date) == ("", new_end)
    assert "status-lopend" in client.get(w.stage.get_absolute_url()).text
    w.stageplan.refresh_from_db()
    moment["based_on"] = w.stageplan.version
    assert client.post(add, moment).status_code == 302, "planned again"
    stop = StageStop.objects.get()
    assert (stop.end_date_before, stop.resumed_end_date) == (new_end - timedelta(days=60), new_end)
    response = client.post(resume, {"end_date": new_end.isoformat()}, follow=True)
    assert "Deze stage is niet onderbroken" in response.text


def test_an_interrupted_stage_can_be_ended_and_undoing_the_end_interrupts_it_again(client, world):
    w = world
    end(client, w, kind=StopKind.ONDERBROKEN, starts_on=date.today() - timedelta(days=2))
    response = end(client, w, starts_on=date.today() - timedelta(days=3))
    assert "het einde kan niet eerder liggen" in response.text
    end(client, w)
    w.stage.refresh_from_db()
    assert w.stage.stopped == StopKind.BEEINDIGD
    last = StageStop.objects.order_by("-pk").first()
    client.post(reverse("leerbedrijf:stage_stop_undo", args=[w.stage.pk, last.pk]))
    w.stage.refresh_from_db()
    assert (w.stage.stopped, w.stage.stopped_on) == (StopKind.ONDERBROKEN, date.today() - timedelta(days=2))


def test_only_the_praktijkopleider_sees_the_buttons(client, world):
    for person in (world.wpb, world.stagiair, world.mbo):
        client.force_login(person)
        assert "Onderbreken of beëindigen" not in client.get(world.stage.get_absolute_url()).text
    client.force_login(world.opleider)
    assert "Onderbreken of beëindigen" in client.get(world.stage.get_absolute_url()).text


def _form(kind=StopKind.BEEINDIGD):
    return {"kind": kind, "reden": "bedrijf", "starts_on": date.today().isoformat(), "toelichting": ""}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_ending_at_once_from_four_tabs_ends_once(world):
    responses = in_parallel(*[(world.opleider, stop_url(world.stage), _form())] * 4)
    stop = StageStop.objects.get()
    assert Stage.objects.get(pk=world.stage.pk).stopped == StopKind.BEEINDIGD
    assert Wijziging.objects.filter(action=StopAction.BEEINDIGD).count() == 1
    told = OutgoingMail.objects.filter(template="stage_stop").values_list("recipient", flat=True)
    assert sorted(told) == sorted({world.mbo.email, world.stagiair.email, world.wpb.email, world.beoordelaar.email}), (
        "each once"
    )
    assert sum("is beëindigd per" in r.text and "ongedaan" in r.text for r in responses) == 1
    assert sum("is al beëindigd per" in r.text for r in responses) == 3
    assert len(stop.cancelled_moments) == 1 and Moment.objects.get(pk=world.moment.pk).cancelled_at is not None


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_ending_while_the_interruption_is_undone_leaves_one_consistent_state(world):
    interruption = StageStop.record(
        stage=world.stage, kind=StopKind.ONDERBROKEN, reden="overleg", starts_on=date.today(), toelichting="",
        by=world.opleider,
    )  # fmt: skip
    undo = reverse("leerbedrijf:stage_stop_undo", args=[world.stage.pk, interruption.pk])
    in_parallel((world.opleider, undo, {}), (world.opleider, stop_url(world.stage), _form()))
    interruption.refresh_from_db()
    end_ = StageStop.objects.get(kind=StopKind.BEEINDIGD)
    assert Stage.objects.get(pk=world.stage.pk).stopped == StopKind.BEEINDIGD
    # Undone first: the end came from a running stage. Ended first: the undo found the stage moved on and did nothing.
    if interruption.undone_at is not None:
        assert end_.previous_kind == ""
    else:
        assert end_.previous_kind == StopKind.ONDERBROKEN
        assert not Wijziging.objects.filter(action=StopAction.UNDONE).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_undos_at_once_undo_once(world):
    stop = StageStop.record(
        stage=world.stage, kind=StopKind.BEEINDIGD, reden="school", starts_on=date.today(), toelichting="",
        by=world.opleider,
    )  # fmt: skip
    undo = reverse("leerbedrijf:stage_stop_undo", args=[world.stage.pk, stop.pk])
    responses = in_parallel(*[(world.opleider, undo, {})] * 3)
    assert Wijziging.objects.filter(action=StopAction.UNDONE).count() == 1
    assert Stage.objects.get(pk=world.stage.pk).stopped == ""
    assert Moment.objects.get(pk=world.moment.pk).cancelled_at is None
    assert sum("Het is ongedaan gemaakt" in r.text for r in responses) == 1
