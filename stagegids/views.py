from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import dashboard


@login_required
def start(request):
    return render(request, "stagegids/start.html", {"panels": dashboard.panels_for(request)})
