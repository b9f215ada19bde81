"""Zorgen: the concerns of a stage, recording, editing, sharing with the school, closing and reopening (issue 15)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.policy import stage_view
from stagegids.concurrency import StaleEdit, rebase
from stagegids.models import Wijziging
from stagegids.policy import allowed, object_view, visible
from stageplan.changes import StaleStageplan
from stageplan.models import Stageplan

from .forms import CloseForm, ShareForm, ZorgForm
from .models import INTERNAL_NOT_SHARED, AlreadyDone, Zorg, ZorgAction

ZORG_RELATED = (
    "stage__stagiair",
    "stage__leerbedrijf",
    "stage__mbo_begeleider",
    "created_by",
    "closed_by",
    "shared_by",
    "moment",
)


def zorg_view(perm=None):
    """A view of one concern the user sees (else 404), on which they hold `perm` (else 403)."""
    return object_view(lambda user: Zorg.objects.select_related(*ZORG_RELATED), perm)


def may_plan(user, stage):
    return allowed(user, "stageplan.plan_moment", stage) and Stageplan.objects.filter(stage=stage).exists()


@login_required
@stage_view("beoordeling.view_zorgen", related=("mbo_begeleider",))
def stage_zorgen(request, stage):
    zorgen = visible(request.user, Zorg.objects).filter(stage=stage).select_related("created_by").open_first()
    return render(
        request,
        "beoordeling/zorgen/stage.html",
        {
            "stage": stage,
            "zorgen": zorgen,
            "may_record": allowed(request.user, "beoordeling.record_zorg", stage),
            "is_stagiair": stage.is_stagiair(request.user),
            "is_school": stage.is_mbo_begeleider(request.user),
        },
    )


def record_page(request, stage, *, initial, beoordeling=None, back):
    """The form that records a concern: from the stage's Zorgen, or proposed by a tussenbeoordeling (beoordelingen
    prefills it). A POST that plans an extra gesprek while the plan changed saves nothing and shows the form again."""
    planning = may_plan(request.user, stage)
    form = ZorgForm(request.POST or None, initial=initial, may_plan=planning, instance=Zorg(stage=stage))
    if request.method == "POST" and form.is_valid():
        try:
            zorg = Zorg.record(
                stage=stage,
                by=request.user,
                beoordeling=beoordeling,
                extra_gesprek=form.cleaned_data.get("extra_gesprek"),
                **form.values(),
            )
        except StaleStageplan as stale:
            messages.error(request, stale.message())
        else:
            messages.success(request, _recorded(zorg))
            return redirect("beoordeling:zorg", zorg.pk)
    return render(
        request,
        "beoordeling/zorgen/form.html",
        {"stage": stage, "form": form, "zorg": None, "beoordeling": beoordeling, "back": back},
    )


def _recorded(zorg):
    if zorg.moment_id:
        return _("De zorg is vastgelegd en het extra gesprek staat in de planning.")
    return _("De zorg is vastgelegd.")


@login_required
@stage_view("beoordeling.record_zorg")
def zorg_add(request, stage):
    return record_page(request, stage, initial={}, back=reverse("beoordeling:zorgen", args=[stage.pk]))


@login_required
@zorg_view()
def zorg_detail(request, zorg):
    user = request.user
    may_change = allowed(user, "beoordeling.change_zorg", zorg)
    return render(
        request,
        "beoordeling/zorgen/detail.html",
        {
            "zorg": zorg,
            "stage": zorg.stage,
            "may_change": may_change,
            "may_share": allowed(user, "beoordeling.share_zorg", zorg),
            # The trail holds refused texts and earlier wordings: for whoever edits the concern.
            "wijzigingen": Wijziging.objects.for_object(zorg).select_related("user").newest_first()
            if may_change
            else [],
        },
    )


@login_required
@zorg_view("beoordeling.change_zorg")
def zorg_edit(request, zorg):
    if not zorg.is_open:
        messages.info(request, _("Deze zorg is gesloten. Zet hem weer open om hem te wijzigen."))
        return redirect("beoordeling:zorg", zorg.pk)
    form = ZorgForm(request.POST or None, instance=zorg, initial={"version": zorg.version})
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            zorg.edit(by=request.user, version=form.cleaned_data["version"] or 0, values=form.values())
        except StaleEdit:
            last = (
                Wijziging.objects.for_object(zorg)
                .exclude(action=ZorgAction.REFUSED)
                .select_related("user")
                .newest_first()
                .first()
            )
            messages.error(
                request,
                _(
                    "Niet opgeslagen: %(name)s heeft deze zorg intussen gewijzigd. Uw tekst staat hieronder nog in "
                    "het formulier; de opgeslagen versie staat ernaast. Neem over wat u wilt houden en sla opnieuw op."
                )
                % {"name": last.user.name if last and last.user else _("iemand anders")},
            )
            if not zorg.is_open:
                messages.info(request, _("De zorg is intussen gesloten. Uw tekst staat in de geschiedenis hieronder."))
                return redirect("beoordeling:zorg", zorg.pk)
            rebase(form, field="version", version=zorg.version)
            current = saved_version(zorg)
        else:
            messages.success(request, _("De zorg is opgeslagen."))
            return redirect("beoordeling:zorg", zorg.pk)
    return render(
        request,
        "beoordeling/zorgen/form.html",
        {"stage": zorg.stage, "form": form, "zorg": zorg, "current": current, "back": zorg_url(zorg)},
    )


def saved_version(zorg):
    """[(label, value)] of what is saved now, beside the refused text (beoordeling/_current.html)."""
    field = Zorg._meta.get_field
    return [
        (field("kind").verbose_name, zorg.get_kind_display()),
        (field("happened").verbose_name, zorg.happened),
        (field("agreed").verbose_name, zorg.agreed),
        (field("next_step").verbose_name, zorg.next_step),
        (field("next_step_on").verbose_name, date_format(zorg.next_step_on, "j F Y")),
        (field("internal").verbose_name, _("ja") if zorg.internal else _("nee")),
    ]


def zorg_url(zorg):
    return reverse("beoordeling:zorg", args=[zorg.pk])


@login_required
@zorg_view("beoordeling.share_zorg")
def zorg_share(request, zorg):
    """The confirm step says who will read it and that it cannot be taken back; its POST shares, once."""
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            zorg.share(by=request.user)
        except AlreadyDone as done:
            messages.info(request, str(done))
        else:
            messages.success(request, _("De zorg is gedeeld met de mbo-begeleider."))
        return redirect("beoordeling:zorg", zorg.pk)
    if zorg.shared_at is not None or zorg.internal:
        messages.info(request, zorg.already_shared() or str(INTERNAL_NOT_SHARED))
        return redirect("beoordeling:zorg", zorg.pk)
    return render(request, "beoordeling/zorgen/share.html", {"zorg": zorg, "stage": zorg.stage, "form": form})


@login_required
@zorg_view("beoordeling.change_zorg")
def zorg_close(request, zorg):
    if not zorg.is_open:
        messages.info(request, zorg.already_closed())
        return redirect("beoordeling:zorg", zorg.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            zorg.close(by=request.user, outcome=form.cleaned_data["outcome"])
        except AlreadyDone as done:
            messages.info(request, str(done))
        else:
            messages.success(request, _("De zorg is gesloten."))
        return redirect("beoordeling:zorg", zorg.pk)
    return render(request, "beoordeling/zorgen/close.html", {"zorg": zorg, "stage": zorg.stage, "form": form})


@login_required
@require_POST
@zorg_view("beoordeling.change_zorg")
def zorg_reopen(request, zorg):
    try:
        zorg.reopen(by=request.user)
    except AlreadyDone as done:
        messages.info(request, str(done))
    else:
        messages.success(request, _("De zorg staat weer open. Pas de volgende stap en de datum aan."))
        return redirect("beoordeling:zorg_edit", zorg.pk)
    return redirect("beoordeling:zorg", zorg.pk)
