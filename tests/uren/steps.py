from datetime import timedelta

from django.utils import timezone

from uren.models import Urenweek, monday_of, week_url


def last_monday():
    return monday_of(timezone.localdate()) - timedelta(days=7)


def week_path(stage, monday=None, name="uren:week"):
    return week_url(stage, monday or last_monday(), name)


def week_of(stage, monday=None):
    return Urenweek.objects.get(stage=stage, week_start=monday or last_monday())


def form_data(client, stage, monday=None, **changes):
    """The week's form as its page shows it (planned or entered), with `changes` on top."""
    response = client.get(week_path(stage, monday))
    form = response.context["form"]
    data = {"version": form["version"].value()}
    for name in form.fields:
        if name != "version":
            value = form[name].value()
            data[name] = "" if value is None else str(value)
    data.update(changes)
    return data


def submit_normal(client, stage, monday=None):
    page = client.get(week_path(stage, monday))
    version = page.context["normal"]["version"].value()
    return client.post(week_path(stage, monday, "uren:week_normaal"), {"version": version}, follow=True)
