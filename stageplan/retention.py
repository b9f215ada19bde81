"""An anonymised account's calendar feed goes: its URL would still list the person's moments (issue 17)."""

from django.dispatch import receiver

from stagegids.erasure import account_anonymised

from .models import CalendarFeed


@receiver(account_anonymised, dispatch_uid="stageplan.remove_calendar_feed")
def remove_calendar_feed(sender, *, user, **kwargs):
    CalendarFeed.objects.filter(user=user).delete()
