"""The driegesprekken: the start-, midden- and eindgesprek of school, bedrijf and stagiair, each with its record.

The views of a voortgangsgesprek, for a record everyone on the stage reads: the company side writes who took part,
what was discussed and the afspraken, the mbo-begeleider his own notes, the praktijkopleider closes it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagegids.concurrency import StaleEdit
from stagegids.models import Wijziging
from stagegids.policy import allowed, get_visible_or_404, require

from .forms import AfspraakForm, DriegesprekAfrondenForm, DriegesprekForm, SchoolNotesForm
from .models import Driegesprek, driegesprek_moments
from .views import CLOSED_MESSAGE, STAGE_RELATED, already_afgerond, keep_refused, report_stale

RELATED = (*STAGE_RELATED, "stage__mbo_begeleider")
YES_NO = {True: gettext_lazy("erbij"), False: gettext_lazy("niet erbij")}


def _driegesprek(request, pk):
    moment = get_visible_or_404(request.user, driegesprek_moments(request.user).select_related(*RELATED), pk=pk)
    return Driegesprek.shown_for(moment)


def _closed(request, gesprek):
    if gesprek.is_afgerond:
        messages.info(request, CLOSED_MESSAGE)
        return redirect("beoordeling:driegesprek", pk=gesprek.moment_id)
    return None


def _version(value, default):
    return int(value) if value.isdigit() else default


@login_required
def driegesprek_detail(request, pk):
    gesprek = _driegesprek(request, pk)
    require(request.user, "beoordeling.view_driegesprek", gesprek)
    user = request.user
    may_write = allowed(user, "beoordeling.write_gesprek", gesprek)
    may_school = allowed(user, "beoordeling.write_driegesprek_school", gesprek)
    return render(
        request,
        "beoordeling/driegesprek_detail.html",
        {
            "gesprek": gesprek,
            "moment": gesprek.moment,
            "stage": gesprek.stage,
            **gesprek.preparation(),
            "afspraken": gesprek.afspraken.with_details() if gesprek.pk else [],
            "may_write": may_write,
            "may_school": may_school,
            "may_afronden": allowed(user, "beoordeling.afronden_gesprek", gesprek),
            # Those who took part read each other's part as it is written; the stagiair reads the verslag.
            "show_notes": may_write or may_school or gesprek.is_afgerond,
            "wijzigingen": Wijziging.objects.for_object(gesprek).select_related("user").newest_first()[:20]
            if (may_write or may_school) and gesprek.pk
            else [],
        },
    )


@login_required
def driegesprek_notes(request, pk):
    """The company side's part: who took part and what was discussed."""
    gesprek = _driegesprek(request, pk)
    require(request.user, "beoordeling.write_gesprek", gesprek)
    if closed := _closed(request, gesprek):
        return closed
    initial = {"version": gesprek.notes_version, **{f: getattr(gesprek, f) for f in Driegesprek.NOTES_FIELDS}}
    if not gesprek.pk:
        # Who usually sits at the table; whoever records it unticks who was not there.
        initial.update(deelnemer_stagiair=True, deelnemer_bedrijf=True, deelnemer_school=True)
    form = DriegesprekForm(request.POST or None, initial=initial, stage=gesprek.stage)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            gesprek.save_notes(version=form.cleaned_data["version"], by=request.user, values=form.values())
        except StaleEdit:
            report_stale(request, gesprek)
            saved = keep_refused(form, gesprek, "notes_version", Driegesprek.NOTES_FIELDS)
            # The ticks read as words beside the form.
            current = [(label, YES_NO[value] if isinstance(value, bool) else value) for label, value in saved]
        else:
            messages.success(request, _("Het driegesprek is opgeslagen."))
            return redirect("beoordeling:driegesprek", pk=pk)
    return render(
        request,
        "beoordeling/driegesprek_notes.html",
        {"gesprek": gesprek, "moment": gesprek.moment, "stage": gesprek.stage, "form": form, "current": current},
    )


@login_required
def driegesprek_school(request, pk):
    """The mbo-begeleider's own notes, beside the company's: versioned apart, so the two never collide."""
    gesprek = _driegesprek(request, pk)
    require(request.user, "beoordeling.write_driegesprek_school", gesprek)
    if closed := _closed(request, gesprek):
        return closed
    form = SchoolNotesForm(
        request.POST or None, initial={"version": gesprek.school_version, "school_notes": gesprek.school_notes}
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            gesprek.save_school_notes(version=form.cleaned_data["version"], by=request.user, values=form.values())
        except StaleEdit:
            report_stale(request, gesprek)
            current = keep_refused(form, gesprek, "school_version", Driegesprek.SCHOOL_FIELDS)
        else:
            messages.success(request, _("Uw notities zijn opgeslagen."))
            return redirect("beoordeling:driegesprek", pk=pk)
    return render(
        request,
        "beoordeling/driegesprek_school.html",
        {"gesprek": gesprek, "moment": gesprek.moment, "stage": gesprek.stage, "form": form, "current": current},
    )


@login_required
def driegesprek_afspraak_add(request, pk):
    gesprek = _driegesprek(request, pk)
    require(request.user, "beoordeling.write_gesprek", gesprek)
    if closed := _closed(request, gesprek):
        return closed
    form = AfspraakForm(request.POST or None, stage=gesprek.stage)
    if request.method == "POST" and form.is_valid():
        gesprek.add_afspraak(by=request.user, **form.cleaned_data)
        messages.success(request, _("De afspraak is vastgelegd."))
        return redirect("beoordeling:driegesprek", pk=pk)
    return render(
        request,
        "beoordeling/afspraak_form.html",
        {"gesprek": gesprek, "stage": gesprek.stage, "form": form, "back": "beoordeling:driegesprek"},
    )


@login_required
def driegesprek_afronden(request, pk):
    """The confirm step; its POST closes the driegesprek on the versions of both parts the detail page showed."""
    gesprek = _driegesprek(request, pk)
    require(request.user, "beoordeling.afronden_gesprek", gesprek)
    if gesprek.is_afgerond:
        messages.info(request, already_afgerond(gesprek))
        return redirect("beoordeling:driegesprek", pk=pk)
    form = DriegesprekAfrondenForm(
        request.POST or None,
        initial={
            "version": _version(request.GET.get("version", ""), gesprek.notes_version),
            "school_version": _version(request.GET.get("school_version", ""), gesprek.school_version),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            gesprek.afronden(
                version=form.cleaned_data["version"],
                school_version=form.cleaned_data["school_version"],
                by=request.user,
            )
        except StaleEdit:
            gesprek.refresh_from_db()
            if gesprek.is_afgerond:
                messages.info(request, already_afgerond(gesprek))
            else:
                messages.error(
                    request,
                    _("Niet afgerond: het gesprek is intussen gewijzigd. Lees de laatste versie en rond dan af."),
                )
        else:
            messages.success(request, _("Het driegesprek is afgerond. Het verslag staat vast."))
        return redirect("beoordeling:driegesprek", pk=pk)
    if request.method == "POST" and {"version", "school_version"} & form.errors.keys():
        messages.error(request, _("Het gesprek is niet afgerond: laad de pagina opnieuw en probeer het nog eens."))
        return redirect("beoordeling:driegesprek", pk=pk)
    return render(
        request,
        "beoordeling/driegesprek_afronden.html",
        {
            "gesprek": gesprek,
            "moment": gesprek.moment,
            "stage": gesprek.stage,
            "form": form,
            "afspraken": gesprek.afspraken.count() if gesprek.pk else 0,
        },
    )
