"""Sla ze niet over (gids ch. 8): a planned moment whose time has passed without its gesprek or beoordeling being
held is flagged to whoever must act, on their start page (dashboard.overdue_moments) and once by mail
(herinneringen.MomentOverdue), until it is held, moved or cancelled with a reason.

What "held" means belongs to the chapter that records it (a voortgangsgesprek or driegesprek afgerond, a
beoordeling past its forms, the evaluatiegesprek recorded), which sits above the stageplan: each registers its
moment kinds here from its AppConfig.ready(). A kind nobody registered is never flagged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from leerbedrijf.models import Stage, StopKind, roles_to_ask
from stagegids.roles import Role

from .models import Moment

# A stage that ended longer ago than this has its own closing; its skipped moments are history by then.
AFTER_THE_END = timedelta(days=14)


@dataclass(frozen=True)
class Held:
    """How a moment kind counts as held, where it is recorded and who records it."""

    # An expression on a Moment queryset (Exists over OuterRef("pk")): true when the moment was held.
    held: Callable[[], object]
    # The page where it is recorded, for a moment (with its stage).
    url: Callable[[Moment], str]
    # The roles on the stage who must act: record it, move it or cancel it with a reason.
    roles: frozenset = frozenset({Role.PRAKTIJKOPLEIDER})
    # Whether everyone who sees the moment may open its record, so the planning links to it.
    on_planning: bool = False


_held = {}


def register(kinds, held):
    """How the moments of `kinds` count as held (a Held), from the AppConfig.ready() of the chapter recording them."""
    for kind in kinds:
        _held[kind] = held


def overdue(now=None, kinds=None):
    """The planned moments whose time passed MOMENT_OVERDUE_DAYS ago without being held, of stages still running
    (or just ended): one query, whatever the number of kinds. Of `kinds` only, when given (all registered ones
    otherwise).

    A moment from the day a stage was interrupted or ended is not one that was skipped: the stage did not run then.
    An ended stage's real end is the day it ended, not its planned end date."""
    now = now or timezone.now()
    history = timezone.localdate(now) - AFTER_THE_END
    return Moment.objects.planned().filter(
        ~Q(stage__stopped_on__isnull=False, starts_at__date__gte=F("stage__stopped_on")),
        ~Q(stage__stopped=StopKind.BEEINDIGD, stage__stopped_on__lt=history),
        not_held(_held if kinds is None else kinds),
        starts_at__lte=now - timedelta(days=settings.MOMENT_OVERDUE_DAYS),
        stage__end_date__gte=history,
    )


def acting_roles():
    """The roles that must act on some kind of overdue moment."""
    return {role for entry in _held.values() for role in entry.roles}


def acting_on(user, now=None):
    """The overdue moments `user` must act on: per kind, on the stages where they hold its roles. Only the kinds
    and roles the user may hold are asked (leerbedrijf.roles_to_ask): each kind's way of being held is a subquery."""
    scope = Q(pk__in=[])
    kinds = {}  # in a fixed order, so that the query's text is the same each time (prepared once, see settings)
    for role in roles_to_ask(user, sorted(acting_roles())):
        role_kinds = [kind for kind, entry in _held.items() if role in entry.roles]
        scope |= Q(stage__in=Stage.objects.for_roles(user, role), kind__in=role_kinds)
        kinds.update(dict.fromkeys(role_kinds))
    return overdue(now, kinds=kinds).filter(scope)


def actors(moment, opleiders):
    """[(user id, role)] who must act on `moment`, with the praktijkopleiders ({leerbedrijf id: [ids]}) read once;
    a person in two roles once."""
    stage, roles = moment.stage, _held[moment.kind].roles
    people = {}
    if Role.PRAKTIJKOPLEIDER in roles:
        for user_id in opleiders.get(stage.leerbedrijf_id, []):
            people.setdefault(user_id, Role.PRAKTIJKOPLEIDER)
    if Role.WERKPLEKBEGELEIDER in roles and stage.werkplekbegeleider_id:
        people.setdefault(stage.werkplekbegeleider_id, Role.WERKPLEKBEGELEIDER)
    return list(people.items())


def record_url(moment):
    return _held[moment.kind].url(moment)


def planning_url(moment):
    """The record of `moment` for a list of moments, where everyone who sees the moment may open it; else None."""
    entry = _held.get(moment.kind)
    return entry.url(moment) if entry and entry.on_planning and not moment.cancelled_at else None


def not_held(kinds):
    """A condition on moments: of one of `kinds` and not held (kinds nobody registered never count as held). One
    subquery per way of being held, however many kinds share it."""
    unregistered, by_held = [], {}
    for kind in kinds:
        entry = _held.get(kind)
        if entry:
            by_held.setdefault(entry.held, []).append(kind)
        else:
            unregistered.append(kind)
    condition = Q(kind__in=unregistered)
    for held, group in by_held.items():
        condition |= Q(~held(), kind__in=group)
    return condition


def mark(moments, *, stage, now=None):
    """Set `overdue` and `record_url` (or None) on each of a stage's `moments`, for its planning: one query."""
    late = set(overdue(now).filter(stage=stage).values_list("pk", flat=True))
    for moment in moments:
        moment.overdue = moment.pk in late
        moment.record_url = planning_url(moment)
    return moments
