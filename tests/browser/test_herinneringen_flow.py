from datetime import date, timedelta

from leerbedrijf.models import Stage
from stagegids.models import Notification
from stagegids.tasks import scan_reminders
from tests.factories import MomentFactory

from .steps import log_in


def test_stagiair_sees_a_reminder_and_chooses_a_digest(page, world, look, django_capture_on_commit_callbacks):
    Stage.objects.update(start_date=date.today() - timedelta(days=5))
    MomentFactory(stage=world.stage)
    with django_capture_on_commit_callbacks(execute=True):
        scan_reminders()

    log_in(page, world.stagiair)
    page.get_by_role("heading", name="Herinneringen").wait_for()
    look(page, "01-start-met-herinnering")

    page.get_by_role("link", name="Instellingen voor herinneringen").click()
    page.get_by_role("heading", name="Hoe wil je herinneringen ontvangen?").wait_for()
    page.get_by_text("Als stagiair kun je deze herinneringen niet uitzetten.").wait_for()
    look(page, "02-voorkeuren")
    page.locator('input[name="gesprek"][value="dagelijks"]').check()  # the daily digest; "off" is not offered
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Je keuzes voor herinneringen zijn opgeslagen.").wait_for()
    assert world.stagiair.notification_preferences.get(kind="gesprek").delivery == "dagelijks"

    page.goto("/")
    page.get_by_role("button", name="Gelezen").first.click()
    page.get_by_role("heading", name="Goedendag, Sam").wait_for()
    look(page, "03-start-gelezen")
    assert not Notification.objects.filter(user=world.stagiair, read_at__isnull=True).exists()
