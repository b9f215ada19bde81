from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids import dates
from stagegids.forms import ConfirmForm

from .models import EDITABLE, TEXT_MAX, Zorg, ZorgKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ZorgForm(forms.ModelForm):
    """Record or edit a concern; on a phone too (one column, radio buttons instead of a select, short labels).

    With `may_plan` it offers an extra voortgangsgesprek, planned in the stageplan with the concern."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    extra_gesprek = forms.DateTimeField(
        label=_("Extra gesprek plannen op (mag leeg)"),
        required=False,
        widget=DATETIME,
        help_text=_("Een extra voortgangsgesprek in de planning van de stage; iedereen krijgt de uitnodiging."),
    )

    class Meta:
        model = Zorg
        fields = list(EDITABLE)
        labels = {
            "kind": _("Waarover gaat de zorg?"),
            "happened": _("Wat is er gebeurd?"),
            "agreed": _("Wat is afgesproken? (mag leeg)"),
            "next_step": _("Volgende stap"),
            "next_step_on": _("Wanneer?"),
            "internal": _("Alleen voor het bedrijf (de stagiair ziet deze zorg niet)"),
        }
        help_texts = {
            "happened": _("Beschrijf wat u zag of hoorde, zonder oordeel."),
            "next_step": _("Bijvoorbeeld: gesprek met de stagiair, de mbo-begeleider bellen."),
            "internal": _(
                "Gebruik dit alleen als het echt niet anders kan: de stagiair mag zien wat over hem is geschreven."
            ),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "happened": forms.Textarea(attrs={"rows": 4}),
            "agreed": forms.Textarea(attrs={"rows": 3}),
            "next_step_on": DATE,
        }

    def __init__(self, *args, may_plan=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ZorgKind.choices
        if not may_plan:
            del self.fields["extra_gesprek"]
        if self.instance.pk and self.instance.shared_at:
            # A shared concern stays visible to the stagiair: the school knows it (models.Zorg, its constraint).
            self.fields["internal"].disabled = True
            self.fields["internal"].help_text = _(
                "Deze zorg is gedeeld met de school en blijft zichtbaar voor de stagiair."
            )
        dates.bound_form(self)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_next_step_on(self):
        day = self.cleaned_data["next_step_on"]
        if "next_step_on" in self.changed_data and day < timezone.localdate():
            raise forms.ValidationError(_("Kies een datum vanaf vandaag: de volgende stap moet nog komen."))
        return day

    def clean_extra_gesprek(self):
        starts_at = self.cleaned_data.get("extra_gesprek")
        if starts_at is not None and starts_at <= timezone.now():
            raise forms.ValidationError(_("Plan het gesprek in de toekomst."))
        return starts_at

    def values(self):
        return {name: self.cleaned_data[name] for name in EDITABLE}


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Hoe is het afgelopen?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: opgelost na het gesprek, de stage is aangepast, de school neemt het over."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ShareForm(ConfirmForm):
    """Sharing with the school changes who may read the concern: a confirm step of its own."""
