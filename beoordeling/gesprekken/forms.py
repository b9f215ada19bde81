from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from stagegids.forms import ConfirmForm
from stageplan.models import Leerdoel

from .models import Voortgangsgesprek, stage_people


class VersionedForm(forms.Form):
    """Carries the version the user started from, so a stale save is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def _textareas(model, names, rows=4):
    return {
        name: forms.CharField(
            label=model._meta.get_field(name).verbose_name, required=False, widget=forms.Textarea(attrs={"rows": rows})
        )
        for name in names
    }


class ReflectieForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_textareas(Voortgangsgesprek, Voortgangsgesprek.REFLECTIE_FIELDS))
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Bewaren als concept"), css_class="btn-outline-primary"))
        self.helper.add_input(Submit("submit", _("Indienen")))

    def values(self):
        return {name: self.cleaned_data[name] for name in Voortgangsgesprek.REFLECTIE_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if "submit" in self.data and not any(cleaned.get(name) for name in Voortgangsgesprek.REFLECTIE_FIELDS):
            raise forms.ValidationError(_("Vul minstens één vraag in voordat je de zelfreflectie indient."))
        return cleaned


# The gids's advice for giving feedback (chapter 8), shown beside the field it belongs to.
NOTES_GUIDANCE = {
    "notes_goed": _("Benoem ook wat wél goed gaat. Door te bespreken wat al lukt, ziet de stagiair dat hij groeit."),
    "notes_ik_boodschap": _(
        "Gebruik een ik-boodschap: “Ik zie…”, “Ik merk dat…”. Observeer zonder oordeel: gedrag is niet altijd "
        "wat het lijkt."
    ),
    "notes_reactie": _("Vraag daarna: “Hoe denk jij hierover?” Zo wordt het een gelijkwaardig gesprek."),
    "notes_verbeteren": _(
        "Wees eerlijk: durf te zeggen als iets niet goed (genoeg) gaat, en bespreek hoe jullie samen tot het "
        "beoogde niveau komen."
    ),
}


class NotesForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_textareas(Voortgangsgesprek, Voortgangsgesprek.NOTES_FIELDS))

    def values(self):
        return {name: self.cleaned_data[name] for name in Voortgangsgesprek.NOTES_FIELDS}

    def guided_fields(self):
        return [(self[name], NOTES_GUIDANCE[name]) for name in Voortgangsgesprek.NOTES_FIELDS]


class AfrondenForm(VersionedForm, ConfirmForm):
    """The confirmed close of a gesprek, based on the notes version the praktijkopleider read."""


class AfspraakForm(forms.Form):
    text = forms.CharField(label=_("Afspraak"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Wie"), queryset=None)
    due_date = forms.DateField(label=_("Wanneer klaar?"), widget=forms.DateInput(attrs={"type": "date"}))
    leerdoel = forms.ModelChoiceField(
        label=_("Bij leerdoel"),
        queryset=None,
        required=False,
        help_text=_("Gaat de afspraak over een leerdoel? Dan staat hij ook bij dat leerdoel."),
    )

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = stage_people(stage)
        self.fields["leerdoel"].queryset = Leerdoel.objects.filter(stageplan__stage=stage)
        self.helper = FormHelper()
        self.helper.form_tag = False
