import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import dashboard, erasure, passkeys, reminders, throttle, verwerkingen
from . import twofactor as twofactor_module
from .forms import (
    ConfirmForm,
    PasskeyAddForm,
    PasskeyAnswerForm,
    ReminderPreferencesForm,
    TwoFactorCodeForm,
    TwoFactorOffForm,
    TwoFactorSetupForm,
)
from .models import Notification
from .notifications import PAGE_SIZE, deliveries_of, set_delivery
from .params import parse_id
from .policy import get_visible_or_404
from .roles import addressed_informally, held_by


@login_required
def start(request):
    return render(request, "stagegids/start.html", dashboard.page_for(request))


@login_required
def start_panel(request, name):
    """A folded panel of the start page, read when it is opened: its content alone for htmx, else as a page of
    its own (the link in the panel, without JavaScript)."""
    panel = dashboard.content_for(request, name)
    if panel is None:
        raise Http404
    return render(
        request,
        "stagegids/start_panel.html",
        {"panel": panel, "layout": "stagegids/_fragment.html" if request.htmx else "base.html"},
    )


@login_required
@require_POST
def notification_read(request, pk):
    """One notification read: by its button, or by following its link (the form posts `open`, and is sent on to
    the notification's page). A second POST changes nothing."""
    notification = get_visible_or_404(request.user, Notification.objects, pk=pk)
    Notification.objects.filter(pk=notification.pk).mark_read()
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    if request.htmx:
        return HttpResponse("")
    return redirect("notifications" if request.POST.get("next") == "meldingen" else "start")


@login_required
def notification_list(request):
    """Every notification of the person, newest first, a page at a time; a GET writes nothing: the page marks the
    ones it shows read with a POST once they are seen (htmx), or with its button."""
    notifications = Notification.objects.filter(user=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "stagegids/meldingen.html",
        {
            "page": page,
            "unread_ids": [notification.pk for notification in page if notification.read_at is None],
        },
    )


@login_required
@require_POST
def notifications_read(request):
    """Mark read: the ones a page showed (`shown`, the ids it listed), or all of them. Conditional, so a second
    POST, or the same page open twice, marks nothing again."""
    notifications = Notification.objects.filter(user=request.user)
    if "alle" not in request.POST:
        # At most a page of them: the page posts the ids it listed; anything else in the list is left out.
        shown = [parse_id(value) for value in request.POST.getlist("shown")[:PAGE_SIZE]]
        notifications = notifications.filter(pk__in=[pk for pk in shown if pk is not None])
    marked = notifications.mark_read()
    if request.htmx:
        return HttpResponse(status=204)
    if marked and "alle" in request.POST:
        messages.success(request, _("Alle meldingen zijn gelezen."))
    return redirect("notifications")


@login_required
def reminder_preferences(request):
    """How this person receives each kind of reminder: immediately, in a daily digest, or (where allowed) not."""
    roles = held_by(request.user)
    form = ReminderPreferencesForm(
        request.POST or None,
        kinds=reminders.preference_kinds(roles),
        current=deliveries_of(request.user),
        roles=roles,
    )
    informal = addressed_informally(request.user)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            set_delivery(user=request.user, kind=kind, delivery=delivery)
        if informal:
            messages.success(request, _("Je keuzes voor herinneringen zijn opgeslagen."))
        else:
            messages.success(request, _("Uw keuzes voor herinneringen zijn opgeslagen."))
        return redirect("reminder_preferences")
    return render(request, "stagegids/herinneringen.html", {"form": form})


def privacy(request):
    """What is stored, why, who sees it, how long: public, "je" to a stagiair and "u" to everyone else."""
    return render(
        request,
        "stagegids/privacy.html",
        {
            "verwerkingen": verwerkingen.VERWERKINGEN,
            "bewaartermijnen": verwerkingen.BEWAARTERMIJNEN,
            "security": verwerkingen.SECURITY,
            "controller": verwerkingen.CONTROLLER,
        },
    )


@login_required
def verwerkingsregister(request):
    """The verwerkingsregister (AVG art. 30) as CSV, for the beheerder."""
    if not request.user.is_staff:
        raise PermissionDenied
    response = HttpResponse(verwerkingen.register_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verwerkingsregister.csv"'
    return response


@login_required
def erasure_request(request):
    """The person asks to have his account removed: deactivated now, anonymised after the retention period."""
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.is_staff:
            # A beheerder's account is removed by another beheerder in /beheer/, so one always remains.
            messages.error(request, _("Een beheerder vraagt een andere beheerder zijn account te verwijderen."))
            return redirect("erasure_request")
        informal = addressed_informally(request.user)
        erasure.request_erasure(request.user, by=request.user)
        logout(request)
        if informal:
            messages.success(request, _("Je account is gedeactiveerd en wordt na de bewaartermijn geanonimiseerd."))
        else:
            messages.success(request, _("Uw account is gedeactiveerd en wordt na de bewaartermijn geanonimiseerd."))
        return redirect("login")
    return render(
        request,
        "stagegids/erasure_request.html",
        {
            "form": form,
            "days": settings.RETENTION_DAYS["account_verwijderd"],
        },
    )


# --- two-factor login (stagegids/twofactor.py) -------------------------------------------------------------------


# The passkey step's answer when the login's lock is on, as JSON to the script or on the code page.
PASSKEY_LOCKED = gettext_lazy("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.")


def _code_action(user):
    """What failed codes count under on the login's lock: per person (and address, as every lock)."""
    return f"tweestaps-{user.pk}"


def _too_many(request, form):
    if throttle.refused(request, _code_action(request.user)):
        form.add_error("code", _("Te veel verkeerde codes. Probeer het over een kwartier opnieuw."))
        return True
    return False


def _wrong_code(request, form):
    throttle.count(request, _code_action(request.user))
    form.add_error("code", _("Deze code klopt niet of is al gebruikt. Wacht op de volgende code in de app."))


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("start")


@login_required
def twofactor(request):
    """The person's two-factor login: on or off, the recovery codes left, and what they can do about it."""
    device = twofactor_module.device_of(request.user)
    user_passkeys = list(passkeys.of(request.user))
    return render(
        request,
        "stagegids/tweestaps.html",
        {
            "device": device,
            "passkeys": user_passkeys,
            "on": bool(device or user_passkeys),
            "codes_left": twofactor_module.recovery_codes_left(request.user) if device or user_passkeys else 0,
            "required": twofactor_module.required(request.user),
        },
    )


@login_required
def twofactor_setup(request):
    """A new app: a QR code and the secret as text, confirmed with its first code; then the recovery codes, once.

    The GET stores nothing: the secret travels signed in the form until the first code confirms it."""
    if twofactor_module.device_of(request.user):
        messages.info(request, _("Tweestapsverificatie staat al aan."))
        return redirect("twofactor")
    form = TwoFactorSetupForm(request.POST or None)
    signed = request.POST.get("secret", "")[:500]
    key = twofactor_module.setup_key(request.user, signed) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid() and not _too_many(request, form):
        if key is None:
            form.add_error(None, _("Deze pagina is verlopen. Voeg de nieuwe code hieronder toe aan de app."))
        else:
            try:
                codes = twofactor_module.set_up(request.user, key=key, code=form.cleaned_data["code"][1])
            except twofactor_module.AlreadySetUp:
                messages.info(request, _("Tweestapsverificatie staat al aan."))
                return redirect("twofactor")
            if codes is not None:
                if twofactor_module.step_of(request):
                    twofactor_module.passed(request)
                if not codes:
                    messages.success(request, _("De app is toegevoegd."))
                    return redirect("twofactor")
                return render(request, "stagegids/tweestaps_herstelcodes.html", {"codes": codes, "new": True})
            _wrong_code(request, form)
    if key is None:
        key, signed = twofactor_module.new_setup(request.user)
    config_url = twofactor_module.config_url(request.user, key)
    qr = segno.make(config_url, error="m")
    return render(
        request,
        "stagegids/tweestaps_instellen.html",
        {
            "form": form,
            "signed": signed,
            "config_url": config_url,
            "qr": mark_safe(qr.svg_inline(scale=5, light="#fff", title=_("QR-code voor de app"))),  # noqa: S308  segno's own svg
            "secret": twofactor_module.manual_secret(key),
            "required": twofactor_module.step_of(request) == twofactor_module.SETUP,
            "passkeys": list(passkeys.of(request.user)),
        },
    )


@login_required
def twofactor_code(request):
    """The second step of the login: a code from the app or a recovery code; failed codes count on the lock."""
    if twofactor_module.step_of(request) != twofactor_module.CODE:
        return redirect(_safe_next(request))
    if not twofactor_module.has_device(request.user):
        # Reset meanwhile (a lost phone): the step of someone without an app, as at a new login.
        step = twofactor_module.open_step(request.user)
        if step is None:
            twofactor_module.passed(request)
            return redirect(_safe_next(request))
        request.session[twofactor_module.SESSION_KEY] = step
        return redirect(twofactor_module.STEP_PAGES[step])
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_many(request, form):
        kind, code = form.cleaned_data["code"]
        if kind == "app":
            passed = twofactor_module.verify_code(request.user, code)
        else:
            passed = twofactor_module.use_recovery_code(request.user, code)
        if passed:
            twofactor_module.passed(request)
            if kind == "herstelcode":
                left = twofactor_module.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    ngettext(
                        "U bent ingelogd met een herstelcode; er is nog %(left)s over. Maak nieuwe op de pagina "
                        "Tweestapsverificatie.",
                        "U bent ingelogd met een herstelcode; er zijn er nog %(left)s over. Maak nieuwe op de pagina "
                        "Tweestapsverificatie.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_safe_next(request))
        _wrong_code(request, form)
    return _code_page(request, form)


def _code_page(request, form, *, passkey_error=None):
    return render(
        request,
        "stagegids/tweestaps_code.html",
        {
            "form": form,
            "next": _safe_next(request),
            "demo_code": twofactor_module.demo_code(request.user),
            "has_app": twofactor_module.device_of(request.user) is not None,
            "has_passkey": passkeys.of(request.user).exists(),
            "passkey_error": passkey_error,
        },
    )


@login_required
@require_POST
def twofactor_passkey_options(request):
    """The challenge for the passkey step of the login (JSON for static/js/passkey.js)."""
    if twofactor_module.step_of(request) != twofactor_module.CODE:
        return redirect(_safe_next(request))
    if not passkeys.of(request.user).exists():
        return JsonResponse({"detail": _("Er is geen passkey om mee in te loggen.")}, status=409)
    if throttle.refused(request, _code_action(request.user)):
        return JsonResponse({"detail": str(PASSKEY_LOCKED)}, status=429)
    return JsonResponse(passkeys.authentication_options(request))


@login_required
@require_POST
def twofactor_passkey(request):
    """The second step of the login with a passkey: as a right code from the app; a failure counts on the lock."""
    if twofactor_module.step_of(request) != twofactor_module.CODE:
        return redirect(_safe_next(request))
    form = PasskeyAnswerForm(request.POST)
    if throttle.refused(request, _code_action(request.user)):
        error = PASSKEY_LOCKED
    elif form.is_valid() and passkeys.verify(request, answer=form.cleaned_data["answer"]):
        twofactor_module.passed(request)
        return redirect(_safe_next(request))
    else:
        throttle.count(request, _code_action(request.user))
        error = _("Inloggen met de passkey is niet gelukt. Probeer het opnieuw, of gebruik een code.")
    return _code_page(request, TwoFactorCodeForm(), passkey_error=error)


@login_required
@require_POST
def passkey_add_options(request):
    """The challenge for a new passkey (JSON for static/js/passkey.js)."""
    return JsonResponse(passkeys.registration_options(request))


@login_required
@require_POST
def passkey_add(request):
    """A new passkey from the browser's answer; after the first way of the second step, the recovery codes once."""
    setting_up = twofactor_module.step_of(request) == twofactor_module.SETUP
    back = "twofactor_setup" if setting_up else "twofactor"
    form = PasskeyAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    try:
        codes = passkeys.add(request, answer=form.cleaned_data["answer"], name=form.cleaned_data["name"])
    except passkeys.Refused:
        messages.error(
            request, _("De passkey is niet toegevoegd: de browser gaf geen geldig antwoord. Probeer het opnieuw.")
        )
        return redirect(back)
    if setting_up:
        twofactor_module.passed(request)
    if codes:
        return render(request, "stagegids/tweestaps_herstelcodes.html", {"codes": codes, "new": True})
    messages.success(request, _("De passkey is toegevoegd."))
    return redirect("twofactor")


@login_required
def passkey_remove(request, pk):
    """Remove one of the person's own passkeys after a confirmation, within a while after a full login."""
    passkey = get_object_or_404(passkeys.of(request.user), pk=pk)
    form = ConfirmForm(request.POST or None)
    recent = passkeys.recent_login(request)
    if request.method == "POST" and recent and form.is_valid():
        try:
            removed = passkeys.remove(request.user, passkey.pk)
        except passkeys.LastRequired:
            form.add_error(
                None,
                _(
                    "Dit is uw laatste manier voor de tweede stap en tweestapsverificatie is voor uw account "
                    "verplicht. Voeg eerst een andere passkey of de app toe."
                ),
            )
        else:
            if removed:
                messages.success(request, _("De passkey is verwijderd."))
            return redirect("twofactor")
    return render(request, "stagegids/passkey_verwijderen.html", {"passkey": passkey, "form": form, "recent": recent})


@login_required
@require_POST
def twofactor_recovery_codes(request):
    """New recovery codes, shown once; the old ones stop working."""
    codes = twofactor_module.renew_recovery_codes(request.user)
    if codes is None:
        return redirect("twofactor")
    return render(request, "stagegids/tweestaps_herstelcodes.html", {"codes": codes, "new": False})


@login_required
def twofactor_off(request):
    """Switch it off with a current code, for a person who is not required to have it."""
    if twofactor_module.device_of(request.user) is None or twofactor_module.required(request.user):
        return redirect("twofactor")
    form = TwoFactorOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_many(request, form):
        if twofactor_module.switch_off(request.user, code=form.cleaned_data["code"][1]):
            messages.success(request, _("Tweestapsverificatie staat uit."))
            return redirect("twofactor")
        _wrong_code(request, form)
    return render(request, "stagegids/tweestaps_uit.html", {"form": form})


def bad_request(request, exception):
    """Django's 400 page (rendered without the request, as Django does), saying so when what was sent was more than
    the portal takes: the user can act on that, and the browser's Back button usually still holds what was typed."""
    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent)
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"too_big": too_big, "limit": limit}))
