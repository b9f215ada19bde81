from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from stagegids.forms import BoundedTexts, bounded_text
from stagegids.longforms import Progress, answered

from ..gesprekken.forms import VersionedForm
from .models import EVALUATIE_QUESTIONS, SCALE, Evaluatie

# A background save refused because the evaluatie was saved elsewhere (another tab): the page keeps the text and
# stops saving by itself, so that the next save is the stagiair's own choice.
STALE_CONCEPT = _(
    "Je evaluatie is intussen ergens anders opgeslagen (in een ander tabblad?); je laatste wijzigingen zijn níet "
    "opgeslagen en worden niet meer vanzelf bewaard. Je tekst staat hieronder nog: kies „Bewaren als concept” om "
    "jouw versie te bewaren."
)


class EvaluatieForm(VersionedForm):
    """One optional 1–5 score and one text per question of the gids; the keys are those of EVALUATIE_QUESTIONS."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in EVALUATIE_QUESTIONS:
            if question.scale:
                low, high = question.scale
                self.fields[f"score_{question.key}"] = forms.TypedChoiceField(
                    label=question.text,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    choices=[(n, f"{n} – {low}" if n == 1 else f"{n} – {high}" if n == 5 else str(n)) for n in SCALE],
                    widget=forms.RadioSelect,
                )
            self.fields[f"text_{question.key}"] = bounded_text(
                _("Toelichting") if question.scale else question.text, rows=3
            )
        # The error summary names a toelichting by its question.
        self.summary_labels = {
            f"text_{q.key}": f"{q.text} ({_('toelichting')})" for q in EVALUATIE_QUESTIONS if q.scale
        }

    def clean(self):
        cleaned = super().clean()
        if "submit" in self.data:
            for question in EVALUATIE_QUESTIONS:
                if question.scale and cleaned.get(f"score_{question.key}") is None:
                    self.add_error(f"score_{question.key}", _("Kies een cijfer van 1 tot 5 voordat je indient."))
        return cleaned

    def sections(self):
        sections = {}
        for question in EVALUATIE_QUESTIONS:
            fields = [self[f"text_{question.key}"]]
            if question.scale:
                fields.insert(0, self[f"score_{question.key}"])
            sections.setdefault(question.section, []).append((question, fields))
        return [(section.label, items) for section, items in sections.items()]

    def progress(self):
        """Questions answered, as typed (bound) or as stored: a score where the question has one, else its text."""
        done = sum(answered(self[f"score_{q.key}" if q.scale else f"text_{q.key}"]) for q in EVALUATIE_QUESTIONS)
        return Progress(done=done, total=len(EVALUATIE_QUESTIONS))

    def answers(self):
        return {
            question.key: (self.cleaned_data.get(f"score_{question.key}"), self.cleaned_data[f"text_{question.key}"])
            for question in EVALUATIE_QUESTIONS
        }

    @staticmethod
    def initial_for(evaluatie):
        initial = {"version": evaluatie.answers_version}
        for answer in evaluatie.answers_by_key().values():
            initial[f"score_{answer.question}"] = answer.score
            initial[f"text_{answer.question}"] = answer.text
        return initial


class AfrondingForm(BoundedTexts, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Evaluatie
        fields = Evaluatie.AFRONDING_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("gesprek_notes", "vooruitzichten", "lessen")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.afronding_version
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan")))

    def values(self):
        return {name: self.cleaned_data[name] for name in Evaluatie.AFRONDING_FIELDS}
