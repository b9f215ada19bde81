"""Interrupting or ending a stage, resuming it, and undoing a step within the grace period (issue 15): the
praktijkopleider's pages. What a step does is on the model (models/stop.py); these say what happened."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import StageStatus, StageStop, StopKind, current_stop
from ..policy import stage_view
from .forms import ResumeForm, StopForm

RELATED = ("mbo_begeleider",)


def _when(moment):
    return date_format(timezone.localtime(moment), "j F Y H:i")


def _names(stop):
    return {
        "stagiair": stop.stage.stagiair.name,
        "kind": stop.get_kind_display(),
        "date": date_format(stop.starts_on, "j F Y"),
        "by": stop.created_by.name if stop.created_by else "–",
        "when": _when(stop.created_at),
    }


def _already(request, stage):
    stop = current_stop(stage)
    if stop is not None:
        messages.info(
            request,
            _("De stage van %(stagiair)s is al %(kind)s per %(date)s, door %(by)s op %(when)s; er is niets gewijzigd.")
            % _names(stop),
        )
    else:
        messages.info(
            request, _("De stage is intussen gewijzigd; er is niets vastgelegd. Kijk hoe ze er nu voor staat.")
        )
    return redirect(stage)


@login_required
@stage_view("leerbedrijf.stop_stage", related=RELATED)
def stage_stop(request, stage):
    if stage.stopped == StopKind.BEEINDIGD:
        return _already(request, stage)
    if stage.current_status == StageStatus.AFGEROND:
        messages.info(
            request,
            _("Deze stage is al afgerond op %(date)s; er valt niets te beëindigen.")
            % {"date": date_format(stage.end_date, "j F Y")},
        )
        return redirect(stage)
    form = StopForm(request.POST or None, stage=stage)
    if request.method == "POST" and form.is_valid():
        stop = StageStop.record(stage=stage, by=request.user, **form.cleaned_data)
        if stop is None:
            stage.refresh_from_db()
            return _already(request, stage)
        messages.success(
            request,
            _(
                "De stage van %(stagiair)s is %(kind)s per %(date)s. Per ongeluk? U kunt het tot %(until)s ongedaan "
                "maken, op deze pagina."
            )
            % {**_names(stop), "until": _when(stop.undo_until)},
        )
        return redirect(stage)
    return render(
        request,
        "leerbedrijf/stage_stop.html",
        {"stage": stage, "form": form, "undo_hours": settings.STAGE_STOP_UNDO_HOURS},
    )


@login_required
@require_POST
@stage_view("leerbedrijf.stop_stage", related=RELATED)
def stage_stop_undo(request, stage, stop_pk):
    stop = get_object_or_404(stage.stops.select_related("created_by", "undone_by"), pk=stop_pk)
    stop.stage = stage
    names = _names(stop)
    if stop.undone_at is not None:
        messages.info(
            request,
            _("Dit was al ongedaan gemaakt door %(name)s op %(when)s; er is niets gewijzigd.")
            % {"name": stop.undone_by.name if stop.undone_by else "–", "when": _when(stop.undone_at)},
        )
    elif stop.resumed_at is not None:
        messages.info(request, _("De stage is al hervat; de onderbreking kan niet meer ongedaan worden gemaakt."))
    elif timezone.now() >= stop.undo_until:
        messages.error(
            request,
            _(
                "Ongedaan maken kon tot %(until)s en dat is voorbij. Hervat een onderbroken stage met een nieuwe "
                "einddatum, of vraag de beheerder om hulp."
            )
            % {"until": _when(stop.undo_until)},
        )
    elif stop.undo(by=request.user):
        messages.success(
            request, _("Het is ongedaan gemaakt: de stage van %(stagiair)s is niet meer %(kind)s.") % names
        )
    else:
        stop.refresh_from_db()
        if stop.undone_at is not None:
            messages.info(request, _("Dit was al ongedaan gemaakt; er is niets gewijzigd."))
        else:
            messages.error(
                request,
                _(
                    "Dit kan niet meer ongedaan worden gemaakt: de stage is intussen verder gewijzigd. Er is niets "
                    "gewijzigd."
                ),
            )
    return redirect(stage)


@login_required
@stage_view("leerbedrijf.stop_stage", related=RELATED)
def stage_resume(request, stage):
    stop = current_stop(stage)
    if stop is None or stop.kind != StopKind.ONDERBROKEN:
        messages.info(request, _("Deze stage is niet onderbroken; er valt niets te hervatten."))
        return redirect(stage)
    stop.stage = stage
    form = ResumeForm(request.POST or None, stage=stage)
    if request.method == "POST" and form.is_valid():
        if stop.resume(end_date=form.cleaned_data["end_date"], by=request.user):
            messages.success(
                request,
                _("De stage van %(stagiair)s is hervat tot %(end)s. Plan de gesprekken en beoordelingen opnieuw.")
                % {"stagiair": stage.stagiair.name, "end": date_format(form.cleaned_data["end_date"], "j F Y")},
            )
        else:
            messages.info(request, _("De stage was al hervat of is intussen gewijzigd; er is niets gewijzigd."))
        return redirect(stage)
    return render(request, "leerbedrijf/stage_resume.html", {"stage": stage, "stop": stop, "form": form})
