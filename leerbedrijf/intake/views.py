"""Intake and matching pages (chapters 1 and 4): praktijkopleider only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stagegids import dates
from stagegids.params import id_param
from stagegids.policy import get_visible_or_404, require
from stagegids.roles import Role

from ..models import (
    Besluit,
    Kandidaat,
    Leerbedrijf,
    Onderwijsinstelling,
    StagiairImport,
    hand_over_to_werkplekbegeleider,
)
from ..people.invitations import send_invitation
from ..policy import stage_view
from . import csv_import
from .forms import (
    BesluitForm,
    IntakeForm,
    KandidaatForm,
    LeerbedrijfSettingsForm,
    SchoolForm,
    StageForm,
    StagiairImportForm,
)


def _school_chosen(request, initial):
    """A school picked on the page (htmx asks again on change): the mbo-begeleider list follows it."""
    school = id_param(request.GET, "onderwijsinstelling")
    if school is not None:
        initial["onderwijsinstelling"] = school
    return initial


def _stage_form_page(request, form, *, leerbedrijf, title, url, stage=None, **context):
    """The intake or the stage's edit form, which always posts to and asks again at `url` (its own page)."""
    form.helper.form_action = url
    form.fields["onderwijsinstelling"].widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-target": "#div_id_mbo_begeleider",
            "hx-select": "#div_id_mbo_begeleider",
            "hx-swap": "outerHTML",
        }
    )
    return render(
        request,
        "leerbedrijf/stage_form.html",
        {"form": form, "leerbedrijf": leerbedrijf, "title": title, "stage": stage, **context},
    )


def _save(request, form, *, previous_werkplekbegeleider_id=None):
    """Save the stage and invite the mbo-begeleider the form names, in one transaction; the mail leaves after it."""
    with transaction.atomic():
        stage = form.save()
        hand_over_to_werkplekbegeleider(stage, previous_id=previous_werkplekbegeleider_id)
        if invite := form.mbo_invitation:
            send_invitation(request, leerbedrijf=stage.leerbedrijf, role=Role.MBO_BEGELEIDER, stage=stage, **invite)
    return stage, invite


def _invitation_sent(request, invite):
    if invite:
        messages.success(
            request,
            _("De uitnodiging voor de mbo-begeleider wordt verstuurd naar %(email)s.") % {"email": invite["email"]},
        )


def _intake_page(request, form, leerbedrijf, *, school_form=None, school_added=""):
    return _stage_form_page(
        request,
        form,
        leerbedrijf=leerbedrijf,
        title=_("Intake van een stagiair"),
        url=reverse("leerbedrijf:intake", args=[leerbedrijf.pk]),
        school_form=school_form or SchoolForm(prefix="school"),
        school_added=school_added,
    )


@login_required
def intake(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    initial = {}
    kandidaat_pk = id_param(request.GET, "kandidaat")
    if kandidaat_pk is not None:
        kandidaat = get_visible_or_404(request.user, leerbedrijf.kandidaten.all(), pk=kandidaat_pk)
        initial = {
            "stagiair_name": kandidaat.name,
            "stagiair_email": kandidaat.email,
            "kwalificatie": kandidaat.kwalificatie_id,
            "onderwijsinstelling": kandidaat.onderwijsinstelling_id,
        }
    form = IntakeForm(request.POST or None, leerbedrijf=leerbedrijf, initial=_school_chosen(request, initial))
    if request.method == "POST" and form.is_valid():
        stage, invite = _save(request, form)
        messages.success(request, _("%(name)s is aangenomen.") % {"name": stage.stagiair.name})
        _invitation_sent(request, invite)
        return redirect(stage)
    return _intake_page(request, form, leerbedrijf)


@login_required
def intake_school(request, pk):
    """Add a school from the intake: the intake's form posts here with everything typed in it, and comes back with
    the school chosen and the rest as it was (without JavaScript a page, with htmx only the school part)."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.add_school", leerbedrijf)
    if request.method != "POST":
        return redirect("leerbedrijf:intake", pk=leerbedrijf.pk)
    # What was typed in the intake is shown again as typed, unchecked: it is checked when the intake is sent.
    typed = {name: request.POST[name] for name in IntakeForm.base_fields if name in request.POST}
    typed.pop("confirm_overload", None)
    school_form = SchoolForm(request.POST, prefix="school")
    added = ""
    if school_form.is_valid():
        school, created = Onderwijsinstelling.objects.add(
            **school_form.cleaned_data, by=request.user, role=Role.PRAKTIJKOPLEIDER
        )
        typed["onderwijsinstelling"] = school.pk
        school_form = SchoolForm(prefix="school")
        details = {"name": school.name, "brin": school.brin}
        added = (
            _("%(name)s (BRIN-code %(brin)s) is toegevoegd en gekozen.")
            if created
            else _("Deze BRIN-code hoort bij %(name)s, die al in de Stagegids staat: die school is gekozen.")
        ) % details
    form = IntakeForm(leerbedrijf=leerbedrijf, initial=typed)
    return _intake_page(request, form, leerbedrijf, school_form=school_form, school_added=added)


@login_required
@stage_view("leerbedrijf.edit_stage")
def stage_edit(request, stage):
    # Read before the form binds: validating it already puts the posted werkplekbegeleider on the instance.
    previous_werkplekbegeleider_id = stage.werkplekbegeleider_id
    form = StageForm(
        request.POST or None, instance=stage, leerbedrijf=stage.leerbedrijf, initial=_school_chosen(request, {})
    )
    if request.method == "POST" and form.is_valid():
        stage, invite = _save(request, form, previous_werkplekbegeleider_id=previous_werkplekbegeleider_id)
        messages.success(request, _("De stage is opgeslagen."))
        _invitation_sent(request, invite)
        return redirect(stage)
    return _stage_form_page(
        request,
        form,
        leerbedrijf=stage.leerbedrijf,
        stage=stage,
        url=reverse("leerbedrijf:stage_edit", args=[stage.pk]),
        title=_("Stage van %(name)s bewerken") % {"name": stage.stagiair.name},
    )


@login_required
def leerbedrijf_settings(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    form = LeerbedrijfSettingsForm(request.POST or None, instance=leerbedrijf)
    if request.method == "POST" and form.is_valid():
        leerbedrijf.save(update_fields=["max_stagiairs_per_begeleider"])
        # Its own conditional update and entry in the trail: who required a second step of his colleagues, and when.
        leerbedrijf.require_twofactor(form.cleaned_data["tweestaps_verplicht"], by=request.user)
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect(leerbedrijf)
    return render(request, "leerbedrijf/settings.html", {"form": form, "leerbedrijf": leerbedrijf})


@login_required
def kandidaat_list(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    kandidaten = leerbedrijf.kandidaten.select_related("kwalificatie")
    return render(request, "leerbedrijf/kandidaat_list.html", {"leerbedrijf": leerbedrijf, "kandidaten": kandidaten})


@login_required
def kandidaat_new(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    form = KandidaatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.leerbedrijf = leerbedrijf
        form.instance.created_by = request.user
        kandidaat = form.save()
        messages.success(request, _("Kandidaat %(name)s is toegevoegd.") % {"name": kandidaat.name})
        return redirect(kandidaat)
    return render(request, "leerbedrijf/kandidaat_form.html", {"form": form, "leerbedrijf": leerbedrijf})


@login_required
def kandidaat_detail(request, pk):
    kandidaat = get_visible_or_404(
        request.user, Kandidaat.objects.select_related("leerbedrijf", "kwalificatie", "onderwijsinstelling"), pk=pk
    )
    require(request.user, "leerbedrijf.intake", kandidaat)
    form = KandidaatForm(request.POST or None, instance=kandidaat)
    if kandidaat.besluit == Besluit.OPEN and request.method == "POST" and form.is_valid():
        if not kandidaat.save_while_open(form.fields):
            kandidaat.refresh_from_db()
            messages.info(request, kandidaat.already_decided_message())
            return redirect(kandidaat)
        messages.success(request, _("De kandidaat is opgeslagen."))
        return redirect(kandidaat)
    return render(
        request,
        "leerbedrijf/kandidaat_detail.html",
        {"kandidaat": kandidaat, "leerbedrijf": kandidaat.leerbedrijf, "form": form, "besluit_form": BesluitForm()},
    )


@login_required
@require_POST
def kandidaat_besluit(request, pk):
    kandidaat = get_visible_or_404(request.user, Kandidaat.objects.select_related("leerbedrijf"), pk=pk)
    require(request.user, "leerbedrijf.intake", kandidaat)
    form = BesluitForm(request.POST)
    if kandidaat.besluit != Besluit.OPEN:
        messages.info(request, kandidaat.already_decided_message())
        return redirect(kandidaat)
    if not form.is_valid():
        return render(
            request,
            "leerbedrijf/kandidaat_detail.html",
            {
                "kandidaat": kandidaat,
                "leerbedrijf": kandidaat.leerbedrijf,
                "form": KandidaatForm(instance=kandidaat),
                "besluit_form": form,
            },
        )
    if not kandidaat.decide(besluit=form.cleaned_data["besluit"], reden=form.cleaned_data["reden"]):
        messages.info(request, kandidaat.already_decided_message())
        return redirect(kandidaat)
    if kandidaat.besluit == Besluit.AANGENOMEN:
        messages.success(request, _("%(name)s is aangenomen: vul nu de intake in.") % {"name": kandidaat.name})
        return redirect(reverse("leerbedrijf:intake", args=[kandidaat.leerbedrijf_id]) + f"?kandidaat={kandidaat.pk}")
    messages.success(
        request,
        _("Het besluit is vastgelegd. Motivatie, e-mailadres en aantekeningen van de meeloopdag zijn gewist."),
    )
    return redirect(kandidaat)


@login_required
def stagiair_import(request, pk):
    """Upload and preview: the parsed rows are stored, so the preview survives until the user confirms."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    form = StagiairImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text, digest = csv_import.read_text(upload)
            rows = csv_import.parse(text)
        except csv_import.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            csv_import.check(rows, leerbedrijf=leerbedrijf)
            csv_import.store(
                leerbedrijf=leerbedrijf,
                onderwijsinstelling=form.cleaned_data["onderwijsinstelling"],
                filename=upload.name[:255],
                digest=digest,
                rows=rows,
                user=request.user,
            )
            return redirect("leerbedrijf:import", pk=leerbedrijf.pk)
    pending = (
        StagiairImport.objects.filter(leerbedrijf=leerbedrijf)
        .select_related("onderwijsinstelling", "uploaded_by")
        .first()
    )
    error_count = sum(len(row["errors"]) for row in pending.rows) if pending else 0
    return render(
        request,
        "leerbedrijf/stagiair_import.html",
        {
            "leerbedrijf": leerbedrijf,
            "form": form,
            "pending": pending,
            "error_count": error_count,
            "columns": csv_import.COLUMNS,
            "date_window": (dates.EARLIEST, dates.latest()),
            "max_stage_years": dates.MAX_STAGE_YEARS,
        },
    )


@login_required
@require_POST
def stagiair_import_confirm(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    try:
        count = csv_import.run(leerbedrijf=leerbedrijf, token=request.POST.get("upload"), user=request.user)
    except csv_import.NotPending as gone:
        if gone.replaced:
            message = _(
                "Er is niets geïmporteerd: intussen is een ander bestand geüpload. De controle hieronder is van dat "
                "bestand."
            )
        else:
            message = _("Er is niets geïmporteerd: het bestand is al geïmporteerd of vervangen. Upload het opnieuw.")
        messages.error(request, message)
        return redirect("leerbedrijf:import", pk=leerbedrijf.pk)
    if count is None:
        messages.error(
            request, _("Er is niets geïmporteerd: het bestand bevat fouten. Verbeter het en upload opnieuw.")
        )
        return redirect("leerbedrijf:import", pk=leerbedrijf.pk)
    messages.success(
        request,
        ngettext("%(count)s stagiair geïmporteerd.", "%(count)s stagiairs geïmporteerd.", count) % {"count": count},
    )
    return redirect(leerbedrijf)


@login_required
def stagiair_import_example(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.intake", leerbedrijf)
    response = HttpResponse(csv_import.EXAMPLE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stagiairs-voorbeeld.csv"'
    return response
