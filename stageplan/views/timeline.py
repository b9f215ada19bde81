"""The planning of a stage (ch. 7): its timeline by week and the moments (gesprekken, beoordelingen) in it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerbedrijf.herinneringen import opleiders_of
from leerbedrijf.policy import stage_view
from stagegids.models import User
from stagegids.params import parse_id
from stagegids.policy import allowed, get_visible_or_404, visible
from stagegids.roles import Role

from .. import overdue, planning
from ..changes import StaleStageplan, save_change
from ..forms import MomentCancelForm, MomentForm, MomentVoorstelForm, VoorstelBesluitForm
from ..herinneringen import moment_participants
from ..models import AlreadyDone, Moment, MomentVoorstel, VoorstelState
from .common import no_plan, plan_or_none, plan_view, refused, stageplan_of

# More open proposals than this on one stage are refused: the stagiair talks to the begeleider first.
MAX_OPEN_VOORSTELLEN = 10


@login_required
@plan_view("stageplan.view_stageplan")
def timeline(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return no_plan(
            request,
            stage,
            title=_("Planning"),
            tab="planning",
            about=_(
                "Hier komt de planning van de stage: per week de leerdoelen die dan af moeten zijn en de gesprekken "
                "en beoordelingen."
            ),
        )
    leerdoelen = list(stageplan.leerdoelen.all())
    moments = list(stage.moments.planned())
    voorstellen = list(stage.moment_voorstellen.open().select_related("moment"))
    return render(
        request,
        "stageplan/timeline.html",
        {
            "stage": stage,
            "weeks": planning.weeks(stage=stage, leerdoelen=leerdoelen, moments=moments, voorstellen=voorstellen),
            "voorstellen": voorstellen,
            "own_voorstellen": allowed(request.user, "stageplan.propose_moment", stage),
            "warnings": planning.warnings(stage=stage, leerdoelen=leerdoelen),
            "undated": [leerdoel for leerdoel in leerdoelen if leerdoel.target_date is None],
        },
    )


def _no_moments(request, stage):
    return no_plan(
        request,
        stage,
        title=_("Gesprekken en beoordelingen"),
        tab="momenten",
        about=_(
            "Hier komen de vaste momenten van de stage: de gesprekken en beoordelingen. Ze worden gepland bij het "
            "stageplan."
        ),
    )


def _version(post):
    """The plan version a POST was based on; -1 (always stale) when it is missing or malformed."""
    return parse_id(post.get("based_on")) or -1


def _to_moments(stage, moment=None):
    url = reverse("stageplan:moments", args=[stage.pk])
    return redirect(f"{url}#moment-{moment.pk}" if moment is not None else url)


def _moment_change(request, stage, stageplan, form, summary, apply):
    try:
        save_change(
            stageplan=stageplan, based_on=form.cleaned_data["based_on"], by=request.user, summary=summary, apply=apply
        )
    except StaleStageplan as error:
        return refused(request, form, error)
    return None


@login_required
@stage_view("stageplan.view_moments", related=("stageplan",))
def moments(request, stage):
    """The moments of a stage: to plan for the company, to propose for the stagiair, to read for the school (only
    the moments it takes part in: Moment.objects.visible_to)."""
    user = request.user
    school = not allowed(user, "stageplan.view_stageplan", stage)
    stageplan = plan_or_none(stage)
    if stageplan is None and not school:
        return _no_moments(request, stage)
    can_plan = allowed(user, "stageplan.plan_moment", stage)
    can_propose = allowed(user, "stageplan.propose_moment", stage)
    voorstellen = [] if school else list(stage.moment_voorstellen.select_related("proposed_by", "decided_by"))
    open_voorstellen = [voorstel for voorstel in voorstellen if voorstel.state == VoorstelState.OPEN]
    by_moment = {}
    for voorstel in open_voorstellen:
        by_moment.setdefault(voorstel.moment_id, []).append(voorstel)
    # The stagiair sees what became of their last proposals.
    decided = [voorstel for voorstel in voorstellen if voorstel.state != VoorstelState.OPEN] if can_propose else []
    moment_list = overdue.mark(list(visible(user, stage.moments.all())), stage=stage)
    for moment in moment_list:
        moment.open_voorstellen = by_moment.get(moment.pk, [])
    return render(
        request,
        "stageplan/moments.html",
        {
            "stage": stage,
            "stageplan": stageplan,
            "moments": moment_list,
            "new_voorstellen": by_moment.get(None, []),
            "decided_voorstellen": sorted(decided, key=lambda voorstel: voorstel.decided_at)[-5:],
            "can_plan": can_plan,
            "can_propose": can_propose,
            "school": school,
        },
    )


@login_required
@plan_view("stageplan.plan_moment")
def moment_add(request, stage):
    stageplan = plan_or_none(stage)
    if stageplan is None:
        return _no_moments(request, stage)
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
            return _to_moments(stage, form.instance)
        form = refused
    return render(request, "stageplan/moment_form.html", {"stage": stage, "form": form, "moment": None})


def _back(request):
    """The page of this site the link came from and asked to return to (?terug=, the agenda), or None."""
    url = request.GET.get("terug", "")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if url and safe else None


@login_required
@plan_view("stageplan.plan_moment")
def moment_edit(request, stage, moment_pk):
    """Move a moment or change its place; from the agenda (?terug=) it returns there."""
    stageplan = stageplan_of(stage)
    back = _back(request)
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
            return redirect(back) if back else _to_moments(stage, moment)
        form = refused
    context = {"stage": stage, "form": form, "moment": moment, "back": back}
    return render(request, "stageplan/moment_form.html", context)


def _participants(moment):
    """[(name, role label)] of who takes part in `moment` (those its invitation and its cancellation reach)."""
    people = moment_participants(moment, opleiders_of({moment.stage.leerbedrijf_id}))
    names = dict(User.objects.filter(pk__in=[user_id for user_id, _role in people]).values_list("pk", "name"))
    return [(names[user_id], Role(role).label) for user_id, role in people if user_id in names]


@login_required
@plan_view("stageplan.plan_moment")
def moment_cancel(request, stage, moment_pk):
    """Cancelling asks first, with a reason, and says what goes and who hears it; a second click changes nothing."""
    stageplan = stageplan_of(stage)
    moment = get_visible_or_404(request.user, stage.moments.select_related("stage__stagiair"), pk=moment_pk)
    already = _("Dit moment was al geannuleerd.")
    form = MomentCancelForm(request.POST or None)
    if request.method == "POST":
        if moment.cancelled_at is not None:
            messages.info(request, already)
            return _to_moments(stage, moment)
        if not form.is_valid():
            return _cancel_page(request, stage, stageplan, moment, form)
        reason = form.cleaned_data["reason"]
        try:
            save_change(
                stageplan=stageplan,
                based_on=_version(request.POST),
                by=request.user,
                summary=_("%(kind)s geannuleerd: %(reason)s")
                % {"kind": moment.get_kind_display(), "reason": Truncator(reason).chars(200)},
                apply=lambda: moment.cancel(reason=reason),
            )
        except AlreadyDone:
            messages.info(request, already)
        except StaleStageplan:
            moment.refresh_from_db()
            if moment.cancelled_at is not None:
                messages.info(request, already)
            else:
                stageplan.refresh_from_db(fields=["version"])
                messages.error(
                    request, _("Het stageplan is intussen gewijzigd. Kijk of u dit moment nog wilt annuleren.")
                )
                return _cancel_page(request, stage, stageplan, moment, form)
        else:
            messages.success(request, _cancelled(moment))
        return _to_moments(stage, moment)
    return _cancel_page(request, stage, stageplan, moment, form)


def _cancelled(moment):
    if moment.is_past:
        return _("Het moment is geannuleerd: vastgelegd dat het niet is doorgegaan.")
    return _(
        "Het moment is geannuleerd. Wie de uitnodiging kreeg, krijgt een annulering voor de agenda. Per ongeluk? "
        "Zet het terug met ‘Terugzetten’."
    )


def _cancel_page(request, stage, stageplan, moment, form):
    # Only the calendars of a moment still to come are cleared (herinneringen.MomentCancelled).
    participants = [] if moment.is_past else _participants(moment)
    context = {"stage": stage, "stageplan": stageplan, "moment": moment, "participants": participants, "form": form}
    return render(request, "stageplan/moment_cancel.html", context)


@login_required
@require_POST
@plan_view("stageplan.plan_moment")
def moment_restore(request, stage, moment_pk):
    """Undo a cancellation while the moment is still to come."""
    stageplan = stageplan_of(stage)
    moment = get_visible_or_404(request.user, stage.moments.all(), pk=moment_pk)
    if moment.cancelled_at is None:
        messages.info(request, _("Dit moment staat al gepland."))
        return _to_moments(stage, moment)
    if not moment.restorable:
        messages.error(request, _("Dit moment is al voorbij en kan niet meer terug."))
        return _to_moments(stage, moment)
    try:
        save_change(
            stageplan=stageplan,
            based_on=_version(request.POST),
            by=request.user,
            summary=_("%(kind)s teruggezet") % {"kind": moment.get_kind_display()},
            apply=moment.restore,
        )
    except (AlreadyDone, StaleStageplan):
        moment.refresh_from_db()
        if moment.cancelled_at is None:
            messages.info(request, _("Dit moment staat al gepland."))
        else:
            messages.error(request, _("Het stageplan is intussen gewijzigd. Probeer het opnieuw."))
    else:
        messages.success(request, _("Het moment is teruggezet. Iedereen krijgt de uitnodiging opnieuw."))
    return _to_moments(stage, moment)


@login_required
@plan_view("stageplan.propose_moment")
def moment_propose(request, stage, moment_pk=None):
    """The stagiair proposes a moment, or a new date for one (moment_pk); who plans the moments decides."""
    moment = None
    if moment_pk is not None:
        # A new date for a moment still to come; one that has been is not planned again.
        moment = get_visible_or_404(
            request.user, stage.moments.planned().filter(starts_at__gt=timezone.now()), pk=moment_pk
        )
    voorstel = MomentVoorstel(stage=stage, moment=moment, proposed_by=request.user)
    if moment is not None:
        voorstel.kind, voorstel.location = moment.kind, moment.location
    form = MomentVoorstelForm(request.POST or None, instance=voorstel, moment=moment)
    if request.method == "POST" and form.is_valid():
        if moment is not None and moment.voorstellen.open().exists():
            form.add_error(None, _("Voor dit moment staat al een voorstel open. Wacht op het besluit."))
        elif stage.moment_voorstellen.open().count() >= MAX_OPEN_VOORSTELLEN:
            form.add_error(None, _("Er staan al veel voorstellen open. Bespreek ze eerst met je begeleider."))
        else:
            form.save()
            messages.success(
                request,
                _("Je voorstel is verstuurd. Je praktijkopleider of werkplekbegeleider neemt het aan of wijst het af."),
            )
            return _to_moments(stage, moment)
    return render(request, "stageplan/moment_propose.html", {"stage": stage, "form": form, "moment": moment})


@login_required
@require_POST
@plan_view("stageplan.plan_moment")
def voorstel_besluit(request, stage, voorstel_pk):
    """Accept (the moment is planned or moved, as a change of the plan) or decline a proposal, once."""
    voorstel = get_visible_or_404(request.user, stage.moment_voorstellen.all(), pk=voorstel_pk)
    form = VoorstelBesluitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Kies of u het voorstel aanneemt of afwijst, met een reden van hoogstens 500 tekens.")
        )
        return _to_moments(stage)
    decided = _("Over dit voorstel is al besloten: %(state)s.")
    try:
        if voorstel.state != VoorstelState.OPEN:
            raise AlreadyDone
        if form.cleaned_data["besluit"] == "afwijzen":
            voorstel.decline(by=request.user, reden=form.cleaned_data["reden"])
            messages.success(request, _("Het voorstel is afgewezen. De stagiair hoort het."))
            return _to_moments(stage)
        moment = save_change(
            stageplan=stageplan_of(stage),
            based_on=form.cleaned_data["based_on"],
            by=request.user,
            summary=_("%(kind)s gepland op voorstel van de stagiair") % {"kind": voorstel.get_kind_display()},
            apply=lambda: voorstel.accept(by=request.user),
        )
    except (AlreadyDone, StaleStageplan) as error:
        voorstel.refresh_from_db()
        if voorstel.state != VoorstelState.OPEN:
            messages.info(request, decided % {"state": voorstel.get_state_display()})
        elif isinstance(error, StaleStageplan):
            messages.error(request, _("Het stageplan is intussen gewijzigd. Bekijk het voorstel en besluit opnieuw."))
        else:
            messages.error(request, _("Het moment van dit voorstel is geannuleerd. Wijs het voorstel af."))
        return _to_moments(stage)
    messages.success(request, _("Het voorstel is aangenomen en staat in de planning. De stagiair hoort het."))
    return _to_moments(stage, moment)
