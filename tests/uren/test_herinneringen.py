"""The reminders of the hours, each exactly once: a week not filled in, a week not approved (issue 14)."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from stagegids.models import Reminder, ReminderStatus
from tests.herinneringen import mails_titled, work_off
from uren.models import Urenweek, planned_days

from .steps import last_monday, submit_normal, week_path


def hand_in(stage, monday, by):
    """As the one-tap button does."""
    week = Urenweek.shown_for(stage, monday)
    week.fill(by=by, version=week.version, days=planned_days(stage, monday), begeleiding={}, submit=True)
    return week


FILL_STAGIAIR = "Vul je uren in van week "
FILL_WPB = "Uren van Sam Stagiair over week "


def test_a_week_not_filled_reminds_the_stagiair_and_the_werkplekbegeleider_once(reminders, stage, client, scan):
    w = reminders
    stage.refresh_from_db()
    hand_in(stage, last_monday() - timedelta(days=7), w.stagiair)  # the company keeps hours here
    scan()
    scan()
    [to_stagiair] = mails_titled(w.stagiair, FILL_STAGIAIR)
    assert "Normale week bevestigen" in to_stagiair.body and "https://stagegids.example.nl" + week_path(stage) in (
        to_stagiair.body
    )
    [to_wpb] = [m for m in mails_titled(w.wpb, FILL_WPB) if "nog niet ingevuld" in m.subject]
    assert "U kunt ze ook zelf invullen." in to_wpb.body
    # Leerbedrijf B keeps no hours here: its stagiair is not reminded.
    assert Reminder.objects.filter(kind="uren_invullen").count() == 2


def test_a_week_filled_before_the_reminder_is_sent_is_not_reminded(reminders, stage, client, scan):
    from stagegids.tasks import scan_reminders

    w = reminders
    stage.refresh_from_db()
    hand_in(stage, last_monday() - timedelta(days=7), w.stagiair)
    scan_reminders()
    client.force_login(w.stagiair)
    submit_normal(client, stage)
    work_off()
    assert mails_titled(w.stagiair, FILL_STAGIAIR) == []
    assert {row.status for row in Reminder.objects.filter(kind="uren_invullen")} == {ReminderStatus.SKIPPED}


def test_no_reminder_where_the_company_keeps_no_hours(reminders, stage, scan):
    stage.refresh_from_db()
    scan()
    assert Reminder.objects.filter(kind="uren_invullen").count() == 0


APPROVE = "wachten op akkoord"


def test_a_week_not_approved_reminds_the_werkplekbegeleider_and_the_praktijkopleider_once(
    reminders, stage, client, scan
):
    w = reminders
    stage.refresh_from_db()
    hand_in(stage, last_monday() - timedelta(days=7), w.stagiair).approve(by=w.wpb)
    hand_in(stage, last_monday(), w.stagiair)
    scan()
    assert [m for m in mail.outbox if APPROVE in m.subject] == []
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=1)):
        scan()
        scan()
    approvals = [m for m in mail.outbox if APPROVE in m.subject]
    assert sorted(m.to[0] for m in approvals) == sorted([w.wpb.email, w.opleider.email])
    assert "Geef akkoord, of stuur de week terug met een reden." in approvals[0].body
    # Sent back and handed in again: a new occasion, reminded again once.
    client.force_login(w.opleider)
    client.post(week_path(stage, name="uren:week_terugsturen"), {"reason": "Klopt niet"})
    client.force_login(w.stagiair)
    submit_normal(client, stage)
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=1)):
        scan()
        scan()
    assert len([m for m in mail.outbox if APPROVE in m.subject]) == 2


def test_an_approved_week_is_not_reminded(reminders, stage, client, scan):
    from stagegids.tasks import scan_reminders

    w = reminders
    stage.refresh_from_db()
    week = hand_in(stage, last_monday(), w.stagiair)
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=1)):
        scan_reminders()
        week.approve(by=w.wpb)
        work_off()
    assert [m for m in mail.outbox if APPROVE in m.subject] == []
