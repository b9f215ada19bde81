"""The leerdoelen of a stageplan (ch. 7), with their werkprocessen and the comments on them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.models import Werkproces
from stagegids.params import id_param, parse_id
from stagegids.policy import get_visible_or_404
from stagegids.search import MAX_LENGTH, clean_query

from ..changes import StaleStageplan, save_change, save_leerdoel
from ..forms import CommentForm, LeerdoelForm
from ..models import Leerdoel, LeerdoelComment
from .common import no_plan, permissions, plan_or_none, plan_view, refused, unavailable_ids


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
    unavailable = unavailable_ids(stage)
    initial = {"based_on": stageplan.version}
    werkproces = id_param(request.GET, "werkproces")
    if leerdoel is None and werkproces is not None:
        initial["werkproces"] = werkproces
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
            form = refused(request, form, error)
        else:
            messages.success(request, _("Het leerdoel '%(title)s' is opgeslagen.") % {"title": saved.title})
            return redirect(saved)
    # Bounded and cleaned as the search in the header: a query of any length reached the database as a LIKE.
    typed, message = clean_query(request.GET.get("q", "")[: MAX_LENGTH * 10])
    query = "" if message else typed
    return render(
        request,
        "stageplan/leerdoel_form.html",
        {
            "stage": stage,
            "form": form,
            "leerdoel": leerdoel,
            "query": query,
            "typed": typed[:MAX_LENGTH],
            "message": message,
            "max_length": MAX_LENGTH,
            "groups": _werkproces_groups(stage, query, unavailable) if leerdoel is None else None,
        },
    )


@login_required
@plan_view("stageplan.edit_stageplan")
def leerdoel_add(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return no_plan(
            request,
            stage,
            title=_("Leerdoel toevoegen"),
            tab="plan",
            about=_("Leerdoelen horen bij het stageplan: maak eerst het stageplan, dan voegt u hier leerdoelen toe."),
        )
    return _leerdoel_form(request, stage, stageplan, None)


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
    try:
        save_change(
            stageplan=leerdoel.stageplan,
            based_on=parse_id(request.POST.get("based_on")) or -1,
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
    leerdoel.unavailable = leerdoel.werkproces_id in unavailable_ids(stage) if leerdoel.werkproces_id else False
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
            **permissions(request, stage),
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
        messages.success(request, _("De reactie is geplaatst."))
    else:
        messages.error(request, _("Schrijf eerst een reactie."))
    return redirect(leerdoel)
