import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import Delivery, User

# What one free text may hold (a part of a gesprek, a remark, a reason): a few pages.
MAX_TEXT = 5000
TOO_LONG = _("Houd het korter: hoogstens %(limit_value)d tekens (nu %(show_value)d).")


class TextLengthValidator(MaxLengthValidator):
    """A textarea's length as the browser counts it for maxlength: a line break is one character, which the form
    sends as two (CR LF). Counted as Django does, a text the browser let through up to its bound would be refused."""

    def clean(self, x):
        return len(x.replace("\r\n", "\n"))


def bound(field, max_length=MAX_TEXT):
    """`field` (a CharField without a bound of its own) bounded: the browser keeps to the bound (maxlength), so a
    paste is cut off where the user sees it; past it, the server refuses in Dutch. The same field, for a chained
    call."""
    field.max_length = max_length
    field.validators.append(TextLengthValidator(max_length))
    field.widget.attrs["maxlength"] = str(max_length)
    field.error_messages = {**field.error_messages, "max_length": TOO_LONG}
    return field


def bounded_text(label=None, *, rows=4, max_length=MAX_TEXT, required=False, **kwargs):
    """A free text of a form, bounded as `bound` says."""
    return bound(
        forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs),
        max_length,
    )


class BoundedTexts:
    """A form (a ModelForm, mostly) whose free texts without a bound of their own get MAX_TEXT: a model's TextField
    has none, and an unbounded field lets a paste of megabytes through to the 400 page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None and not field.widget.is_hidden:
                bound(field)


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters in het wachtwoord."
        ),
        "inactive": _(
            "Dit account is gedeactiveerd: u kunt er niet meer mee inloggen. Klopt dat niet, neem dan contact op met "
            "uw praktijkopleider of de beheerder van de Stagegids."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            # Django's backend does not let a deactivated account authenticate, so the form would call it a wrong
            # password. Whoever knows the password is told the account was deactivated; anyone else learns nothing.
            if error.code == "invalid_login" and self._is_deactivated():
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from error
            raise

    def _is_deactivated(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        user = User.objects.filter(email__iexact=email, is_active=False).first() if email and password else None
        return user is not None and user.check_password(password)


class SetPasswordForNewAccountForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        if p1:
            try:
                password_validation.validate_password(p1, User(email=self.email, name=cleaned.get("name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form sends the mail inside the request; this one leaves it to the outbox."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        outbox.queue(
            template="password_reset",
            to=to_email,
            context={"link": f"{context['protocol']}://{context['domain']}{path}"},
        )


class ReminderPreferencesForm(forms.Form):
    """One choice per kind of reminder; "off" is missing where the person may not switch the kind off."""

    def __init__(self, *args, kinds, current, roles, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            mandatory = bool(kind.mandatory_for & roles)
            choices = [(value, label) for value, label in Delivery.choices if not (mandatory and value == Delivery.OFF)]
            help_text = kind.help_text
            if mandatory:
                help_text = _("%(help)s Als stagiair kun je deze herinneringen niet uitzetten.") % {
                    "help": kind.help_text
                }
            self.fields[kind.preference_code] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.preference_code, Delivery.IMMEDIATELY),
                help_text=help_text,
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))


class ConfirmForm(forms.Form):
    """The confirm step of a step that is final or changes what others may do: the POST that takes the step carries
    `confirmed`, which only the confirm page (stagegids/confirm.html) sends. Without it nothing changes and the
    confirm page is shown, so a button elsewhere, an old page or a script cannot take the step in one click."""

    confirmed = forms.BooleanField(widget=forms.HiddenInput, initial=True)


TOTP_CODE = re.compile(r"^[0-9]{6}$")
RECOVERY_CODE = re.compile(r"^[a-z0-9]{5}-?[a-z0-9]{5}$")


class TwoFactorCodeField(forms.CharField):
    """Six digits from the app (spaces allowed) or, where `recovery` is allowed, a recovery code (xxxxx-xxxxx).

    Cleans to (kind, code) with kind "app" or "herstelcode"."""

    def __init__(self, *, recovery=False, **kwargs):
        self.recovery = recovery
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)
        self.widget.attrs.update(autocomplete="one-time-code", autocapitalize="off", spellcheck="false")
        if not recovery:
            self.widget.attrs.update(inputmode="numeric")

    def clean(self, value):
        text = super().clean(value)
        compact = "".join(text.split()).lower()
        if TOTP_CODE.match(compact):
            return "app", compact
        if self.recovery and RECOVERY_CODE.match(compact):
            return "herstelcode", compact
        if self.recovery:
            raise forms.ValidationError(
                _("Vul de 6 cijfers uit de app in, of een herstelcode zoals abcde-fghjk."), code="format"
            )
        raise forms.ValidationError(_("Vul de 6 cijfers uit de app in, bijvoorbeeld 123 456."), code="format")


class TwoFactorCodeForm(forms.Form):
    code = TwoFactorCodeField(label=_("Code"), recovery=True)


class TwoFactorSetupForm(forms.Form):
    # The signed secret (twofactor.new_setup) is the page's own hidden input, read by the view.
    code = TwoFactorCodeField(label=_("Code uit de app"))


class TwoFactorOffForm(forms.Form):
    code = TwoFactorCodeField(label=_("Code uit de app"))


# A browser's answer to a passkey ceremony (a few kB of JSON: an attestation without certificates, as asked for).
PASSKEY_ANSWER_MAX_LENGTH = 20_000


class PasskeyAnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.HiddenInput, max_length=PASSKEY_ANSWER_MAX_LENGTH)


class PasskeyAddForm(PasskeyAnswerForm):
    # django-otp's device name holds 64 characters.
    name = forms.CharField(label=_("Naam van de passkey"), max_length=64)
