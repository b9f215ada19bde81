"""The evaluatie at the end of a stage: the stagiair's answers, the evaluatiegesprek and the lessons of all
evaluaties of a company (chapter 10)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leerbedrijf.models import Leerbedrijf
from leerbedrijf.policy import stage_view
from stagegids import longforms
from stagegids.concurrency import StaleEdit
from stagegids.policy import allowed, get_visible_or_404, require

from ..gesprekken.models import AlreadySubmitted
from ..gesprekken.views import keep_refused, report_stale
from .forms import STALE_CONCEPT, AfrondingForm, EvaluatieForm
from .models import EVALUATIE_QUESTIONS, SCALE, Evaluatie, EvaluatieAntwoord, evaluatie_stages

# The evaluatie is between the stagiair and the praktijkopleider: for anyone else on the stage it does not exist.
evaluatie_view = stage_view(scope=evaluatie_stages)


@login_required
@evaluatie_view
def evaluatie_detail(request, stage):
    evaluatie = Evaluatie.shown_for(stage)
    is_stagiair = allowed(request.user, "beoordeling.fill_evaluatie", evaluatie)
    return render(
        request,
        "beoordeling/evaluatie_detail.html",
        {
            "evaluatie": evaluatie,
            "stage": evaluatie.stage,
            "is_stagiair": is_stagiair,
            "may_record": allowed(request.user, "beoordeling.record_evaluatie", evaluatie),
            # The stagiair's answers are theirs until submitted.
            "show_answers": is_stagiair or evaluatie.is_submitted,
            "answers": evaluatie.questions_with_answers(),
        },
    )


@login_required
@evaluatie_view
def evaluatie_fill(request, stage):
    """The stagiair's answers; the page also saves them in the background as a concept (stagegids.longforms)."""
    autosave = longforms.is_autosave(request)
    evaluatie = Evaluatie.shown_for(stage)
    require(request.user, "beoordeling.fill_evaluatie", evaluatie)
    if evaluatie.is_submitted:
        if autosave:
            return longforms.refused(evaluatie.already_submitted())
        messages.info(request, str(evaluatie.already_submitted()))
        return redirect("beoordeling:evaluatie", pk=stage.pk)
    form = EvaluatieForm(request.POST or None, initial=EvaluatieForm.initial_for(evaluatie))
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST and not autosave
        try:
            evaluatie.save_answers(
                version=form.cleaned_data["version"], by=request.user, answers=form.answers(), submit=submit
            )
        except AlreadySubmitted as done:
            if autosave:
                return longforms.refused(done)
            messages.info(request, str(done))
            return redirect("beoordeling:evaluatie", pk=stage.pk)
        except StaleEdit:
            if autosave:
                evaluatie.refresh_from_db()
                if evaluatie.is_submitted:
                    return longforms.refused(evaluatie.already_submitted())
                return longforms.refused(STALE_CONCEPT, version=evaluatie.answers_version)
            report_stale(request, evaluatie)
            keep_refused(form, evaluatie, "answers_version", ())
        else:
            if autosave:
                return longforms.saved(evaluatie.answers_version)
            if submit:
                messages.success(request, _("Je evaluatie is ingediend. Dank je wel!"))
                return redirect("beoordeling:evaluatie", pk=stage.pk)
            messages.success(request, _("Je antwoorden zijn bewaard. Alleen jij ziet ze tot je ze indient."))
            return redirect("beoordeling:evaluatie_fill", pk=stage.pk)
    errors = longforms.error_links(form, form.summary_labels)
    if autosave:
        return longforms.invalid(errors)
    return render(
        request,
        "beoordeling/evaluatie_fill.html",
        {"evaluatie": evaluatie, "stage": evaluatie.stage, "form": form, "errors": errors},
    )


@login_required
@evaluatie_view
def evaluatie_afronding(request, stage):
    evaluatie = Evaluatie.shown_for(stage)
    require(request.user, "beoordeling.record_evaluatie", evaluatie)
    saved = Evaluatie.objects.get(pk=evaluatie.pk) if evaluatie.pk else Evaluatie(stage=evaluatie.stage)
    form = AfrondingForm(request.POST or None, instance=saved)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            evaluatie.record_afronding(version=form.cleaned_data["version"], by=request.user, values=form.values())
        except AlreadySubmitted as done:
            messages.info(request, str(done))
            return redirect("beoordeling:evaluatie", pk=stage.pk)
        except StaleEdit:
            report_stale(request, evaluatie)
            current = keep_refused(form, evaluatie, "afronding_version", Evaluatie.AFRONDING_FIELDS)
        else:
            messages.success(request, _("Het evaluatiegesprek is vastgelegd."))
            return redirect("beoordeling:evaluatie", pk=stage.pk)
    return render(
        request,
        "beoordeling/evaluatie_afronding.html",
        {"evaluatie": evaluatie, "stage": evaluatie.stage, "form": form, "current": current},
    )


CHART_BAR_WIDTH = 200


@login_required
def evaluatie_overzicht(request, pk):
    """The answers of all submitted evaluaties of the company, per question, to improve the next stages."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "beoordeling.view_evaluatie_overzicht", leerbedrijf)
    evaluaties = Evaluatie.objects.submitted().filter(stage__leerbedrijf=leerbedrijf)
    answers = EvaluatieAntwoord.objects.filter(evaluatie__in=evaluaties)
    counts = {}
    for row in answers.filter(score__isnull=False).values("question", "score").annotate(n=Count("pk")):
        counts[(row["question"], row["score"])] = row["n"]
    texts = {}
    for question, text in (
        answers.exclude(text="").order_by("-evaluatie__submitted_at", "pk").values_list("question", "text")
    ):
        texts.setdefault(question, []).append(text)
    questions = []
    for question in EVALUATIE_QUESTIONS:
        chart = None
        if question.scale:
            per_score = [counts.get((question.key, score), 0) for score in SCALE]
            total = sum(per_score)
            top = max(per_score) or 1
            chart = {
                "total": total,
                "average": sum(s * n for s, n in zip(SCALE, per_score, strict=True)) / total if total else None,
                "bars": [
                    {"score": s, "count": n, "width": round(CHART_BAR_WIDTH * n / top), "y": i * 28}
                    for i, (s, n) in enumerate(zip(SCALE, per_score, strict=True))
                ],
            }
        questions.append({"question": question, "chart": chart, "texts": texts.get(question.key, [])})
    lessen = list(evaluaties.exclude(lessen="").order_by("-submitted_at").values_list("lessen", flat=True))
    return render(
        request,
        "beoordeling/evaluatie_overzicht.html",
        {
            "leerbedrijf": leerbedrijf,
            "count": evaluaties.count(),
            "questions": questions,
            "lessen": lessen,
            "chart_width": CHART_BAR_WIDTH,
        },
    )
