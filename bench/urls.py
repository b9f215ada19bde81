from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


@login_required
def bare_logged_in(request):
    """The floor under every page: session and user loaded, nothing else."""
    return HttpResponse(f"ok {request.user.pk}")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare-logged-in/", bare_logged_in, name="bench_bare_logged_in"),
    path("", include("stagegids.urls")),
]
