"""The pages of aanwezigheid en uren: a stage's weeks and totals, the week on a phone, approving, sending back and
correcting a week, the ziekmeldingen, and the hours of all stagiairs of a company."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.models import Leerbedrijf, Stage
from leerbedrijf.policy import stage_view
from stagegids.concurrency import StaleEdit, rebase
from stagegids.dates import EARLIEST, latest
from stagegids.models import Wijziging
from stagegids.policy import allowed, get_visible_or_404, require
from stagegids.roles import Role

from . import totals
from .forms import BeterForm, CorrectieForm, InstellingForm, SendBackForm, VersionForm, WeekForm, ZiekmeldingForm
from .models import (
    NotPossible,
    Soort,
    UrenInstelling,
    Urenweek,
    WeekStatus,
    Ziekmelding,
    monday_of,
    planned_days,
    studiejaar_label,
    studiejaar_of,
    uren_stages,
    week_error,
    week_url,
    ziekmelding_stages,
)

uren_view = stage_view(scope=uren_stages, related=("werkplekbegeleider",))
PAGE_SIZE = 25
STALE_MESSAGE = _(
    "Niet opgeslagen: %(name)s heeft deze week intussen gewijzigd. Wat u invulde staat hieronder nog; "
    "kijk het na en sla opnieuw op."
)


def _week_start(year, week):
    """The Monday of ISO week `week` of `year`, or 404 for a week that does not exist or lies outside the window."""
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise Http404 from None
    if not EARLIEST <= monday <= latest():
        raise Http404
    return monday


def ziek_days(stage, week_start):
    """The days of the week covered by a ziekmelding of the stage."""
    meldingen = list(stage.ziekmeldingen.filter(since__lte=week_start + timedelta(days=6)))
    days = (week_start + timedelta(days=offset) for offset in range(7))
    return {day for day in days if any(melding.covers(day) for melding in meldingen)}


def planned_summary(days):
    """The planned days in words for the one-tap button: "ma 8 u, di 8 u, wo ziek"."""
    words = []
    for dag in days:
        if dag.soort == Soort.VRIJ:
            continue
        hours = floatformat(dag.hours, "-2")
        words.append(
            _("%(day)s ziek") % {"day": date_format(dag.day, "D")}
            if dag.afwezigheid
            else _("%(day)s %(hours)s u") % {"day": date_format(dag.day, "D"), "hours": hours}
        )
    return words or [_("geen werkdagen")]


def begeleiders(stage, week):
    """[(user id, name)] who may have given begeleiding: the stage's werkplekbegeleider, the leerbedrijf's
    praktijkopleiders, and anyone already recorded for the week."""
    recorded = set(week.entered_begeleiding())
    people = (
        get_user_model()
        .objects.filter(
            Q(pk=stage.werkplekbegeleider_id)
            | Q(
                memberships__leerbedrijf_id=stage.leerbedrijf_id,
                memberships__role=Role.PRAKTIJKOPLEIDER,
                memberships__ended_at__isnull=True,
            )
            | Q(pk__in=recorded)
        )
        .distinct()
        .order_by("name")
    )
    first = [p for p in people if p.pk == stage.werkplekbegeleider_id]
    return [(p.pk, p.display_name) for p in first + [p for p in people if p.pk != stage.werkplekbegeleider_id]]


def _weeks_of(stage, today):
    """The Mondays of the stage's weeks up to this week, newest first."""
    last = min(monday_of(stage.end_date), monday_of(today))
    monday, weeks = last, []
    while monday >= monday_of(stage.start_date):
        weeks.append(monday)
        monday -= timedelta(days=7)
    return weeks


@login_required
@uren_view
def stage_uren(request, stage):
    require(request.user, "uren.view_uren", stage)
    today = timezone.localdate()
    page = Paginator(_weeks_of(stage, today), 26).get_page(request.GET.get("pagina"))
    mondays = list(page)
    shown = stage.urenweken.filter(week_start__range=(mondays[-1], mondays[0])) if mondays else stage.urenweken.none()
    stored = {row.week.week_start: row for row in totals.week_hours(shown)}
    per_month = totals.totals_per_month([stage])[stage.pk]
    per_studiejaar = totals.fold(per_month, studiejaar_of)
    total = totals.Totals()
    for row in per_studiejaar.values():
        total.add(row)
    return render(
        request,
        "uren/stage_uren.html",
        {
            "stage": stage,
            "page": page,
            "weeks": [(monday, stored.get(monday), week_url(stage, monday)) for monday in mondays],
            "per_month": per_month,
            "per_studiejaar": {studiejaar_label(year): row for year, row in per_studiejaar.items()},
            "total": total,
            "has_contract": totals.has_contract(stage),
            "ziekmeldingen": stage.ziekmeldingen.select_related("reported_by", "recovered_by")[:20],
            "may_report": allowed(request.user, "uren.report_ziek", stage),
            "may_set": allowed(request.user, "uren.set_school_ziekmeldingen", stage),
            "instelling": InstellingForm(initial={"school_sees_ziekmeldingen": UrenInstelling.school_sees(stage)}),
            "this_week": week_url(stage, monday_of(today)) if not week_error(stage, monday_of(today)) else None,
        },
    )


def _week_context(request, stage, week):
    user = request.user
    return {
        "stage": stage,
        "week": week,
        "rows": totals.week_hours(Urenweek.objects.filter(pk=week.pk))[0] if week.pk else None,
        "may_fill": allowed(user, "uren.fill_week", stage) and week.is_open,
        "may_approve": allowed(user, "uren.approve_week", stage) and week.status == WeekStatus.INGEDIEND,
        "may_correct": allowed(user, "uren.correct_week", stage) and week.is_approved,
        "send_back": SendBackForm(),
        "correcties": week.correcties.select_related("by") if week.pk else [],
        "wijzigingen": Wijziging.objects.for_object(week).select_related("user").newest_first()[:20] if week.pk else [],
        "previous": week_url(stage, week.week_start - timedelta(days=7))
        if not week_error(stage, week.week_start - timedelta(days=7))
        else None,
        "next": week_url(stage, week.week_start + timedelta(days=7))
        if not week_error(stage, week.week_start + timedelta(days=7))
        else None,
        "week_end": week.week_start + timedelta(days=6),
    }


def _refuse_week(request, stage, week_start):
    error = week_error(stage, week_start)
    if error:
        messages.error(request, error)
        return redirect("uren:stage", pk=stage.pk)
    return None


def _who_saved(week):
    last = Wijziging.objects.for_object(week).select_related("user").newest_first().first()
    if last and last.user:
        return last.user.display_name
    return week.filled_by.display_name if week.filled_by else _("iemand anders")


def _week_page(request, stage, shown, form=None):
    """The week's page: its days, and for whoever may fill it while open, the form (bound after a refused save)."""
    context = _week_context(request, stage, shown)
    if context["may_fill"]:
        week_start = shown.week_start
        context["form"] = form or WeekForm(
            initial={"version": shown.version},
            days=shown.entered_days() or planned_days(stage, week_start, ziek_days(stage, week_start)),
            begeleiders=begeleiders(stage, shown),
            begeleiding=shown.entered_begeleiding(),
        )
        context["normal"] = VersionForm(initial={"version": shown.version})
        context["planned"] = planned_summary(planned_days(stage, week_start, ziek_days(stage, week_start)))
    return render(request, "uren/week.html", context)


@login_required
@uren_view
def week(request, stage, year, week):
    require(request.user, "uren.view_uren", stage)
    week_start = _week_start(year, week)
    if refused := _refuse_week(request, stage, week_start):
        return refused
    return _week_page(request, stage, Urenweek.shown_for(stage, week_start))


@login_required
@uren_view
def week_invullen(request, stage, year, week):
    """Save the week's days as a concept, or hand them in; the form is on the week's page."""
    require(request.user, "uren.fill_week", stage)
    week_start = _week_start(year, week)
    if refused := _refuse_week(request, stage, week_start):
        return refused
    if request.method != "POST":
        return redirect(week_url(stage, week_start))
    shown = Urenweek.shown_for(stage, week_start)
    if not shown.is_open:
        messages.info(request, shown.not_open_message())
        return redirect(week_url(stage, week_start))
    form = WeekForm(
        request.POST,
        days=shown.entered_days() or planned_days(stage, week_start, ziek_days(stage, week_start)),
        begeleiders=begeleiders(stage, shown),
        begeleiding=shown.entered_begeleiding(),
    )
    if form.is_valid():
        entered, given = form.entered()
        submit = "submit" in request.POST
        try:
            version = form.cleaned_data["version"]
            shown.fill(by=request.user, version=version, days=entered, begeleiding=given, submit=submit)
        except NotPossible as refused:
            messages.info(request, str(refused))
            return redirect(week_url(stage, week_start))
        except StaleEdit:
            messages.error(request, STALE_MESSAGE % {"name": _who_saved(shown)})
            rebase(form, field="version", version=shown.version)
        else:
            if submit:
                messages.success(request, _("De week is ingediend en wacht op akkoord."))
            else:
                messages.success(request, _("De week is bewaard als concept."))
            return redirect(week_url(stage, week_start))
    return _week_page(request, stage, shown, form)


@login_required
@require_POST
@uren_view
def week_normaal(request, stage, year, week):
    """One tap: the week as planned (with the days of a ziekmelding), handed in."""
    require(request.user, "uren.fill_week", stage)
    week_start = _week_start(year, week)
    if refused := _refuse_week(request, stage, week_start):
        return refused
    shown = Urenweek.shown_for(stage, week_start)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Open de week opnieuw en probeer het nog eens."))
        return redirect(week_url(stage, week_start))
    try:
        shown.fill(
            by=request.user,
            version=form.cleaned_data["version"],
            days=planned_days(stage, week_start, ziek_days(stage, week_start)),
            begeleiding=shown.entered_begeleiding(),
            submit=True,
        )
    except NotPossible as refused:
        messages.info(request, str(refused))
    except StaleEdit:
        messages.error(request, STALE_MESSAGE % {"name": _who_saved(shown)})
    else:
        messages.success(request, _("De normale week is ingediend en wacht op akkoord."))
    return redirect(week_url(stage, week_start))


def _stored_week(stage, year, week):
    week_start = _week_start(year, week)
    found = Urenweek.objects.filter(stage=stage, week_start=week_start).first()
    if found is None:
        raise Http404
    found.stage = stage
    return found


@login_required
@require_POST
@uren_view
def week_akkoord(request, stage, year, week):
    require(request.user, "uren.approve_week", stage)
    found = _stored_week(stage, year, week)
    try:
        found.approve(by=request.user)
    except NotPossible as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, _("De uren van deze week zijn akkoord."))
    return redirect(week_url(stage, found.week_start))


@login_required
@require_POST
@uren_view
def week_terugsturen(request, stage, year, week):
    require(request.user, "uren.approve_week", stage)
    found = _stored_week(stage, year, week)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []):
            messages.error(request, error)
        return redirect(week_url(stage, found.week_start))
    try:
        found.send_back(by=request.user, reason=form.cleaned_data["reason"])
    except NotPossible as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, _("De week is teruggestuurd met uw reden."))
    return redirect(week_url(stage, found.week_start))


@login_required
@uren_view
def week_corrigeren(request, stage, year, week):
    require(request.user, "uren.correct_week", stage)
    found = _stored_week(stage, year, week)
    if not found.is_approved:
        messages.info(request, _("Alleen een week die akkoord is, wordt gecorrigeerd."))
        return redirect(week_url(stage, found.week_start))
    days = found.entered_days()
    # Days of the week within the stage that were not entered (a stage whose dates moved) can be added.
    missing = [d for d in planned_days(stage, found.week_start) if d.day not in {e.day for e in days}]
    form = CorrectieForm(
        request.POST or None,
        initial={"version": found.version},
        days=sorted(days + missing, key=lambda d: d.day),
        begeleiders=begeleiders(stage, found),
        begeleiding=found.entered_begeleiding(),
    )
    if request.method == "POST" and form.is_valid():
        entered, given = form.entered()
        try:
            found.correct(
                by=request.user,
                version=form.cleaned_data["version"],
                days=entered,
                begeleiding=given,
                reason=form.cleaned_data["reason"],
            )
        except NotPossible as refused:
            form.add_error(None, str(refused))
        except StaleEdit:
            messages.error(request, STALE_MESSAGE % {"name": _who_saved(found)})
            rebase(form, field="version", version=found.version)
        else:
            messages.success(request, _("De correctie is opgeslagen; ze staat met uw reden bij de week."))
            return redirect(week_url(stage, found.week_start))
    return render(
        request,
        "uren/week_corrigeren.html",
        {"stage": stage, "week": found, "form": form, "week_end": found.week_start + timedelta(days=6)},
    )


ziek_view = stage_view(scope=ziekmelding_stages)


@login_required
@ziek_view
def ziekmeldingen(request, stage):
    require(request.user, "uren.view_ziekmeldingen", stage)
    return render(
        request,
        "uren/ziekmeldingen.html",
        {
            "stage": stage,
            "ziekmeldingen": stage.ziekmeldingen.select_related("reported_by", "recovered_by"),
            "may_report": allowed(request.user, "uren.report_ziek", stage),
        },
    )


@login_required
@uren_view
def ziek_melden(request, stage):
    require(request.user, "uren.report_ziek", stage)
    form = ZiekmeldingForm(request.POST or None, stage=stage, days_back=settings.UREN_ZIEKMELDING_DAYS_BACK)
    if request.method == "POST" and form.is_valid():
        try:
            Ziekmelding.report(
                stage=stage, by=request.user, since=form.cleaned_data["since"], note=form.cleaned_data["note"]
            )
        except NotPossible as refused:
            messages.info(request, str(refused))
        else:
            if stage.is_stagiair(request.user):
                messages.success(request, _("Je ziekmelding is doorgegeven. Beterschap!"))
            else:
                messages.success(request, _("De ziekmelding is doorgegeven."))
        return redirect("uren:ziekmeldingen", pk=stage.pk)
    return render(request, "uren/ziek_melden.html", {"stage": stage, "form": form})


@login_required
def beter_melden(request, pk):
    melding = get_visible_or_404(
        request.user, Ziekmelding.objects.select_related("stage__stagiair", "stage__leerbedrijf"), pk=pk
    )
    require(request.user, "uren.report_ziek", melding)
    if melding.until is not None:
        messages.info(request, _("Deze ziekmelding is al afgesloten."))
        return redirect("uren:ziekmeldingen", pk=melding.stage_id)
    form = BeterForm(request.POST or None, melding=melding)
    if request.method == "POST" and form.is_valid():
        try:
            melding.recover(by=request.user, until=form.cleaned_data["until"])
        except NotPossible as refused:
            messages.info(request, str(refused))
        else:
            messages.success(request, _("De betermelding is doorgegeven."))
        return redirect("uren:ziekmeldingen", pk=melding.stage_id)
    return render(request, "uren/beter_melden.html", {"stage": melding.stage, "melding": melding, "form": form})


@login_required
@require_POST
@uren_view
def instelling(request, stage):
    require(request.user, "uren.set_school_ziekmeldingen", stage)
    form = InstellingForm(request.POST)
    form.is_valid()
    value = form.cleaned_data.get("school_sees_ziekmeldingen", False)
    if UrenInstelling.set_school_sees(stage=stage, by=request.user, value=value):
        if value:
            messages.success(request, _("De mbo-begeleider ziet nu de ziekmeldingen van deze stage."))
        else:
            messages.success(request, _("De mbo-begeleider ziet de ziekmeldingen van deze stage niet meer."))
    else:
        messages.info(request, _("Deze keuze stond al zo; er is niets veranderd."))
    return redirect("uren:stage", pk=stage.pk)


@login_required
def company_uren(request, pk):
    """The hours of all stagiairs of the company in one studiejaar, a page at a time."""
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "uren.view_company_uren", leerbedrijf)
    current = studiejaar_of(timezone.localdate())
    choices = list(range(current, current - 5, -1))
    year = request.GET.get("studiejaar", "")
    year = int(year) if year.isdigit() and int(year) in choices else current
    start, end = date(year, 8, 1), date(year + 1, 7, 31)
    stages = (
        Stage.objects.filter(leerbedrijf=leerbedrijf, start_date__lte=end, end_date__gte=start)
        .select_related("stagiair", "werkplekbegeleider")
        .annotate(waiting=Count("urenweken", filter=Q(urenweken__status=WeekStatus.INGEDIEND)))
        .order_by("stagiair__name", "pk")
    )
    page = Paginator(stages, PAGE_SIZE).get_page(request.GET.get("pagina"))
    per_year = totals.totals_per_studiejaar(page.object_list, year)
    rows = [(stage, per_year[stage.pk].get(year, totals.Totals()), totals.has_contract(stage)) for stage in page]
    return render(
        request,
        "uren/company_uren.html",
        {
            "leerbedrijf": leerbedrijf,
            "page": page,
            "rows": rows,
            "year": year,
            "years": [(choice, studiejaar_label(choice)) for choice in choices],
            "label": studiejaar_label(year),
            "query": f"studiejaar={year}",
        },
    )
