"""What the search box finds, per kind: stagiairs, stages, colleagues and schools, each only within what the user may
see (the models' `visible_to`, through stagegids.policy.visible) and each a queryset of a fixed number of queries.

A name is matched by stagegids.search.name_contains, which the trigram indexes serve on PostgreSQL. A stage is found
by what is not a person: its leerbedrijf, its kwalificatie (name or crebo) or its school; its stagiair is found as a
stagiair, with a link to the stage.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from stagegids.policy import visible
from stagegids.search import name_contains

from ..models import Kwalificatie, Leerbedrijf, Membership, Onderwijsinstelling, Stage, Stagiair, with_status


def stagiairs(user, query):
    """The stagiairs the user sees whose name matches, each with the newest of their stages the user sees and its
    dates, which tell two stagiairs of the same name apart (None for a stagiair the praktijkopleider knows without
    a stage)."""
    newest_stage = visible(user, Stage.objects).filter(stagiair=OuterRef("pk")).order_by("-start_date", "-pk")
    return (
        visible(user, Stagiair.objects)
        .filter(name_contains("name", query))
        .annotate(
            stage_id=Subquery(newest_stage.values("pk")[:1]),
            stage_start=Subquery(newest_stage.values("start_date")[:1]),
            stage_end=Subquery(newest_stage.values("end_date")[:1]),
        )
        .select_related("leerbedrijf")
        .order_by("name", "pk")
    )


def stages(user, query, *, school=None):
    """The stages the user sees at a leerbedrijf, of a kwalificatie or at a school whose name matches (or of the
    crebo typed); with `school`, the stages at that school, narrowed by the query when there is one."""
    found = visible(user, Stage.objects)
    if school is not None:
        found = found.filter(onderwijsinstelling=school)
    if query:
        # Each name is matched in its own table, where its index is; the stages are then found by foreign key.
        found = found.filter(
            Q(leerbedrijf__in=Leerbedrijf.objects.filter(name_contains("name", query)).values("pk"))
            | Q(
                kwalificatie__in=Kwalificatie.objects.filter(Q(name_contains("name", query)) | Q(crebo=query)).values(
                    "pk"
                )
            )
            | Q(onderwijsinstelling__in=Onderwijsinstelling.objects.filter(name_contains("name", query)).values("pk"))
        )
    return (
        with_status(found)
        .select_related("stagiair", "leerbedrijf", "kwalificatie", "onderwijsinstelling")
        .order_by("stagiair__name", "-start_date", "pk")
    )


def collegas(user, query):
    """The people whose roles the user sees (a praktijkopleider: everyone of their leerbedrijf; Membership's
    policy), other than the user, whose name matches; with those roles, to say who they are and where."""
    memberships = visible(user, Membership.objects.active())
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user"))
        .exclude(pk=user.pk)
        .filter(name_contains("name", query))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=memberships.select_related("leerbedrijf", "onderwijsinstelling").order_by("role", "pk"),
                to_attr="visible_memberships",
            )
        )
        .order_by("name", "pk")
    )


def scholen(user, query):
    """The schools the user sees whose name or BRIN code matches."""
    return (
        visible(user, Onderwijsinstelling.objects)
        .filter(Q(name_contains("name", query)) | Q(brin=query.upper()))
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    find: object  # find(user, query) -> a queryset
    template: str


KINDS = (
    Kind("stagiairs", _("Stagiairs"), stagiairs, "leerbedrijf/zoeken/_stagiair.html"),
    Kind("stages", _("Stages"), stages, "leerbedrijf/zoeken/_stage.html"),
    Kind("collegas", _("Collega's"), collegas, "leerbedrijf/zoeken/_collega.html"),
    Kind("scholen", _("Scholen"), scholen, "leerbedrijf/zoeken/_school.html"),
)
BY_CODE = {kind.code: kind for kind in KINDS}
