"""Passkeys (WebAuthn) as a second step of the login, beside the app (stagegids/twofactor.py).

django-otp-webauthn keeps the passkeys (`WebAuthnCredential`, a django-otp device) and does the ceremonies with
py_webauthn; its views and script are not used: they mark a session with django-otp's own middleware, which this
portal leaves out, and their messages come from an English script. Here each ceremony is two requests of our own:
the options (JSON, the challenge kept in the session and taken out once), then the browser's answer posted as an
ordinary form, so a refusal is a Dutch message on the page and the recovery codes show as after the app.
"""

import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions

from . import twofactor
from .models import User, Wijziging

_REGISTER_STATE = "stagegids_passkey_toevoegen"
_AUTHENTICATE_STATE = "stagegids_passkey_inloggen"


class PasskeyAction:
    ADDED = "passkey_toegevoegd"
    REMOVED = "passkey_verwijderd"


Wijziging.register_actions(
    {PasskeyAction.ADDED: _("passkey toegevoegd"), PasskeyAction.REMOVED: _("passkey verwijderd")}
)


def rp_id(request) -> str:
    """The relying party is the host the page was asked on: ALLOWED_HOSTS has vouched for it."""
    domain, _port = split_domain_port(request.get_host())
    return domain


class Helper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        # Browsers offer WebAuthn on http only for localhost (the tests' live server); everywhere else it is https.
        secure = self.request.is_secure() or rp_id(self.request) != "localhost"
        return [f"{'https' if secure else 'http'}://{self.request.get_host()}"]

    def get_credential_display_name(self, user) -> str:
        return user.name or user.email

    def get_credential_name(self, user) -> str:
        return user.email


class Refused(Exception):
    """The browser's answer does not hold: a stale or foreign page, another person's passkey, a forged answer."""


def of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def _helper(request) -> Helper:
    return Helper(request)


def _take_state(request, key: str) -> dict:
    # Taken out before anything is checked, so one challenge is answered once.
    state = request.session.pop(key, None)
    request.session.save()
    if not state:
        raise Refused
    return state


def _parse(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError:
        raise Refused from None
    if not isinstance(data, dict):
        raise Refused
    return data


# --- adding one -----------------------------------------------------------------------------------------------


def registration_options(request) -> dict:
    options, state = _helper(request).register_begin(user=request.user)
    request.session[_REGISTER_STATE] = state
    return options


def add(request, *, answer: str, name: str) -> list[str]:
    """Store the passkey of the browser's `answer` under `name`; the new recovery codes when it is the person's
    first way of the second step, else an empty list. Raises Refused."""
    user = request.user
    state = _take_state(request, _REGISTER_STATE)
    data = _parse(answer)
    with transaction.atomic():
        # The person's row serialises two first set-ups at once: only the first makes recovery codes.
        User.objects.select_for_update().filter(pk=user.pk).first()
        first = not twofactor.has_device(user)
        try:
            with rewrite_exceptions(), transaction.atomic():
                device = _helper(request).register_complete(user=user, state=state, data=data)
        except (webauthn_exceptions.OTPWebAuthnApiError, IntegrityError, ValueError, KeyError, TypeError):
            # IntegrityError: a passkey that is stored already (the browser's exclude list missed it).
            raise Refused from None
        WebAuthnCredential.objects.filter(pk=device.pk).update(name=name)
        Wijziging.log(user, PasskeyAction.ADDED, user=user)
        if not first:
            return []
        Wijziging.log(user, twofactor.TwoFactorAction.ON, user=user)
        return twofactor.new_recovery_codes(user)


# --- the second step ------------------------------------------------------------------------------------------


def authentication_options(request) -> dict:
    options, state = _helper(request).authenticate_begin(user=request.user, require_user_verification=False)
    request.session[_AUTHENTICATE_STATE] = state
    return options


def verify(request, *, answer: str) -> bool:
    """Whether the browser's `answer` is one of the person's passkeys signing this session's challenge."""
    try:
        state = _take_state(request, _AUTHENTICATE_STATE)
        data = _parse(answer)
        with rewrite_exceptions():
            _helper(request).authenticate_complete(user=request.user, state=state, data=data)
    except (Refused, webauthn_exceptions.OTPWebAuthnApiError, ValueError, KeyError, TypeError):
        return False
    return True


# --- removing one ---------------------------------------------------------------------------------------------


class LastRequired(Exception):
    """The person must use two-factor login and this is their last way of the second step."""


def remove(user, pk: int) -> bool:
    """Remove one of the person's passkeys; False when it is gone already (a second click). The last way of the
    second step of someone who may switch it off takes the recovery codes along, as switching it off does."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        others = of(user).exclude(pk=pk).exists() or twofactor.device_of(user) is not None
        if not others and twofactor.required(user):
            raise LastRequired
        removed, _by_model = WebAuthnCredential.objects.filter(user=user, pk=pk).delete()
        if not removed:
            return False
        Wijziging.log(user, PasskeyAction.REMOVED, user=user)
        if not others:
            twofactor.remove_recovery_codes(user)
            Wijziging.log(user, twofactor.TwoFactorAction.OFF, user=user)
    return True


def recent_login(request) -> bool:
    """Whether the session's full login is recent enough to remove a way of the second step without a new one."""
    at = request.session.get(twofactor.SESSION_LOGIN_AT)
    return at is not None and timezone.now().timestamp() - at <= settings.TWOFACTOR_RECENT_LOGIN_SECONDS
