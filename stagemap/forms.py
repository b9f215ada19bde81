from django import forms
from django.utils.translation import gettext_lazy as _

from stagegids.forms import BoundedTexts

from .models import VerslagComment, VerslagReview


class CommentForm(BoundedTexts, forms.ModelForm):
    class Meta:
        model = VerslagComment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Schrijf eerst uw opmerking.")}}


class ReviewForm(BoundedTexts, forms.Form):
    review = forms.ChoiceField(label=_("Uw oordeel"), choices=VerslagReview.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Verplicht als u om een wijziging vraagt."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("review") == VerslagReview.WIJZIGING and not cleaned.get("text", "").strip():
            self.add_error("text", _("Schrijf wat er anders moet."))
        return cleaned
