"""What the core holds about a person, for the inzage (stagegids.inzage): the account and what was sent to it."""

from django.utils.translation import gettext_lazy as _

from .inzage import QUEUED_FIELDS, Holding, register

register(Holding("stagegids.User", _("Account"), "account", person=("pk",), exclude=("password",), order=0))
register(Holding("stagegids.NotificationPreference", _("Voorkeuren voor herinneringen"), "account", person=("user",)))
register(Holding("stagegids.Notification", _("Meldingen"), "account", person=("user",), order=900))
register(
    Holding(
        "stagegids.Reminder", _("Herinneringen"), "account", person=("recipient",), exclude=QUEUED_FIELDS, order=900
    )
)
# What the person changed, and what was changed on his stages: the audit trail (Wijziging.stage_id is a plain
# integer, so the stages' entries are found by the stage's id).
register(Holding("stagegids.Wijziging", _("Wijzigingen"), "verantwoording", stage="stage_id", person=("user",),
                 order=950))  # fmt: skip
