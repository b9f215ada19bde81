"""The reminders of the begeleiding (chapter 8): the zelfreflectie the stagiair writes before a voortgangsgesprek;
the engine is stagegids/reminders.py."""

import abc
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagegids import reminders
from stagegids.reminders import Message
from stagegids.roles import Role
from stageplan.herinneringen import moment_when

from .models import awaiting_zelfreflectie


class Preparation(reminders.Kind):
    """What the stagiair hands in before a gesprek, REMINDER_ZELFREFLECTIE_DAYS before it; the occasion is named
    after the kind, the key holds the moment's time and sequence (a moved moment is a new occasion).

    Unlike the gesprek itself this can be switched off, also by the stagiair: what may not be skipped is the
    gesprek, and its own reminder (mandatory) already reaches them; preparing is a task, like the stageplan's
    akkoord, and task reminders are each person's choice.
    """

    recipients = frozenset({Role.STAGIAIR})

    @abc.abstractmethod
    def open(self, now):
        """The subjects whose preparation is still open, at a moment still to come."""

    def due(self, *, now):
        subjects = self.open(now).filter(
            **{f"{self.key_fields[0]}__lte": now + timedelta(days=settings.REMINDER_ZELFREFLECTIE_DAYS)},
            stage__end_date__gte=timezone.localdate(now),
        )
        return self.to_one(subjects, occasion=self.code, recipient="stage__stagiair__user_id", role=Role.STAGIAIR)

    def current(self, reminder, *, now):
        return self.open(now).select_related("stage__stagiair")

    def holds(self, reminder, subject):
        return subject.stage.stagiair.user_id == reminder.recipient_id


@reminders.register
class ZelfreflectieNotFilled(Preparation):
    """A voortgangsgesprek within REMINDER_ZELFREFLECTIE_DAYS whose zelfreflectie the stagiair has not handed in."""

    code = "zelfreflectie"
    subject_type = "moment"
    key_fields = ("starts_at", "sequence")
    # The preference of both kinds that prepare a gesprek (see ZelfbeoordelingNotSubmitted), so it names both.
    label = gettext_lazy("Zelfreflectie en zelfbeoordeling voor een gesprek")
    help_text = gettext_lazy(
        "Twee dagen voor een voortgangsgesprek of tussenbeoordeling, aan de stagiair die de zelfreflectie of "
        "zelfbeoordeling nog niet heeft ingeleverd."
    )
    order = 20

    def open(self, now):
        return awaiting_zelfreflectie(now).filter(stage__stagiair__user__is_active=True)

    def compose(self, reminder, moment, *, now):
        return Message(
            title=_("Vul je zelfreflectie in voor het voortgangsgesprek van %(when)s") % {"when": moment_when(moment)},
            lines=[
                _(
                    "Schrijf voor het gesprek op wat goed ging, wat je moeilijk vond en wat je hierna wilt leren, "
                    "en dien je zelfreflectie in. Je begeleider leest hem ter voorbereiding."
                ),
            ],
            path=reverse("beoordeling:zelfreflectie", args=[moment.pk]),
            action=_("Naar je zelfreflectie"),
        )
