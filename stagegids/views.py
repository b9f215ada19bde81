from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import dashboard
from .models import Notification
from .policy import get_visible_or_404


@login_required
def start(request):
    return render(request, "stagegids/start.html", {"panels": dashboard.panels_for(request)})


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_visible_or_404(request.user, Notification.objects, pk=pk)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    if request.htmx:
        return HttpResponse("")
    return redirect("start")
