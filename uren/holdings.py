"""What the uren hold about a person, for the inzage (stagegids.inzage)."""

from django.utils.translation import gettext_lazy as _

from stagegids.inzage import Holding, register

register(Holding("uren.UrenInstelling", _("Instellingen van de uren"), "uren", stage="stage", order=70))
register(Holding("uren.Urenweek", _("Urenweken"), "uren", stage="stage",
                 person=("filled_by", "submitted_by", "approved_by", "returned_by"), order=71))  # fmt: skip
register(Holding("uren.Urendag", _("Uren per dag"), "uren", stage="week__stage", order=72))
register(Holding("uren.Begeleidingsuren", _("Begeleidingsuren"), "uren", stage="week__stage",
                 person=("begeleider",), order=73))  # fmt: skip
register(Holding("uren.Urencorrectie", _("Correcties van uren"), "uren", stage="week__stage", person=("by",),
                 order=74))  # fmt: skip
register(Holding("uren.Ziekmelding", _("Ziekmeldingen"), "uren", stage="stage",
                 person=("reported_by", "recovered_by"), order=75))  # fmt: skip
