"""The reminders of the stagemap: a verslag shared with the school, at once and again when it still waits for its
review; the engine is stagegids/reminders.py."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagegids import reminders
from stagegids.reminders import CATCH_UP, Message
from stagegids.roles import Role

from .models import Verslag


class _SharedVerslag(reminders.Kind):
    """What both reminders of a shared verslag have in common: its mbo-begeleider, while it has no oordeel."""

    subject_type = "verslag"
    # The key holds the time of sharing: a verslag shared again after unsharing is a new occasion.
    key_fields = ("shared_at",)
    recipients = frozenset({Role.MBO_BEGELEIDER})

    def waiting(self, **shared_at):
        return Verslag.objects.filter(review="", stage__mbo_begeleider__is_active=True, **shared_at)

    def to_mbo_begeleider(self, verslagen, occasion):
        return self.to_one(
            verslagen,
            occasion=occasion,
            recipient="stage__mbo_begeleider_id",
            role=Role.MBO_BEGELEIDER,
            per_recipient=True,
        )

    def current(self, reminder, *, now):
        return Verslag.objects.filter(review="").select_related("stage__stagiair", "stage__leerbedrijf")

    def holds(self, reminder, verslag):
        return verslag.stage.mbo_begeleider_id == reminder.recipient_id

    def path(self, verslag):
        return reverse("stagemap:verslag", kwargs={"pk": verslag.pk})


@reminders.register
class VerslagShared(_SharedVerslag):
    """A verslag shared with the school: to the mbo-begeleider of the stage at the next scan, unless he gave his
    oordeel already. A share older than the wait before the reminder below is left to that one (a beat that was
    away for days sends one mail, not two)."""

    code = "verslag_gedeeld"
    label = gettext_lazy("Een verslag is met u gedeeld")
    help_text = gettext_lazy("Zodra een leerbedrijf een verslag met u deelt.")
    order = 49

    def due(self, *, now):
        since = now - timedelta(days=settings.REMINDER_VERSLAG_REVIEW_DAYS)
        return self.to_mbo_begeleider(self.waiting(shared_at__gt=since, shared_at__lte=now), "gedeeld")

    def compose(self, reminder, verslag, *, now):
        return Message(
            title=_("%(leerbedrijf)s deelde een verslag van %(stagiair)s met u")
            % {"leerbedrijf": verslag.stage.leerbedrijf.name, "stagiair": verslag.stage.stagiair.name},
            lines=[
                _("%(title)s is op %(date)s met u gedeeld. U kunt het lezen en uw oordeel geven in de Stagegids.")
                % {"title": verslag.title, "date": date_format(timezone.localtime(verslag.shared_at), "j F Y")},
            ],
            path=self.path(verslag),
            action=_("Verslag lezen"),
        )


@reminders.register
class VerslagReviewWaiting(_SharedVerslag):
    """A verslag shared with the school and not yet reviewed REMINDER_VERSLAG_REVIEW_DAYS later: to the
    mbo-begeleider of the stage."""

    code = "verslag_oordeel"
    label = gettext_lazy("Gedeelde verslagen zonder oordeel")
    help_text = gettext_lazy("Vijf dagen nadat een verslag met de school is gedeeld, als er nog geen oordeel is.")
    order = 50

    def due(self, *, now):
        since = now - timedelta(days=settings.REMINDER_VERSLAG_REVIEW_DAYS)
        return self.to_mbo_begeleider(self.waiting(shared_at__lte=since, shared_at__gt=since - CATCH_UP), "oordeel")

    def compose(self, reminder, verslag, *, now):
        return Message(
            title=_("Verslag van %(stagiair)s wacht op uw oordeel") % {"stagiair": verslag.stage.stagiair.name},
            lines=[
                _("%(title)s is op %(date)s met de school gedeeld en heeft nog geen oordeel.")
                % {"title": verslag.title, "date": date_format(timezone.localtime(verslag.shared_at), "j F Y")},
            ],
            path=self.path(verslag),
            action=_("Naar het verslag"),
        )
