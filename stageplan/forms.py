import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Werkproces
from stagegids import dates
from stagegids.forms import BoundedTexts, bound

from .models import Leerdoel, LeerdoelComment, Moment, MomentVoorstel, Observatie, ObservatieKind, Stageplan
from .photos import clean_photo

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class VersionedForm(forms.Form):
    """A form that changes the stageplan carries the version it was based on (see changes.save_change)."""

    based_on = forms.IntegerField(widget=forms.HiddenInput)


class CreatePlanForm(forms.Form):
    interval_weeks = forms.IntegerField(
        label=_("Voortgangsgesprek elke ... weken"),
        min_value=1,
        max_value=12,
        initial=4,
        help_text=_("De gids vraagt om vaste momenten voor feedback en voortgang, gepland bij de start."),
    )
    propose = forms.BooleanField(
        label=_("Stel de gesprekken en beoordelingen uit de gids voor (daarna aan te passen)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Stageplan maken"))


class BeginsituatieForm(BoundedTexts, VersionedForm, forms.ModelForm):
    class Meta:
        model = Stageplan
        fields = ["niveau", "leerjaar", "capaciteiten", "vorige_stage"]
        labels = {"capaciteiten": _("Wat kun je al? (capaciteiten)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["niveau"].widget.attrs.update(min=1, max=4)
        self.fields["capaciteiten"].widget.attrs["rows"] = 4
        self.fields["vorige_stage"].widget.attrs["rows"] = 3
        self.helper = _helper(_("Opslaan"))


def werkproces_choices(werkprocessen, unavailable_ids):
    """Grouped by kerntaak; what the company cannot offer and example data say so in the label."""
    groups = {}
    for werkproces in werkprocessen:
        label = str(werkproces)
        if werkproces.pk in unavailable_ids:
            label += " – " + str(_("kan het bedrijf niet bieden"))
        if werkproces.is_example:
            label += " [" + str(_("voorbeelddata")) + "]"
        groups.setdefault(str(werkproces.kerntaak), []).append((werkproces.pk, label))
    return [("", _("Geen: een eigen leerdoel")), *groups.items()]


class LeerdoelForm(BoundedTexts, VersionedForm, forms.ModelForm):
    class Meta:
        model = Leerdoel
        fields = ["werkproces", "title", "skill", "activiteiten", "benodigd", "target_date", "status"]
        labels = {
            "werkproces": _("Werkproces uit het kwalificatiedossier"),
            "skill": _("Hard of soft skill"),
            "activiteiten": _("Activiteiten: wat ga je doen?"),
            "target_date": _("Streefdatum: wanneer behaald?"),
        }
        widgets = {"target_date": DATE, "activiteiten": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, stage, unavailable_ids, **kwargs):
        super().__init__(*args, **kwargs)
        werkprocessen = Werkproces.objects.for_kwalificatie(stage.kwalificatie).order_by("kerntaak__code", "code")
        self.fields["werkproces"].queryset = werkprocessen
        self.fields["werkproces"].choices = werkproces_choices(werkprocessen, unavailable_ids)
        self.fields["title"].required = False
        self.fields["title"].help_text = _(
            "Leeg laten bij een werkproces: dan wordt de titel van het werkproces het leerdoel."
        )
        self.fields["benodigd"].widget.attrs["rows"] = 2
        dates.bound_form(self)
        self.helper = _helper(_("Leerdoel opslaan"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title"):
            if cleaned.get("werkproces"):
                cleaned["title"] = cleaned["werkproces"].title
                self.instance.title = cleaned["title"]
            else:
                self.add_error("title", _("Schrijf het leerdoel op, of kies een werkproces."))
        return cleaned


class CommentForm(BoundedTexts, forms.ModelForm):
    class Meta:
        model = LeerdoelComment
        fields = ["text"]
        labels = {"text": _("Reactie")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Reactie plaatsen"))


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def stopped_stage_error(stage):
    """The Dutch refusal to plan on a stage that was interrupted or ended, or None (leerbedrijf/models/stop.py)."""
    if not stage.stopped:
        return None
    return _(
        "Deze stage is %(kind)s: er worden geen momenten gepland. Na het hervatten van een onderbroken stage kan "
        "het weer."
    ) % {"kind": stage.get_stopped_display()}


class MomentForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Moment
        fields = ["kind", "starts_at", "location"]
        widgets = {"starts_at": DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True
        dates.bound_form(self)
        self.helper = _helper(_("Moment opslaan"))

    def clean(self):
        cleaned = super().clean()
        if error := stopped_stage_error(self.instance.stage):
            raise forms.ValidationError(error, code="stage_stopped")
        return cleaned


class MomentVoorstelForm(forms.ModelForm):
    """The stagiair's proposal: a new moment, or (with `moment`) a new date and place for that one."""

    class Meta:
        model = MomentVoorstel
        fields = ["kind", "starts_at", "location", "toelichting"]
        labels = {"toelichting": _("Waarom dit moment? (mag leeg)")}
        widgets = {"starts_at": DATETIME, "toelichting": forms.Textarea(attrs={"rows": 2, "maxlength": 500})}

    def __init__(self, *args, moment=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A new date keeps the moment's kind (the view puts it on the instance).
        self.fields["kind"].disabled = moment is not None
        dates.bound_form(self)
        self.helper = _helper(_("Voorstel versturen"))

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError(_("Stel een moment in de toekomst voor."))
        return starts_at

    def clean(self):
        cleaned = super().clean()
        if stopped_stage_error(self.instance.stage):
            raise forms.ValidationError(
                _("Je stage is %(kind)s: je kunt nu geen moment voorstellen.")
                % {"kind": self.instance.stage.get_stopped_display()},
                code="stage_stopped",
            )
        return cleaned


class MomentCancelForm(forms.Form):
    """Why a moment does not take place: the gids says not to skip them (ch. 8), so a cancellation says why."""

    reason = forms.CharField(
        label=_("Reden van annuleren"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text=_("Bijvoorbeeld: de stagiair was ziek en het gesprek is gecombineerd met het volgende."),
        error_messages={
            "required": _("Schrijf op waarom dit moment niet doorgaat."),
            "max_length": _("Houd de reden kort: hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Schrijf op waarom dit moment niet doorgaat."))
        return reason


class VoorstelBesluitForm(VersionedForm):
    """Accept or decline a proposal; accepting changes the plan, so it carries the plan's version."""

    besluit = forms.ChoiceField(choices=[("aannemen", _("Aannemen")), ("afwijzen", _("Afwijzen"))])
    reden = forms.CharField(label=_("Reden (bij afwijzen)"), max_length=500, required=False)


class ObservatieForm(forms.ModelForm):
    """An observatie, typed on the spot: in a basement without signal the page keeps it on the device and sends it
    later (static/js/wachtrij.js), with the same fields and the same checks here."""

    TEXT_MAX = 4000

    # Made once per observatie (by the page when it queues one, else at render): a retry answers with the first.
    client_key = forms.UUIDField(
        label=_("Sleutel"),
        required=False,
        widget=forms.HiddenInput,
        # A key of any other shape or length is not a UUID: the one message for all.
        error_messages={"invalid": _("De sleutel van deze observatie is ongeldig. Laad het formulier opnieuw.")},
    )
    # Who filled it in: a queued observatie sent after another person logged in on the same phone is not theirs.
    recorded_by = forms.IntegerField(label=_("Vastgelegd door"), required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Observatie
        fields = ["kind", "text", "leerdoel", "date", "photo"]
        labels = {"leerdoel": _("Bij leerdoel (mag leeg)"), "kind": _("Wat is het?")}
        widgets = {
            "kind": forms.RadioSelect,
            "date": DATE,
            "text": forms.Textarea(attrs={"rows": 4}),
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        }
        help_texts = {
            "text": _("Beschrijf wat u zag, zonder oordeel."),
            "photo": _(
                "jpg of png, maximaal 8 MB en 25 megapixel. Locatie en andere gegevens in de foto worden verwijderd."
            ),
        }

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ObservatieKind.choices
        bound(self.fields["text"], self.TEXT_MAX)
        self.fields["leerdoel"].queryset = Leerdoel.objects.filter(stageplan__stage=stage)
        self.fields["client_key"].initial = uuid.uuid4()
        self.fields["recorded_by"].initial = self.instance.author_id
        dates.bound_form(self)
        self.helper = _helper(_("Observatie opslaan"))

    def earlier(self):
        """The observatie this form's key already made (a retry), looked up before anything else is checked."""
        try:
            key = self.fields["client_key"].clean(self.data.get("client_key"))
        except forms.ValidationError:
            return None
        return Observatie.recorded_with_key(key, stage=self.instance.stage, author=self.instance.author)

    def clean_client_key(self):
        key = self.cleaned_data["client_key"]
        # Only someone else's key is refused here. This author's own on this stage may have been saved by a parallel
        # retry since earlier() looked: record() then meets the unique key and answers with that observatie.
        others = Observatie.objects.filter(client_key=key).exclude(
            stage=self.instance.stage, author=self.instance.author
        )
        if key is not None and others.exists():
            raise forms.ValidationError(_("Deze observatie hoort bij een andere stage of gebruiker."))
        return key

    def clean_recorded_by(self):
        author = self.cleaned_data["recorded_by"]
        if author is not None and author != self.instance.author_id:
            raise forms.ValidationError(
                _(
                    "Deze observatie is op dit apparaat vastgelegd door iemand anders. "
                    "Log in als die persoon om haar te versturen."
                )
            )
        return author

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            return clean_photo(photo)
        return photo

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Een observatie gaat over iets wat al gebeurd is: kies vandaag of eerder."))
        return day

    def record(self):
        """The saved observatie, once per key: the first of two parallel requests with one key saves it, the
        second answers with it. None (and an error on the form) when the key turns out to be someone else's."""
        observatie = self.save(commit=False)
        observatie.client_key = self.cleaned_data["client_key"]
        saved, _created = observatie.record()
        if saved is None:
            self.add_error("client_key", _("Deze observatie hoort bij een andere stage of gebruiker."))
        return saved
