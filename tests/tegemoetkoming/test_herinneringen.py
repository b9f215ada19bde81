"""The deadlines of the schemes as reminders, each sent exactly once: the STIP's six months after the start and
the window of the Subsidieregeling praktijkleren."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from leerbedrijf.models import Leerweg, Stage
from stagegids.dates import add_months
from stagegids.models import Reminder
from stagegids.tasks import scan_reminders
from tegemoetkoming.models import Regeling, Regelingsjaar
from tests.factories import StageFactory
from tests.herinneringen import work_off
from tests.test_confirm_steps import postgres_only


def bbl(stage, start):
    Stage.objects.filter(pk=stage.pk).update(leerweg=Leerweg.BBL, start_date=start, end_date=start + timedelta(400))


def test_stip_deadline_is_reminded_once_a_month_before(reminders, scan, settings):
    w = reminders
    today = date.today()
    # Its last day is in 20 days: due. Another stage's in 40 days: not yet. A bol stage: never.
    bbl(w.stage, add_months(today + timedelta(days=21), -6))
    later = StageFactory(leerbedrijf=w.a, leerweg=Leerweg.BBL, start_date=add_months(today + timedelta(41), -6),
                         end_date=today + timedelta(300))  # fmt: skip
    StageFactory(leerbedrijf=w.a, leerweg=Leerweg.BOL, start_date=add_months(today + timedelta(21), -6),
                 end_date=today + timedelta(300))  # fmt: skip
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.opleider.email]
    assert message.subject.startswith("STIP voor Sam Stagiair aanvragen uiterlijk ")
    assert f"/stages/{w.stage.pk}/tegemoetkomingen/" in message.body
    assert Reminder.objects.filter(kind="stip_aanvragen").count() == 1
    with time_machine.travel(today + timedelta(days=25)):
        scan()
    stip = [m.subject for m in mail.outbox if m.subject.startswith("STIP")]
    assert len(stip) == 2 and stip[1].startswith(f"STIP voor {later.stagiair.name}")


def test_stip_reminder_follows_the_schemes_row(reminders, scan):
    """The beheerder corrects the months: the reminder made for the old last day no longer holds."""
    w = reminders
    bbl(w.stage, add_months(date.today() + timedelta(days=10), -6))
    Regelingsjaar.objects.filter(regeling=Regeling.STIP).update(deadline_months=None)
    scan()
    assert mail.outbox == []


def praktijkleren_window(opens, closes, year):
    Regelingsjaar.objects.filter(regeling=Regeling.PRAKTIJKLEREN, valid_from=date(year, 8, 1)).update(
        window_opens=opens, window_closes=closes
    )


def test_praktijkleren_window_is_reminded_once_per_company_and_studiejaar(reminders, scan):
    w = reminders
    year = date.today().year - 1 if date.today().month >= 8 else date.today().year - 2
    Stage.objects.filter(pk=w.stage.pk).update(
        leerweg=Leerweg.BBL, start_date=date(year, 9, 1), end_date=date(year + 1, 6, 30)
    )
    if not Regelingsjaar.objects.filter(regeling=Regeling.PRAKTIJKLEREN, valid_from=date(year, 8, 1)).exists():
        pytest.skip("no row for that studiejaar")
    praktijkleren_window(date.today() - timedelta(days=1), date.today() + timedelta(days=60), year)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.opleider.email]
    assert f"Subsidieregeling praktijkleren {year}/{year + 1} aanvragen tot en met" in message.subject
    assert f"/leerbedrijf/{w.a.pk}/tegemoetkomingen/?studiejaar={year}" in message.body
    # The company of B has no bbl stage in that studiejaar: nothing for its praktijkopleider.
    assert Reminder.objects.filter(kind="praktijkleren_aanvragen").count() == 1


def test_praktijkleren_window_closed_before_sending_sends_nothing(reminders):
    w = reminders
    year = 2024
    Stage.objects.filter(pk=w.stage.pk).update(leerweg=Leerweg.BBL, start_date=date(2024, 9, 2),
                                               end_date=date(2025, 6, 27))  # fmt: skip
    praktijkleren_window(date.today() - timedelta(days=1), date.today() + timedelta(days=5), year)
    scan_reminders()  # made, not yet sent: its messages wait for the commit
    praktijkleren_window(date.today() - timedelta(days=30), date.today() - timedelta(days=1), year)
    work_off()
    assert mail.outbox == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_scans_send_the_stip_reminder_once(world, settings):
    import threading

    from django.db import connection

    settings.SITE_URL = "https://stagegids.example.nl"
    mail.outbox.clear()
    bbl(world.stage, add_months(date.today() + timedelta(days=21), -6))
    barrier = threading.Barrier(3)

    def run():
        try:
            barrier.wait()
            scan_reminders()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Reminder.objects.filter(kind="stip_aanvragen", subject_id=world.stage.pk).count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("STIP")]) == 1
