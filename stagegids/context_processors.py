from functools import cache

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import notifications, twofactor
from .forms import MAX_TEXT
from .roles import addressed_informally


def portal(request):
    # A callable, so that the roles are looked up only by a page that asks how to address its reader: {% if informal %}
    user = getattr(request, "user", None)
    return {
        "DEBUG": settings.DEBUG,
        # The bound of a free text (stagegids.forms.bound), for a textarea that a template writes by hand.
        "MAX_TEXT": MAX_TEXT,
        # Asked only by a logged-in page's header: its menu waits until the login's second step is passed.
        "twofactor_step": cache(
            lambda: user is not None and hasattr(request, "session") and twofactor.step_of(request)
        ),
        "informal": cache(lambda: user is not None and addressed_informally(user)),
        # Counted only when a page's header shows it (a logged-in page), once per request.
        "unread_notifications": SimpleLazyObject(lambda: notifications.unread_count(request)),
    }
