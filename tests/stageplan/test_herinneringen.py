"""Reminders of the stageplan's kinds (stageplan/herinneringen.py): planned moments with their calendar invitations,
moved or cancelled moments, and a stageplan not yet agreed."""

from datetime import date, timedelta

import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leerbedrijf.models import Stage
from stagegids import reminders as engine
from stagegids.models import Notification, Reminder, ReminderStatus
from stagegids.roles import Role
from stagegids.tasks import scan_reminders
from stageplan.changes import agree
from stageplan.models import MomentKind
from tests.factories import MembershipFactory, MomentFactory, UserFactory
from tests.herinneringen import invitation, mails_to, work_off
from tests.stageplan.test_moment_rights import propose


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


def test_a_begeleider_replaced_on_the_stage_gets_nothing(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage)
    scan_reminders()
    Stage.objects.filter(pk=w.stage.pk).update(werkplekbegeleider=w.wpb_other)
    work_off()
    assert mails_to(w.wpb) == []


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


def check_queries(kind_code):
    """{recipient: (queries, held)} of the check right before sending each pending reminder of a kind; holds()
    itself asks the database nothing."""
    checked, kind, now = {}, engine.kind_of(kind_code), timezone.now()
    for reminder in Reminder.objects.filter(kind=kind_code).select_related("recipient"):
        with CaptureQueriesContext(connection) as queries:
            held = engine.message_of(reminder, now=now) is not None
        checked[reminder.recipient] = (len(queries), held)
        subject = kind.current(reminder, now=now).get(pk=reminder.subject_id)
        with CaptureQueriesContext(connection) as in_holds:
            kind.holds(reminder, subject)
        assert len(in_holds) == 0, f"{kind_code}: holds() asked {len(in_holds)} queries"
    return checked


def test_the_check_before_sending_a_proposal_or_a_moment_asks_the_same_queries_however_many_opleiders(
    client, reminders
):
    """holds() learns whether the recipient is a praktijkopleider from current()'s query, not from a query of all
    praktijkopleiders per reminder (review finding: VoorstelOpen.holds called opleiders_of per reminder)."""
    w = reminders
    MomentFactory(stage=w.stage)
    propose(client, w)
    scan_reminders()
    few = {code: check_queries(code) for code in ("moment_voorstel", "gesprek")}
    assert few["moment_voorstel"][w.opleider][1] and few["moment_voorstel"][w.wpb][1]
    Reminder.objects.update(status=ReminderStatus.PENDING)
    for _n in range(4):
        MembershipFactory(user=UserFactory(), role=Role.PRAKTIJKOPLEIDER, leerbedrijf=w.a)
    assert {code: check_queries(code) for code in few} == few

    w.opleider.memberships.get().end(by=w.opleider)
    assert check_queries("moment_voorstel")[w.opleider][1] is False, "no longer a praktijkopleider: skipped"
    assert check_queries("gesprek")[w.opleider][1] is False
