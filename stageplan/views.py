from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.models import Erkenning, Werkproces
from leerbedrijf.policy import STAGE_RELATED, stage_view
from leerbedrijf.predicates import is_praktijkopleider, is_stagiair
from stagegids.concurrency import rebase
from stagegids.policy import allowed, get_visible_or_404, require

from . import planning
from .changes import StaleStageplan, agree, create_plan, save_change, save_leerdoel
from .diff import describe, readable
from .forms import (
    BeginsituatieForm,
    CommentForm,
    CreatePlanForm,
    LeerdoelForm,
    MomentForm,
    ObservatieForm,
)
from .models import (
    Leerdoel,
    LeerdoelComment,
    Moment,
    Observatie,
    Stageplan,
    agreed_version,
    plan_stages,
)
from .photos import content_type


def plan_view(perm):
    """A view of a stage's plan; for the mbo-begeleider the stage does not exist here (a 404, not a 403)."""
    return stage_view(perm, scope=plan_stages)


def _plan(stage):
    try:
        return stage.stageplan
    except Stageplan.DoesNotExist:
        raise Http404 from None


def _unavailable_ids(stage):
    return set(
        Erkenning.unavailable_werkprocessen.through.objects.filter(
            erkenning__leerbedrijf_id=stage.leerbedrijf_id, erkenning__kwalificatie_id=stage.kwalificatie_id
        ).values_list("werkproces_id", flat=True)
    )


def _refused(request, form, error):
    """The save was based on an older version: say so, and give the user their own input back."""
    rebase(form, field="based_on", version=error.latest.number if error.latest else 0)
    form.add_error(None, error.message())
    messages.error(request, error.message())
    return form


def _roles(request, stage):
    user = request.user
    return {
        "can_edit": allowed(user, "stageplan.edit_stageplan", stage),
        "can_comment": allowed(user, "stageplan.comment", stage),
        "can_agree": allowed(user, "stageplan.agree", stage),
    }


@login_required
@plan_view("stageplan.view_stageplan")
def plan_detail(request, stage):
    context = {"stage": stage, **_roles(request, stage)}
    try:
        stageplan = stage.stageplan
    except Stageplan.DoesNotExist:
        return render(request, "stageplan/detail.html", {**context, "stageplan": None})
    leerdoelen = list(
        stageplan.leerdoelen.select_related("werkproces__kerntaak").annotate(
            comment_count=Count("comments", distinct=True), observatie_count=Count("observaties", distinct=True)
        )
    )
    unavailable = _unavailable_ids(stage)
    for leerdoel in leerdoelen:
        leerdoel.unavailable = leerdoel.werkproces_id in unavailable
    latest = (
        stageplan.versions.select_related("created_by", "agreed_by_stagiair", "agreed_by_opleider")
        .defer("data")
        .filter(number=stageplan.version)
        .first()
    )
    agreed = stageplan.versions.agreed().defer("data").order_by("-number").first()
    return render(
        request,
        "stageplan/detail.html",
        {
            **context,
            "stageplan": stageplan,
            "leerdoelen": leerdoelen,
            "latest": latest,
            "agreed": agreed,
            "warnings": planning.warnings(stage=stage, leerdoelen=leerdoelen),
            "next_moments": list(stage.moments.planned().filter(starts_at__gte=timezone.now())[:3]),
        },
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def plan_create(request, stage):
    if Stageplan.objects.filter(stage=stage).exists():
        return redirect("stageplan:detail", stage.pk)
    form = CreatePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        create_plan(
            stage=stage,
            by=request.user,
            interval_weeks=form.cleaned_data["interval_weeks"],
            propose=form.cleaned_data["propose"],
        )
        messages.success(request, _("Het stageplan is gemaakt. Kijk de voorgestelde momenten na."))
        return redirect("stageplan:detail", stage.pk)
    return render(request, "stageplan/create.html", {"stage": stage, "form": form})


@login_required
@plan_view("stageplan.edit_stageplan")
def beginsituatie_edit(request, stage):
    stageplan = _plan(stage)
    form = BeginsituatieForm(request.POST or None, instance=stageplan, initial={"based_on": stageplan.version})
    if request.method == "POST" and form.is_valid():
        try:
            save_change(
                stageplan=stageplan,
                based_on=form.cleaned_data["based_on"],
                by=request.user,
                summary=_("Beginsituatie aangepast"),
                apply=form.save,
            )
        except StaleStageplan as error:
            form = _refused(request, form, error)
        else:
            messages.success(request, _("De beginsituatie is opgeslagen."))
            return redirect("stageplan:detail", stage.pk)
    return render(request, "stageplan/form.html", {"stage": stage, "form": form, "title": _("Beginsituatie")})


def _werkproces_groups(stage, query, unavailable):
    werkprocessen = Werkproces.objects.for_kwalificatie(stage.kwalificatie).order_by("kerntaak__code", "code")
    if query:
        werkprocessen = werkprocessen.filter(
            Q(title__icontains=query) | Q(code__icontains=query) | Q(kerntaak__title__icontains=query)
        )
    groups = {}
    for werkproces in werkprocessen:
        werkproces.unavailable = werkproces.pk in unavailable
        groups.setdefault(werkproces.kerntaak, []).append(werkproces)
    return groups


def _leerdoel_form(request, stage, stageplan, leerdoel):
    unavailable = _unavailable_ids(stage)
    initial = {"based_on": stageplan.version}
    if leerdoel is None and request.GET.get("werkproces", "").isdigit():
        initial["werkproces"] = int(request.GET["werkproces"])
    form = LeerdoelForm(
        request.POST or None,
        instance=leerdoel or Leerdoel(stageplan=stageplan),
        initial=initial,
        stage=stage,
        unavailable_ids=unavailable,
    )
    if request.method == "POST" and form.is_valid():
        is_new = leerdoel is None
        title = form.cleaned_data["title"]
        try:
            saved = save_change(
                stageplan=stageplan,
                based_on=form.cleaned_data["based_on"],
                by=request.user,
                summary=(_("Leerdoel '%(title)s' toegevoegd") if is_new else _("Leerdoel '%(title)s' aangepast"))
                % {"title": title},
                apply=lambda: save_leerdoel(form=form, by=request.user),
            )
        except StaleStageplan as error:
            form = _refused(request, form, error)
        else:
            messages.success(request, _("Het leerdoel '%(title)s' is opgeslagen.") % {"title": saved.title})
            return redirect(saved)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "stageplan/leerdoel_form.html",
        {
            "stage": stage,
            "form": form,
            "leerdoel": leerdoel,
            "query": query,
            "groups": _werkproces_groups(stage, query, unavailable) if leerdoel is None else None,
        },
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def leerdoel_add(request, stage):
    return _leerdoel_form(request, stage, _plan(stage), None)


def _leerdoel(request, stage, leerdoel_pk):
    return get_visible_or_404(
        request.user,
        Leerdoel.objects.select_related("werkproces__kerntaak", "stageplan").filter(stageplan__stage=stage),
        pk=leerdoel_pk,
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def leerdoel_edit(request, stage, leerdoel_pk):
    leerdoel = _leerdoel(request, stage, leerdoel_pk)
    return _leerdoel_form(request, stage, leerdoel.stageplan, leerdoel)


@login_required
@require_POST
@plan_view("stageplan.edit_stageplan")
def leerdoel_delete(request, stage, leerdoel_pk):
    leerdoel = _leerdoel(request, stage, leerdoel_pk)
    based_on = request.POST.get("based_on", "")
    try:
        save_change(
            stageplan=leerdoel.stageplan,
            based_on=int(based_on) if based_on.isdigit() else -1,
            by=request.user,
            summary=_("Leerdoel '%(title)s' verwijderd") % {"title": leerdoel.title},
            apply=leerdoel.delete,
        )
    except StaleStageplan as error:
        messages.error(request, error.message())
        return redirect(leerdoel)
    messages.success(request, _("Het leerdoel '%(title)s' is verwijderd.") % {"title": leerdoel.title})
    return redirect("stageplan:detail", stage.pk)


@login_required
@plan_view("stageplan.view_stageplan")
def leerdoel_detail(request, stage, leerdoel_pk):
    leerdoel = _leerdoel(request, stage, leerdoel_pk)
    leerdoel.unavailable = leerdoel.werkproces_id in _unavailable_ids(stage) if leerdoel.werkproces_id else False
    return render(
        request,
        "stageplan/leerdoel.html",
        {
            "stage": stage,
            "leerdoel": leerdoel,
            "observaties": leerdoel.observaties.select_related("author"),
            "status_history": leerdoel.status_history().select_related("user"),
            "comments": leerdoel.comments.select_related("author"),
            "comment_form": CommentForm(),
            "based_on": leerdoel.stageplan.version,
            **_roles(request, stage),
        },
    )


@login_required
@require_POST
@plan_view("stageplan.comment")
def comment_add(request, stage, leerdoel_pk):
    leerdoel = _leerdoel(request, stage, leerdoel_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        LeerdoelComment.objects.create(leerdoel=leerdoel, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Uw reactie is geplaatst."))
    else:
        messages.error(request, _("Schrijf eerst een reactie."))
    return redirect(leerdoel)


@login_required
@plan_view("stageplan.view_stageplan")
def versions(request, stage):
    stageplan = _plan(stage)
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
            "as_stagiair": is_stagiair(request.user, stage),
            "as_opleider": is_praktijkopleider(request.user, stage),
        },
    )


def _number(value, default):
    return int(value) if value and value.isdigit() else default


@login_required
@plan_view("stageplan.view_stageplan")
def version_diff(request, stage):
    stageplan = _plan(stage)
    new = _number(request.GET.get("naar"), stageplan.version)
    old = _number(request.GET.get("van"), new - 1)
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
    stageplan = _plan(stage)
    version = get_visible_or_404(request.user, stageplan.versions.all(), number=number)
    if version.number != stageplan.version:
        messages.error(
            request,
            _("Versie %(old)s is niet meer de nieuwste: stem versie %(new)s af.")
            % {"old": version.number, "new": stageplan.version},
        )
        return redirect("stageplan:versions", stage.pk)
    if agree(
        version=version,
        by=request.user,
        as_stagiair=is_stagiair(request.user, stage),
        as_opleider=is_praktijkopleider(request.user, stage),
    ):
        messages.success(
            request,
            _("Versie %(number)s is afgestemd door stagiair en praktijkopleider en is gedeeld met de school.")
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


@login_required
@plan_view("stageplan.view_stageplan")
def timeline(request, stage):
    stageplan = _plan(stage)
    leerdoelen = list(stageplan.leerdoelen.all())
    moments = list(stage.moments.planned())
    return render(
        request,
        "stageplan/timeline.html",
        {
            "stage": stage,
            "weeks": planning.weeks(stage=stage, leerdoelen=leerdoelen, moments=moments),
            "warnings": planning.warnings(stage=stage, leerdoelen=leerdoelen),
            "undated": [leerdoel for leerdoel in leerdoelen if leerdoel.target_date is None],
        },
    )


def _moment_change(request, stage, stageplan, form, summary, apply):
    try:
        save_change(
            stageplan=stageplan, based_on=form.cleaned_data["based_on"], by=request.user, summary=summary, apply=apply
        )
    except StaleStageplan as error:
        return _refused(request, form, error)
    return None


@login_required
@plan_view("stageplan.view_stageplan")
def moments(request, stage):
    stageplan = _plan(stage)
    return render(
        request,
        "stageplan/moments.html",
        {
            "stage": stage,
            "stageplan": stageplan,
            "moments": stage.moments.all(),
            "can_edit": allowed(request.user, "stageplan.edit_stageplan", stage),
        },
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def moment_add(request, stage):
    stageplan = _plan(stage)
    form = MomentForm(request.POST or None, instance=Moment(stage=stage), initial={"based_on": stageplan.version})
    if request.method == "POST" and form.is_valid():
        refused = _moment_change(
            request,
            stage,
            stageplan,
            form,
            _("%(kind)s gepland") % {"kind": form.instance.get_kind_display()},
            form.save,
        )
        if refused is None:
            messages.success(request, _("Het moment is gepland."))
            return redirect("stageplan:moments", stage.pk)
        form = refused
    return render(request, "stageplan/moment_form.html", {"stage": stage, "form": form, "moment": None})


@login_required
@plan_view("stageplan.edit_stageplan")
def moment_edit(request, stage, moment_pk):
    stageplan = _plan(stage)
    moment = get_visible_or_404(request.user, stage.moments.planned(), pk=moment_pk)
    form = MomentForm(
        request.POST or None, instance=Moment.objects.get(pk=moment.pk), initial={"based_on": stageplan.version}
    )
    if request.method == "POST" and form.is_valid():
        refused = _moment_change(
            request,
            stage,
            stageplan,
            form,
            _("%(kind)s aangepast") % {"kind": moment.get_kind_display()},
            lambda: moment.reschedule(starts_at=form.cleaned_data["starts_at"], location=form.cleaned_data["location"]),
        )
        if refused is None:
            messages.success(request, _("Het moment is aangepast."))
            return redirect("stageplan:moments", stage.pk)
        form = refused
    return render(request, "stageplan/moment_form.html", {"stage": stage, "form": form, "moment": moment})


@login_required
@require_POST
@plan_view("stageplan.edit_stageplan")
def moment_cancel(request, stage, moment_pk):
    stageplan = _plan(stage)
    moment = get_visible_or_404(request.user, stage.moments.planned(), pk=moment_pk)
    based_on = request.POST.get("based_on", "")
    try:
        save_change(
            stageplan=stageplan,
            based_on=int(based_on) if based_on.isdigit() else -1,
            by=request.user,
            summary=_("%(kind)s geannuleerd") % {"kind": moment.get_kind_display()},
            apply=moment.cancel,
        )
    except StaleStageplan as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("Het moment is geannuleerd."))
    return redirect("stageplan:moments", stage.pk)


def _recording_stages(user):
    """The stages this user records observaties for, in the order of the stagiairs' names."""
    stages = plan_stages(user).select_related("stagiair").order_by("stagiair__name", "pk")
    return [stage for stage in stages if allowed(user, "stageplan.add_observatie", stage)]


@login_required
def observatie_start(request):
    """One tap to the form: pick the stagiair (or go straight there when there is only one)."""
    require(request.user, "stageplan.record_observaties")
    stages = _recording_stages(request.user)
    if len(stages) == 1:
        return redirect("stageplan:observatie_add", stages[0].pk)
    return render(request, "stageplan/observatie_start.html", {"stages": stages})


@login_required
@plan_view("stageplan.add_observatie")
def observatie_add(request, stage):
    form = ObservatieForm(
        request.POST or None,
        request.FILES or None,
        instance=Observatie(stage=stage, author=request.user, date=timezone.localdate()),
        stage=stage,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("De observatie over %(name)s is vastgelegd.") % {"name": stage.stagiair.name})
        return redirect("start")
    return render(request, "stageplan/observatie_form.html", {"stage": stage, "form": form})


@login_required
def observatie_list(request):
    require(request.user, "stageplan.view_observaties")
    observaties = Observatie.objects.visible_to(request.user).select_related(
        "stage__stagiair", "leerdoel__stageplan", "author"
    )
    stage = None
    if request.GET.get("stage", "").isdigit():
        stages = plan_stages(request.user).select_related(*STAGE_RELATED)
        stage = get_visible_or_404(request.user, stages, pk=int(request.GET["stage"]))
        observaties = observaties.filter(stage=stage)
    return render(request, "stageplan/observatie_list.html", {"observaties": observaties, "stage": stage})


@login_required
def observatie_photo(request, observatie_pk):
    observatie = get_visible_or_404(request.user, Observatie.objects.exclude(photo=""), pk=observatie_pk)
    response = FileResponse(observatie.photo.open("rb"), content_type=content_type(observatie.photo.name))
    response["Cache-Control"] = "private, max-age=3600"
    return response
