from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stagegids import outbox, throttle

from ..models import Aanmelding, Bevestiging
from .forms import AanmeldingForm

THROTTLE = "leerbedrijf-aanmelding"


def aanmelden(request):
    """A leerbedrijf registers itself; nothing exists until the address is confirmed through the mail's link."""
    form = AanmeldingForm(request.POST or None)
    if request.method == "POST":
        if throttle.refused(request, THROTTLE):
            return render(request, "leerbedrijf/aanmelden.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            with transaction.atomic():
                aanmelding, token = Aanmelding.create(**form.aanmelding_fields())
                outbox.queue(
                    template="aanmelding",
                    to=aanmelding.email,
                    context={
                        "aanmelding": aanmelding,
                        "link": request.build_absolute_uri(reverse("leerbedrijf:aanmelding_bevestigen", args=[token])),
                    },
                )
            throttle.count(request, THROTTLE)
            messages.success(
                request,
                _("We sturen een e-mail naar %(email)s om uw aanmelding te bevestigen.") % {"email": aanmelding.email},
            )
            return redirect("leerbedrijf:aanmelding_verstuurd")
        if form.asked_about_existing:
            throttle.count(request, THROTTLE)
    return render(request, "leerbedrijf/aanmelden.html", {"form": form})


def aanmelding_verstuurd(request):
    return render(request, "leerbedrijf/aanmelding_verstuurd.html", {"valid_days": settings.INVITATION_VALID_DAYS})


def aanmelding_bevestigen(request, token):
    """The link from the mail: a button, so that a mail scanner that opens the link confirms nothing."""
    aanmelding = Aanmelding.for_token(token)
    if aanmelding is None:
        return render(request, "leerbedrijf/aanmelding_ongeldig.html", {"reason": Bevestiging.VERLOPEN}, status=404)
    if request.method == "POST":
        outcome, user = aanmelding.confirm()
        if outcome == Bevestiging.BEVESTIGD:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welkom! Uw e-mailadres is bevestigd en u bent nu praktijkopleider bij %(leerbedrijf)s.")
                % {"leerbedrijf": aanmelding.leerbedrijf},
            )
            return redirect("start")
    elif aanmelding.confirmed_at:
        outcome = Bevestiging.AL_BEVESTIGD
    elif aanmelding.is_open:
        return render(request, "leerbedrijf/aanmelding_bevestigen.html", {"aanmelding": aanmelding})
    else:
        outcome = Bevestiging.VERLOPEN
    if outcome == Bevestiging.AL_BEVESTIGD:
        messages.info(request, _("Deze aanmelding is al bevestigd."))
        return redirect("start" if request.user.is_authenticated else "login")
    status = 409 if outcome == Bevestiging.BEZET else 404
    return render(request, "leerbedrijf/aanmelding_ongeldig.html", {"reason": outcome}, status=status)
