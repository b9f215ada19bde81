"""What the stagemap holds about a person, for the inzage (stagegids.inzage)."""

from django.utils.translation import gettext_lazy as _

from stagegids.inzage import QUEUED_FIELDS, Holding, register

register(Holding("stagemap.Verslag", _("Verslagen in de stagemap"), "stagemap", stage="stage",
                 person=("created_by", "shared_by", "reviewed_by"), order=60))  # fmt: skip
register(Holding("stagemap.VerslagComment", _("Opmerkingen bij verslagen"), "stagemap", stage="verslag__stage",
                 person=("author",), order=61))  # fmt: skip
# Who asked for the whole map as one pdf, and when; the pdf itself is the verslagen above again.
register(Holding("stagemap.StagemapExport", _("Stagemap als pdf gevraagd"), "stagemap", stage="stage",
                 person=("requested_by",), exclude=(*QUEUED_FIELDS, "file"), order=62))  # fmt: skip
