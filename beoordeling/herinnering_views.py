from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leerbedrijf.models import Stagiair, roles_of
from stagegids.notifications import deliveries_of, set_delivery
from stagegids.roles import Role

from . import herinneringen
from .herinnering_forms import ReminderPreferencesForm


@login_required
def reminder_preferences(request):
    """How this person receives each kind of reminder: immediately, in a daily digest, or (where allowed) not."""
    roles = roles_of(request.user).held()
    if Stagiair.objects.filter(user=request.user).exists():
        roles.add(Role.STAGIAIR)
    form = ReminderPreferencesForm(
        request.POST or None,
        kinds=herinneringen.preference_kinds(roles),
        current=deliveries_of(request.user),
        roles=roles,
    )
    # The gids says je to a stagiair; someone who is also staff somewhere is addressed as staff.
    informal = roles == {Role.STAGIAIR}
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            set_delivery(user=request.user, kind=kind, delivery=delivery)
        if informal:
            messages.success(request, _("Je keuzes voor herinneringen zijn opgeslagen."))
        else:
            messages.success(request, _("Uw keuzes voor herinneringen zijn opgeslagen."))
        return redirect("beoordeling:herinneringen")
    return render(request, "beoordeling/herinneringen.html", {"form": form, "informal": informal})
