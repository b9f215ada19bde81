from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stagegids.dates import add_days

from .models import (
    MAX_DAY_HOURS,
    MAX_WEEK_BEGELEIDING_HOURS,
    Afwezigheid,
    Dag,
    Soort,
    Urencorrectie,
    Urenweek,
)

# One choice per day for the phone: what the day was, and for an absence its kind.
DAY_CHOICES = [
    (Soort.WERK, _("werk")),
    (Soort.SCHOOL, _("school")),
    (Soort.VRIJ, _("vrij")),
    *((kind, _("afwezig: %(kind)s") % {"kind": label}) for kind, label in Afwezigheid.choices),
]
REASON_MAX = 1000


def hours_field(label, maximum, required=True):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=maximum,
        max_digits=4,
        decimal_places=2,
        required=required,
        error_messages={
            "min_value": _("Vul 0 of meer uren in."),
            "max_value": _("Vul hoogstens %(limit_value)s uren in."),
            "max_decimal_places": _("Vul de uren in met hoogstens twee cijfers achter de komma."),
            "invalid": _("Vul een aantal uren in, bijvoorbeeld 8 of 7,5."),
        },
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal", "class": "form-control uren"}),
        localize=True,
    )


def plain(hours):
    """Hours as a number input shows them: 8, 7.5 (a number input takes a dot, whatever the language)."""
    if hours is None:
        return None
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class WeekForm(forms.Form):
    """The days of one week (those within the stage) and the begeleiding given, as of the week's version."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, days, begeleiders, begeleiding, **kwargs):
        """`days`: [Dag] to show (entered, or planned); `begeleiders`: [(user id, name)]; `begeleiding`: {id: hours}."""
        super().__init__(*args, **kwargs)
        self.days = [dag.day for dag in days]
        self.begeleider_ids = [pk for pk, _name in begeleiders]
        self.rows = []
        for index, dag in enumerate(days):
            label = date_format(dag.day, "l j F")
            self.fields[f"soort_{index}"] = forms.ChoiceField(
                label=label, choices=DAY_CHOICES, widget=forms.Select(attrs={"class": "form-select"})
            )
            self.fields[f"hours_{index}"] = hours_field(_("uren op %(day)s") % {"day": label}, MAX_DAY_HOURS)
            self.initial.setdefault(f"soort_{index}", dag.afwezigheid or dag.soort)
            self.initial.setdefault(f"hours_{index}", plain(dag.hours))
            self.rows.append((dag.day, f"soort_{index}", f"hours_{index}"))
        self.begeleiding_rows = []
        for pk, name in begeleiders:
            field = f"begeleiding_{pk}"
            self.fields[field] = hours_field(
                _("uren begeleiding door %(name)s") % {"name": name}, MAX_WEEK_BEGELEIDING_HOURS, required=False
            )
            self.initial.setdefault(field, plain(begeleiding.get(pk)))
            self.begeleiding_rows.append((name, field))

    def row_fields(self):
        return [(day, self[soort], self[hours]) for day, soort, hours in self.rows]

    def begeleiding_fields(self):
        return [(name, self[field]) for name, field in self.begeleiding_rows]

    def clean(self):
        cleaned = super().clean()
        for _day, soort, hours in self.rows:
            value, amount = cleaned.get(soort), cleaned.get(hours)
            if value in (Soort.WERK, Soort.SCHOOL) and amount == 0:
                self.add_error(hours, _("Vul de uren van deze dag in, of kies ‘vrij’."))
            if value == Soort.VRIJ and amount:
                self.add_error(hours, _("Een vrije dag heeft geen uren; kies werk, school of afwezig."))
        return cleaned

    def entered(self):
        """([Dag], {begeleider id: hours}) as entered."""
        days = []
        for day, soort, hours in self.rows:
            value = self.cleaned_data[soort]
            if value in Afwezigheid.values:
                days.append(Dag(day, Soort.AFWEZIG, self.cleaned_data[hours], value))
            else:
                days.append(Dag(day, value, self.cleaned_data[hours]))
        given = {
            pk: self.cleaned_data[f"begeleiding_{pk}"]
            for pk in self.begeleider_ids
            if self.cleaned_data.get(f"begeleiding_{pk}")
        }
        return days, given


class CorrectieForm(WeekForm):
    reason = forms.CharField(
        label=Urencorrectie._meta.get_field("reason").verbose_name,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Iedereen die de uren ziet, leest deze reden bij de correctie."),
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=Urenweek._meta.get_field("returned_reason").verbose_name,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf waarom u de week terugstuurt; de invuller leest het.")},
    )


def _date_widget():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class ZiekmeldingForm(forms.Form):
    since = forms.DateField(label=_("Ziek sinds"), widget=_date_widget())
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        max_length=300,
        required=False,
        help_text=_("Geen medische gegevens: alleen wat nodig is om het werk te regelen."),
    )

    def __init__(self, *args, stage, days_back, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        today = timezone.localdate()
        self.earliest = max(stage.start_date, add_days(today, -days_back))
        self.latest = min(today, stage.end_date)
        self.fields["since"].widget.attrs.update(min=self.earliest.isoformat(), max=self.latest.isoformat())
        self.initial.setdefault("since", self.latest)

    def clean_since(self):
        since = self.cleaned_data["since"]
        if not self.earliest <= since <= self.latest:
            raise forms.ValidationError(
                _("Kies een dag van %(earliest)s tot en met %(latest)s: een ziekmelding doet u op de dag zelf.")
                % {"earliest": date_format(self.earliest, "j F Y"), "latest": date_format(self.latest, "j F Y")}
            )
        return since


class BeterForm(forms.Form):
    until = forms.DateField(label=_("Laatste dag ziek"), widget=_date_widget())

    def __init__(self, *args, melding, **kwargs):
        super().__init__(*args, **kwargs)
        self.melding = melding
        self.latest = min(timezone.localdate(), melding.stage.end_date)
        self.fields["until"].widget.attrs.update(min=melding.since.isoformat(), max=self.latest.isoformat())
        self.initial.setdefault("until", max(melding.since, add_days(self.latest, -1)))

    def clean_until(self):
        until = self.cleaned_data["until"]
        if not self.melding.since <= until <= max(self.latest, self.melding.since):
            raise forms.ValidationError(
                _("Kies een dag van %(since)s tot en met vandaag.")
                % {"since": date_format(self.melding.since, "j F Y")}
            )
        return until


class InstellingForm(forms.Form):
    school_sees_ziekmeldingen = forms.BooleanField(
        label=_("De mbo-begeleider ziet de ziekmeldingen van deze stage"), required=False
    )
