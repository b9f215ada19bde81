"""The reminders of the leerbedrijf's chapters: onboarding (ch. 6) and erkenning (ch. 3); the engine is
stagegids/reminders.py. Also what the core needs to know of people: their praktijkopleiders and their roles."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagegids import reminders, roles
from stagegids.dates import add_months
from stagegids.reminders import Due, Message, at_midnight
from stagegids.roles import LEERBEDRIJF_ROLES, Role

from .models import (
    Erkenning,
    ErkenningStatus,
    Membership,
    OnboardingItem,
    Stage,
    Stagiair,
    roles_of,
    running_stages,
)

# An interrupted or ended stage gets no more reminders, of any kind (the engine applies it).
reminders.register_stage_filter(running_stages, model=Stage)


@roles.register_holder
def held_roles(user):
    """The roles of the user's memberships, and stagiair when they are one."""
    held = roles_of(user).held()
    if Stagiair.objects.filter(user=user).exists():
        held.add(Role.STAGIAIR)
    return held


def opleiders_of(leerbedrijf_ids):
    """{leerbedrijf id: [user ids]} of the active praktijkopleiders, in one query."""
    found = defaultdict(list)
    rows = Membership.objects.active().filter(
        role=Role.PRAKTIJKOPLEIDER, leerbedrijf_id__in=leerbedrijf_ids, user__is_active=True
    )
    for user_id, leerbedrijf_id in rows.values_list("user_id", "leerbedrijf_id").order_by("pk"):
        found[leerbedrijf_id].append(user_id)
    return found


def is_opleider_at(user_id, leerbedrijf):
    """Exists of `user_id`'s active praktijkopleider role at `leerbedrijf` (an id or an OuterRef): annotated on the
    subjects of a reminder kind's current(), so that its holds() asks the database nothing of its own."""
    return Exists(
        Membership.objects.active().filter(
            role=Role.PRAKTIJKOPLEIDER, leerbedrijf_id=leerbedrijf, user_id=user_id, user__is_active=True
        )
    )


def is_opleider(user_id, leerbedrijf_id):
    return user_id in opleiders_of({leerbedrijf_id}).get(leerbedrijf_id, [])


@reminders.register
class OnboardingDue(reminders.Kind):
    """An open onboarding item, to its responsible person REMINDER_ONBOARDING_LEAD_DAYS before its due date."""

    code = "onboarding"
    subject_type = "onboarding_item"
    # An item whose due date passed this long ago during an outage is still reminded; older ones are not news.
    catch_up = timedelta(weeks=1)
    recipients = frozenset(LEERBEDRIJF_ROLES)
    label = gettext_lazy("Onboarding-acties")
    help_text = gettext_lazy("Op of vlak voor de dag dat een onboarding-actie van u af moet zijn.")
    order = 40

    def due(self, *, now):
        today = timezone.localdate(now)
        items = OnboardingItem.objects.open().filter(
            due_date__lte=today + timedelta(days=settings.REMINDER_ONBOARDING_LEAD_DAYS),
            due_date__gt=today - self.catch_up,
            stage__end_date__gte=today,
            responsible__is_active=True,
        )
        rows = items.values_list("pk", "due_date", "responsible_id", "stage__werkplekbegeleider_id")
        # The key holds the due date and the recipient: a new date or a new responsible person is a new reminder.
        return self.not_yet_made(
            [
                Due(pk, "uiterlijk", at_midnight(day), user_id, self.role_of(user_id, werkplekbegeleider_id))
                for pk, day, user_id, werkplekbegeleider_id in rows
            ],
            "recipient_id",
        )

    @staticmethod
    def role_of(user_id, werkplekbegeleider_id):
        return Role.WERKPLEKBEGELEIDER if user_id == werkplekbegeleider_id else Role.PRAKTIJKOPLEIDER

    def current(self, reminder, *, now):
        return (
            OnboardingItem.objects.open()
            .filter(stage__end_date__gte=timezone.localdate(now))
            .select_related("stage__stagiair")
        )

    def holds(self, reminder, item):
        return item.responsible_id == reminder.recipient_id and at_midnight(item.due_date) == reminder.occasion_at

    def compose(self, reminder, item, *, now):
        return Message(
            title=_("Onboarding van %(stagiair)s: uiterlijk %(date)s")
            % {"stagiair": item.stage.stagiair.name, "date": date_format(item.due_date, "l j F")},
            lines=[
                _("U bent verantwoordelijk voor: %(text)s") % {"text": item.text},
                _("Vink de actie af als die klaar is."),
            ],
            path=reverse("leerbedrijf:onboarding", kwargs={"pk": item.stage_id}) + f"#actie-{item.pk}",
            action=_("Naar de onboarding"),
        )


@reminders.register
class ErkenningHerbeoordeling(reminders.Kind):
    """An erkenning whose herbeoordeling (every ERKENNING_VALID_YEARS) falls within REMINDER_ERKENNING_MONTHS."""

    code = "erkenning_herbeoordeling"
    subject_type = "erkenning"
    stage_lookup = None
    recipients = frozenset({Role.PRAKTIJKOPLEIDER})
    label = gettext_lazy("Herbeoordeling van een erkenning")
    help_text = gettext_lazy("Drie maanden voordat SBB de erkenning opnieuw beoordeelt.")
    order = 90

    @staticmethod
    def due_on(erkenning):
        base = erkenning.last_herbeoordeling or erkenning.granted_on
        return add_months(base, 12 * settings.ERKENNING_VALID_YEARS) if base else None

    def due(self, *, now):
        today = timezone.localdate(now)
        months = 12 * settings.ERKENNING_VALID_YEARS
        # Due within the coming months, or overdue by less than a year (an older one is not news any more).
        erkenningen = list(
            Erkenning.objects.erkend()
            .annotate(base=Coalesce("last_herbeoordeling", "granted_on"))
            .filter(
                base__lte=add_months(today, settings.REMINDER_ERKENNING_MONTHS - months),
                base__gt=add_months(today, -12 - months),
            )
            .only("pk", "leerbedrijf_id", "last_herbeoordeling", "granted_on")
        )
        opleiders = opleiders_of({erkenning.leerbedrijf_id for erkenning in erkenningen})
        # A new herbeoordeling moves the due date, which is the key's time: a new reminder.
        return self.not_yet_made(
            [
                Due(e.pk, "herbeoordeling", at_midnight(self.due_on(e)), user_id, Role.PRAKTIJKOPLEIDER)
                for e in erkenningen
                for user_id in opleiders.get(e.leerbedrijf_id, [])
            ],
        )

    def current(self, reminder, *, now):
        return Erkenning.objects.filter(status=ErkenningStatus.ERKEND).select_related("leerbedrijf", "kwalificatie")

    def holds(self, reminder, erkenning):
        return self.due_on(erkenning) == timezone.localdate(reminder.occasion_at) and is_opleider(
            reminder.recipient_id, erkenning.leerbedrijf_id
        )

    def compose(self, reminder, erkenning, *, now):
        names = {"leerbedrijf": erkenning.leerbedrijf.name, "kwalificatie": erkenning.kwalificatie.name}
        return Message(
            title=_("Herbeoordeling van de erkenning voor %(kwalificatie)s") % names,
            lines=[
                _(
                    "SBB beoordeelt de erkenning van %(leerbedrijf)s voor %(kwalificatie)s "
                    "uiterlijk op %(date)s opnieuw."
                )
                % {**names, "date": date_format(self.due_on(erkenning), "j F Y")},
                _("Zorg dat de checklist en de bewijzen op orde zijn."),
            ],
            path=erkenning.leerbedrijf.get_absolute_url(),
            action=_("Naar uw leerbedrijf"),
        )
