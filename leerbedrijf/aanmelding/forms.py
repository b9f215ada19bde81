import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stagegids.forms import SetPasswordForNewAccountForm

from ..models import Leerbedrijf
from ..models.organisatie import validate_kvk_nummer, validate_postcode, validate_sbb_leerbedrijf_id

COMPANY_FIELDS = ["bedrijfsnaam", "kvk_nummer", "sbb_leerbedrijf_id", "straat", "postcode", "plaats"]
PERSON_FIELDS = ["name", "email", "password1", "password2"]


class AanmeldingForm(SetPasswordForNewAccountForm):
    """The company and its first praktijkopleider; the password part is the one an invited person fills in."""

    bedrijfsnaam = forms.CharField(label=_("Naam van het bedrijf"), max_length=200)
    kvk_nummer = forms.CharField(
        label=_("KvK-nummer"),
        max_length=12,  # room for the spaces some people type; they are removed before the check
        help_text=_("8 cijfers, zoals op het uittreksel van de Kamer van Koophandel."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sbb_leerbedrijf_id = forms.CharField(
        label=_("SBB leerbedrijf-ID (als u dat al heeft)"),
        max_length=20,
        required=False,
        validators=[validate_sbb_leerbedrijf_id],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    straat = forms.CharField(
        label=_("Straat en huisnummer"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "address-line1"})
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        help_text=_("Bijvoorbeeld 3542 DB."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    plaats = forms.CharField(
        label=_("Plaats"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        help_text=_("Hiermee logt u in. U krijgt er een e-mail op om de aanmelding te bevestigen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = COMPANY_FIELDS + PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, email="", **kwargs)
        # Whether this submission asked about an existing leerbedrijf or account: such an answer counts towards
        # the throttle, like a submission that sends a mail.
        self.asked_about_existing = False
        # The new account's form is shared with a stagiair's invitation, where its label says neither je nor u.
        self.fields["name"].label = _("Uw naam")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.helper = FormHelper()
        # The server's Dutch messages, not the browser's (which may speak another language).
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("Uw bedrijf"), *COMPANY_FIELDS),
            Fieldset(_("U, de praktijkopleider"), *PERSON_FIELDS),
        )
        self.helper.add_input(Submit("submit", _("Aanmelden")))

    def clean_kvk_nummer(self):
        kvk = re.sub(r"[\s.]", "", self.cleaned_data["kvk_nummer"])
        validate_kvk_nummer(kvk)
        if Leerbedrijf.objects.filter(kvk_nummer=kvk).exists():
            self.asked_about_existing = True
            # Says no more than that the number is taken: not by whom, nor since when.
            raise forms.ValidationError(
                _(
                    "Dit KvK-nummer is al aangemeld in de Stagegids. Werkt u bij dit bedrijf? Vraag dan de "
                    "praktijkopleider om een uitnodiging, of neem contact op met Wij Techniek."
                )
            )
        return kvk

    def clean_postcode(self):
        compact = re.sub(r"\s", "", self.cleaned_data["postcode"]).upper()
        postcode = f"{compact[:4]} {compact[4:]}"
        validate_postcode(postcode)
        return postcode

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            self.asked_about_existing = True
            raise forms.ValidationError(
                _(
                    "Met dit e-mailadres is al een account gemaakt. Log daarmee in; wilt u nog een bedrijf "
                    "aanmelden, neem dan contact op met Wij Techniek."
                )
            )
        return email

    def clean(self):
        # The password may not look like the address it belongs to (UserAttributeSimilarityValidator).
        self.email = self.cleaned_data.get("email", "")
        return super().clean()

    def aanmelding_fields(self):
        data = self.cleaned_data
        return {
            "name": data["bedrijfsnaam"],
            "kvk_nummer": data["kvk_nummer"],
            "sbb_leerbedrijf_id": data["sbb_leerbedrijf_id"],
            "straat": data["straat"],
            "postcode": data["postcode"],
            "plaats": data["plaats"],
            "contact_name": data["name"],
            "email": data["email"],
            "password": data["password1"],
        }
