"""Forms of the intake (chapters 1 and 4): the stage with what the praktijkovereenkomst holds, and the kandidaat."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stagegids.roles import BEGELEIDER_ROLES, Role

from ..models import (
    Besluit,
    Erkenning,
    Kandidaat,
    Leerbedrijf,
    Leerweg,
    Membership,
    Onderwijsinstelling,
    Stage,
    Stagiair,
    stage_create,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


def overlapping_stages(*, leerbedrijf, email, start_date, end_date, exclude_pk=None):
    """Stages in this company of a stagiair with this e-mail whose period overlaps [start_date, end_date]."""
    return (
        Stage.objects.filter(
            leerbedrijf=leerbedrijf,
            stagiair__email__iexact=email,
            start_date__lt=end_date,
            end_date__gt=start_date,
        )
        .exclude(pk=exclude_pk)
        .select_related("stagiair")
    )


def stages_of_begeleider(*, leerbedrijf, user, start_date, end_date, exclude_pk=None):
    return Stage.objects.filter(
        leerbedrijf=leerbedrijf, werkplekbegeleider=user, start_date__lt=end_date, end_date__gt=start_date
    ).exclude(pk=exclude_pk)


class StageForm(forms.ModelForm):
    """The stage of one stagiair; the praktijkopleider fills it in at the intake and corrects it later."""

    confirm_overload = forms.BooleanField(
        label=_("Ik weet het en wil toch opslaan"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Stage
        fields = [
            "kwalificatie",
            "niveau",
            "leerjaar",
            "leerweg",
            "herkomst",
            "onderwijsinstelling",
            "mbo_begeleider",
            "bpv_coordinator_name",
            "bpv_coordinator_email",
            "start_date",
            "end_date",
            "days_per_week",
            "hours_per_week",
            "pok_signed_on",
            "bpv_overeenkomst_signed_on",
            "stagevergoeding",
            "salaris",
            "werkplekbegeleider",
            "praktijkbeoordelaar",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "pok_signed_on": DATE,
            "bpv_overeenkomst_signed_on": DATE,
        }
        help_texts = {
            "niveau": _("Leeg laten: het niveau van de kwalificatie."),
            "bpv_overeenkomst_signed_on": _("Alleen bij bbl, en dan verplicht."),
            "stagevergoeding": _("Alleen bij bol, niet verplicht."),
            "salaris": _("Alleen bij bbl: de leerling is in dienst."),
        }

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        self.leerbedrijf = leerbedrijf
        self.warnings = []
        users = get_user_model().objects.order_by("name")
        begeleiders = Membership.objects.active().filter(leerbedrijf=leerbedrijf, role__in=BEGELEIDER_ROLES)
        beoordelaars = Membership.objects.active().filter(leerbedrijf=leerbedrijf, role=Role.PRAKTIJKBEOORDELAAR)
        # Only the mbo-begeleiders of the chosen school (posted, or the stage's): the company has no business
        # with the supervisors of other schools. No school chosen yet: none.
        school = self["onderwijsinstelling"].value()
        mbo = Membership.objects.active().filter(
            role=Role.MBO_BEGELEIDER, onderwijsinstelling_id=int(school) if str(school).isdigit() else None
        )
        # The werkplekbegeleider list is limited to begeleiders in this company; clean_werkplekbegeleider says so
        # in plain Dutch when a stale or forged choice comes in.
        self.fields["werkplekbegeleider"] = PersonChoiceField(
            label=_("Werkplekbegeleider"), queryset=users, required=False
        )
        self.fields["werkplekbegeleider"].widget.choices = [("", "")] + [
            (u.pk, u.name or u.email) for u in users.filter(pk__in=begeleiders.values("user"))
        ]
        self.fields["praktijkbeoordelaar"] = PersonChoiceField(
            label=_("Praktijkbeoordelaar"), queryset=users.filter(pk__in=beoordelaars.values("user")), required=False
        )
        self.fields["mbo_begeleider"] = PersonChoiceField(
            label=_("Mbo-begeleider"),
            queryset=users.filter(pk__in=mbo.values("user")),
            required=False,
            error_messages={"invalid_choice": _("Deze mbo-begeleider werkt niet bij de gekozen school.")},
        )
        self.fields["niveau"].required = False
        self.fields["niveau"].choices = [("", _("zoals de kwalificatie"))] + [(n, str(n)) for n in range(1, 5)]
        for name in ("werkplekbegeleider", "praktijkbeoordelaar", "mbo_begeleider"):
            self.fields[name].empty_label = _("nog niet bekend")
        self.fields["werkplekbegeleider"].widget.choices[0] = ("", _("nog niet bekend"))
        for name in ("leerjaar", "days_per_week", "hours_per_week"):
            self.fields[name].required = True
        self.fields["herkomst"].required = True
        self.fields["pok_signed_on"].required = True
        self.fields["leerjaar"].widget.attrs.update(min=1, max=4)
        if self.data.get(self.add_prefix("confirm_overload")):
            self.fields["confirm_overload"].widget = forms.CheckboxInput()
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout_fields())
        self.helper.add_input(Submit("submit", self.submit_label))

    submit_label = _("Opslaan")

    def layout_fields(self):
        return [
            Fieldset(_("Opleiding"), "kwalificatie", "niveau", "leerjaar", "leerweg", "herkomst"),
            Fieldset(
                _("School"), "onderwijsinstelling", "mbo_begeleider", "bpv_coordinator_name", "bpv_coordinator_email"
            ),
            Fieldset(_("Periode"), "start_date", "end_date", "days_per_week", "hours_per_week"),
            Fieldset(_("Contract"), "pok_signed_on", "bpv_overeenkomst_signed_on", "stagevergoeding", "salaris"),
            Fieldset(_("Begeleiding"), "werkplekbegeleider", "praktijkbeoordelaar", "confirm_overload"),
        ]

    def email_of_stagiair(self):
        return self.instance.stagiair.email

    def clean_werkplekbegeleider(self):
        user = self.cleaned_data.get("werkplekbegeleider")
        if user is not None and not (
            Membership.objects.active()
            .filter(leerbedrijf=self.leerbedrijf, role__in=BEGELEIDER_ROLES, user=user)
            .exists()
        ):
            raise forms.ValidationError(_("Deze persoon is geen werkplekbegeleider in uw bedrijf."))
        return user

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        leerweg, kwalificatie = cleaned.get("leerweg"), cleaned.get("kwalificatie")
        if start and end and end <= start:
            self.add_error("end_date", _("De einddatum moet na de startdatum liggen."))
        if leerweg == Leerweg.BBL:
            if not cleaned.get("bpv_overeenkomst_signed_on"):
                self.add_error(
                    "bpv_overeenkomst_signed_on",
                    _("Bij bbl hoort naast de pok ook een bpv-overeenkomst (arbeidsovereenkomst): vul de datum in."),
                )
            if cleaned.get("stagevergoeding") is not None:
                self.add_error("stagevergoeding", _("Bij bbl krijgt de leerling salaris, geen stagevergoeding."))
        if leerweg == Leerweg.BOL and cleaned.get("salaris") is not None:
            self.add_error("salaris", _("Bij bol is er geen salaris; vul zo nodig een stagevergoeding in."))
        if kwalificatie is not None:
            if cleaned.get("niveau") is None:
                cleaned["niveau"] = kwalificatie.niveau
            if not Erkenning.objects.erkend().filter(leerbedrijf=self.leerbedrijf, kwalificatie=kwalificatie).exists():
                self.add_error(
                    "kwalificatie",
                    _(
                        "Uw bedrijf is niet door SBB erkend voor deze kwalificatie. "
                        "U kunt pas een stagiair aannemen als de erkenning de status ‘erkend’ heeft."
                    ),
                )
        school, mbo = cleaned.get("onderwijsinstelling"), cleaned.get("mbo_begeleider")
        if school and mbo and not mbo.memberships.active().filter(onderwijsinstelling=school).exists():
            self.add_error("mbo_begeleider", _("Deze mbo-begeleider werkt niet bij de gekozen school."))
        email = self.email_of_stagiair()
        if email and start and end and end > start:
            overlap = overlapping_stages(
                leerbedrijf=self.leerbedrijf, email=email, start_date=start, end_date=end, exclude_pk=self.instance.pk
            ).first()
            if overlap is not None:
                self.add_error(
                    "start_date",
                    _("Deze stagiair heeft in deze periode al een stage bij uw bedrijf (%(start)s tot %(end)s).")
                    % {"start": overlap.start_date.strftime("%d-%m-%Y"), "end": overlap.end_date.strftime("%d-%m-%Y")},
                )
        wpb = cleaned.get("werkplekbegeleider")
        if wpb is not None and start and end and not self.errors:
            count = stages_of_begeleider(
                leerbedrijf=self.leerbedrijf, user=wpb, start_date=start, end_date=end, exclude_pk=self.instance.pk
            ).count()
            maximum = self.leerbedrijf.max_stagiairs_per_begeleider
            if count >= maximum and not cleaned.get("confirm_overload"):
                self.warnings.append(
                    _(
                        "%(name)s begeleidt in deze periode al %(count)s stagiair(s); uw bedrijf houdt maximaal "
                        "%(max)s per werkplekbegeleider aan. Vink het vakje aan als u dit toch wilt."
                    )
                    % {"name": wpb.name or wpb.email, "count": count, "max": maximum}
                )
                self.fields["confirm_overload"].widget = forms.CheckboxInput()
                self.add_error("confirm_overload", _("Bevestig dat u dit weet, of kies een andere begeleider."))
        return cleaned

    def save(self, commit=True):
        stage = super().save(commit=False)
        stage.leerbedrijf = self.leerbedrijf
        if commit:
            stage.save()
        return stage


class IntakeForm(StageForm):
    """A new stagiair and their stage in one go; a known e-mail in this company reuses that stagiair."""

    stagiair_name = forms.CharField(label=_("Naam stagiair"), max_length=150)
    stagiair_email = forms.EmailField(label=_("E-mailadres stagiair"))

    submit_label = _("Stagiair aannemen")

    def layout_fields(self):
        return [Fieldset(_("Stagiair"), "stagiair_name", "stagiair_email"), *super().layout_fields()]

    def email_of_stagiair(self):
        return self.cleaned_data.get("stagiair_email", "").lower()

    def save(self, commit=True):
        email = self.email_of_stagiair()
        stagiair = Stagiair.objects.filter(leerbedrijf=self.leerbedrijf, email__iexact=email).first()
        if stagiair is None:
            stagiair = Stagiair.objects.create(
                leerbedrijf=self.leerbedrijf, name=self.cleaned_data["stagiair_name"], email=email
            )
        self.instance.stagiair = stagiair
        stage = super().save(commit=False)
        if commit:
            # Made the way every page makes a stage: with its onboarding checklists.
            fields = {name: getattr(stage, name) for name in self._meta.fields}
            self.instance = stage = stage_create(leerbedrijf=self.leerbedrijf, stagiair=stagiair, **fields)
        return stage


class KandidaatForm(forms.ModelForm):
    class Meta:
        model = Kandidaat
        fields = [
            "name",
            "email",
            "kwalificatie",
            "onderwijsinstelling",
            "motivatie",
            "leerwensen",
            "leerwensen_geboden",
            "meeloopdag_on",
            "meeloopdag_met",
            "meeloopdag_uitkomst",
        ]
        widgets = {
            "meeloopdag_on": DATE,
            "motivatie": forms.Textarea(attrs={"rows": 3}),
            "leerwensen": forms.Textarea(attrs={"rows": 3}),
            "meeloopdag_uitkomst": forms.Textarea(attrs={"rows": 3}),
            "leerwensen_geboden": forms.Select(
                choices=[("", _("nog niet bekend")), (True, _("ja")), (False, _("nee"))]
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kwalificatie"].empty_label = _("nog niet bekend")
        self.fields["onderwijsinstelling"].empty_label = _("nog niet bekend")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))


class BesluitForm(forms.Form):
    besluit = forms.ChoiceField(
        label=_("Besluit"),
        choices=[
            (Besluit.AANGENOMEN, Besluit.AANGENOMEN.label),
            (Besluit.NIET_AANGENOMEN, Besluit.NIET_AANGENOMEN.label),
        ],
        widget=forms.RadioSelect,
    )
    reden = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = ""
        self.helper.add_input(Submit("submit", _("Besluit vastleggen")))


class LeerbedrijfSettingsForm(forms.ModelForm):
    class Meta:
        model = Leerbedrijf
        fields = ["max_stagiairs_per_begeleider"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_stagiairs_per_begeleider"].widget.attrs.update(min=1)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Opslaan")))


class StagiairImportForm(forms.Form):
    onderwijsinstelling = forms.ModelChoiceField(
        label=_("School die het bestand stuurt"), queryset=Onderwijsinstelling.objects.all()
    )
    file = forms.FileField(label=_("CSV-bestand"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Bestand controleren")))
