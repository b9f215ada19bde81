from pathlib import PurePath

import filetype
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids import dates
from stagegids.documents import strip_pdf
from stagegids.forms import BoundedTexts
from stagegids.images import FORMATS as IMAGE_FORMATS
from stagegids.images import strip_image

from ..models import Erkenning, ErkenningCheck, ErkenningStatus, Kwalificatie, Werkproces

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Decided by the file's content, never by its name: a renamed file is refused.
EVIDENCE_TYPES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class ErkenningForm(forms.ModelForm):
    class Meta:
        model = Erkenning
        fields = [
            "kwalificatie",
            "status",
            "sbb_reference",
            "applied_on",
            "granted_on",
            "last_herbeoordeling",
            "withdrawn_on",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ["applied_on", "granted_on", "last_herbeoordeling", "withdrawn_on"]
        }
        help_texts = {"withdrawn_on": _("Alleen bij de status ingetrokken; leeg laten is vandaag.")}

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.leerbedrijf = leerbedrijf
        if self.instance.pk:
            del self.fields["kwalificatie"]
        else:
            self.fields["kwalificatie"].queryset = Kwalificatie.objects.exclude(
                erkenningen__leerbedrijf=leerbedrijf
            ).order_by("name")
        dates.bound_form(self)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == ErkenningStatus.ERKEND and not data.get("granted_on"):
            self.add_error("granted_on", _("Vul in wanneer SBB het bedrijf erkende."))
        if status == ErkenningStatus.AANGEVRAAGD and not data.get("applied_on"):
            self.add_error("applied_on", _("Vul in wanneer de erkenning is aangevraagd."))
        applied, granted = data.get("applied_on"), data.get("granted_on")
        if applied and granted and granted < applied:
            self.add_error("granted_on", _("De erkenning kan niet vóór de aanvraag liggen."))
        herbeoordeling = data.get("last_herbeoordeling")
        if herbeoordeling and granted and herbeoordeling < granted:
            self.add_error("last_herbeoordeling", _("Een herbeoordeling kan niet vóór de erkenning liggen."))
        return data

    def save(self, commit=True):
        erkenning = super().save(commit=False)
        if erkenning.status == ErkenningStatus.INGETROKKEN and not erkenning.withdrawn_on:
            erkenning.withdrawn_on = timezone.localdate()
        elif erkenning.status != ErkenningStatus.INGETROKKEN:
            erkenning.withdrawn_on = None
        if commit:
            erkenning.save()
        return erkenning


def check_evidence(upload):
    """Refuse anything but a pdf, png or jpg by its first bytes, and anything too big."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(
            _("Het bestand is te groot: maximaal %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise forms.ValidationError(_("Alleen een pdf, png of jpg kan als bewijsstuk; dit bestand is dat niet."))
    return kind


def evidence_upload(upload, *, stored_as):
    """Check an uploaded file as evidence (check_evidence) and name it by what it is, not by what its name claims.

    Returns the file to store, named `stored_as` with the extension of its content, and the name to offer the
    download under: the person's own file name with that extension.
    """
    kind = check_evidence(upload)
    extension = EVIDENCE_TYPES[kind.mime]
    offered = f"{PurePath(upload.name).stem}{extension}"
    # A photo of a document carries where and when it was taken, like an observatie's photo; a pdf names its author
    # and the software it was made with.
    upload = strip_image(upload, kind.mime) if kind.mime in IMAGE_FORMATS else strip_pdf(upload)
    upload.name = f"{stored_as}{extension}"
    return upload, offered


class ErkenningCheckForm(BoundedTexts, forms.ModelForm):
    class Meta:
        model = ErkenningCheck
        fields = ["done", "note", "evidence"]
        labels = {"done": _("Geregeld"), "evidence": _("Bewijsstuk (pdf, png of jpg, maximaal 5 MB)")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "evidence": forms.FileInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = EVIDENCE_ACCEPT
        self.evidence_name = ""
        prefix = f"check-{self.instance.pk}"
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"{prefix}-{name}"

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and upload is not self.instance.evidence:
            upload, self.evidence_name = evidence_upload(upload, stored_as="bewijsstuk")
            return upload
        return None


class WerkprocessenForm(forms.Form):
    unavailable = forms.ModelMultipleChoiceField(
        queryset=Werkproces.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, erkenning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unavailable"].queryset = Werkproces.objects.for_kwalificatie(erkenning.kwalificatie)
