from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stagegids import dates
from stagegids.forms import ConfirmForm
from stagegids.roles import LEERBEDRIJF_ROLES, Role

from ..erkenning.forms import EVIDENCE_ACCEPT, evidence_upload
from ..models import (
    COLLEGA_KINDS,
    EARLIEST_COMPLETED_ON,
    Invitation,
    MeewerkendeCollega,
    Membership,
    Stagiair,
    Training,
)


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


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CollegaForm(forms.Form):
    """A meewerkende collega of a stage: a colleague of the company, in a begeleider kind, for a period within the
    stage."""

    user = forms.ModelChoiceField(label=_("Collega"), queryset=get_user_model().objects.none())
    kind = forms.ChoiceField(label=_("Als"), choices=COLLEGA_KINDS, initial=Role.WERKPLEKBEGELEIDER)
    start_date = forms.DateField(label=_("Van"), widget=DATE)
    end_date = forms.DateField(label=_("Tot en met"), widget=DATE)

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        colleagues = Membership.objects.active().filter(leerbedrijf_id=stage.leerbedrijf_id).values("user")
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(pk__in=colleagues, is_active=True)
            .exclude(pk=stage.werkplekbegeleider_id)
            .order_by("name", "pk")
        )
        self.fields["user"].label_from_instance = lambda user: user.display_name
        today = timezone.localdate()
        self.fields["start_date"].initial = min(max(today, stage.start_date), stage.end_date)
        self.fields["end_date"].initial = stage.end_date
        dates.bound_form(self)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Collega toevoegen")))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", _("De periode eindigt niet vóór hij begint."))
            elif start < self.stage.start_date or end > self.stage.end_date:
                self.add_error(
                    None,
                    _("Kies een periode binnen de stage: van %(start)s tot en met %(end)s.")
                    % {
                        "start": date_format(self.stage.start_date, "j F Y"),
                        "end": date_format(self.stage.end_date, "j F Y"),
                    },
                )
            elif end < timezone.localdate():
                self.add_error("end_date", _("Deze periode is al voorbij."))
            elif (
                cleaned.get("user")
                and MeewerkendeCollega.objects.overlapping(
                    stage=self.stage, user=cleaned["user"], start_date=start, end_date=end
                ).exists()
            ):
                self.add_error("user", _("Deze collega werkt in (een deel van) deze periode al mee."))
        return cleaned


class ResendForm(ConfirmForm):
    """The confirm step of sending an invitation again. It names the sending it replaces (when the invitation was
    last sent, as the page showed it), so a second click finds a newer one and sends nothing; a page from before
    this field sends without the check."""

    sent = forms.DateTimeField(widget=forms.HiddenInput, required=False)
