"""Voortgangsgesprekken: the zelfreflectie, the notes, the afspraken and closing a gesprek (chapter 8)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.policy import stage_view
from stagegids.concurrency import StaleEdit, rebase
from stagegids.models import Wijziging
from stagegids.policy import allowed, get_visible_or_404, require
from stageplan.models import DRIEGESPREKKEN, MomentKind

from .forms import AfrondenForm, AfspraakForm, NotesForm, ReflectieForm
from .models import (
    Afspraak,
    AlreadySubmitted,
    GesprekAction,
    Voortgangsgesprek,
    gesprek_stages,
    voortgangsgesprek_moments,
)

STAGE_RELATED = ("stage__stagiair", "stage__leerbedrijf", "stage__werkplekbegeleider")

STALE_MESSAGE = _(
    "Niet opgeslagen: %(name)s heeft dit intussen gewijzigd. Uw tekst staat hieronder nog in het formulier; "
    "de opgeslagen versie staat ernaast. Neem over wat u wilt houden en sla opnieuw op."
)
CLOSED_MESSAGE = _("Dit gesprek is afgerond; het verslag verandert niet meer.")


def _gesprek(request, pk):
    moment = get_visible_or_404(
        request.user, voortgangsgesprek_moments(request.user).select_related(*STAGE_RELATED), pk=pk
    )
    return Voortgangsgesprek.shown_for(moment)


def report_stale(request, gesprek_or_evaluatie):
    """Tell who saved in between (the evaluatie's views use this too)."""
    last = (
        Wijziging.objects.for_object(gesprek_or_evaluatie)
        .exclude(action=GesprekAction.REFUSED)
        .select_related("user")
        .newest_first()
        .first()
    )
    who = last.user.name if last and last.user else _("iemand anders")
    messages.error(request, STALE_MESSAGE % {"name": who})


@login_required
@stage_view("beoordeling.view_gesprekken", scope=gesprek_stages)
def stage_gesprekken(request, stage):
    moments = (
        stage.moments.planned()
        .filter(kind=MomentKind.VOORTGANGSGESPREK)
        .select_related("voortgangsgesprek")
        .annotate(
            open_afspraken=Count("voortgangsgesprek__afspraken", filter=Q(voortgangsgesprek__afspraken__done_at=None))
        )
    )
    return render(
        request,
        "beoordeling/stage_gesprekken.html",
        {
            "stage": stage,
            "moments": moments,
            "driegesprekken": stage.moments.planned()
            .filter(kind__in=DRIEGESPREKKEN)
            .select_related("voortgangsgesprek"),
            "open_afspraken": stage.afspraken.open().with_details(),
        },
    )


@login_required
def gesprek_detail(request, pk):
    gesprek = _gesprek(request, pk)
    user = request.user
    may_write = allowed(user, "beoordeling.write_gesprek", gesprek)
    is_stagiair = allowed(user, "beoordeling.write_zelfreflectie", gesprek)
    return render(
        request,
        "beoordeling/gesprek_detail.html",
        {
            "gesprek": gesprek,
            "moment": gesprek.moment,
            "stage": gesprek.stage,
            **gesprek.preparation(),
            "afspraken": gesprek.afspraken.with_details() if gesprek.pk else [],
            "may_write": may_write,
            "may_afronden": allowed(user, "beoordeling.afronden_gesprek", gesprek),
            # A "no" to "does the stageplan still fit?" leads to the plan, for whoever may change it.
            "may_edit_plan": allowed(user, "stageplan.edit_stageplan", gesprek.stage),
            "is_stagiair": is_stagiair,
            # The stagiair's draft is theirs until submitted; the notes are the begeleiders' until afgerond.
            "show_reflectie": is_stagiair or gesprek.reflectie_submitted,
            "show_notes": may_write or gesprek.is_afgerond,
            "wijzigingen": Wijziging.objects.for_object(gesprek).select_related("user").newest_first()[:20]
            if may_write and gesprek.pk
            else [],
        },
    )


@login_required
def zelfreflectie(request, pk):
    gesprek = _gesprek(request, pk)
    require(request.user, "beoordeling.write_zelfreflectie", gesprek)
    if gesprek.is_afgerond or gesprek.reflectie_submitted:
        already = gesprek.already_submitted_reflectie()
        messages.info(
            request, str(already) if already else _("Je zelfreflectie is ingediend; je begeleider kan hem lezen.")
        )
        return redirect("beoordeling:gesprek", pk=pk)
    initial = {
        "version": gesprek.reflectie_version,
        **{f: getattr(gesprek, f) for f in Voortgangsgesprek.REFLECTIE_FIELDS},
    }
    form = ReflectieForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            gesprek.save_reflectie(
                version=form.cleaned_data["version"], by=request.user, values=form.values(), submit=submit
            )
        except AlreadySubmitted as done:
            messages.info(request, str(done))
            return redirect("beoordeling:gesprek", pk=pk)
        except StaleEdit:
            report_stale(request, gesprek)
            current = keep_refused(form, gesprek, "reflectie_version", Voortgangsgesprek.REFLECTIE_FIELDS)
        else:
            if submit:
                messages.success(request, _("Je zelfreflectie is ingediend. Je begeleider kan hem nu lezen."))
                return redirect("beoordeling:gesprek", pk=pk)
            messages.success(request, _("Je zelfreflectie is bewaard. Alleen jij ziet hem tot je hem indient."))
            return redirect("beoordeling:zelfreflectie", pk=pk)
    return render(request, "beoordeling/zelfreflectie.html", {"gesprek": gesprek, "form": form, "current": current})


def keep_refused(form, obj, version_field, fields):
    """Keep the refused text in the form, with the new version number, and return what is saved now."""
    obj.refresh_from_db()
    rebase(form, field="version", version=getattr(obj, version_field))
    return [(obj._meta.get_field(name).verbose_name, getattr(obj, name)) for name in fields]


@login_required
def gesprek_notes(request, pk):
    gesprek = _gesprek(request, pk)
    require(request.user, "beoordeling.write_gesprek", gesprek)
    if gesprek.is_afgerond:
        messages.info(request, CLOSED_MESSAGE)
        return redirect("beoordeling:gesprek", pk=pk)
    initial = {
        "version": gesprek.notes_version,
        **{f: getattr(gesprek, f) for f in Voortgangsgesprek.NOTES_FIELDS},
        "plan_klopt": {True: "ja", False: "nee"}.get(gesprek.plan_klopt, ""),
        "plan_wijzigen": gesprek.plan_wijzigen,
    }
    form = NotesForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            gesprek.save_notes(version=form.cleaned_data["version"], by=request.user, values=form.values())
        except StaleEdit:
            report_stale(request, gesprek)
            current = keep_refused(form, gesprek, "notes_version", Voortgangsgesprek.NOTES_FIELDS)
        else:
            messages.success(request, _("De notities zijn opgeslagen."))
            return redirect("beoordeling:gesprek", pk=pk)
    return render(
        request,
        "beoordeling/gesprek_notes.html",
        {"gesprek": gesprek, "stage": gesprek.stage, "form": form, "current": current},
    )


@login_required
def afspraak_add(request, pk):
    gesprek = _gesprek(request, pk)
    require(request.user, "beoordeling.write_gesprek", gesprek)
    if gesprek.is_afgerond:
        messages.info(request, CLOSED_MESSAGE)
        return redirect("beoordeling:gesprek", pk=pk)
    form = AfspraakForm(request.POST or None, stage=gesprek.stage)
    if request.method == "POST" and form.is_valid():
        gesprek.add_afspraak(by=request.user, **form.cleaned_data)
        messages.success(request, _("De afspraak is vastgelegd."))
        return redirect("beoordeling:gesprek", pk=pk)
    return render(request, "beoordeling/afspraak_form.html", {"gesprek": gesprek, "stage": gesprek.stage, "form": form})


@login_required
def gesprek_afronden(request, pk):
    """The confirm step says what closing makes final and who will read the verslag; its POST closes the gesprek.

    The detail page links here with the notes version it showed, so notes saved since then still block the close."""
    gesprek = _gesprek(request, pk)
    require(request.user, "beoordeling.afronden_gesprek", gesprek)
    if gesprek.is_afgerond:
        messages.info(request, already_afgerond(gesprek))
        return redirect("beoordeling:gesprek", pk=pk)
    seen = request.GET.get("version", "")
    form = AfrondenForm(
        request.POST or None, initial={"version": int(seen) if seen.isdigit() else gesprek.notes_version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            gesprek.afronden(version=form.cleaned_data["version"], by=request.user)
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
            messages.success(request, _("Het gesprek is afgerond. Het verslag staat vast."))
        return redirect("beoordeling:gesprek", pk=pk)
    if request.method == "POST" and "version" in form.errors:
        messages.error(request, _("Het gesprek is niet afgerond: laad de pagina opnieuw en probeer het nog eens."))
        return redirect("beoordeling:gesprek", pk=pk)
    return render(
        request,
        "beoordeling/gesprek_afronden.html",
        {
            "gesprek": gesprek,
            "moment": gesprek.moment,
            "stage": gesprek.stage,
            "form": form,
            "afspraken": gesprek.afspraken.count() if gesprek.pk else 0,
        },
    )


def already_afgerond(gesprek):
    return _("Dit gesprek was al afgerond door %(name)s op %(when)s; er is niets gewijzigd.") % {
        "name": gesprek.afgerond_by.name if gesprek.afgerond_by else "–",
        "when": date_format(timezone.localtime(gesprek.afgerond_at), "j F Y H:i"),
    }


@login_required
@require_POST
def afspraak_status(request, pk):
    afspraak = get_visible_or_404(
        request.user, Afspraak.objects.select_related("gesprek__moment", *STAGE_RELATED), pk=pk
    )
    require(request.user, "beoordeling.change_afspraak", afspraak)
    done = request.POST.get("done") == "1"
    if afspraak.set_done(done=done, by=request.user):
        messages.success(request, _("De afspraak staat op gedaan.") if done else _("De afspraak staat weer open."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("beoordeling:gesprek", pk=afspraak.gesprek.moment_id)
