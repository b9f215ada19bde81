"""The reminder of zorgen: a concern whose next step's date has passed while it is still open; the engine is
stagegids/reminders.py."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.herinneringen import opleiders_of
from stagegids import reminders
from stagegids.reminders import CATCH_UP, Due, Message, at_midnight
from stagegids.roles import BEGELEIDER_ROLES, Role

from .models import Zorg


@reminders.register
class ZorgNextStepPassed(reminders.Kind):
    """An open concern the day after its next step's date: to whoever recorded it and to the praktijkopleiders, who
    answer for the begeleiding. Once per date and person: a new date (the step was moved) is a new occasion."""

    code = "zorg_volgende_stap"
    subject_type = "zorg"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES})
    label = gettext_lazy("Volgende stap van een zorg")
    help_text = gettext_lazy("De dag na de datum van de volgende stap, zolang de zorg open staat.")
    order = 35

    def due(self, *, now):
        today = timezone.localdate(now)
        rows = list(
            Zorg.objects.open()
            .filter(
                next_step_on__lt=today,
                next_step_on__gte=today - CATCH_UP,
                stage__end_date__gte=today,
            )
            .values_list("pk", "next_step_on", "created_by_id", "stage__leerbedrijf_id")
        )
        opleiders = opleiders_of({row[3] for row in rows})
        dues = []
        for pk, day, recorder_id, leerbedrijf_id in rows:
            people = dict.fromkeys(opleiders.get(leerbedrijf_id, []), Role.PRAKTIJKOPLEIDER)
            if recorder_id is not None:
                people.setdefault(recorder_id, Role.WERKPLEKBEGELEIDER)
            dues += [Due(pk, "volgende_stap", at_midnight(day), user_id, role) for user_id, role in people.items()]
        return self.not_yet_made(dues, "recipient_id")

    def current(self, reminder, *, now):
        return Zorg.objects.open().select_related("stage__stagiair")

    def holds(self, reminder, zorg):
        # Still at the date it was reminded for, and the recipient still one who takes the step.
        return at_midnight(zorg.next_step_on) == reminder.occasion_at and (
            zorg.stage.is_praktijkopleider(reminder.recipient) or zorg.stage.is_werkplekbegeleider(reminder.recipient)
        )

    def compose(self, reminder, zorg, *, now):
        return Message(
            title=_("Zorg over %(stagiair)s: de volgende stap was op %(date)s")
            % {"stagiair": zorg.stage.stagiair.name, "date": date_format(zorg.next_step_on, "l j F")},
            lines=[
                _("De volgende stap: %(step)s") % {"step": zorg.next_step},
                _("Leg vast hoe het ging: pas de volgende stap aan, of sluit de zorg en schrijf op hoe het afliep."),
            ],
            path=reverse("beoordeling:zorg", args=[zorg.pk]),
            action=_("Naar de zorg"),
        )
