"""Reminders of leerbedrijf's kinds (leerbedrijf/herinneringen.py): onboarding items and the erkenning's
herbeoordeling."""

from datetime import date, timedelta

from django.core import mail

from leerbedrijf.models import OnboardingItem
from leerbedrijf.models.erkenning import add_months
from stagegids.models import Reminder, ReminderStatus
from stagegids.tasks import scan_reminders
from tests.factories import ErkenningFactory
from tests.herinneringen import work_off


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
