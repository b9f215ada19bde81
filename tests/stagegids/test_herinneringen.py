"""Herinneringen: who gets what, and that every reminder is sent exactly once (stagegids/reminders.py and the
kinds in each app's herinneringen.py)."""

import smtplib
from datetime import date, timedelta
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from kombu.exceptions import OperationalError

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind, BeoordelingState, CollegaVraag, Party
from beoordeling.gesprekken.models import Voortgangsgesprek
from leerbedrijf.models import Erkenning, OnboardingItem, Stage, Stagiair
from leerbedrijf.models.erkenning import add_months
from stagegids import queued
from stagegids import reminders as engine
from stagegids.models import Delivery, Notification, Reminder, ReminderStatus
from stagegids.notifications import set_delivery
from stagegids.tasks import scan_reminders, send_digests, send_reminder
from stagemap.models import Verslag, VerslagReview
from stageplan.changes import agree
from stageplan.models import Moment, MomentKind
from tests.factories import ErkenningFactory, MomentFactory, StageFactory, UserFactory, VerslagFactory


@pytest.fixture
def reminders(world, settings):
    """The world with stages that started five days ago, so only what a test plans is due."""
    settings.SITE_URL = "https://stagegids.example.nl"
    Stage.objects.update(start_date=date.today() - timedelta(days=5))
    # The world's own moments and erkenningen belong to other tests; here only what a test plans exists.
    Moment.objects.all().delete()
    Erkenning.objects.all().delete()
    OnboardingItem.objects.update(done_at=timezone.now())
    Verslag.objects.update(shared_at=None)
    CollegaVraag.objects.update(expires_at=timezone.now() + timedelta(days=10))
    mail.outbox.clear()
    return world


@pytest.fixture
def scan(django_capture_on_commit_callbacks):
    """A beat tick: the scan runs, commits, and its enqueued send tasks run (eagerly)."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return scan_reminders()

    return run


def work_off():
    """A worker takes up the messages the scan enqueued (it ran outside a commit, so they are still waiting)."""
    for row in Reminder.objects.filter(status=ReminderStatus.PENDING):
        engine.deliver(reminder_id=row.pk)


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def invitation(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename == "uitnodiging.ics"
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_a_gesprek_is_reminded_to_every_participant_with_an_invitation(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK)

    assert scan() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.opleider.email, w.wpb.email, w.stagiair.email])
    message = mails_to(w.wpb)[0]
    assert message.subject.startswith("Herinnering: voortgangsgesprek van Sam Stagiair op ")
    assert f"https://stagegids.example.nl/stages/{w.stage.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://stagegids.example.nl/stages/{w.stage.pk}/"' in html
    assert "kiest u hier" in message.body and "kies je" in mails_to(w.stagiair)[0].body
    event = invitation(message).walk("VEVENT")[0]
    assert invitation(message)["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"moment-{moment.pk}@stagegids"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == moment.starts_at.replace(microsecond=0)
    assert Notification.objects.get(user=w.wpb).url == f"/stages/{w.stage.pk}/"


def test_a_beoordeling_with_the_school_reaches_the_mbo_begeleider_too(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING)
    scan()
    assert len(mails_to(w.mbo)) == 1
    assert mails_to(w.opleider_b) == mails_to(w.mbo_other_school) == mails_to(w.wpb_other) == []


def test_beat_firing_twice_creates_one_row_and_sends_one_mail(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    scan()
    scan()
    scan_reminders()
    assert Reminder.objects.filter(recipient=w.wpb).count() == 1
    assert len(mails_to(w.wpb)) == 1


def test_a_week_and_a_day_before(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, starts_at=timezone.now() + timedelta(days=6, hours=12))
    scan()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        scan()
    assert len(mails_to(w.wpb)) == 1
    with time_machine.travel(moment.starts_at - timedelta(hours=20)):
        scan()
    assert [r.occasion for r in Reminder.objects.filter(recipient=w.wpb).order_by("pk")] == ["7d", "1d"]
    assert len(mails_to(w.wpb)) == 2


def test_a_worker_killed_during_the_send_is_sent_once_after_the_timeout(reminders, scan, settings):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()  # the rows are made; their messages are lost with the worker
    row = Reminder.objects.get(recipient=w.wpb)
    # The worker claimed the row and died before sending.
    assert queued.claim(Reminder.objects.filter(pk=row.pk), now=timezone.now())
    # Celery redelivers the message (acks_late): the claim is held, so nothing happens yet.
    assert engine.deliver(reminder_id=row.pk) is None
    scan()
    assert mails_to(w.wpb) == []

    with time_machine.travel(timezone.now() + timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES + 1)):
        scan()
        scan()
    assert len(mails_to(w.wpb)) == 1
    row.refresh_from_db()
    assert row.status == ReminderStatus.SENT
    assert row.attempts == 2


def test_a_crash_after_the_mail_before_the_mark_sends_again_with_the_same_message_id(reminders, scan, settings):
    """The documented window: mail and database are not one transaction, so this is at least once, not lost."""
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()
    row = Reminder.objects.get(recipient=w.wpb)
    real_finish = engine.finish

    def crash_when_marking_sent(token, **changes):
        if changes.get("status") == ReminderStatus.SENT:
            raise SystemExit("worker killed")
        return real_finish(token, **changes)

    with mock.patch.object(engine, "finish", crash_when_marking_sent), pytest.raises(SystemExit):
        engine.deliver(reminder_id=row.pk)
    assert len(mails_to(w.wpb)) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES + 1)):
        scan()
    first, second = mails_to(w.wpb)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert Reminder.objects.get(pk=row.pk).status == ReminderStatus.SENT


def test_the_broker_away_leaves_the_row_pending_for_the_next_scan(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    with mock.patch("stagegids.tasks.send_reminder.delay", side_effect=OperationalError("broker away")) as delay:
        scan()
    assert delay.call_count == 1  # the first failure stops the round; the broker is not hammered
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", "enqueued_at")) == {(ReminderStatus.PENDING, None)}
    scan()
    assert len(mails_to(w.wpb)) == 1
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_a_lost_message_is_enqueued_again_later(reminders, scan, settings):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()  # enqueued, but the broker lost the message
    scan()
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.REMINDER_REENQUEUE_MINUTES + 1)):
        scan()
    assert len(mails_to(w.wpb)) == 1


def test_a_moment_moved_after_its_reminder_gets_a_new_one_and_the_old_is_not_sent_again(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage)
    scan()
    moment.starts_at += timedelta(days=1)
    moment.sequence += 1
    moment.save()
    scan()
    scan()
    old, new = Reminder.objects.filter(recipient=w.wpb).order_by("pk")
    assert old.status == new.status == ReminderStatus.SENT
    first, second = mails_to(w.wpb)
    assert invitation(first).walk("VEVENT")[0]["SEQUENCE"] == 0
    event = invitation(second).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == moment.starts_at.replace(microsecond=0)


def test_a_moment_moved_far_ahead_after_its_invitation_sends_the_new_time_at_once(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage)
    scan()
    moment.starts_at += timedelta(days=30)
    moment.sequence += 1
    moment.save()
    scan()
    scan()
    _, second = mails_to(w.wpb)
    assert second.subject.startswith("Gewijzigd: voortgangsgesprek")
    event = invitation(second).walk("VEVENT")[0]
    assert (event["SEQUENCE"], event.decoded("DTSTART")) == (1, moment.starts_at.replace(microsecond=0))
    with time_machine.travel(moment.starts_at - timedelta(days=6)):
        scan()
    assert len(mails_to(w.wpb)) == 3  # and the week before, the reminder itself


def test_a_moment_moved_before_its_reminder_went_out_skips_the_old_one(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage)
    scan_reminders()
    old = Reminder.objects.get(recipient=w.wpb)
    moment.starts_at += timedelta(hours=2)
    moment.save()
    assert engine.deliver(reminder_id=old.pk) == ReminderStatus.SKIPPED
    assert mail.outbox == []
    scan()
    [message] = mails_to(w.wpb)
    assert invitation(message).walk("VEVENT")[0].decoded("DTSTART") == moment.starts_at.replace(microsecond=0)


def test_a_cancelled_moment_sends_nothing(reminders, scan):
    moment = MomentFactory(stage=reminders.stage)
    scan_reminders()  # enqueued; the worker picks the messages up after the cancellation
    moment.cancelled_at = timezone.now()
    moment.save()
    work_off()
    scan()
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("kind", "status")) == {("gesprek", ReminderStatus.SKIPPED)}


def test_a_moment_cancelled_after_the_invitations_sends_a_cancel(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage)
    scan()
    mail.outbox.clear()
    moment.cancelled_at = timezone.now()
    moment.save()
    scan()
    scan()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.opleider.email, w.wpb.email, w.stagiair.email])
    message = mails_to(w.stagiair)[0]
    assert message.subject.startswith("Geannuleerd: voortgangsgesprek")
    calendar = invitation(message)
    assert calendar["METHOD"] == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"moment-{moment.pk}@stagegids"


def test_a_recipient_who_lost_their_role_gets_nothing(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()
    w.wpb.memberships.get().end(by=w.opleider)
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert [m.to[0] for m in mail.outbox] == [w.stagiair.email]
    assert Reminder.objects.get(recipient=w.wpb).status == ReminderStatus.SKIPPED


def test_a_begeleider_replaced_on_the_stage_gets_nothing(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()
    Stage.objects.filter(pk=w.stage.pk).update(werkplekbegeleider=w.wpb_other)
    work_off()
    assert mails_to(w.wpb) == []


def test_a_mail_server_failure_is_retried(reminders):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()
    row = Reminder.objects.get(recipient=w.wpb)
    failing = mock.patch.object(engine, "send_templated", side_effect=smtplib.SMTPServerDisconnected("away"))
    with failing, pytest.raises(Retry, match="Retry in"):
        send_reminder.apply(kwargs={"reminder_id": row.pk})
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (ReminderStatus.PENDING, 1, "away")
    assert send_reminder.apply(kwargs={"reminder_id": row.pk}).get() == ReminderStatus.SENT
    assert len(mails_to(w.wpb)) == 1


def test_a_mail_server_that_keeps_failing_ends_as_failed(reminders, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    MomentFactory(stage=reminders.stage)
    scan_reminders()
    row = Reminder.objects.get(recipient=reminders.wpb)
    with mock.patch.object(engine, "send_templated", side_effect=smtplib.SMTPServerDisconnected("away")):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            engine.deliver(reminder_id=row.pk)
        assert engine.deliver(reminder_id=row.pk) == ReminderStatus.FAILED
    row.refresh_from_db()
    assert (row.status, row.last_error) == (ReminderStatus.FAILED, "away")


def test_digest_bundles_the_day_into_one_mail(reminders, scan, django_capture_on_commit_callbacks):
    w = reminders
    set_delivery(user=w.wpb, kind="gesprek", delivery=Delivery.DIGEST)
    MomentFactory(stage=w.stage)
    MomentFactory(stage=w.stage, kind=MomentKind.EVALUATIE, starts_at=timezone.now() + timedelta(days=5))
    scan()
    assert mails_to(w.wpb) == []
    assert Notification.objects.filter(user=w.wpb).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 1
    [digest] = mails_to(w.wpb)
    assert digest.subject == "Dagoverzicht Stagegids: 2 herinneringen"
    assert "evaluatiegesprek" in digest.body and "voortgangsgesprek" in digest.body
    assert len(digest.attachments) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 0
    assert len(mails_to(w.wpb)) == 1


def test_off_sends_no_mail_but_the_stagiair_cannot_switch_gesprekken_off(reminders, scan):
    w = reminders
    set_delivery(user=w.wpb, kind="gesprek", delivery=Delivery.OFF)
    set_delivery(user=w.stagiair, kind="gesprek", delivery=Delivery.OFF)
    MomentFactory(stage=w.stage)
    scan()
    assert mails_to(w.wpb) == []
    assert Notification.objects.filter(user=w.wpb).exists()
    assert len(mails_to(w.stagiair)) == 1


def test_stageplan_not_agreed_two_weeks_after_the_start(reminders, scan):
    w = reminders
    Stage.objects.filter(pk=w.stage.pk).update(start_date=date.today() - timedelta(days=14))
    scan()
    scan()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.stagiair.email, w.opleider.email])
    assert mails_to(w.stagiair)[0].subject == "Het stageplan van Sam Stagiair is nog niet akkoord"


def test_an_agreed_stageplan_gets_no_reminder(reminders, scan):
    w = reminders
    Stage.objects.filter(pk=w.stage.pk).update(start_date=date.today() - timedelta(days=14))
    version = w.stageplan.versions.order_by("-number").first()
    agree(version=version, by=w.stagiair, as_stagiair=True, as_opleider=False)
    agree(version=version, by=w.opleider, as_stagiair=False, as_opleider=True)
    scan()
    assert mail.outbox == []
    assert not Reminder.objects.filter(kind="stageplan_akkoord").exists()


def test_a_stageplan_agreed_after_the_scan_is_not_reminded(reminders, scan):
    w = reminders
    Stage.objects.filter(pk=w.stage.pk).update(start_date=date.today() - timedelta(days=14))
    scan_reminders()
    version = w.stageplan.versions.order_by("-number").first()
    agree(version=version, by=w.stagiair, as_stagiair=True, as_opleider=True)
    work_off()
    assert mail.outbox == []
    assert set(Reminder.objects.filter(kind="stageplan_akkoord").values_list("status", flat=True)) == {
        ReminderStatus.SKIPPED
    }


def open_onboarding_item(world, *, due_date, responsible):
    item = world.onboarding_item
    OnboardingItem.objects.filter(pk=item.pk).update(done_at=None, due_date=due_date, responsible=responsible)
    return item


def test_an_onboarding_item_is_reminded_to_its_responsible_person_once(reminders, scan):
    w = reminders
    item = open_onboarding_item(w, due_date=date.today() + timedelta(days=1), responsible=w.wpb)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.wpb.email]
    assert message.subject.startswith("Onboarding van Sam Stagiair: uiterlijk ")
    assert f"https://stagegids.example.nl/stages/{w.stage.pk}/onboarding/#actie-{item.pk}" in message.body
    assert Reminder.objects.get(kind="onboarding").role == "werkplekbegeleider"


def test_an_onboarding_item_not_yet_due_or_done_is_not_reminded(reminders, scan):
    w = reminders
    open_onboarding_item(w, due_date=date.today() + timedelta(days=3), responsible=w.wpb)
    scan()
    assert mail.outbox == []
    OnboardingItem.objects.filter(pk=w.onboarding_item.pk).update(due_date=date.today())
    scan_reminders()
    w.onboarding_item.refresh_from_db()
    w.onboarding_item.set_done(by=w.wpb)
    work_off()
    assert mail.outbox == []
    assert Reminder.objects.get(kind="onboarding").status == ReminderStatus.SKIPPED


def test_an_onboarding_item_handed_to_someone_else_reminds_the_new_person_only(reminders, scan):
    w = reminders
    open_onboarding_item(w, due_date=date.today(), responsible=w.wpb)
    scan_reminders()
    OnboardingItem.objects.filter(pk=w.onboarding_item.pk).update(responsible=w.opleider)
    work_off()
    scan()
    assert [m.to for m in mail.outbox] == [[w.opleider.email]]


def share_verslag(world, *, days_ago):
    Verslag.objects.filter(pk=world.verslag.pk).update(
        shared_at=timezone.now() - timedelta(days=days_ago), shared_by=world.stagiair, review=""
    )


def test_a_shared_verslag_without_review_reminds_the_mbo_begeleider_once(reminders, scan):
    w = reminders
    share_verslag(w, days_ago=5)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.mbo.email]
    assert message.subject == "Verslag van Sam Stagiair wacht op uw oordeel"
    assert f"https://stagegids.example.nl/stages/{w.stage.pk}/stagemap/#verslag-{w.verslag.pk}" in message.body


def test_a_verslag_reviewed_or_unshared_meanwhile_is_not_reminded(reminders, scan):
    w = reminders
    share_verslag(w, days_ago=4)
    scan()
    assert mail.outbox == []
    share_verslag(w, days_ago=6)
    scan_reminders()
    w.verslag.refresh_from_db()
    w.verslag.give_review(review=VerslagReview.choices[0][0], by=w.mbo)
    work_off()
    assert mail.outbox == []
    assert Reminder.objects.get(kind="verslag_oordeel").status == ReminderStatus.SKIPPED


def test_a_verslag_of_a_replaced_mbo_begeleider_is_not_reminded_to_them(reminders, scan):
    w = reminders
    share_verslag(w, days_ago=6)
    scan_reminders()
    Stage.objects.filter(pk=w.stage.pk).update(mbo_begeleider=None)
    work_off()
    assert mail.outbox == []


def expire_collega_vraag(world, *, in_days):
    CollegaVraag.objects.filter(pk=world.collega_vraag.pk).update(expires_at=timezone.now() + timedelta(days=in_days))


def test_an_unanswered_collega_vraag_reminds_the_asker_once(reminders, scan):
    w = reminders
    expire_collega_vraag(w, in_days=2)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.opleider.email]
    assert message.subject == "Cor Collega gaf nog geen feedback over Sam Stagiair"
    assert "niet bij de collega" in message.body
    assert f"https://stagegids.example.nl/beoordelingen/{w.beoordeling.pk}/" in message.body


def test_a_collega_vraag_answered_meanwhile_or_far_from_expiry_is_not_reminded(reminders, scan):
    w = reminders
    expire_collega_vraag(w, in_days=5)
    scan()
    assert mail.outbox == []
    expire_collega_vraag(w, in_days=2)
    scan_reminders()
    CollegaVraag.objects.filter(pk=w.collega_vraag.pk).update(answered_at=timezone.now())
    work_off()
    assert mail.outbox == []
    assert Reminder.objects.get(kind="collega_feedback").status == ReminderStatus.SKIPPED


def test_a_collega_vraag_of_an_asker_who_lost_their_role_is_not_reminded(reminders, scan):
    w = reminders
    expire_collega_vraag(w, in_days=2)
    scan_reminders()
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert mail.outbox == []


def test_erkenning_herbeoordeling_within_three_months(reminders, scan):
    w = reminders
    today = date.today()
    ErkenningFactory(leerbedrijf=w.a, granted_on=add_months(today, -48 + 2))
    ErkenningFactory(leerbedrijf=w.b, granted_on=add_months(today, -48 + 4))
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.opleider.email]
    assert message.subject.startswith("Herbeoordeling van de erkenning voor ")
    assert f"/leerbedrijf/{w.a.pk}/" in message.body


def mails_titled(user, start):
    return [message for message in mails_to(user) if message.subject.startswith(start)]


def statuses(kind):
    return {(row.recipient_id, row.status) for row in Reminder.objects.filter(kind=kind)}


def in_hours(hours):
    return timezone.now() + timedelta(hours=hours)


ZELFREFLECTIE = "Vul je zelfreflectie in voor het voortgangsgesprek van "


def test_a_zelfreflectie_not_handed_in_two_days_before_the_gesprek_reminds_the_stagiair_once(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=in_hours(70))
    scan()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    with time_machine.travel(in_hours(23)):
        scan()
        scan()
    [message] = mails_titled(w.stagiair, ZELFREFLECTIE)
    url = "https://stagegids.example.nl" + reverse("beoordeling:zelfreflectie", args=[moment.pk])
    assert url in message.body
    assert "kies je hier" in message.body and "kiest u" not in message.body, "the gids says je to a stagiair"
    assert [r.recipient for r in Reminder.objects.filter(kind="zelfreflectie")] == [w.stagiair]


def test_a_zelfreflectie_handed_in_or_a_gesprek_closed_is_not_reminded(reminders, scan):
    w = reminders
    before, after, closed = (MomentFactory(stage=w.stage, starts_at=in_hours(hours)) for hours in (20, 30, 40))
    values = {field: "Ging goed" for field in Voortgangsgesprek.REFLECTIE_FIELDS}
    gesprek = Voortgangsgesprek.for_moment(before)
    gesprek.save_reflectie(version=gesprek.reflectie_version, by=w.stagiair, values=values, submit=True)
    gesprek = Voortgangsgesprek.for_moment(closed)
    gesprek.afronden(version=gesprek.notes_version, by=w.opleider)
    # A draft alone is not handed in.
    draft = Voortgangsgesprek.for_moment(after)
    draft.save_reflectie(version=draft.reflectie_version, by=w.stagiair, values=values, submit=False)
    scan_reminders()
    assert [r.subject_id for r in Reminder.objects.filter(kind="zelfreflectie")] == [after.pk]
    draft.save_reflectie(version=draft.reflectie_version, by=w.stagiair, values=values, submit=True)
    work_off()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    assert statuses("zelfreflectie") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


def test_a_voortgangsgesprek_cancelled_or_moved_is_not_reminded_and_the_new_time_is(reminders, scan):
    w = reminders
    cancelled = MomentFactory(stage=w.stage, starts_at=in_hours(20))
    moved = MomentFactory(stage=w.stage, starts_at=in_hours(30))
    scan_reminders()
    cancelled.cancel()
    moved.reschedule(starts_at=in_hours(40), location=moved.location)
    work_off()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    scan()
    [message] = mails_titled(w.stagiair, ZELFREFLECTIE)
    assert reverse("beoordeling:zelfreflectie", args=[moved.pk]) in message.body
    rows = Reminder.objects.filter(kind="zelfreflectie")
    assert {(r.subject_id, r.sequence, r.status) for r in rows} == {
        (cancelled.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 1, ReminderStatus.SENT),
    }


def test_a_zelfreflectie_is_not_reminded_to_an_account_no_longer_the_stagiair(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage, starts_at=in_hours(20))
    scan_reminders()
    Stagiair.objects.filter(pk=w.stage.stagiair_id).update(user=UserFactory())
    work_off()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    assert statuses("zelfreflectie") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


ZELFBEOORDELING = "Vul je zelfbeoordeling in voor de tussenbeoordeling van "


def tussenbeoordeling(world, **moment):
    moment = MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING, **moment)
    return Beoordeling.start(
        stage=world.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=world.opleider, moment=moment
    )


def hand_in(beoordeling, party, by):
    invulling = beoordeling.invullingen.get(party=party)
    answers = {criterium: ("voldoende", "") for criterium in beoordeling.criteria.all()}
    invulling.save_answers(by=by, revision=invulling.revision, answers=answers, submit=True)
    beoordeling.refresh_from_db()


def test_a_zelfbeoordeling_not_handed_in_two_days_before_reminds_the_stagiair_once(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=in_hours(70))
    scan()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []
    with time_machine.travel(in_hours(23)):
        scan()
        scan()
    [message] = mails_titled(w.stagiair, ZELFBEOORDELING)
    assert "https://stagegids.example.nl" + reverse("beoordeling:fill", args=[b.pk]) in message.body
    assert statuses("zelfbeoordeling") == {(w.stagiair.pk, ReminderStatus.SENT)}


def test_a_zelfbeoordeling_handed_in_is_not_reminded(reminders, scan, client):
    w = reminders
    before = tussenbeoordeling(w, starts_at=in_hours(20))
    after = tussenbeoordeling(w, starts_at=in_hours(30))
    hand_in(before, Party.STAGIAIR, w.stagiair)
    # The praktijkopleider's form does not count: it is the stagiair's that is missing.
    hand_in(after, Party.PRAKTIJKOPLEIDER, w.opleider)
    scan_reminders()
    assert [r.subject_id for r in Reminder.objects.filter(kind="zelfbeoordeling")] == [after.pk]
    hand_in(after, Party.STAGIAIR, w.stagiair)
    work_off()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []
    assert statuses("zelfbeoordeling") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


def test_a_tussenbeoordeling_cancelled_or_moved_is_not_reminded_and_the_new_time_is(reminders, scan):
    w = reminders
    cancelled = tussenbeoordeling(w, starts_at=in_hours(20))
    moved = tussenbeoordeling(w, starts_at=in_hours(30))
    scan_reminders()
    cancelled.moment.cancel()
    moved.moment.reschedule(starts_at=in_hours(40), location="Werkplaats")
    work_off()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []
    scan()
    [message] = mails_titled(w.stagiair, ZELFBEOORDELING)
    assert reverse("beoordeling:fill", args=[moved.pk]) in message.body
    rows = Reminder.objects.filter(kind="zelfbeoordeling")
    assert {(r.subject_id, r.sequence, r.status) for r in rows} == {
        (cancelled.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 1, ReminderStatus.SENT),
    }


def test_a_zelfbeoordeling_is_not_reminded_to_an_account_no_longer_the_stagiair(reminders, scan):
    w = reminders
    tussenbeoordeling(w, starts_at=in_hours(20))
    scan_reminders()
    Stagiair.objects.filter(pk=w.stage.stagiair_id).update(user=UserFactory())
    work_off()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []


def test_zelfreflectie_and_zelfbeoordeling_share_one_choice(reminders, scan):
    w = reminders
    set_delivery(user=w.stagiair, kind="zelfreflectie", delivery=Delivery.OFF)
    MomentFactory(stage=w.stage, starts_at=in_hours(20))
    tussenbeoordeling(w, starts_at=in_hours(30))
    scan()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == mails_titled(w.stagiair, ZELFBEOORDELING) == []
    titles = set(Notification.objects.filter(user=w.stagiair).values_list("title", flat=True))
    assert any(title.startswith(ZELFREFLECTIE) for title in titles)
    assert any(title.startswith(ZELFBEOORDELING) for title in titles)


NOT_SIGNED = "De tussenbeoordeling van Sam Stagiair is nog niet ondertekend"


def in_gesprek(world, beoordeling):
    hand_in(beoordeling, Party.PRAKTIJKOPLEIDER, world.opleider)
    hand_in(beoordeling, Party.STAGIAIR, world.stagiair)
    beoordeling.save_conclusie(by=world.opleider, revision=beoordeling.revision, conclusie="ja")
    assert beoordeling.state == BeoordelingState.GESPREK


def test_a_beoordeling_unsigned_a_week_after_reminds_both_sides_once(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=6))
    scan()
    assert mails_titled(w.opleider, NOT_SIGNED) == []
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        scan()
        scan()
    [to_opleider] = mails_titled(w.opleider, NOT_SIGNED)
    [to_stagiair] = mails_titled(w.stagiair, NOT_SIGNED)
    assert "uw handtekening ontbreekt nog" in to_opleider.body
    assert "jouw handtekening ontbreekt nog" in to_stagiair.body
    assert f"https://stagegids.example.nl/beoordelingen/{b.pk}/" in to_stagiair.body
    assert {r.recipient for r in Reminder.objects.filter(kind="ondertekenen")} == {w.opleider, w.stagiair}


def test_only_who_has_not_signed_is_reminded(reminders, scan):
    w = reminders
    signed = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    in_gesprek(w, signed)
    signed.sign(by=w.opleider)
    signed.sign(by=w.stagiair)
    half = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=9))
    in_gesprek(w, half)
    half.sign(by=w.opleider)
    scan_reminders()
    assert statuses("ondertekenen") == {(w.stagiair.pk, ReminderStatus.PENDING)}
    half.sign(by=w.stagiair)
    work_off()
    assert mails_titled(w.stagiair, NOT_SIGNED) == []
    assert statuses("ondertekenen") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


def test_a_signature_after_the_scan_stops_that_sides_reminder(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    in_gesprek(w, b)
    scan_reminders()
    b.sign(by=w.opleider)
    work_off()
    assert mails_titled(w.opleider, NOT_SIGNED) == []
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == 1


def test_a_corrected_beoordeling_is_a_new_one_to_sign(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    in_gesprek(w, b)
    b.sign(by=w.opleider)
    b.sign(by=w.stagiair)
    correction = b.correct(by=w.opleider, reason="Verkeerde score")
    scan()
    assert {r.subject_id for r in Reminder.objects.filter(kind="ondertekenen")} == {correction.pk}
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == 1


def test_an_unsigned_beoordeling_whose_moment_was_cancelled_or_moved_is_not_reminded(reminders, scan):
    w = reminders
    cancelled = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    moved = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=9))
    scan_reminders()
    cancelled.moment.cancel()
    moved.moment.reschedule(starts_at=timezone.now() - timedelta(days=10), location="Werkplaats")
    work_off()
    assert mails_titled(w.stagiair, NOT_SIGNED) == []
    scan()
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == len(mails_titled(w.opleider, NOT_SIGNED)) == 1
    sent = Reminder.objects.filter(kind="ondertekenen", status=ReminderStatus.SENT)
    assert {(r.subject_id, r.sequence) for r in sent} == {(moved.pk, 1)}


def test_an_eindbeoordeling_to_sign_reminds_the_praktijkbeoordelaar_not_one_who_lost_the_role(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=timezone.now() - timedelta(days=8))
    b = Beoordeling.start(stage=w.stage, kind=BeoordelingKind.BPV, by=w.opleider, moment=moment)
    scan_reminders()
    assert {(r.recipient, r.role) for r in Reminder.objects.filter(kind="ondertekenen")} == {
        (w.beoordelaar, "praktijkbeoordelaar"),
    }, "the stagiair has nothing to sign before the praktijkbeoordelaar hands in"
    invulling = b.invullingen.get()
    invulling.save_answers(
        by=w.beoordelaar,
        revision=invulling.revision,
        answers={criterium: ("voldoende", "") for criterium in b.criteria.all()},
        submit=True,
    )
    scan_reminders()
    assert {(r.recipient, r.role) for r in Reminder.objects.filter(kind="ondertekenen")} == {
        (w.beoordelaar, "praktijkbeoordelaar"),
        (w.stagiair, "stagiair"),
    }
    w.beoordelaar.memberships.get().end(by=w.opleider)
    work_off()
    assert mails_to(w.beoordelaar) == [] and mails_to(w.opleider) == []
    [message] = mails_titled(w.stagiair, "De bpv-beoordeling van Sam Stagiair is nog niet ondertekend")
    assert f"https://stagegids.example.nl/beoordelingen/{b.pk}/" in message.body


def test_a_praktijkopleider_who_lost_the_role_is_not_reminded_to_sign(reminders, scan):
    w = reminders
    tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    scan_reminders()
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert mails_titled(w.opleider, NOT_SIGNED) == []
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == 1


def test_the_scan_takes_the_same_number_of_queries_at_two_sizes(reminders):
    def queries_for_scan_with(stages):
        for _ in range(stages):
            stage = StageFactory(
                leerbedrijf=reminders.a,
                werkplekbegeleider=reminders.wpb,
                mbo_begeleider=reminders.mbo,
                praktijkbeoordelaar=reminders.beoordelaar,
                stagiair__user=UserFactory(),
                start_date=date.today() - timedelta(days=20),
            )
            MomentFactory(stage=stage)
            MomentFactory(stage=stage, starts_at=timezone.now() + timedelta(hours=20))
            for kind, moment_kind, starts_at in (
                (BeoordelingKind.TUSSENBEOORDELING, MomentKind.TUSSENBEOORDELING, in_hours(30)),
                (BeoordelingKind.TUSSENBEOORDELING, MomentKind.TUSSENBEOORDELING, in_hours(-8 * 24)),
                (BeoordelingKind.BPV, MomentKind.EINDBEOORDELING, in_hours(-9 * 24)),
            ):
                moment = MomentFactory(stage=stage, kind=moment_kind, starts_at=starts_at)
                Beoordeling.start(stage=stage, kind=kind, by=reminders.opleider, moment=moment)
            MomentFactory(stage=stage, kind=MomentKind.EINDBEOORDELING, starts_at=in_hours(5 * 24))
            ErkenningFactory(
                leerbedrijf=stage.leerbedrijf,
                granted_on=add_months(date.today(), -47),
                kwalificatie__crebo=str(stage.pk),
            )
            OnboardingItem.objects.create(
                stage=stage, custom_text="Werkkleding klaarleggen", responsible=reminders.wpb, due_date=date.today()
            )
            VerslagFactory(stage=stage, created_by=reminders.opleider, shared_at=timezone.now() - timedelta(days=6))
            CollegaVraag.create(
                beoordeling=Beoordeling.start(
                    stage=stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=reminders.opleider
                ),
                name="Cor",
                email="cor@a.nl",
                asked_by=reminders.opleider,
            )
            CollegaVraag.objects.update(expires_at=timezone.now() + timedelta(days=2))
        with CaptureQueriesContext(connection) as queries:
            created = scan_reminders()
        return len(queries), created

    small, created_small = queries_for_scan_with(1)
    Reminder.objects.update(status=ReminderStatus.SENT)
    large, created_large = queries_for_scan_with(20)
    assert created_small < created_large
    assert small == large
    kinds = {"onboarding", "verslag_oordeel", "collega_feedback", "zelfreflectie", "zelfbeoordeling"}
    assert kinds | {"beoordeling_starten"} <= set(Reminder.objects.values_list("kind", flat=True))
    assert set(Reminder.objects.filter(kind="ondertekenen").values_list("role", flat=True)) == {
        "praktijkopleider",
        "praktijkbeoordelaar",
        "stagiair",
    }


def preference_names(client, user):
    client.force_login(user)
    page = client.get(reverse("reminder_preferences")).content.decode()
    return page, {kind.code for kind in engine.preference_kinds() if f'name="{kind.code}"' in page}


def test_each_role_is_offered_the_kinds_of_reminder_that_can_reach_it(client, world):
    page, names = preference_names(client, world.opleider)
    assert names == {
        "gesprek", "stageplan_akkoord", "onboarding", "collega_feedback", "beoordeling_starten", "ondertekenen",
        "erkenning_herbeoordeling",
    }  # fmt: skip
    assert "Hoe wilt u herinneringen ontvangen?" in page and "Beoordeling nog niet ondertekend" in page
    page, names = preference_names(client, world.stagiair)
    assert names == {"gesprek", "stageplan_akkoord", "zelfreflectie", "ondertekenen"}
    # The two preparation kinds are one choice, under a label that names both.
    assert "Zelfreflectie en zelfbeoordeling voor een gesprek" in page and 'name="zelfbeoordeling"' not in page
    assert "Hoe wil je herinneringen ontvangen?" in page
    assert preference_names(client, world.mbo)[1] == {"gesprek", "verslag_oordeel"}
    assert preference_names(client, world.wpb)[1] == {"gesprek", "onboarding"}
    page, names = preference_names(client, world.staff)
    assert names == set() and "Met uw huidige rollen krijgt u geen herinneringen." in page


def test_preferences_page_saves_the_choices(client, world):
    page, _names = preference_names(client, world.wpb)
    assert 'value="uit"' in page
    choices = {"gesprek": "dagelijks", "onboarding": "uit"}
    response = client.post(reverse("reminder_preferences"), choices)
    assert response.status_code == 302
    assert dict(world.wpb.notification_preferences.values_list("kind", "delivery")) == choices


def test_a_stagiair_is_told_gesprekken_cannot_be_switched_off(client, world):
    client.force_login(world.stagiair)
    page = client.get(reverse("reminder_preferences")).content.decode()
    assert "Als stagiair kun je deze herinneringen niet uitzetten." in page
    response = client.post(
        reverse("reminder_preferences"),
        {"gesprek": "uit", "stageplan_akkoord": "uit", "zelfreflectie": "direct", "ondertekenen": "direct"},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not world.stagiair.notification_preferences.exists()


def test_notifications_show_on_the_start_page_until_read(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("start")).content.decode()
    assert "Voortgangsgesprek morgen" in page
    response = client.post(reverse("notification_read", args=[world.notification.pk]))
    assert response.status_code == 302
    assert "Voortgangsgesprek morgen" not in client.get(reverse("start")).content.decode()


def test_someone_elses_notification_is_not_found(client, world):
    client.force_login(world.wpb)
    assert client.post(reverse("notification_read", args=[world.notification.pk])).status_code == 404
    world.notification.refresh_from_db()
    assert world.notification.read_at is None


def test_start_page_queries_do_not_grow_with_notifications(client, world, django_assert_max_num_queries):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("start"))
        return len(queries)

    client.force_login(world.opleider)
    one = count()
    for n in range(30):
        Notification.objects.create(user=world.opleider, key=f"k{n}", title=f"Herinnering {n}", url="/")
    assert count() == one + 1  # the "and N more" count


NOT_STARTED = "Start de "


def test_a_beoordeling_not_started_a_week_before_its_moment_reminds_whoever_starts_it(reminders, scan):
    w = reminders
    tussen = MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(8 * 24))
    eind = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=in_hours(8 * 24))
    scan()
    assert mails_titled(w.opleider, NOT_STARTED) == []
    with time_machine.travel(in_hours(25)):
        scan()
        scan()
    [message] = mails_titled(w.opleider, NOT_STARTED)
    assert message.subject.startswith("Start de tussenbeoordeling van Sam Stagiair op ")
    assert "https://stagegids.example.nl" + reverse("beoordeling:stage", args=[w.stage.pk]) in message.body
    [message] = mails_titled(w.beoordelaar, NOT_STARTED)
    assert "Start de eindbeoordeling van Sam Stagiair" in message.subject and "bpv-beoordeling" in message.body
    assert mails_titled(w.stagiair, NOT_STARTED) == []
    assert {r.subject_id for r in Reminder.objects.filter(kind="beoordeling_starten")} == {tussen.pk, eind.pk}


def test_a_beoordeling_started_or_a_moment_cancelled_meanwhile_is_not_reminded_to_start(reminders, scan):
    w = reminders
    started = MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(5 * 24))
    cancelled = MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(6 * 24))
    scan_reminders()
    Beoordeling.start(stage=w.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=w.opleider, moment=started)
    cancelled.cancel()
    work_off()
    assert mails_titled(w.opleider, NOT_STARTED) == []
    assert statuses("beoordeling_starten") == {(w.opleider.pk, ReminderStatus.SKIPPED)}
    scan()
    assert mails_titled(w.opleider, NOT_STARTED) == []


def test_an_opleider_who_lost_the_role_is_not_reminded_to_start(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(3 * 24))
    scan_reminders()
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert mails_titled(w.opleider, NOT_STARTED) == []
