"""Voortgangsgesprekken and the evaluatie at the end of a stage (chapters 8 and 9)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.models import Leerbedrijf
from leerbedrijf.policy import stage_view
from stagegids.concurrency import StaleEdit, rebase
from stagegids.models import Wijziging
from stagegids.policy import allowed, get_visible_or_404, require
from stageplan.models import MomentKind

from .gesprek_forms import AfrondenForm, AfrondingForm, AfspraakForm, EvaluatieForm, NotesForm, ReflectieForm
from .models.gesprek import (
    EVALUATIE_QUESTIONS,
    SCALE,
    Afspraak,
    Evaluatie,
    EvaluatieAntwoord,
    GesprekAction,
    Voortgangsgesprek,
    evaluatie_stages,
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


def _stale(request, gesprek_or_evaluatie):
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
            "open_afspraken": stage.afspraken.open().with_details(),
            "may_see_evaluatie": evaluatie_stages(request.user).filter(pk=stage.pk).exists(),
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
            "is_stagiair": is_stagiair,
            # The stagiair's draft is theirs until submitted; the notes are the begeleiders' until afgerond.
            "show_reflectie": is_stagiair or gesprek.reflectie_submitted,
            "show_notes": may_write or gesprek.is_afgerond,
            "afronden_form": AfrondenForm(initial={"version": gesprek.notes_version}),
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
        messages.info(request, _("Je zelfreflectie is ingediend; je begeleider kan hem lezen."))
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
        except StaleEdit:
            _stale(request, gesprek)
            current = _refused(form, gesprek, "reflectie_version", Voortgangsgesprek.REFLECTIE_FIELDS)
        else:
            if submit:
                messages.success(request, _("Je zelfreflectie is ingediend. Je begeleider kan hem nu lezen."))
                return redirect("beoordeling:gesprek", pk=pk)
            messages.success(request, _("Je zelfreflectie is bewaard. Alleen jij ziet hem tot je hem indient."))
            return redirect("beoordeling:zelfreflectie", pk=pk)
    return render(request, "beoordeling/zelfreflectie.html", {"gesprek": gesprek, "form": form, "current": current})


def _refused(form, obj, version_field, fields):
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
    initial = {"version": gesprek.notes_version, **{f: getattr(gesprek, f) for f in Voortgangsgesprek.NOTES_FIELDS}}
    form = NotesForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            gesprek.save_notes(version=form.cleaned_data["version"], by=request.user, values=form.values())
        except StaleEdit:
            _stale(request, gesprek)
            current = _refused(form, gesprek, "notes_version", Voortgangsgesprek.NOTES_FIELDS)
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
        gesprek.ensure_saved()
        afspraak = Afspraak.objects.create(
            stage=gesprek.stage, gesprek=gesprek, created_by=request.user, **form.cleaned_data
        )
        gesprek.log_action(
            GesprekAction.AFSPRAAK_ADDED,
            by=request.user,
            data={"afspraak": afspraak.pk, "text": afspraak.text, "owner": afspraak.owner_id},
        )
        messages.success(request, _("De afspraak is vastgelegd."))
        return redirect("beoordeling:gesprek", pk=pk)
    return render(request, "beoordeling/afspraak_form.html", {"gesprek": gesprek, "stage": gesprek.stage, "form": form})


@login_required
@require_POST
def gesprek_afronden(request, pk):
    gesprek = _gesprek(request, pk)
    require(request.user, "beoordeling.afronden_gesprek", gesprek)
    form = AfrondenForm(request.POST)
    if gesprek.is_afgerond:
        messages.info(request, CLOSED_MESSAGE)
    elif not form.is_valid():
        messages.error(request, _("Het gesprek is niet afgerond: laad de pagina opnieuw en probeer het nog eens."))
    else:
        try:
            gesprek.afronden(version=form.cleaned_data["version"], by=request.user)
        except StaleEdit:
            messages.error(
                request,
                _("Niet afgerond: het gesprek is intussen gewijzigd. Lees de laatste versie en rond dan af."),
            )
        else:
            messages.success(request, _("Het gesprek is afgerond. Het verslag staat vast."))
    return redirect("beoordeling:gesprek", pk=pk)


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
    evaluatie = Evaluatie.shown_for(stage)
    require(request.user, "beoordeling.fill_evaluatie", evaluatie)
    if evaluatie.is_submitted:
        messages.info(request, _("Je evaluatie is ingediend. Dank je wel!"))
        return redirect("beoordeling:evaluatie", pk=stage.pk)
    form = EvaluatieForm(request.POST or None, initial=EvaluatieForm.initial_for(evaluatie))
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            evaluatie.save_answers(
                version=form.cleaned_data["version"], by=request.user, answers=form.answers(), submit=submit
            )
        except StaleEdit:
            _stale(request, evaluatie)
            _refused(form, evaluatie, "answers_version", ())
        else:
            if submit:
                messages.success(request, _("Je evaluatie is ingediend. Dank je wel!"))
                return redirect("beoordeling:evaluatie", pk=stage.pk)
            messages.success(request, _("Je antwoorden zijn bewaard. Alleen jij ziet ze tot je ze indient."))
            return redirect("beoordeling:evaluatie_fill", pk=stage.pk)
    return render(
        request, "beoordeling/evaluatie_fill.html", {"evaluatie": evaluatie, "stage": evaluatie.stage, "form": form}
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
        except StaleEdit:
            _stale(request, evaluatie)
            current = _refused(form, evaluatie, "afronding_version", Evaluatie.AFRONDING_FIELDS)
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
