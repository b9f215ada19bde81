"""The profile of the person who is logged in: their name, their roles and, for the people of a leerbedrijf, the
trainings the erkenning asks of a praktijkopleider (chapter 3 of the gids)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stagegids.policy import allowed, object_view, require
from stagegids.roles import Role, addressed_informally

from ..models import Membership, RaadplegingWhat, Training, log_view, training_save
from .forms import NameForm, TrainingForm


@login_required
def profile(request):
    user = request.user
    form = NameForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Je naam is opgeslagen.") if addressed_informally(user) else _("Uw naam is opgeslagen.")
        )
        return redirect("leerbedrijf:profile")
    memberships = (
        Membership.objects.active().filter(user=user).select_related("leerbedrijf", "onderwijsinstelling")
    ).order_by("created_at")
    return render(
        request,
        "leerbedrijf/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "stagiairs": user.stagiairs.select_related("leerbedrijf"),
            "may_record": allowed(user, "leerbedrijf.record_training"),
            "trainingen": user.trainingen.all(),
            "opleider_at": [m.leerbedrijf for m in memberships if m.role == Role.PRAKTIJKOPLEIDER],
        },
    )


def _save(form):
    with transaction.atomic():
        training = form.save(commit=False)
        training_save(training, certificate=form.cleaned_data["certificate"], certificate_name=form.certificate_name)
    return training


@login_required
def training_add(request):
    require(request.user, "leerbedrijf.record_training")
    form = TrainingForm(request.POST or None, request.FILES or None, instance=Training(user=request.user))
    if request.method == "POST" and form.is_valid():
        training = _save(form)
        messages.success(request, _("De training „%(name)s” is vastgelegd.") % {"name": training.name})
        return redirect("leerbedrijf:profile")
    return render(request, "leerbedrijf/training_form.html", {"form": form, "training": None})


@login_required
@object_view(lambda user: Training.objects, "leerbedrijf.change_training")
def training_edit(request, training):
    form = TrainingForm(request.POST or None, request.FILES or None, instance=training)
    if request.method == "POST" and form.is_valid():
        _save(form)
        messages.success(request, _("De training is bijgewerkt."))
        return redirect("leerbedrijf:profile")
    return render(
        request,
        "leerbedrijf/training_form.html",
        {"form": form, "training": Training.objects.get(pk=training.pk)},
    )


@login_required
@require_POST
@object_view(lambda user: Training.objects, "leerbedrijf.change_training")
def training_delete(request, training):
    deleted, _rows = Training.objects.filter(pk=training.pk).delete()
    if deleted:
        if training.certificate:
            transaction.on_commit(lambda: training.certificate.storage.delete(training.certificate.name))
        messages.success(request, _("De training „%(name)s” is verwijderd.") % {"name": training.name})
    else:
        messages.info(request, _("Deze training was al verwijderd."))
    return redirect("leerbedrijf:profile")


@login_required
@object_view(lambda user: Training.objects)
def training_certificate(request, training):
    if not training.certificate:
        raise Http404
    log_view(request.user, RaadplegingWhat.CERTIFICAAT, training.name, person=training.user_id)
    return FileResponse(training.certificate.open("rb"), as_attachment=True, filename=training.certificate_name or None)
