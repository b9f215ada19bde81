from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import OnboardingTemplateItem
from ..models.onboarding import responsible_choices


class OnboardingTemplateItemForm(forms.ModelForm):
    class Meta:
        model = OnboardingTemplateItem
        fields = ["phase", "text", "responsible"]
        labels = {"phase": _("Fase"), "text": _("Actie"), "responsible": _("Standaard verantwoordelijk")}
        help_texts = {"text": _("Bijvoorbeeld: Laat de stagiair de VCA-toolbox over valgevaar volgen.")}

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.leerbedrijf = leerbedrijf
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Actie toevoegen")))

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Beschrijf de actie."))
        if OnboardingTemplateItem.objects.filter(
            leerbedrijf=self.instance.leerbedrijf, phase=self.cleaned_data.get("phase"), text__iexact=text
        ).exists():
            raise forms.ValidationError(_("Deze actie staat al in deze fase."))
        return text


class AssignForm(forms.Form):
    responsible = forms.ModelChoiceField(label=_("Verantwoordelijk"), queryset=None, empty_label=None)

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices(leerbedrijf)
