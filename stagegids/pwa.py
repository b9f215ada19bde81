"""The portal as an app on a phone: its web app manifest, its service worker and the page it shows offline.

The service worker (templates/stagegids/sw.js) keeps the app shell (the stylesheets, scripts and icons below) and
the pages marked with `offline_page` (the observatie form), so that these open in a basement without signal. An
observatie typed there waits on the device (static/js/wachtrij.js) until the connection is back. The pages it keeps
are personal: it empties them when someone logs out, and when a page is opened by nobody logged in.
"""

import hashlib
import json
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

# .bg-brand of static/css/stagegids.css: the phone's status bar takes the header's colour.
THEME_COLOR = "#0b3d5c"
SHELL = [
    "vendor/bootstrap/css/bootstrap.min.css",
    "css/stagegids.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "django_htmx/htmx-2.min.js",
    "js/wachtrij.js",
    "js/offline.js",
    "js/ruimte.js",
    "icons/icon-192.png",
]
# The service worker keeps a page for offline use when its answer carries this header.
OFFLINE_HEADER = "Stagegids-Offline"


def offline_page(view):
    """Marks a page the service worker keeps, so that it opens without a connection (the last version seen)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[OFFLINE_HEADER] = "bewaren"
        return response

    return wrapper


def manifest(request):
    return JsonResponse(
        {
            "name": _("Stagegids"),
            "short_name": _("Stagegids"),
            "description": _("Begeleiding van stagiairs in de techniek, ook zonder verbinding."),
            "lang": "nl",
            "start_url": reverse("start"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": "#ffffff",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
    )


def service_worker(request):
    shell = [static(path) for path in SHELL] + [reverse("offline")]
    config = {
        # A new version of any file of the shell (a new hashed name) makes a new worker with a new cache.
        "version": hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12],
        "shell": shell,
        "offlineUrl": reverse("offline"),
        "loginUrl": reverse("login"),
        "offlineHeader": OFFLINE_HEADER,
    }
    response = render(
        request,
        "stagegids/sw.js",
        {"config": json.dumps(config), "queue_script": static("js/wachtrij.js")},
        content_type="text/javascript; charset=utf-8",
    )
    # Served from /sw.js, so its scope is the whole portal; the header says so explicitly.
    response["Service-Worker-Allowed"] = "/"
    # The browser compares the worker with the server's on every visit: never an old one from a cache.
    response["Cache-Control"] = "no-cache"
    return response


def offline(request):
    """What the service worker shows for a page it has not kept. The same for everyone: no name in the header,
    since it is kept on the device."""
    return render(request, "stagegids/offline.html", {"user": AnonymousUser(), "offline_page": True})
