from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Werkproces
from stagegids.forms import BoundedTexts, ConfirmForm, bounded_text
from stagegids.longforms import Progress, answered

from .models import MBO_FIELDS, NVT, Beoordeling, CollegaVraag, Formuliersjabloon, Sjablooncriterium

STALE = _(
    "Iemand anders heeft dit intussen opgeslagen; de wijzigingen hieronder zijn níet opgeslagen. De tekst staat er "
    "nog: vergelijk met de opgeslagen versie en sla opnieuw op."
)
# A background save refused the same way: the page keeps the text and stops saving by itself, so that the next save
# is the user's own choice.
STALE_CONCEPT = _(
    "Iemand anders heeft dit formulier intussen opgeslagen; de laatste wijzigingen zijn níet opgeslagen en worden "
    "niet meer vanzelf bewaard. De tekst staat hieronder nog. Bekijk de opgeslagen versie in een ander tabblad en "
    "kies „Opslaan” om deze versie te bewaren."
)

# A background save of a beoordeling signed meanwhile: a change would withdraw the signature, which only a click may.
SIGNED_NO_CONCEPT = _(
    "Deze beoordeling is intussen ondertekend; de laatste wijzigingen zijn níet opgeslagen, omdat een wijziging de "
    "handtekening laat vervallen. De tekst staat hieronder nog; kies „Opslaan” om hem toch te bewaren."
)


class InvullingForm(forms.Form):
    """One party's answers: a score and a toelichting per criterium, grouped per werkproces in the template."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, beoordeling, criteria, antwoorden, nvt_werkproces_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        steps = [(value, label) for value, label, _passing in beoordeling.scale_steps()]
        self.groups = {}
        # The error summary lists a criterium under its werkproces: the same text recurs in several werkprocessen.
        self.summary_labels, self.summary_groups = {}, {}
        for criterium in criteria:
            choices = list(steps)
            if criterium.werkproces_id in nvt_werkproces_ids:
                choices.append((NVT, _("n.v.t.")))
            antwoord = antwoorden.get(criterium.pk)
            self.fields[f"score_{criterium.pk}"] = forms.ChoiceField(
                label=criterium.text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=antwoord.score if antwoord else None,
            )
            self.fields[f"toelichting_{criterium.pk}"] = bounded_text(
                _("Toelichting"), rows=2, initial=antwoord.toelichting if antwoord else ""
            )
            label = criterium.werkproces_label or _("Beroepshouding")
            self.summary_labels[f"score_{criterium.pk}"] = criterium.text
            self.summary_labels[f"toelichting_{criterium.pk}"] = f"{criterium.text} ({_('toelichting')})"
            self.summary_groups[f"score_{criterium.pk}"] = self.summary_groups[f"toelichting_{criterium.pk}"] = label
            self.groups.setdefault(label, []).append(
                (criterium, self[f"score_{criterium.pk}"], self[f"toelichting_{criterium.pk}"])
            )

    def clean(self):
        cleaned = super().clean()
        if "submit" in self.data:
            missing = [c for c in self.criteria if not cleaned.get(f"score_{c.pk}")]
            for criterium in missing:
                self.add_error(f"score_{criterium.pk}", _("Kies een score om in te leveren."))
        return cleaned

    def answers(self):
        return {
            c: (self.cleaned_data.get(f"score_{c.pk}") or "", self.cleaned_data.get(f"toelichting_{c.pk}", "").strip())
            for c in self.criteria
        }

    def progress(self):
        """Werkprocessen of which every criterium has a score, as typed (bound) or as stored; the beroepshouding is
        not a werkproces and is not counted (handing in asks for it all the same)."""
        werkprocessen = {}
        for criterium in self.criteria:
            if criterium.werkproces_id:
                done = werkprocessen.get(criterium.werkproces_label, True)
                werkprocessen[criterium.werkproces_label] = done and answered(self[f"score_{criterium.pk}"])
        return Progress(done=sum(werkprocessen.values()), total=len(werkprocessen))


class ConclusieForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Beoordeling
        fields = ["conclusie", "conclusie_toelichting", "afspraken"]
        widgets = {"conclusie": forms.RadioSelect, "conclusie_toelichting": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_eind:
            self.fields.pop("conclusie")
            for name in ["uitkomst", "observaties_beoordelaar"]:
                self.fields[name] = forms.models.fields_for_model(Beoordeling, fields=[name])[name]
                self.fields[name].initial = getattr(self.instance, name)
            self.fields["uitkomst"].widget = forms.RadioSelect(choices=self.fields["uitkomst"].choices[1:])
            self.fields["observaties_beoordelaar"].label = self.instance.observaties_label
        else:
            self.fields["conclusie"].choices = self.fields["conclusie"].choices[1:]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan")))

    def values(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}


class MboDeelForm(BoundedTexts, forms.ModelForm):
    """The school's part of an eindbeoordeling, written by the stage's mbo-begeleider."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Beoordeling
        fields = list(MBO_FIELDS)
        labels = {
            "mbo_inhoudelijke_opdracht": _("Inhoudelijke opdracht"),
            "mbo_eindproduct": _("Eindproduct"),
            "mbo_projectmap": _("Projectmap"),
        }
        help_texts = {
            "mbo_inhoudelijke_opdracht": _("Uw oordeel over de opdracht die de school de stagiair meegaf."),
            "mbo_eindproduct": _("Wat de stagiair heeft opgeleverd en hoe u dat beoordeelt."),
            "mbo_projectmap": _("Is de projectmap compleet en op niveau?"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in MBO_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan")))

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name, "").strip() for name in MBO_FIELDS):
            raise forms.ValidationError(_("Vul ten minste één onderdeel in."))
        return cleaned

    def values(self):
        return {name: self.cleaned_data[name].strip() for name in MBO_FIELDS}


class CorrectieForm(BoundedTexts, forms.Form):
    reason = forms.CharField(
        label=_("Waarom wordt de beoordeling gecorrigeerd?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De ondertekende versie blijft bewaard; de nieuwe versie moet opnieuw worden ondertekend."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("correct", _("Nieuwe versie maken")))


class CollegaVraagForm(forms.Form):
    name = forms.CharField(label=_("Naam collega"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres collega"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("ask", _("Vraag versturen")))


class CollegaResendForm(ConfirmForm):
    """The confirm step of a new link names the link it replaces (by its expiry, which each new link moves): a
    double click, or a colleague resending at the same moment, sends one new link, not two."""

    replaces = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args, vraag, **kwargs):
        # In full (ISO 8601, microseconds and offset): the widget's own format would drop the microseconds.
        super().__init__(*args, initial={"replaces": vraag.expires_at.isoformat()}, **kwargs)


class CollegaAntwoordForm(forms.ModelForm):
    class Meta:
        model = CollegaVraag
        fields = ["zelfstandigheid", "houding", "resultaten"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("answer", _("Antwoorden versturen")))

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name, "").strip() for name in self.Meta.fields):
            raise forms.ValidationError(_("Beantwoord ten minste één vraag."))
        return cleaned


class SjabloonForm(forms.ModelForm):
    class Meta:
        model = Formuliersjabloon
        fields = ["scale"]


class SjablooncriteriumForm(forms.ModelForm):
    class Meta:
        model = Sjablooncriterium
        fields = ["werkproces", "text", "critical", "order"]

    def __init__(self, *args, **kwargs):
        # A row copied from the default into a sjabloon not saved yet: new, even when it is posted as shown.
        self.copied = bool(kwargs.get("initial"))
        super().__init__(*args, **kwargs)

    def has_changed(self):
        return self.copied or super().has_changed()


def criterium_formset(*, kwalificatie, sjabloon, copied, data=None):
    """The criteria of a saved sjabloon, or the rows `copied` into one that is saved with this form."""
    FormSet = forms.modelformset_factory(
        Sjablooncriterium, form=SjablooncriteriumForm, extra=len(copied) + 2, can_delete=True
    )
    queryset = sjabloon.criteria.select_related("werkproces") if sjabloon.pk else Sjablooncriterium.objects.none()
    initial = [
        {"werkproces": c.werkproces_id, "text": c.text, "critical": c.critical, "order": c.order} for c in copied
    ]
    formset = FormSet(data, queryset=queryset, initial=initial, prefix="criteria")
    werkprocessen = Werkproces.objects.for_kwalificatie(kwalificatie)
    for form in formset.forms:
        form.fields["werkproces"].queryset = werkprocessen
        form.fields["werkproces"].empty_label = _("Beroepshouding")
    return formset
