"""In-app notifications and each person's choice of how reminders reach them (core, used by every app)."""

from django.db.models import Count, Window

from . import dashboard
from .models import Delivery, Notification, NotificationPreference

PANEL_SIZE = 5
# The notifications page (meldingen), newest first.
PAGE_SIZE = 25


def notify(*, user, key, title, url, text=""):
    """Put a message on the person's start page; the same key twice leaves one message."""
    Notification.objects.get_or_create(user=user, key=key, defaults={"title": title, "text": text, "url": url})


def deliveries_of(user):
    """{kind: delivery} of the choices this person made; a kind they did not choose is missing."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


def set_delivery(*, user, kind, delivery):
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


__all__ = ["Delivery", "deliveries_of", "notify", "set_delivery"]


def unread_count(request):
    """The number of unread notifications of the person making the request, for the header: one query (on the
    partial index of the unread ones), once per request; 0 for someone not logged in. A page that counted them
    already (the start page's panel) leaves it here, so the header asks nothing more."""
    if not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = Notification.objects.filter(user=request.user).unread().count()
    return request._unread_notifications


@dashboard.register
def unread_notifications(request):
    # The first few with the count of all of them, in one query; the header reads the count from here.
    shown = list(
        Notification.objects.filter(user=request.user).unread().annotate(unread=Window(Count("pk")))[:PANEL_SIZE]
    )
    request._unread_notifications = shown[0].unread if shown else 0
    if not shown:
        return None
    return dashboard.Panel(
        "stagegids/panels/notifications.html",
        {"notifications": shown, "more": request._unread_notifications - len(shown)},
        order=5,
    )
