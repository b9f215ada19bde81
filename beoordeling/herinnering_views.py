from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leerbedrijf.models import Stagiair
from stagegids.notifications import deliveries_of, set_delivery
from stagegids.roles import Role

from . import herinneringen
from .herinnering_forms import ReminderPreferencesForm


@login_required
def reminder_preferences(request):
    """How this person receives each kind of reminder: immediately, in a daily digest, or (where allowed) not."""
    roles = {Role.STAGIAIR} if Stagiair.objects.filter(user=request.user).exists() else set()
    form = ReminderPreferencesForm(
        request.POST or None,
        kinds=herinneringen.preference_kinds(),
        current=deliveries_of(request.user),
        roles=roles,
    )
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            set_delivery(user=request.user, kind=kind, delivery=delivery)
        messages.success(request, _("Uw keuzes voor herinneringen zijn opgeslagen."))
        return redirect("beoordeling:herinneringen")
    return render(request, "beoordeling/herinneringen.html", {"form": form})
