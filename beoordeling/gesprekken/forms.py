from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from stagegids.forms import BoundedTexts, ConfirmForm, bound, bounded_text
from stageplan.models import Leerdoel

from .models import Driegesprek, Voortgangsgesprek, stage_people


class VersionedForm(forms.Form):
    """Carries the version the user started from, so a stale save is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def _textareas(model, names, rows=4):
    return {name: bounded_text(model._meta.get_field(name).verbose_name, rows=rows) for name in names}


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


PLAN_CHOICES = [("", _("Niet besproken")), ("ja", _("Ja, het klopt nog")), ("nee", _("Nee, het moet anders"))]


class NotesForm(VersionedForm):
    """The notes of a voortgangsgesprek, and the periodic review of the stageplan: does it still fit?"""

    plan_klopt = forms.TypedChoiceField(
        label=_("Klopt het stageplan nog?"),
        choices=PLAN_CHOICES,
        coerce=lambda value: value == "ja",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Het stageplan verandert tijdens de stage: kijk bij elk gesprek of de leerdoelen nog passen."),
    )
    plan_wijzigen = bounded_text(_("Wat moet er anders in het stageplan?"), rows=2, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_textareas(Voortgangsgesprek, Voortgangsgesprek.NOTES_FIELDS))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan_klopt") is False and not cleaned.get("plan_wijzigen", "").strip():
            self.add_error("plan_wijzigen", _("Schrijf op wat er anders moet in het stageplan."))
        return cleaned

    def values(self):
        fields = Voortgangsgesprek.NOTES_FIELDS + Voortgangsgesprek.PLAN_FIELDS
        return {name: self.cleaned_data[name] for name in fields}

    def guided_fields(self):
        return [(self[name], NOTES_GUIDANCE[name]) for name in Voortgangsgesprek.NOTES_FIELDS]


class AfrondenForm(VersionedForm, ConfirmForm):
    """The confirmed close of a gesprek, based on the notes version the praktijkopleider read."""


class AfspraakForm(BoundedTexts, forms.Form):
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


class DriegesprekForm(VersionedForm):
    """The company side's part of a driegesprek: who took part (the stage's people ticked, others by name) and
    what was discussed."""

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        # The stage's own people by name, so whoever records it ticks a person, not only a role.
        names = {
            "deelnemer_stagiair": stage.stagiair.name,
            "deelnemer_school": stage.mbo_begeleider.name if stage.mbo_begeleider else "",
        }
        for name in Driegesprek.DEELNEMER_FIELDS:
            label = Driegesprek._meta.get_field(name).verbose_name
            self.fields[name] = forms.BooleanField(
                label=f"{label} ({names[name]})" if names.get(name) else label, required=False
            )
        self.fields["deelnemers_anders"] = bound(
            forms.CharField(
                label=Driegesprek._meta.get_field("deelnemers_anders").verbose_name,
                required=False,
                help_text=_("Bijvoorbeeld een collega die meedeed, of de ouders."),
            ),
            300,
        )
        self.fields["notes_besproken"] = bounded_text(
            Driegesprek._meta.get_field("notes_besproken").verbose_name, rows=6
        )

    def clean(self):
        cleaned = super().clean()
        if (
            not any(cleaned.get(name) for name in Driegesprek.DEELNEMER_FIELDS)
            and not cleaned.get("deelnemers_anders", "").strip()
        ):
            raise forms.ValidationError(_("Vink aan wie er bij het gesprek waren, of vul hun namen in."))
        return cleaned

    def values(self):
        return {name: self.cleaned_data[name] for name in Driegesprek.NOTES_FIELDS}

    def deelnemer_fields(self):
        return [self[name] for name in Driegesprek.DEELNEMER_FIELDS]


class SchoolNotesForm(VersionedForm):
    """The mbo-begeleider's own part of a driegesprek."""

    school_notes = bounded_text(
        _("Uw notities"),
        rows=6,
        help_text=_(
            "Wat de school heeft gezien en besproken; het komt naast de notities van het bedrijf in het verslag."
        ),
    )

    def values(self):
        return {"school_notes": self.cleaned_data["school_notes"]}


class DriegesprekAfrondenForm(AfrondenForm):
    """Closing names the versions of both parts the praktijkopleider read."""

    school_version = forms.IntegerField(widget=forms.HiddenInput)
