from django.db.models import Q

from leerbedrijf.models import Stage, roles_of
from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import Role

from .models import Beoordeling, BeoordelingState


@dashboard.register
def beoordelingen_to_do(request):
    """The forms this person still has to fill in, and the beoordelingen waiting for their signature."""
    user = request.user
    todo = []
    for beoordeling in (
        visible(user, Beoordeling.objects)
        .filter(state__in=[BeoordelingState.INVULLEN, BeoordelingState.GESPREK])
        .select_related("stage__stagiair")
        .prefetch_related("invullingen")
        .order_by("created_at")
    ):
        party = beoordeling.party_of(user)
        own = next((i for i in beoordeling.invullingen.all() if i.party == party), None)
        if own is not None and own.submitted_at is None:
            todo.append((beoordeling, "invullen"))
        elif beoordeling.state == BeoordelingState.GESPREK:
            side = beoordeling.signer_side(user)
            if side and not getattr(beoordeling, f"{side}_signed_at"):
                todo.append((beoordeling, "ondertekenen"))
    roles = roles_of(user)
    # The same people as Beoordeling.visible_to: where one can start or read the beoordelingen of a stage.
    stages = list(
        visible(user, Stage.objects)
        .filter(
            Q(leerbedrijf__in=roles.leerbedrijf_ids(Role.PRAKTIJKOPLEIDER))
            | Q(stagiair__user=user)
            | Q(praktijkbeoordelaar=user, leerbedrijf__in=roles.leerbedrijf_ids(Role.PRAKTIJKBEOORDELAAR))
        )
        .select_related("stagiair")
        .order_by("stagiair__name")
    )
    if not todo and not stages:
        return None
    return dashboard.Panel("beoordeling/panels/todo.html", {"todo": todo, "stages": stages}, order=15)
