"""The reminders of the tegemoetkomingen (the engine is stagegids/reminders.py): the STIP's last day to apply, six
months after the start, and the window of the Subsidieregeling praktijkleren. Both reach the praktijkopleiders,
who apply; the dates come from the schemes' rows, so a row the beheerder corrects moves the reminder."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.herinneringen import is_opleider, opleiders_of
from leerbedrijf.models import Leerbedrijf, Leerweg, Stage
from stagegids import reminders
from stagegids.dates import add_months
from stagegids.reminders import Due, Message, at_midnight
from stagegids.roles import Role

from . import weeks as w
from .models import Regeling, Regelingsjaar


def _stip_deadline(stage, figures):
    row = next(
        (r for r in figures if r.regeling == Regeling.STIP and r.valid_from <= stage.start_date <= r.valid_until),
        None,
    )
    if row is None or row.deadline_months is None:
        return None
    return w.stip_deadline(stage.start_date, row.deadline_months)


@reminders.register
class StipAanvragen(reminders.Kind):
    """A bbl stage whose last day to ask for the STIP comes within REMINDER_STIP_LEAD_DAYS."""

    code = "stip_aanvragen"
    subject_type = "stage"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER})
    label = gettext_lazy("STIP aanvragen")
    help_text = gettext_lazy("Een maand voordat de termijn om de STIP aan te vragen afloopt (zes maanden na de start).")
    order = 95

    def due(self, *, now):
        today = timezone.localdate(now)
        figures = list(Regelingsjaar.objects.filter(regeling=Regeling.STIP))
        longest = max((row.deadline_months or 0 for row in figures), default=0)
        stages = list(
            Stage.objects.filter(
                leerweg=Leerweg.BBL, start_date__gt=add_months(today, -longest), start_date__lte=today
            ).only("pk", "leerbedrijf_id", "start_date")
        )
        soon = today + timedelta(days=settings.REMINDER_STIP_LEAD_DAYS)
        dues = []
        opleiders = opleiders_of({stage.leerbedrijf_id for stage in stages})
        for stage in stages:
            deadline = _stip_deadline(stage, figures)
            if deadline is None or not today <= deadline <= soon:
                continue
            for user_id in opleiders.get(stage.leerbedrijf_id, []):
                dues.append(Due(stage.pk, "stip", at_midnight(deadline), user_id, Role.PRAKTIJKOPLEIDER))
        return self.not_yet_made(dues)

    def current(self, reminder, *, now):
        return Stage.objects.filter(leerweg=Leerweg.BBL).select_related("stagiair", "leerbedrijf")

    def holds(self, reminder, stage):
        deadline = _stip_deadline(stage, list(Regelingsjaar.objects.filter(regeling=Regeling.STIP)))
        return deadline == timezone.localdate(reminder.occasion_at) and is_opleider(
            reminder.recipient_id, stage.leerbedrijf_id
        )

    def compose(self, reminder, stage, *, now):
        names = {
            "stagiair": stage.stagiair.name,
            "date": date_format(timezone.localdate(reminder.occasion_at), "j F Y"),
        }
        return Message(
            title=_("STIP voor %(stagiair)s aanvragen uiterlijk %(date)s") % names,
            lines=[
                _("De STIP van Wij Techniek voor %(stagiair)s kan tot en met %(date)s worden aangevraagd.") % names,
                _("Daarna neemt Wij Techniek de aanvraag niet meer in behandeling."),
            ],
            path=reverse("tegemoetkoming:stage", args=[stage.pk]),
            action=_("Naar de tegemoetkomingen"),
        )


@reminders.register
class PraktijklerenAanvragen(reminders.Kind):
    """The window of the Subsidieregeling praktijkleren is open, for a company with a bbl stage in its
    studiejaar: once per company and studiejaar, when the window opens."""

    code = "praktijkleren_aanvragen"
    subject_type = "leerbedrijf"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER})
    label = gettext_lazy("Subsidieregeling praktijkleren aanvragen")
    # The application is the company's, for a studiejaar gone by: its stages may well have ended since.
    stage_lookup = None
    help_text = gettext_lazy("Als het aanvraagtijdvak voor een afgelopen studiejaar opengaat.")
    order = 96

    @staticmethod
    def open_windows(today):
        return list(
            Regelingsjaar.objects.filter(
                regeling=Regeling.PRAKTIJKLEREN, window_opens__lte=today, window_closes__gte=today
            )
        )

    def due(self, *, now):
        today = timezone.localdate(now)
        dues = []
        for row in self.open_windows(today):
            bbl = Stage.objects.filter(
                leerbedrijf=OuterRef("pk"),
                leerweg=Leerweg.BBL,
                start_date__lte=row.valid_until,
                end_date__gte=row.valid_from,
            )
            ids = list(Leerbedrijf.objects.filter(Exists(bbl)).values_list("pk", flat=True))
            opleiders = opleiders_of(ids)
            occasion = f"studiejaar-{row.valid_from.year}"
            dues.extend(
                Due(pk, occasion, at_midnight(row.window_closes), user_id, Role.PRAKTIJKOPLEIDER)
                for pk in ids
                for user_id in opleiders.get(pk, [])
            )
        return self.not_yet_made(dues)

    def current(self, reminder, *, now):
        return Leerbedrijf.objects.all()

    def holds(self, reminder, leerbedrijf):
        closes = timezone.localdate(reminder.occasion_at)
        still_open = any(row.window_closes == closes for row in self.open_windows(timezone.localdate()))
        return still_open and is_opleider(reminder.recipient_id, leerbedrijf.pk)

    def compose(self, reminder, leerbedrijf, *, now):
        year = int(reminder.occasion.rsplit("-", 1)[1])
        names = {
            "leerbedrijf": leerbedrijf.name,
            "studiejaar": f"{year}/{year + 1}",
            "date": date_format(timezone.localdate(reminder.occasion_at), "j F Y"),
        }
        return Message(
            title=_("Subsidieregeling praktijkleren %(studiejaar)s aanvragen tot en met %(date)s") % names,
            lines=[
                _(
                    "Het aanvraagtijdvak van de Subsidieregeling praktijkleren voor studiejaar %(studiejaar)s is open "
                    "tot en met %(date)s. %(leerbedrijf)s begeleidde in dat studiejaar bbl-studenten."
                )
                % names,
                _("Het overzicht toont per stagiair de weken die meetellen en maakt het dossier voor de aanvraag."),
            ],
            path=reverse("tegemoetkoming:overzicht", args=[leerbedrijf.pk]) + f"?studiejaar={year}",
            action=_("Naar de tegemoetkomingen"),
        )
