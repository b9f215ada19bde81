"""Demo data of this app, loaded by `manage.py demo` after the lower apps. Running it again changes nothing."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from leerbedrijf.models import Stage
from stageplan.models import Moment, MomentKind


def load():
    gesprekken()


def gesprekken():
    """Sanne's voortgangsgesprek tomorrow and tussenbeoordeling in five days: with worker and beat running
    (`make run`) their reminders appear in the console within a minute, and on the start pages."""
    stage = Stage.objects.filter(stagiair__email="stagiair.bol@student-demo.nl").first()
    if stage is None:
        return
    today = timezone.localdate()
    for kind, days, hour in [(MomentKind.VOORTGANGSGESPREK, 1, 10), (MomentKind.TUSSENBEOORDELING, 5, 14)]:
        Moment.objects.get_or_create(
            stage=stage,
            kind=kind,
            defaults={
                "starts_at": timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour))),
                "location": "Van Dijk Installatietechniek, Ambachtsweg 12, Utrecht",
            },
        )
