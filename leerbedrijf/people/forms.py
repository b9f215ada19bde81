from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids.roles import LEERBEDRIJF_ROLES, Role

from ..erkenning.forms import EVIDENCE_ACCEPT, evidence_upload
from ..models import EARLIEST_COMPLETED_ON, Invitation, Membership, Stagiair, Training


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(
        label=_("Rol"),
        # No default: the person must choose (an empty choice is refused as a required field).
        choices=[("", BLANK_CHOICE_LABEL), *((role.value, role.label) for role in (*LEERBEDRIJF_ROLES, Role.STAGIAIR))],
    )
    stagiair = forms.ModelChoiceField(
        label=_("Stagiair"),
        queryset=Stagiair.objects.none(),
        required=False,
        help_text=_("Alleen bij de rol stagiair: wie krijgt toegang tot zijn of haar eigen stage?"),
    )

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        self.leerbedrijf = leerbedrijf
        self.fields["stagiair"].queryset = leerbedrijf.stagiairs.filter(user__isnull=True)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Uitnodiging versturen")))

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        role, email, stagiair = cleaned.get("role"), cleaned.get("email"), cleaned.get("stagiair")
        if role == Role.STAGIAIR and stagiair is None:
            self.add_error("stagiair", _("Kies de stagiair die deze uitnodiging krijgt."))
        if role != Role.STAGIAIR:
            cleaned["stagiair"] = None
        if role and email:
            if (
                Membership.objects.active()
                .filter(leerbedrijf=self.leerbedrijf, role=role, user__email__iexact=email)
                .exists()
            ):
                self.add_error("email", _("Deze persoon heeft deze rol al in uw bedrijf."))
            elif Invitation.objects.open().filter(leerbedrijf=self.leerbedrijf, role=role, email=email).exists():
                self.add_error("email", _("Deze persoon heeft al een openstaande uitnodiging voor deze rol."))
        return cleaned


class NameForm(forms.ModelForm):
    """The name colleagues see; the e-mail address is how the person logs in and is changed by the beheerder."""

    class Meta:
        model = get_user_model()
        fields = ["name"]
        labels = {"name": _("Naam")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Naam opslaan")))


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["name", "provider", "completed_on", "certificate"]
        labels = {"certificate": _("Certificaat (pdf, png of jpg, maximaal 5 MB; niet verplicht)")}
        help_texts = {"name": _("Bijvoorbeeld: Training praktijkopleider.")}
        widgets = {
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "certificate": forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.certificate_name = ""
        self.fields["completed_on"].widget.attrs.update(
            min=EARLIEST_COMPLETED_ON.isoformat(), max=timezone.localdate().isoformat()
        )

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst: vul in wanneer u de training afrondde."))
        if day < EARLIEST_COMPLETED_ON:
            raise forms.ValidationError(
                _("Een datum vóór %(year)s kan niet kloppen.") % {"year": EARLIEST_COMPLETED_ON.year}
            )
        return day

    def clean_certificate(self):
        upload = self.cleaned_data.get("certificate")
        if upload and upload is not self.instance.certificate:
            upload, self.certificate_name = evidence_upload(upload, stored_as="certificaat")
            return upload
        return None
