"""The reminder engine (stagegids/reminders.py): every reminder is sent exactly once, whatever the beat, the broker
or the mail server does; digests, preferences and notifications. A moment's reminder (stageplan) stands in for any
kind."""

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
from kombu.exceptions import OperationalError

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind, CollegaVraag
from beoordeling.zorgen.models import Zorg, ZorgKind
from leerbedrijf.models import OnboardingItem
from leerbedrijf.models.erkenning import add_months
from stagegids import queued
from stagegids import reminders as engine
from stagegids.models import Delivery, Notification, Reminder, ReminderStatus
from stagegids.notifications import set_delivery
from stagegids.tasks import scan_reminders, send_digests, send_reminder
from stageplan.models import MomentKind
from tests.factories import ErkenningFactory, MomentFactory, StageFactory, UserFactory, VerslagFactory
from tests.herinneringen import in_hours, mails_to, work_off


def test_beat_firing_twice_creates_one_row_and_sends_one_mail(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    scan()
    scan()
    scan_reminders()
    assert Reminder.objects.filter(recipient=w.wpb).count() == 1
    assert len(mails_to(w.wpb)) == 1


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


def test_a_recipient_who_lost_their_role_gets_nothing(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()
    w.wpb.memberships.get().end(by=w.opleider)
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert [m.to[0] for m in mail.outbox] == [w.stagiair.email]
    assert Reminder.objects.get(recipient=w.wpb).status == ReminderStatus.SKIPPED


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


def test_a_digest_sent_again_after_a_mail_error_has_the_same_message_id(reminders, scan, settings):
    w = reminders
    set_delivery(user=w.wpb, kind="gesprek", delivery=Delivery.DIGEST)
    MomentFactory(stage=w.stage)
    scan()
    real_send = engine.send_templated

    def accepted_but_connection_lost(**kwargs):
        real_send(**kwargs)
        raise smtplib.SMTPServerDisconnected("lost after the server took it")

    with (
        mock.patch.object(engine, "send_templated", accepted_but_connection_lost),
        pytest.raises(smtplib.SMTPException),
    ):
        engine.deliver_digest(user_id=w.wpb.pk)
    assert engine.deliver_digest(user_id=w.wpb.pk) == 1
    first, second = mails_to(w.wpb)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].endswith(f"@{settings.MAIL_ID_DOMAIN}>")


def test_off_sends_no_mail_but_the_stagiair_cannot_switch_gesprekken_off(reminders, scan):
    w = reminders
    set_delivery(user=w.wpb, kind="gesprek", delivery=Delivery.OFF)
    set_delivery(user=w.stagiair, kind="gesprek", delivery=Delivery.OFF)
    MomentFactory(stage=w.stage)
    scan()
    assert mails_to(w.wpb) == []
    assert Notification.objects.filter(user=w.wpb).exists()
    assert len(mails_to(w.stagiair)) == 1


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
            zorg = Zorg.record(
                stage=stage,
                by=reminders.wpb,
                kind=ZorgKind.LEREN,
                happened="Meten gaat niet",
                next_step="Gesprek",
                next_step_on=date.today(),
            )
            # Recorded yesterday for yesterday: the day after, its next step has passed.
            Zorg.objects.filter(pk=zorg.pk).update(next_step_on=date.today() - timedelta(days=1))
        with CaptureQueriesContext(connection) as queries:
            created = scan_reminders()
        return len(queries), created

    small, created_small = queries_for_scan_with(1)
    Reminder.objects.update(status=ReminderStatus.SENT)
    large, created_large = queries_for_scan_with(20)
    assert created_small < created_large
    assert small == large
    kinds = {
        "onboarding",
        "verslag_oordeel",
        "collega_feedback",
        "zelfreflectie",
        "zelfbeoordeling",
        "zorg_volgende_stap",
    }
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
        "erkenning_herbeoordeling", "moment_voorstel", "zorg_volgende_stap", "uren_akkoord",
        "stip_aanvragen", "praktijkleren_aanvragen",
    }  # fmt: skip
    assert "Hoe wilt u herinneringen ontvangen?" in page and "Beoordeling nog niet ondertekend" in page
    page, names = preference_names(client, world.stagiair)
    assert names == {
        "gesprek",
        "stageplan_akkoord",
        "zelfreflectie",
        "ondertekenen",
        "moment_voorstel",
        "uren_invullen",
    }
    # The two preparation kinds are one choice, under a label that names both.
    assert "Zelfreflectie en zelfbeoordeling voor een gesprek" in page and 'name="zelfbeoordeling"' not in page
    assert "Hoe wil je herinneringen ontvangen?" in page
    assert preference_names(client, world.mbo)[1] == {"gesprek", "verslag_gedeeld", "verslag_oordeel"}
    assert preference_names(client, world.wpb)[1] == {
        "gesprek", "onboarding", "moment_voorstel", "zorg_volgende_stap", "uren_invullen", "uren_akkoord"
    }  # fmt: skip
    # The praktijkbeoordelaar is invited to the eindbeoordeling.
    assert "gesprek" in preference_names(client, world.beoordelaar)[1]
    page, names = preference_names(client, world.staff)
    assert names == set() and "Met uw huidige rollen krijgt u geen herinneringen." in page


def test_preferences_page_saves_the_choices(client, world):
    page, _names = preference_names(client, world.wpb)
    assert 'value="uit"' in page
    choices = {
        "gesprek": "dagelijks",
        "onboarding": "uit",
        "moment_voorstel": "direct",
        "zorg_volgende_stap": "direct",
        "uren_invullen": "dagelijks",
        "uren_akkoord": "direct",
    }
    response = client.post(reverse("reminder_preferences"), choices)
    assert response.status_code == 302
    assert dict(world.wpb.notification_preferences.values_list("kind", "delivery")) == choices


def test_a_stagiair_is_told_gesprekken_cannot_be_switched_off(client, world):
    client.force_login(world.stagiair)
    page = client.get(reverse("reminder_preferences")).content.decode()
    assert "Als stagiair kun je deze herinneringen niet uitzetten." in page
    response = client.post(
        reverse("reminder_preferences"),
        {
            "gesprek": "uit",
            "stageplan_akkoord": "uit",
            "zelfreflectie": "direct",
            "ondertekenen": "direct",
            "moment_voorstel": "direct",
        },
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
    # The "and N more" count comes with the first five (a window function), and the header reads it there.
    assert count() == one
