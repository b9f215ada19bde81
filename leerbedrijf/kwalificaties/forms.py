from django import forms
from django.utils.translation import gettext_lazy as _

# The SBB export of every dossier is a few MB; the bound keeps a wrong file from filling the memory of a worker.
MAX_BYTES = 50 * 1024 * 1024


class KwalificatieImportForm(forms.Form):
    """The files of `manage.py import_kwalificaties`, for a beheerder without a shell."""

    xml = forms.FileField(label=_("XML-export van de kwalificatiedossiers van SBB"), required=False)
    crebolijst = forms.FileField(label=_("Crebolijst van SBB (XLSX)"), required=False)
    editie = forms.CharField(
        label=_("Editie van de bron"),
        max_length=50,
        required=False,
        help_text=_("Bijvoorbeeld 2026; komt bij elke rij."),
    )

    def clean(self):
        data = super().clean()
        files = [data.get(name) for name in ("xml", "crebolijst")]
        if not any(files):
            raise forms.ValidationError(_("Kies een XML-export, een crebolijst of allebei."))
        if any(upload.size > MAX_BYTES for upload in files if upload):
            raise forms.ValidationError(
                _("Een bestand is te groot: maximaal %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return data
