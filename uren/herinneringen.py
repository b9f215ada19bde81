"""The reminders of the hours (the engine is stagegids/reminders.py): a week not filled in, to the stagiair and the
werkplekbegeleider, and a week handed in but not approved, to the werkplekbegeleider and the praktijkopleiders."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.herinneringen import is_opleider, opleiders_of
from leerbedrijf.models import Stage, running_stages
from stagegids import reminders
from stagegids.reminders import CATCH_UP, Due, Message, at_midnight
from stagegids.roles import BEGELEIDER_ROLES, Role

from .models import OPEN_STATUSES, Urenweek, WeekStatus, keeping_hours, monday_of, week_url


def week_name(week_start):
    return _("week %(number)s (%(from)s tot en met %(to)s)") % {
        "number": week_start.isocalendar()[1],
        "from": date_format(week_start, "j F"),
        "to": date_format(week_start + timedelta(days=6), "j F"),
    }


def unfilled_stages(week_start):
    """The stages running in the week whose hours for it are not handed in (nor approved), at leerbedrijven that
    keep hours in the Stagegids."""
    handed_in = Urenweek.objects.filter(week_start=week_start).exclude(status__in=OPEN_STATUSES)
    # An interrupted or ended stage is asked nothing more (issue 15).
    running = Stage.objects.filter(
        running_stages(), start_date__lte=week_start + timedelta(days=6), end_date__gte=week_start
    )
    return keeping_hours(running).exclude(pk__in=handed_in.values("stage_id"))


@reminders.register
class UrenNietIngevuld(reminders.Kind):
    """A week of a stage not handed in by the Monday after it: to the stagiair and the werkplekbegeleider, for the
    last REMINDER_UREN_WEEKS_BACK weeks, at a leerbedrijf that keeps hours here. The occasion is the week's Monday."""

    code = "uren_invullen"
    subject_type = "stage"
    recipients = frozenset({Role.STAGIAIR, *BEGELEIDER_ROLES})
    label = gettext_lazy("Uren van een week nog niet ingevuld")
    help_text = gettext_lazy("De maandag na een week waarvan de uren nog niet zijn ingediend.")
    order = 75

    def due(self, *, now):
        this_monday = monday_of(timezone.localdate(now))
        dues = []
        for back in range(1, settings.REMINDER_UREN_WEEKS_BACK + 1):
            week_start = this_monday - timedelta(days=7 * back)
            occasion_at = at_midnight(week_start + timedelta(days=7))
            rows = unfilled_stages(week_start).values_list("pk", "stagiair__user_id", "werkplekbegeleider_id")
            for pk, stagiair_id, werkplekbegeleider_id in rows:
                for user_id, role in ((stagiair_id, Role.STAGIAIR), (werkplekbegeleider_id, Role.WERKPLEKBEGELEIDER)):
                    if user_id:
                        dues.append(Due(pk, week_start.isoformat(), occasion_at, user_id, role))
        return self.not_yet_made(dues, "occasion", "recipient_id")

    def current(self, reminder, *, now):
        # The engine asks without a reminder for the subjects' model only.
        if reminder is None:
            return Stage.objects.none()
        return unfilled_stages(date.fromisoformat(reminder.occasion)).select_related("stagiair")

    def holds(self, reminder, stage):
        if reminder.role == Role.STAGIAIR:
            return stage.stagiair.user_id == reminder.recipient_id
        return stage.werkplekbegeleider_id == reminder.recipient_id

    def compose(self, reminder, stage, *, now):
        week_start = date.fromisoformat(reminder.occasion)
        if reminder.role == Role.STAGIAIR:
            title = _("Vul je uren in van %(week)s") % {"week": week_name(week_start)}
            lines = [
                _("Je uren van deze week zijn nog niet ingediend."),
                _("Was het een normale week? Dan is het één tik op ‘Normale week bevestigen’."),
            ]
        else:
            title = _("Uren van %(stagiair)s over %(week)s nog niet ingevuld") % {
                "stagiair": stage.stagiair.name,
                "week": week_name(week_start),
            }
            lines = [_("De uren van deze week zijn nog niet ingediend. U kunt ze ook zelf invullen.")]
        return Message(title=title, lines=lines, path=week_url(stage, week_start), action=_("Naar de week"))


@reminders.register
class UrenNietAkkoord(reminders.Kind):
    """A week handed in REMINDER_UREN_APPROVE_DAYS ago and not approved nor sent back: to the werkplekbegeleider
    and the praktijkopleiders. Handed in again (after being sent back) is a new occasion."""

    code = "uren_akkoord"
    subject_type = "urenweek"
    key_fields = ("submitted_at",)
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES})
    label = gettext_lazy("Uren nog niet akkoord")
    help_text = gettext_lazy("Twee dagen nadat de uren van een week werden ingediend.")
    order = 76

    def due(self, *, now):
        waiting = Urenweek.objects.filter(
            status=WeekStatus.INGEDIEND,
            submitted_at__lte=now - timedelta(days=settings.REMINDER_UREN_APPROVE_DAYS),
            submitted_at__gt=now - CATCH_UP,
        ).filter(self.not_yet("akkoord"))
        weeks = list(waiting.values_list("pk", "submitted_at", "stage__leerbedrijf_id", "stage__werkplekbegeleider_id"))
        opleiders = opleiders_of({leerbedrijf_id for _pk, _at, leerbedrijf_id, _wpb in weeks})
        dues = []
        for pk, submitted_at, leerbedrijf_id, werkplekbegeleider_id in weeks:
            people = {user_id: Role.PRAKTIJKOPLEIDER for user_id in opleiders.get(leerbedrijf_id, [])}
            if werkplekbegeleider_id:
                people.setdefault(werkplekbegeleider_id, Role.WERKPLEKBEGELEIDER)
            dues.extend(Due(pk, "akkoord", submitted_at, user_id, role) for user_id, role in people.items())
        return dues

    def current(self, reminder, *, now):
        return Urenweek.objects.filter(status=WeekStatus.INGEDIEND).select_related("stage__stagiair")

    def holds(self, reminder, week):
        if reminder.role == Role.WERKPLEKBEGELEIDER:
            return week.stage.werkplekbegeleider_id == reminder.recipient_id
        return is_opleider(reminder.recipient_id, week.stage.leerbedrijf_id)

    def compose(self, reminder, week, *, now):
        return Message(
            title=_("Uren van %(stagiair)s over %(week)s wachten op akkoord")
            % {"stagiair": week.stage.stagiair.name, "week": week_name(week.week_start)},
            lines=[
                _("De uren zijn ingediend op %(when)s.")
                % {"when": date_format(timezone.localtime(week.submitted_at), "l j F")},
                _("Geef akkoord, of stuur de week terug met een reden."),
            ],
            path=week_url(week.stage, week.week_start),
            action=_("Naar de week"),
        )
