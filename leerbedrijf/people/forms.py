from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils.translation import gettext_lazy as _

from stagegids.roles import LEERBEDRIJF_ROLES, Role

from ..models import Invitation, Membership, Stagiair


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
