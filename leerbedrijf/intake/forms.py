"""Forms of the intake (chapters 1 and 4): the stage with what the praktijkovereenkomst holds, and the kandidaat."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stagegids import dates
from stagegids.forms import BoundedTexts
from stagegids.params import parse_id
from stagegids.roles import BEGELEIDER_ROLES, Role

from ..models import (
    BRIN_VALIDATOR,
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


class Details(Div):
    """Fields folded away in a <details> until they are needed; `open` shows them unfolded."""

    template = "leerbedrijf/layout/details.html"

    def __init__(self, summary, *fields, open=False, **kwargs):
        super().__init__(*fields, **kwargs)
        self.summary = summary
        self.open = open


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
    # The school's mbo-begeleider who is not in the portal yet: saving the stage sends them an invitation.
    mbo_begeleider_name = forms.CharField(label=_("Naam van de mbo-begeleider"), max_length=150, required=False)
    mbo_begeleider_email = forms.EmailField(label=_("E-mailadres van de mbo-begeleider"), required=False)

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
        school = parse_id(self["onderwijsinstelling"].value())
        mbo = Membership.objects.active().filter(role=Role.MBO_BEGELEIDER, onderwijsinstelling_id=school)
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
        school_has_none = school is not None and not mbo.exists()
        if school_has_none:
            self.fields["mbo_begeleider"].help_text = _(
                "Deze school heeft nog geen mbo-begeleider in de Stagegids: nodig hem of haar hieronder uit."
            )
        elif school is None:
            self.fields["mbo_begeleider"].help_text = _("Kies eerst de school.")
        self.invite_open = school_has_none or any(
            self[name].value() for name in ("mbo_begeleider_name", "mbo_begeleider_email")
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
        dates.bound_form(self)
        self.fields["end_date"].help_text = _("Een stage duurt hoogstens %(years)s jaar.") % {
            "years": dates.MAX_STAGE_YEARS
        }
        if self.data.get(self.add_prefix("confirm_overload")):
            self.fields["confirm_overload"].widget = forms.CheckboxInput()
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout_fields())
        self.helper.add_input(Submit("submit", self.submit_label))

    submit_label = _("Opslaan")

    def layout_fields(self):
        return [
            Fieldset(_("Opleiding"), "kwalificatie", "niveau", "leerjaar", "leerweg", "herkomst"),
            Fieldset(_("School"), *self.school_fields(), css_id="school-part"),
            Fieldset(_("Periode"), "start_date", "end_date", "days_per_week", "hours_per_week"),
            Fieldset(_("Contract"), "pok_signed_on", "bpv_overeenkomst_signed_on", "stagevergoeding", "salaris"),
            Fieldset(_("Begeleiding"), "werkplekbegeleider", "praktijkbeoordelaar", "confirm_overload"),
        ]

    def school_fields(self):
        return [
            "onderwijsinstelling",
            "mbo_begeleider",
            Details(
                _("Mbo-begeleider staat er niet bij? Nodig hem of haar uit"),
                HTML(
                    '<p class="form-text">{% load i18n %}{% translate "Hij of zij krijgt een e-mail met een link. '
                    'Wie de uitnodiging aanneemt, is de mbo-begeleider van deze stage en ziet haar op de startpagina." '
                    "%}</p>"
                ),
                "mbo_begeleider_name",
                "mbo_begeleider_email",
                css_id="mbo-uitnodigen",
                open=self.invite_open,
            ),
            "bpv_coordinator_name",
            "bpv_coordinator_email",
        ]

    @property
    def mbo_invitation(self):
        """Whom to invite as the stage's mbo-begeleider once it is saved: {"name", "email"}, or None."""
        name, email = self.cleaned_data.get("mbo_begeleider_name"), self.cleaned_data.get("mbo_begeleider_email")
        return {"name": name, "email": email.lower()} if name and email else None

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
        elif start and end and (too_long := dates.period_error(start, end)):
            self.add_error("end_date", too_long)
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
        self.clean_mbo_invitation(school, mbo)
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

    def clean_mbo_invitation(self, school, mbo):
        name, email = self.cleaned_data.get("mbo_begeleider_name"), self.cleaned_data.get("mbo_begeleider_email")
        if not (name or email or "mbo_begeleider_email" in self.errors):
            return
        if mbo is not None:
            self.add_error(
                "mbo_begeleider", _("Kies een mbo-begeleider uit de lijst of nodig er een uit, niet allebei.")
            )
        if name and not email and "mbo_begeleider_email" not in self.errors:
            self.add_error("mbo_begeleider_email", _("Vul ook het e-mailadres in: daar gaat de uitnodiging naartoe."))
        if email and not name:
            self.add_error("mbo_begeleider_name", _("Vul ook de naam van de mbo-begeleider in."))
        if email and school is not None:
            known = (
                Membership.objects.active()
                .filter(role=Role.MBO_BEGELEIDER, onderwijsinstelling=school, user__email__iexact=email)
                .select_related("user")
                .first()
            )
            if known is not None:
                self.add_error(
                    "mbo_begeleider_email",
                    _("%(name)s is al mbo-begeleider bij deze school: kies hem of haar in de lijst.")
                    % {"name": known.user.name or known.user.email},
                )

    def save(self, commit=True):
        stage = super().save(commit=False)
        stage.leerbedrijf = self.leerbedrijf
        if commit:
            stage.save()
        return stage


class IntakeForm(StageForm):
    """A new stagiair and their stage in one go; a known e-mail in this company reuses that stagiair."""

    # The model's lengths: the CSV import checks its rows with these same fields.
    stagiair_name = forms.CharField(label=_("Naam stagiair"), max_length=Stagiair._meta.get_field("name").max_length)
    stagiair_email = forms.EmailField(
        label=_("E-mailadres stagiair"), max_length=Stagiair._meta.get_field("email").max_length
    )

    submit_label = _("Stagiair aannemen")

    def layout_fields(self):
        return [Fieldset(_("Stagiair"), "stagiair_name", "stagiair_email"), *super().layout_fields()]

    def school_fields(self):
        # A school not in the portal yet is added right under the list, without leaving the intake.
        school, *rest = super().school_fields()
        return [school, HTML('{% include "leerbedrijf/includes/add_school.html" %}'), *rest]

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


class KandidaatForm(BoundedTexts, forms.ModelForm):
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


class BesluitForm(BoundedTexts, forms.Form):
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
        fields = ["max_stagiairs_per_begeleider", "tweestaps_verplicht"]

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


class BrinField(forms.CharField):
    """A BRIN code, found also when typed in small letters or with a space (25 pz)."""

    default_validators = [BRIN_VALIDATOR]

    def __init__(self, **kwargs):
        kwargs["max_length"] = 4
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).replace(" ", "").upper()


class SchoolForm(forms.Form):
    """A school that is not in the portal yet, added from the intake; its BRIN code finds it when it is."""

    # Its fields sit inside the intake's form: a required attribute would stop the intake's own submit.
    use_required_attribute = False

    name = forms.CharField(label=_("Naam van de school"), max_length=200)
    brin = BrinField(
        label=_("BRIN-code"),
        help_text=_("Twee cijfers en twee letters, bijvoorbeeld 25PZ. De school of DUO kent hem."),
    )
    plaats = forms.CharField(label=_("Plaats"), max_length=100, required=False)
