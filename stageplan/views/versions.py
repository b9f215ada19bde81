"""The versions of a stageplan (ch. 7): comparing them, agreeing one, and the version shared with the school."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.policy import stage_view
from leerbedrijf.predicates import is_praktijkopleider, is_stagiair
from stagegids.params import id_param
from stagegids.policy import allowed, get_visible_or_404

from ..changes import agree
from ..diff import describe, readable
from ..models import AlreadyDone, agreed_version
from .common import no_plan, plan_or_none, plan_view, stageplan_of


@login_required
@plan_view("stageplan.view_stageplan")
def versions(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return _no_versions(request, stage)
    rows = list(
        stageplan.versions.select_related("created_by", "agreed_by_stagiair", "agreed_by_opleider").defer("data")
    )
    agreed = next((version for version in rows if version.is_agreed), None)
    return render(
        request,
        "stageplan/versions.html",
        {
            "stage": stage,
            "stageplan": stageplan,
            "versions": rows,
            "latest": rows[0] if rows else None,
            "agreed": agreed,
            "can_agree": allowed(request.user, "stageplan.agree", stage),
            "something_to_agree": stageplan.has_something_to_agree(),
            "as_stagiair": is_stagiair(request.user, stage),
            "as_opleider": is_praktijkopleider(request.user, stage),
        },
    )


def _no_versions(request, stage):
    return no_plan(
        request,
        stage,
        title=_("Versies"),
        tab="versies",
        about=_(
            "Hier komen de versies van het stageplan. Een versie die stagiair en praktijkopleider allebei afstemmen, "
            "wordt gedeeld met de school."
        ),
    )


@login_required
@plan_view("stageplan.view_stageplan")
def version_diff(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return _no_versions(request, stage)
    new = id_param(request.GET, "naar") or stageplan.version
    old = id_param(request.GET, "van") or new - 1
    found = {
        version.number: version
        for version in stageplan.versions.select_related("created_by").filter(number__in=[old, new])
    }
    if new not in found:
        raise Http404
    changes = describe(found[old].data if old in found else {}, found[new].data)
    return render(
        request,
        "stageplan/diff.html",
        {
            "stage": stage,
            "old": found.get(old),
            "new": found[new],
            "changes": changes,
            "numbers": range(stageplan.version, 0, -1),
        },
    )


@login_required
@require_POST
@plan_view("stageplan.agree")
def version_agree(request, stage, number):
    stageplan = stageplan_of(stage)
    version = get_visible_or_404(request.user, stageplan.versions.all(), number=number)
    if version.number != stageplan.version:
        messages.error(
            request,
            _("Versie %(old)s is niet meer de nieuwste: stem versie %(new)s af.")
            % {"old": version.number, "new": stageplan.version},
        )
        return redirect("stageplan:versions", stage.pk)
    if not stageplan.has_something_to_agree():
        messages.error(
            request,
            _(
                "Er valt nog niets af te stemmen: het stageplan heeft nog geen leerdoelen. "
                "Schrijf eerst de beginsituatie en de leerdoelen."
            ),
        )
        return redirect("stageplan:versions", stage.pk)
    as_stagiair = is_stagiair(request.user, stage)
    try:
        agreed = agree(
            version=version,
            by=request.user,
            as_stagiair=as_stagiair,
            as_opleider=is_praktijkopleider(request.user, stage),
        )
    except AlreadyDone:
        when = version.agreed_by_stagiair_at if as_stagiair else version.agreed_by_opleider_at
        messages.info(
            request,
            _("Versie %(number)s was al door u afgestemd op %(when)s; er is niets gewijzigd.")
            % {"number": version.number, "when": date_format(timezone.localtime(when), "j F Y H:i")},
        )
        return redirect("stageplan:versions", stage.pk)
    if agreed:
        messages.success(
            request,
            _("Versie %(number)s is afgestemd door stagiair en praktijkopleider en is gedeeld met de school.")
            % {"number": version.number},
        )
    elif is_stagiair(request.user, stage):
        messages.success(
            request,
            _("Je hebt versie %(number)s afgestemd. Je praktijkopleider moet dat ook nog doen.")
            % {"number": version.number},
        )
    else:
        messages.success(
            request,
            _("U heeft versie %(number)s afgestemd. De ander moet dat ook nog doen.") % {"number": version.number},
        )
    return redirect("stageplan:versions", stage.pk)


@login_required
@stage_view("stageplan.view_shared")
def shared(request, stage):
    """The version shared with the school: the only part of the stageplan the mbo-begeleider sees."""
    version = agreed_version(stage)
    return render(
        request,
        "stageplan/shared.html",
        {"stage": stage, "version": version, "plan": readable(version.data) if version else None},
    )
