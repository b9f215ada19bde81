"""In-app notifications and each person's choice of how reminders reach them (core, used by every app)."""

from . import dashboard
from .models import Delivery, Notification, NotificationPreference

PANEL_SIZE = 10


def notify(*, user, key, title, url, text=""):
    """Put a message on the person's start page; the same key twice leaves one message."""
    Notification.objects.get_or_create(user=user, key=key, defaults={"title": title, "text": text, "url": url})


def deliveries_of(user):
    """{kind: delivery} of the choices this person made; a kind they did not choose is missing."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))


def set_delivery(*, user, kind, delivery):
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


__all__ = ["Delivery", "deliveries_of", "notify", "set_delivery"]


@dashboard.register
def unread_notifications(request):
    unread = Notification.objects.filter(user=request.user).unread()
    shown = list(unread[:PANEL_SIZE])
    if not shown:
        return None
    more = unread.count() - len(shown) if len(shown) == PANEL_SIZE else 0
    return dashboard.Panel("stagegids/panels/notifications.html", {"notifications": shown, "more": more}, order=5)
