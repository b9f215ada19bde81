"""The onboarding checklists of a stage (chapter 6) and the leerbedrijf's own items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagegids.policy import allowed, get_visible_or_404, require

from ..models import Leerbedrijf, OnboardingItem, OnboardingPhase, OnboardingTemplateItem
from ..models.onboarding import GIDS_ITEMS, onboarding_stages, responsible_choices
from ..policy import stage_view
from .forms import AssignForm, OnboardingTemplateItemForm


class Progress:
    def __init__(self, items, today):
        self.total = len(items)
        self.done = sum(item.is_done for item in items)
        self.overdue = sum(item.is_overdue(today) for item in items)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


# Whoever holds an item of a stage's onboarding opens it, even without another role on the stage.
onboarding_view = stage_view(
    "leerbedrijf.view_onboarding", scope=lambda user: onboarding_stages(), related=("werkplekbegeleider",)
)


def _items(request, stage):
    today = timezone.localdate()
    items = list(stage.onboarding_items.select_related("responsible", "done_by"))
    for item in items:
        item.can_tick = allowed(request.user, "leerbedrijf.tick_onboarding_item", item)
        item.overdue = item.is_overdue(today)
    return items, Progress(items, today)


@login_required
@onboarding_view
def onboarding(request, stage):
    items, progress = _items(request, stage)
    can_assign = allowed(request.user, "leerbedrijf.assign_onboarding_item", stage)
    phases = [(phase, [item for item in items if item.phase == phase], f"fase-{phase}") for phase in OnboardingPhase]
    return render(
        request,
        "leerbedrijf/onboarding/stage.html",
        {
            "stage": stage,
            "phases": phases,
            "progress": progress,
            "can_assign": can_assign,
            "people": list(responsible_choices(stage.leerbedrijf)) if can_assign else [],
            "can_manage_template": allowed(request.user, "leerbedrijf.manage_onboarding_template", stage.leerbedrijf),
        },
    )


def _item(request, stage, item_pk):
    return get_visible_or_404(
        request.user, OnboardingItem.objects.filter(stage=stage).select_related("responsible"), pk=item_pk
    )


def _after_change(request, stage, item):
    """htmx swaps the item and the progress in place; without JavaScript the page reloads at the item."""
    if not request.htmx:
        return redirect(reverse("leerbedrijf:onboarding", args=[stage.pk]) + f"#actie-{item.pk}")
    items, progress = _items(request, stage)
    item = next(row for row in items if row.pk == item.pk)
    can_assign = allowed(request.user, "leerbedrijf.assign_onboarding_item", stage)
    return render(
        request,
        "leerbedrijf/onboarding/_item_swap.html",
        {
            "stage": stage,
            "item": item,
            "progress": progress,
            "can_assign": can_assign,
            "people": list(responsible_choices(stage.leerbedrijf)) if can_assign else [],
        },
    )


@login_required
@require_POST
@onboarding_view
def onboarding_tick(request, stage, item_pk):
    item = _item(request, stage, item_pk)
    item.stage = stage
    require(request.user, "leerbedrijf.tick_onboarding_item", item)
    # "0" undoes a tick; anything else ticks.
    item.set_done(by=request.user, done=request.POST.get("done") != "0")
    return _after_change(request, stage, item)


@login_required
@require_POST
@onboarding_view
def onboarding_assign(request, stage, item_pk):
    item = _item(request, stage, item_pk)
    require(request.user, "leerbedrijf.assign_onboarding_item", stage)
    form = AssignForm(request.POST, leerbedrijf=stage.leerbedrijf)
    if not form.is_valid():
        messages.error(request, _("Kies iemand van uw leerbedrijf als verantwoordelijke."))
        return redirect(reverse("leerbedrijf:onboarding", args=[stage.pk]) + f"#actie-{item.pk}")
    item.responsible = form.cleaned_data["responsible"]
    item.save(update_fields=["responsible"])
    return _after_change(request, stage, item)


@login_required
def onboarding_template(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.manage_onboarding_template", leerbedrijf)
    form = OnboardingTemplateItemForm(request.POST or None, leerbedrijf=leerbedrijf)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        form.save()
        messages.success(request, _("De actie is toegevoegd. Nieuwe stages krijgen haar op hun checklist."))
        return redirect("leerbedrijf:onboarding_template", pk=leerbedrijf.pk)
    own = list(leerbedrijf.onboarding_template.all())
    phases = [
        (
            phase,
            [text for _key, item_phase, _responsible, text in GIDS_ITEMS if item_phase == phase],
            [item for item in own if item.phase == phase],
        )
        for phase in OnboardingPhase
    ]
    return render(
        request,
        "leerbedrijf/onboarding/template.html",
        {"leerbedrijf": leerbedrijf, "form": form, "phases": phases},
    )


@login_required
@require_POST
def onboarding_template_delete(request, pk, item_pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.manage_onboarding_template", leerbedrijf)
    item = get_visible_or_404(request.user, OnboardingTemplateItem.objects.filter(leerbedrijf=leerbedrijf), pk=item_pk)
    item.delete()
    messages.success(request, _("De actie is verwijderd uit de lijst. Stages die haar al hebben, houden haar."))
    return redirect("leerbedrijf:onboarding_template", pk=leerbedrijf.pk)
