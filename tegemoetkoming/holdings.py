"""What the tegemoetkomingen hold about a person, for the inzage (stagegids.inzage)."""

from django.utils.translation import gettext_lazy as _

from stagegids.inzage import QUEUED_FIELDS, Holding, register

register(Holding("tegemoetkoming.StageDocument", _("Pok en bpv-overeenkomst"), "tegemoetkoming", stage="stage",
                 person=("uploaded_by",), order=85))  # fmt: skip
# A dossier is the company's application; what it says about the stagiair (hours, the pok) is in the export as
# those rows and files, so its pdf and xlsx, made for the subsidy, are not copied in again.
register(Holding("tegemoetkoming.Dossier", _("Dossiers voor een tegemoetkoming"), "tegemoetkoming", stage="stage",
                 exclude=(*QUEUED_FIELDS, "file", "sheet"), order=86))  # fmt: skip
