from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from stagegids.models import Delivery


class ReminderPreferencesForm(forms.Form):
    """One choice per kind of reminder; "off" is missing where the person may not switch the kind off."""

    def __init__(self, *args, kinds, current, roles, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            mandatory = bool(kind.mandatory_for & roles)
            choices = [(value, label) for value, label in Delivery.choices if not (mandatory and value == Delivery.OFF)]
            help_text = kind.help_text
            if mandatory:
                help_text = _("%(help)s Als stagiair kun je deze herinneringen niet uitzetten.") % {
                    "help": kind.help_text
                }
            self.fields[kind.preference_code] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.preference_code, Delivery.IMMEDIATELY),
                help_text=help_text,
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))
