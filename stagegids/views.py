from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import dashboard, reminders
from .forms import ReminderPreferencesForm
from .models import Notification
from .notifications import deliveries_of, set_delivery
from .policy import get_visible_or_404
from .roles import addressed_informally, held_by


@login_required
def start(request):
    return render(request, "stagegids/start.html", dashboard.page_for(request))


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_visible_or_404(request.user, Notification.objects, pk=pk)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    if request.htmx:
        return HttpResponse("")
    return redirect("start")


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
