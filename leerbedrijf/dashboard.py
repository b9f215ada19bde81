from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import BEGELEIDER_ROLES, Role

from .models import (
    Aanmelding,
    Erkenning,
    Leerbedrijf,
    MeewerkendeCollega,
    Onderwijsinstelling,
    Stage,
    Stagiair,
    holds_any,
    leerbedrijf_warnings,
    roles_of,
    with_onboarding_progress,
)
from .models.status import over

PANEL_STAGES = 20
PANEL_AANMELDINGEN = 10


def _count(model, condition):
    rows = (
        model.objects.filter(condition, leerbedrijf=OuterRef("pk"))
        .order_by()
        .values("leerbedrijf")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


@dashboard.prepare
def keep_stages(request):
    # Nearly every panel asks for the stages the person has some role on (for_roles, visible_to and the scopes
    # built on them): one query answers them all.
    roles_of(request.user).keep_stages()


@dashboard.register
def first_steps(request):
    """A leerbedrijf that starts from nothing: first its erkenning (ch. 3), then a stagiair (ch. 4)."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    leerbedrijven = [
        leerbedrijf
        for leerbedrijf in Leerbedrijf.objects.filter(pk__in=ids).annotate(
            has_erkenning=Exists(Erkenning.objects.filter(leerbedrijf=OuterRef("pk"))),
            has_stage=Exists(Stage.objects.filter(leerbedrijf=OuterRef("pk"))),
        )
        if not (leerbedrijf.has_erkenning and leerbedrijf.has_stage)
    ]
    if not leerbedrijven:
        return None
    return dashboard.Panel("leerbedrijf/panels/first_steps.html", {"leerbedrijven": leerbedrijven}, order=8)


@dashboard.register
def waiting_for_a_stage(request):
    """Someone invited as begeleider, praktijkbeoordelaar or mbo-begeleider who is on no stage yet: who links them
    to one, and what they can do meanwhile (ch. 5). A praktijkopleider links people himself (first_steps)."""
    user = request.user
    roles = roles_of(user)
    own = roles.leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    held = {
        Role.WERKPLEKBEGELEIDER: roles.leerbedrijf_ids(*BEGELEIDER_ROLES) - own,
        Role.PRAKTIJKBEOORDELAAR: roles.leerbedrijf_ids(Role.PRAKTIJKBEOORDELAAR) - own,
        Role.MBO_BEGELEIDER: roles.school_ids(),
    }
    current = Stage.objects.exclude(over())
    # A begeleider who helps on a stage as a meewerkende collega is on a stage too.
    also = {Role.WERKPLEKBEGELEIDER: (Role.MEEWERKENDE_COLLEGA,)}
    waiting = {
        role: ids
        for role, ids in held.items()
        if ids and not current.for_roles(user, role, *also.get(role, ())).exists()
    }
    if not waiting:
        return None
    companies = Leerbedrijf.objects.in_bulk(
        waiting.get(Role.WERKPLEKBEGELEIDER, set()) | waiting.get(Role.PRAKTIJKBEOORDELAAR, set())
    )

    def as_begeleider(pk):
        # A hybride techniekopleider or informele begeleider is linked to a stage as its werkplekbegeleider.
        role = next(role for role in BEGELEIDER_ROLES if roles.has(role, pk))
        return companies[pk], Role(role).label.lower()

    return dashboard.Panel(
        "leerbedrijf/panels/waiting.html",
        {
            "begeleider": sorted(
                map(as_begeleider, waiting.get(Role.WERKPLEKBEGELEIDER, ())), key=lambda row: row[0].name
            ),
            "beoordelaar": sorted(
                (companies[pk] for pk in waiting.get(Role.PRAKTIJKBEOORDELAAR, ())), key=lambda company: company.name
            ),
            "schools": list(Onderwijsinstelling.objects.filter(pk__in=waiting.get(Role.MBO_BEGELEIDER, ()))),
        },
        order=8,
    )


@dashboard.register
def managed_leerbedrijven(request):
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # Subqueries, not joins: joining stages and stagiairs multiplies their rows (200 × 200 for a big company).
    leerbedrijven = list(
        Leerbedrijf.objects.filter(pk__in=ids).annotate(
            stage_count=_count(Stage, Q()),
            without_begeleider=_count(Stage, Q(werkplekbegeleider__isnull=True)),
            without_account=_count(Stagiair, Q(user__isnull=True)),
        )
    )
    todos = []
    for leerbedrijf in leerbedrijven:
        if leerbedrijf.without_begeleider:
            todos.append(
                dashboard.Todo(
                    url=leerbedrijf.get_absolute_url(),
                    text=ngettext(
                        "%(count)d stage een werkplekbegeleider geven",
                        "%(count)d stages een werkplekbegeleider geven",
                        leerbedrijf.without_begeleider,
                    )
                    % {"count": leerbedrijf.without_begeleider},
                    who=leerbedrijf.name,
                )
            )
        if leerbedrijf.without_account:
            todos.append(
                dashboard.Todo(
                    url=leerbedrijf.get_absolute_url(),
                    text=ngettext(
                        "%(count)d stagiair uitnodigen voor de portal",
                        "%(count)d stagiairs uitnodigen voor de portal",
                        leerbedrijf.without_account,
                    )
                    % {"count": leerbedrijf.without_account},
                    who=leerbedrijf.name,
                )
            )
    return dashboard.Panel(
        "leerbedrijf/panels/managed.html",
        {"leerbedrijven": leerbedrijven},
        todos=todos,
        order=10,
        folded=True,
        title=_("Uw leerbedrijf") if len(leerbedrijven) == 1 else _("Uw leerbedrijven"),
    )


def _followed(request):
    # Running and planned stages; a finished one stays only on its stagiair's own page. The rest is in the
    # stagiair list, so that the start page of a big company stays quick.
    return visible(request.user, Stage.objects).filter(~over() | Q(stagiair__user=request.user))


def _title(shown, more):
    return ngettext("%(count)s stage die u volgt", "%(count)s stages die u volgt", shown) % {
        "count": f"{shown}+" if more else shown
    }


@dashboard.register
def my_stages(request):
    """The stages the person follows: a stagiair's own in view, anyone else's folded and read only when opened
    (followed_stages), since a big company's rows, each with its links, cost more than the rest of the page."""
    if roles_of(request.user).stage_roles() == {Role.STAGIAIR}:
        return followed_stages(request)
    owners = list(
        _followed(request).order_by("start_date", "pk").values_list("stagiair__user", flat=True)[: PANEL_STAGES + 1]
    )
    if not owners:
        return None
    more = len(owners) > PANEL_STAGES
    if all(owner == request.user.pk for owner in owners[:PANEL_STAGES]):
        return followed_stages(request)
    return dashboard.Panel(order=20, folded=True, title=_title(len(owners[:PANEL_STAGES]), more), load="stages")


@dashboard.content("stages")
def followed_stages(request):
    stages = with_onboarding_progress(_followed(request))
    # A meewerkende collega sees until when they help (issue 15); whoever helps on no stage is spared the subquery.
    if holds_any(request.user, Role.MEEWERKENDE_COLLEGA):
        stages = stages.annotate(
            collega_until=Subquery(
                MeewerkendeCollega.objects.current()
                .filter(stage=OuterRef("pk"), user=request.user)
                .order_by("-end_date")
                .values("end_date")[:1]
            )
        )
    stages = list(
        stages.select_related("stagiair", "leerbedrijf", "kwalificatie", "werkplekbegeleider").order_by(
            "start_date", "pk"
        )[: PANEL_STAGES + 1]
    )
    if not stages:
        return None
    more = len(stages) > PANEL_STAGES
    stages = stages[:PANEL_STAGES]
    opleider_of = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    # The gids says je to a stagiair: their own stage is "jouw stage", and stays in view; whoever follows many
    # finds them folded, or in the stagiair list.
    own = all(stage.stagiair.user_id == request.user.pk for stage in stages)
    return dashboard.Panel(
        "leerbedrijf/panels/stages.html",
        {"stages": stages, "more": more, "opleider_of": sorted(opleider_of), "own": own},
        order=20,
        folded=not own,
        # The title is the summary of the folded panel, and the heading of its page of its own.
        title=ngettext("Jouw stage", "Jouw stages", len(stages)) if own else _title(len(stages), more),
    )


@dashboard.register
def erkenning_warnings(request):
    """Chapter 3: what threatens the praktijkopleider's erkenningen (herbeoordeling, stages without erkenning)."""
    ids = roles_of(request.user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    if not ids:
        return None
    # The viewer is a praktijkopleider of each of these, so none lacks one.
    companies = [
        (leerbedrijf, leerbedrijf_warnings(leerbedrijf=leerbedrijf, viewer=request.user, has_praktijkopleider=True))
        for leerbedrijf in Leerbedrijf.objects.filter(pk__in=ids).annotate(
            has_erkenning=Exists(Erkenning.objects.filter(leerbedrijf=OuterRef("pk")))
        )
    ]
    # "Geen aandachtspunten" would be wrong for a company with no erkenning at all: first_steps asks for one.
    companies = [
        (leerbedrijf, warnings) for leerbedrijf, warnings in companies if warnings or leerbedrijf.has_erkenning
    ]
    if not companies:
        return None
    # One link per company, not per warning: a big company without erkenning has a warning per stage.
    urls = {leerbedrijf.pk: reverse("leerbedrijf:erkenningen", args=[leerbedrijf.pk]) for leerbedrijf, _w in companies}
    todos = [
        dashboard.Todo(url=urls[leerbedrijf.pk], text=str(warning), who=leerbedrijf.name)
        for leerbedrijf, warnings in companies
        for warning in warnings
    ]
    return dashboard.Panel(
        "leerbedrijf/panels/erkenningen.html",
        {"companies": companies},
        todos=todos,
        order=15,
        folded=True,
        title=_("SBB-erkenningen"),
    )


@dashboard.register
def new_aanmeldingen(request):
    """The beheerder's: the newest leerbedrijven that registered themselves, to check and, if need be, block."""
    if not request.user.is_staff:
        return None
    aanmeldingen = Aanmelding.objects.select_related("leerbedrijf")[:PANEL_AANMELDINGEN]
    return dashboard.Panel("leerbedrijf/panels/aanmeldingen.html", {"aanmeldingen": aanmeldingen}, order=5)
