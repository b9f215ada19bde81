from pathlib import PurePath

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def check_pdf(upload):
    """Refuse anything but a pdf, by its first bytes and never by its name, and anything too big."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("Het bestand is te groot: maximaal %(mb)s MB.") % {"mb": DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != "application/pdf":
        raise forms.ValidationError(_("Alleen een pdf kan als overeenkomst; dit bestand is dat niet."))
    return upload


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Getekende overeenkomst (pdf, maximaal 10 MB)"),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": _("Kies het bestand van de getekende overeenkomst.")},
    )

    def clean_file(self):
        upload = check_pdf(self.cleaned_data["file"])
        # The user's own name, only to offer the download under it; stored under a name of the portal's making.
        self.offered_name = f"{PurePath(upload.name).stem[:190]}.pdf"
        return upload


class StudiejaarForm(forms.Form):
    """The studiejaar of a dossier: one of those offered, by its first year."""

    studiejaar = forms.TypedChoiceField(label=_("Studiejaar"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studiejaar"].choices = [(year, f"{year}/{year + 1}") for year in years]
        self.fields["studiejaar"].error_messages["invalid_choice"] = _("Kies een studiejaar uit de lijst.")
