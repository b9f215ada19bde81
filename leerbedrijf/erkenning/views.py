"""Pages of the SBB-erkenningen of a leerbedrijf (chapter 3 of the gids)."""

from copy import copy
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagegids.policy import get_visible_or_404, require

from ..models import (
    SBB_AANVRAAG_URL,
    ChecklistItem,
    Erkenning,
    ErkenningCheck,
    Leerbedrijf,
    RaadplegingWhat,
    Werkproces,
    leerbedrijf_warnings,
    log_view,
    praktijkopleiders_with_training,
)
from .forms import ErkenningCheckForm, ErkenningForm, WerkprocessenForm


@login_required
def erkenning_list(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.view_erkenningen", leerbedrijf)
    return render(
        request,
        "leerbedrijf/erkenning_list.html",
        {
            "leerbedrijf": leerbedrijf,
            "erkenningen": leerbedrijf.erkenningen.with_overview(),
            "warnings": leerbedrijf_warnings(leerbedrijf=leerbedrijf, viewer=request.user),
            "may_manage": request.user.has_perm("leerbedrijf.manage_erkenningen", leerbedrijf),
            "sbb_url": SBB_AANVRAAG_URL,
        },
    )


@login_required
def erkenning_create(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.manage_erkenningen", leerbedrijf)
    form = ErkenningForm(request.POST or None, leerbedrijf=leerbedrijf)
    if request.method == "POST" and form.is_valid():
        erkenning = form.save()
        messages.success(
            request, _("De erkenning voor %(name)s is vastgelegd.") % {"name": erkenning.kwalificatie.name}
        )
        return redirect(erkenning)
    return render(request, "leerbedrijf/erkenning_form.html", {"leerbedrijf": leerbedrijf, "form": form})


def _erkenning(request, pk, perm):
    erkenning = get_visible_or_404(request.user, Erkenning.objects.select_related("leerbedrijf", "kwalificatie"), pk=pk)
    require(request.user, perm, erkenning)
    return erkenning


@login_required
def erkenning_edit(request, pk):
    erkenning = _erkenning(request, pk, "leerbedrijf.manage_erkenningen")
    form = ErkenningForm(request.POST or None, instance=erkenning, leerbedrijf=erkenning.leerbedrijf)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("De erkenning is bijgewerkt."))
        return redirect(erkenning)
    return render(
        request,
        "leerbedrijf/erkenning_form.html",
        {"leerbedrijf": erkenning.leerbedrijf, "erkenning": erkenning, "form": form},
    )


def _grouped_werkprocessen(werkprocessen):
    return [(kerntaak, list(rows)) for kerntaak, rows in groupby(werkprocessen, key=lambda w: w.kerntaak)]


def _with_training(check, erkenning):
    """The item about the praktijkopleider shows each one's recorded training (their profile page)."""
    if check.item == ChecklistItem.PRAKTIJKOPLEIDER:
        check.praktijkopleiders = praktijkopleiders_with_training(erkenning.leerbedrijf)
    return check


def _checks(erkenning, may_manage, bound=None):
    checks = sorted(erkenning.checks.select_related("ticked_by"), key=lambda check: check.position)
    for check in checks:
        _with_training(check, erkenning)
        check.form = bound if bound is not None and bound.instance.pk == check.pk else None
        if check.form is None and may_manage:
            check.form = ErkenningCheckForm(instance=check)
    return checks


def _detail(request, erkenning, *, may_manage, bound=None, status=200):
    checks = _checks(erkenning, may_manage, bound=bound)
    unavailable = erkenning.unavailable_werkprocessen.select_related("kerntaak").order_by("kerntaak__code", "code")
    return render(
        request,
        "leerbedrijf/erkenning_detail.html",
        {
            "erkenning": erkenning,
            "leerbedrijf": erkenning.leerbedrijf,
            "checks": checks,
            "missing": [check for check in checks if not check.done],
            "unavailable": _grouped_werkprocessen(unavailable),
            "werkproces_count": Werkproces.objects.for_kwalificatie(erkenning.kwalificatie).count(),
            "history": erkenning.history.order_by("since"),
            "warnings": erkenning.warnings(),
            "may_manage": may_manage,
            "sbb_url": SBB_AANVRAAG_URL,
        },
        status=status,
    )


@login_required
def erkenning_detail(request, pk):
    erkenning = _erkenning(request, pk, "leerbedrijf.view_erkenningen")
    return _detail(request, erkenning, may_manage=request.user.has_perm("leerbedrijf.manage_erkenningen", erkenning))


@login_required
@require_POST
def erkenning_check(request, pk, check_pk):
    """Tick one item of the checklist; with htmx only that item is sent back."""
    erkenning = _erkenning(request, pk, "leerbedrijf.manage_erkenningen")
    check = get_visible_or_404(request.user, ErkenningCheck.objects.filter(erkenning=erkenning), pk=check_pk)
    # The form validates a copy: `check` keeps its stored state, so record() sees whether the tick is new.
    form = ErkenningCheckForm(request.POST, request.FILES, instance=copy(check))
    saved = form.is_valid()
    if saved:
        data = form.cleaned_data
        check.record(
            done=data["done"],
            note=data["note"],
            evidence=data["evidence"],
            evidence_name=form.evidence_name,
            by=request.user,
        )
    if request.htmx:
        _with_training(check, erkenning)
        check.form = form if not saved else ErkenningCheckForm(instance=check)
        return render(
            request,
            "leerbedrijf/includes/erkenning_check.html",
            {
                "check": check,
                "erkenning": erkenning,
                "may_manage": True,
                "saved": saved,
                # The summary of what is still missing is swapped in beside the item (hx-swap-oob).
                "missing": sorted(erkenning.checks.filter(done=False), key=lambda c: c.position),
                "oob": True,
            },
        )
    if saved:
        messages.success(request, _("„%(item)s” is opgeslagen.") % {"item": check.get_item_display()})
        return redirect(erkenning)
    return _detail(request, erkenning, may_manage=True, bound=form, status=400)


@login_required
def erkenning_evidence(request, pk, check_pk):
    erkenning = _erkenning(request, pk, "leerbedrijf.view_erkenningen")
    check = get_visible_or_404(request.user, ErkenningCheck.objects.filter(erkenning=erkenning), pk=check_pk)
    if not check.evidence:
        raise Http404
    log_view(request.user, RaadplegingWhat.BEWIJSSTUK, check.evidence_name or check.get_item_display(),
             leerbedrijf=erkenning.leerbedrijf_id)  # fmt: skip
    return FileResponse(check.evidence.open("rb"), as_attachment=True, filename=check.evidence_name or None)


@login_required
def erkenning_werkprocessen(request, pk):
    erkenning = _erkenning(request, pk, "leerbedrijf.manage_erkenningen")
    form = WerkprocessenForm(
        request.POST or None,
        erkenning=erkenning,
        initial={"unavailable": list(erkenning.unavailable_werkprocessen.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            erkenning.unavailable_werkprocessen.set(form.cleaned_data["unavailable"])
        messages.success(request, _("De werkprocessen zijn opgeslagen."))
        return redirect(erkenning)
    werkprocessen = form.fields["unavailable"].queryset.order_by("kerntaak__code", "code")
    chosen = {str(value) for value in (form["unavailable"].value() or [])}
    for werkproces in werkprocessen:
        werkproces.chosen = str(werkproces.pk) in chosen
    return render(
        request,
        "leerbedrijf/erkenning_werkprocessen.html",
        {
            "erkenning": erkenning,
            "leerbedrijf": erkenning.leerbedrijf,
            "form": form,
            "groups": _grouped_werkprocessen(werkprocessen),
        },
    )
