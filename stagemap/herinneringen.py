"""The reminders of the stagemap: a verslag shared with the school that waits for its review; the engine is
stagegids/reminders.py."""

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


@reminders.register
class VerslagReviewWaiting(reminders.Kind):
    """A verslag shared with the school and not yet reviewed REMINDER_VERSLAG_REVIEW_DAYS later: to the
    mbo-begeleider of the stage."""

    code = "verslag_oordeel"
    subject_type = "verslag"
    # The key holds the time of sharing: a verslag shared again after unsharing is a new occasion.
    key_fields = ("shared_at",)
    recipients = frozenset({Role.MBO_BEGELEIDER})
    label = gettext_lazy("Gedeelde verslagen zonder oordeel")
    help_text = gettext_lazy("Vijf dagen nadat een verslag met de school is gedeeld, als er nog geen oordeel is.")
    order = 50

    def due(self, *, now):
        since = now - timedelta(days=settings.REMINDER_VERSLAG_REVIEW_DAYS)
        verslagen = Verslag.objects.filter(
            shared_at__lte=since,
            shared_at__gt=since - CATCH_UP,
            review="",
            stage__mbo_begeleider__is_active=True,
        )
        return self.to_one(
            verslagen,
            occasion="oordeel",
            recipient="stage__mbo_begeleider_id",
            role=Role.MBO_BEGELEIDER,
            per_recipient=True,
        )

    def current(self, reminder, *, now):
        return Verslag.objects.filter(review="").select_related("stage__stagiair")

    def holds(self, reminder, verslag):
        return verslag.stage.mbo_begeleider_id == reminder.recipient_id

    def compose(self, reminder, verslag, *, now):
        return Message(
            title=_("Verslag van %(stagiair)s wacht op uw oordeel") % {"stagiair": verslag.stage.stagiair.name},
            lines=[
                _("%(title)s is op %(date)s met de school gedeeld en heeft nog geen oordeel.")
                % {"title": verslag.title, "date": date_format(timezone.localtime(verslag.shared_at), "j F Y")},
            ],
            path=reverse("stagemap:stagemap", kwargs={"pk": verslag.stage_id}) + f"#verslag-{verslag.pk}",
            action=_("Naar het verslag"),
        )
