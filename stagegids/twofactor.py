"""Two-factor login: a TOTP app (django-otp's device and arithmetic) with recovery codes, required for some.

1. The login page stays as it is (the password, throttled by django-axes). When someone logs in, `user_logged_in`
   notes in the session which step is still open: "code" for a person with an app, "instellen" for one who must
   have one and has not. Until that step is done, `TwoFactorMiddleware` sends every page but that step's, the
   logout and the public ones there: one session key, no query a request.
2. A code is checked by a conditional update of the device's last time step, so a code counts once, also for two
   requests at once; a recovery code is kept as an HMAC and used by a conditional update of its `used_at`. Failed
   codes count on the login's lock (stagegids/throttle.py), per person and address.
3. Who must have it: staff, and whoever an app's requirement names (`register_requirement`: leerbedrijf adds the
   praktijkopleiders of a leerbedrijf that asks for it). A person who is required cannot switch it off.
4. A lost phone: a recovery code, or someone resets it (`reset`: a colleague praktijkopleider, the beheerder);
   the person gets a mail through the outbox and sets it up again at the next login when it is required.
"""

import secrets
import time
from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from . import demo, outbox
from .erasure import account_anonymised
from .models import RecoveryCode, User, Wijziging

SESSION_KEY = "stagegids_tweestaps"
# When the session became a full login (a timestamp): removing a passkey asks for a recent one.
SESSION_LOGIN_AT = "stagegids_tweestaps_sinds"
CODE, SETUP = "code", "instellen"
# The page of each open step, and the passkey requests it makes (stagegids/passkeys.py); the others a session with
# an open step may reach are public or end the session.
STEP_PAGES = {CODE: "twofactor_code", SETUP: "twofactor_setup"}
STEP_VIEWS = {
    CODE: {"twofactor_code", "twofactor_passkey_options", "twofactor_passkey"},
    SETUP: {"twofactor_setup", "passkey_add_options", "passkey_add"},
}
OPEN_DURING_STEP = {"logout", "privacy", "manifest", "service_worker", "offline", "health"}

# Recovery codes: ten characters that cannot be mistaken for one another (no 0/o, 1/l/i), shown as xxxxx-xxxxx.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
_SETUP_SALT = "stagegids.twofactor.setup"
_RECOVERY_SALT = "stagegids.twofactor.recovery"


class TwoFactorAction:
    ON = "tweestaps_aan"
    OFF = "tweestaps_uit"
    RESET = "tweestaps_hersteld"
    NEW_CODES = "herstelcodes_nieuw"


Wijziging.register_actions(
    {
        TwoFactorAction.ON: _("tweestapsverificatie ingesteld"),
        TwoFactorAction.OFF: _("tweestapsverificatie uitgezet"),
        TwoFactorAction.RESET: _("tweestapsverificatie hersteld (app, passkeys en herstelcodes verwijderd)"),
        TwoFactorAction.NEW_CODES: _("nieuwe herstelcodes gemaakt"),
    }
)

_requirements: list[Callable[[User], bool]] = []


def register_requirement(check: Callable[[User], bool]) -> Callable[[User], bool]:
    """An app says who must use two-factor login besides staff: `check(user)` is true for them."""
    _requirements.append(check)
    return check


def required(user) -> bool:
    return user.is_staff or any(check(user) for check in _requirements)


def device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user) -> bool:
    """Whether the person has a way of the second step: the app or a passkey."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def open_step(user) -> str | None:
    """The step a person who just gave their password still has to take, if any."""
    if has_device(user):
        return CODE
    return SETUP if required(user) else None


@receiver(user_logged_in, dispatch_uid="stagegids.twofactor")
def _note_open_step(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    # The time of the password; passing the step renews it. A session with an open step reaches nothing that reads it.
    request.session[SESSION_LOGIN_AT] = time.time()
    step = open_step(user)
    if step:
        request.session[SESSION_KEY] = step


def passed(request) -> None:
    """The open step is done: the session is a full login from now on."""
    request.session.pop(SESSION_KEY, None)
    request.session[SESSION_LOGIN_AT] = time.time()
    # A new session id for the full login, as after the password.
    request.session.cycle_key()


def step_of(request) -> str | None:
    # The session first: a request without the key never loads its user here.
    step = request.session.get(SESSION_KEY)
    return step if step and request.user.is_authenticated else None


class TwoFactorMiddleware:
    """A session with an open step reaches only that step's page, the logout and the public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = step_of(request)
        if step is None:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in STEP_VIEWS[step] or name in OPEN_DURING_STEP:
            return None
        target = reverse(STEP_PAGES[step])
        if request.method == "GET" and not getattr(request, "htmx", False):
            # Back to the page that was asked for once the step is done.
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


# --- setting it up ---------------------------------------------------------------------------------------------


def new_setup(user) -> tuple[str, str]:
    """A secret for a new app and the signed form value that carries it to the POST: a GET stores nothing."""
    key = random_hex(20)
    return key, signing.dumps({"u": user.pk, "k": key}, salt=_SETUP_SALT)


def setup_key(user, signed: str) -> str | None:
    """The secret the set-up page showed to `user`, or None when the value is forged, someone else's or expired."""
    try:
        value = signing.loads(signed, salt=_SETUP_SALT, max_age=settings.TWOFACTOR_SETUP_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return value["k"] if value.get("u") == user.pk else None


def config_url(user, key: str) -> str:
    return TOTPDevice(user=user, key=key).config_url


def manual_secret(key: str) -> str:
    """The secret as an app asks for it when typed: base32, in groups of four."""
    text = b32encode(bytes.fromhex(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _matching_step(device: TOTPDevice, code: str) -> int | None:
    """The time step at which `code` is the device's, within one step either way and after its last used one."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.verify(int(code), tolerance=device.tolerance, min_t=device.last_t + 1):
        return totp.t()
    return None


class AlreadySetUp(Exception):
    pass


def set_up(user, *, key: str, code: str) -> list[str] | None:
    """Store the app of `key` once `code` is one of its codes; the new recovery codes when it is the person's first
    way of the second step (else an empty list), or None for a wrong code.

    Raises AlreadySetUp when the person has an app already (the page sent twice, or two pages at once)."""
    device = TOTPDevice(user=user, name="app", key=key, confirmed=True)
    step = _matching_step(device, code)
    if step is None:
        return None
    with transaction.atomic():
        # The person's row serialises two set-ups at once: the second finds the first's app.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise AlreadySetUp
        first = not has_device(user)
        device.last_t = step
        device.last_used_at = timezone.now()
        device.save()
        if not first:
            return []
        codes = new_recovery_codes(user)
        Wijziging.log(user, TwoFactorAction.ON, user=user)
    return codes


# --- the second step ------------------------------------------------------------------------------------------


def verify_code(user, code: str) -> bool:
    """Whether `code` (six digits) is the person's app's code now; it counts once."""
    device = device_of(user)
    if device is None:
        return False
    step = _matching_step(device, code)
    if step is None:
        return False
    used = TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(last_t=step, last_used_at=timezone.now())
    return used == 1


def demo_code(user) -> str | None:
    """With debug on, the code the demo beheerder's app would show now (stagegids/demo.py), for the code page."""
    device = device_of(user) if settings.DEBUG else None
    if device is None or device.key != demo.TOTP_KEY:
        return None
    now = TOTP(device.bin_key).t()
    return f"{hotp(device.bin_key, max(now, device.last_t + 1)):06d}"


def normalise_recovery_code(text: str) -> str:
    return text.replace("-", "").replace(" ", "").lower()


def _digest(user, code: str) -> str:
    return salted_hmac(_RECOVERY_SALT, f"{user.pk}:{normalise_recovery_code(code)}", algorithm="sha256").hexdigest()


def use_recovery_code(user, code: str) -> bool:
    """Use one of the person's recovery codes; False when it is not theirs or was used (also just now by another
    request)."""
    return bool(
        RecoveryCode.objects.filter(user=user, digest=_digest(user, code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
    )


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def new_recovery_codes(user) -> list[str]:
    codes = []
    for _n in range(settings.TWOFACTOR_RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, digest=_digest(user, code)) for code in codes])
    return codes


def renew_recovery_codes(user) -> list[str] | None:
    """New recovery codes for a person with an app or a passkey (the old ones stop working); None without."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if not has_device(user):
            return None
        codes = new_recovery_codes(user)
        Wijziging.log(user, TwoFactorAction.NEW_CODES, user=user)
    return codes


# --- switching it off, resetting it ---------------------------------------------------------------------------


def remove_recovery_codes(user) -> None:
    RecoveryCode.objects.filter(user=user).delete()


def _remove(user) -> bool:
    apps, _by_model = TOTPDevice.objects.filter(user=user).delete()
    passkeys, _by_model = WebAuthnCredential.objects.filter(user=user).delete()
    remove_recovery_codes(user)
    return bool(apps or passkeys)


def switch_off(user, *, code: str) -> bool:
    """The person switches it off with a current code; False when it is required, absent or the code is wrong."""
    if required(user) or not verify_code(user, code):
        return False
    with transaction.atomic():
        if _remove(user):
            Wijziging.log(user, TwoFactorAction.OFF, user=user)
            return True
    return False


def reset(user, *, by) -> bool:
    """Remove the person's app and recovery codes (a lost phone), tell them by mail; False when there was none."""
    with transaction.atomic():
        if not _remove(user):
            return False
        Wijziging.log(user, TwoFactorAction.RESET, user=by)
        outbox.queue(
            template="tweestaps_hersteld",
            to=user.email,
            context={"user": user, "by_name": by.name if by else "", "required": required(user)},
        )
    return True


@receiver(account_anonymised, dispatch_uid="stagegids.twofactor.anonymised")
def _forget(sender, user, **kwargs):
    _remove(user)
