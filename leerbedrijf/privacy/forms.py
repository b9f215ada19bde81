from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import RaadplegingWhat, Stagiair


class OnRequestForm(forms.Form):
    """A praktijkopleider asks for a stagiair's inzage only on request: he says whose."""

    on_request_of = forms.CharField(
        label=_("Op verzoek van"),
        max_length=200,
        help_text=_("Wie vroeg om deze inzage, bijvoorbeeld de stagiair zelf of zijn ouder of voogd, en wanneer."),
        error_messages={
            "required": _("Vul in wie om de inzage vroeg."),
            "max_length": _("Houd het kort: hoogstens 200 tekens."),
        },
    )


class RaadplegingFilterForm(forms.Form):
    wat = forms.ChoiceField(label=_("Wat"), required=False)
    stagiair = forms.ModelChoiceField(label=_("Stagiair"), queryset=None, required=False)

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wat"].choices = [("", _("alles")), *RaadplegingWhat.choices]
        self.fields["stagiair"].queryset = Stagiair.objects.filter(leerbedrijf=leerbedrijf).order_by("name")
        self.fields["stagiair"].empty_label = _("alle")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def apply(self, entries):
        if not self.is_valid():
            return entries.none()
        if self.cleaned_data["wat"]:
            entries = entries.filter(what=self.cleaned_data["wat"])
        if self.cleaned_data["stagiair"]:
            entries = entries.filter(stage__stagiair=self.cleaned_data["stagiair"])
        return entries
