"""The forms of a stage that goes wrong: interrupt or end it, resume it (leerbedrijf/models/stop.py)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stagegids import dates

from ..models import StopKind, StopReden

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day(day):
    return date_format(day, "j F Y")


class StopForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat gebeurt er?"),
        widget=forms.RadioSelect,
        choices=[
            (
                StopKind.ONDERBROKEN,
                _("Onderbreken: de stage ligt stil en kan later hervatten, met een nieuwe einddatum"),
            ),
            (StopKind.BEEINDIGD, _("Beëindigen: de stage stopt voorgoed")),
        ],
    )
    reden = forms.ChoiceField(label=_("Reden"), widget=forms.RadioSelect, choices=StopReden.choices)
    starts_on = forms.DateField(
        label=_("Met ingang van"),
        widget=DATE,
        help_text=_("De eerste dag dat de stagiair niet meer op stage is: vandaag of eerder."),
    )
    toelichting = forms.CharField(
        label=_("Toelichting (mag leeg)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text=_("Wat er gebeurde en wat is afgesproken. De stagiair, de begeleiders en de school lezen het."),
    )

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        if stage.stopped == StopKind.ONDERBROKEN:
            # An interrupted stage can only be ended (or resumed, on its own page).
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] == StopKind.BEEINDIGD]
            self.fields["kind"].initial = StopKind.BEEINDIGD
        dates.bound_form(self)
        self.fields["starts_on"].widget.attrs.update(min=stage.start_date.isoformat(), max=self.latest().isoformat())
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Vastleggen"), css_class="btn-danger"))

    def latest(self):
        """Today, or the start of a stage that has not begun (one that does not go ahead ends on its first day)."""
        return max(timezone.localdate(), self.stage.start_date)

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        stage = self.stage
        if day < stage.start_date:
            raise forms.ValidationError(
                _("Deze datum ligt vóór de start van de stage (%(start)s). Kies de start of een latere dag.")
                % {"start": _day(stage.start_date)}
            )
        if day > self.latest():
            raise forms.ValidationError(
                _("Kies vandaag (%(today)s) of een eerdere dag: een stage stopt niet vooruit.")
                % {"today": _day(self.latest())}
            )
        if day > stage.end_date:
            raise forms.ValidationError(
                _("Na de einddatum (%(end)s) loopt de stage al niet meer. Kies die dag of een eerdere.")
                % {"end": _day(stage.end_date)}
            )
        if stage.stopped == StopKind.ONDERBROKEN and day < stage.stopped_on:
            raise forms.ValidationError(
                _("De stage is onderbroken sinds %(date)s; het einde kan niet eerder liggen.")
                % {"date": _day(stage.stopped_on)}
            )
        return day


class ResumeForm(forms.Form):
    end_date = forms.DateField(
        label=_("Nieuwe einddatum"),
        widget=DATE,
        help_text=_("De stage loopt vanaf vandaag weer, tot en met deze dag."),
    )

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        dates.bound_form(self)
        self.fields["end_date"].widget.attrs.update(min=timezone.localdate().isoformat())
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Stage hervatten")))

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        today = timezone.localdate()
        if end <= today:
            raise forms.ValidationError(_("Kies een einddatum na vandaag (%(today)s).") % {"today": _day(today)})
        if end <= self.stage.start_date:
            raise forms.ValidationError(_("De einddatum moet na de startdatum liggen."))
        if too_long := dates.period_error(self.stage.start_date, end):
            raise forms.ValidationError(too_long)
        return end
