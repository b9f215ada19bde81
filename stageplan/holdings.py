"""What the stageplan holds about a person, for the inzage (stagegids.inzage)."""

from django.utils.translation import gettext_lazy as _

from stagegids.inzage import Holding, register

register(Holding("stageplan.Stageplan", _("Stageplan"), "begeleiding", stage="stage", order=20))
register(Holding("stageplan.StageplanVersion", _("Versies van het stageplan"), "begeleiding",
                 stage="stageplan__stage", person=("created_by", "agreed_by_stagiair", "agreed_by_opleider"),
                 order=21))  # fmt: skip
register(Holding("stageplan.Leerdoel", _("Leerdoelen"), "begeleiding", stage="stageplan__stage", order=22))
register(Holding("stageplan.LeerdoelComment", _("Opmerkingen bij leerdoelen"), "begeleiding",
                 stage="leerdoel__stageplan__stage", person=("author",), order=23))  # fmt: skip
register(Holding("stageplan.Observatie", _("Observaties"), "begeleiding", stage="stage", person=("author",),
                 order=24))  # fmt: skip
register(Holding("stageplan.Moment", _("Planning: gesprekken en beoordelingen"), "begeleiding", stage="stage",
                 order=25))  # fmt: skip
register(Holding("stageplan.MomentVoorstel", _("Voorstellen voor een ander moment"), "begeleiding", stage="stage",
                 person=("proposed_by", "decided_by"), order=26))  # fmt: skip
# The feed's key is a password for the calendar: the export says a feed exists, not its key.
register(Holding("stageplan.CalendarFeed", _("Agenda-koppeling"), "account", person=("user",), exclude=("key",),
                 order=27))  # fmt: skip
