"""The engine in the core and the kinds each app registers (stagegids/reminders.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy

from leerbedrijf.models import Stage
from stagegids import reminders
from stagegids.models import Reminder, ReminderStatus
from stagegids.roles import Role
from stagegids.tasks import scan_reminders


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps left it, to add to within one test."""
    monkeypatch.setattr(reminders, "_kinds", dict(reminders._kinds))


def test_the_kinds_of_every_chapter_are_registered_in_the_order_of_the_page():
    assert [kind.code for kind in reminders.kinds()] == [
        "gesprek", "gesprek_gewijzigd", "gesprek_geannuleerd", "moment_voorstel", "moment_voorstel_besluit",
        "moment_overgeslagen", "zelfreflectie", "zelfbeoordeling",
        "stageplan_akkoord", "zorg_volgende_stap", "onboarding", "verslag_gedeeld", "verslag_oordeel",
        "collega_feedback",
        "beoordeling_starten", "uren_invullen", "uren_akkoord", "ondertekenen", "erkenning_herbeoordeling",
        "stip_aanvragen", "praktijkleren_aanvragen",
    ]  # fmt: skip
    assert [kind.code for kind in reminders.preference_kinds({Role.PRAKTIJKOPLEIDER})] == [
        "gesprek", "moment_voorstel", "stageplan_akkoord", "zorg_volgende_stap", "onboarding", "collega_feedback",
        "beoordeling_starten", "uren_akkoord", "ondertekenen", "erkenning_herbeoordeling", "stip_aanvragen",
        "praktijkleren_aanvragen",
    ]  # fmt: skip


def test_two_kinds_with_one_code_are_refused(registry):
    class Again(type(reminders.kind_of("gesprek"))):
        """Another class with the code of a registered kind."""

    with pytest.raises(ImproperlyConfigured):
        reminders.register(Again)


def test_a_kind_registered_by_a_new_chapter_is_scanned_and_sent_by_the_engine(registry, world):
    """Adding a kind is a class in the chapter's own module and one register call (stagegids/reminders.py)."""

    class StageEnds(reminders.Kind):
        code = "stage_einde"
        subject_type = "stage"
        recipients = frozenset({Role.STAGIAIR})
        label = gettext_lazy("Einde van de stage")
        order = 95

        def due(self, *, now):
            stages = Stage.objects.filter(self.not_yet("einde"), end_date__lte=timezone.localdate(now) + timedelta(7))
            stages = stages.filter(stagiair__user__isnull=False)
            return [
                reminders.Due(pk, "einde", reminders.at_midnight(end), user_id, Role.STAGIAIR)
                for pk, end, user_id in stages.values_list("pk", "end_date", "stagiair__user_id")
            ]

        def current(self, reminder, *, now):
            return Stage.objects.select_related("stagiair")

        def holds(self, reminder, stage):
            return stage.stagiair.user_id == reminder.recipient_id

        def compose(self, reminder, stage, *, now):
            return reminders.Message(title="Je stage loopt af", lines=["Nog een week."], path="/", action="Kijk")

    reminders.register(StageEnds)

    Stage.objects.update(end_date=timezone.localdate() + timedelta(days=3))
    mail.outbox.clear()
    scan_reminders()
    [row] = Reminder.objects.filter(kind="stage_einde", recipient=world.stagiair)
    assert reminders.deliver(reminder_id=row.pk) == ReminderStatus.SENT
    assert [message.subject for message in mail.outbox if message.to == [world.stagiair.email]] == ["Je stage loopt af"]
    assert [kind.code for kind in reminders.preference_kinds({Role.STAGIAIR})][-2:] == ["ondertekenen", "stage_einde"]
