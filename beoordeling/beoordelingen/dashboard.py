"""The start page panel of the beoordeling (chapter 9): the forms to fill in and the beoordelingen to sign."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import holds_any
from stagegids import dashboard
from stagegids.policy import visible
from stagegids.roles import SCHOOL_SIDE

from .models import BEOORDELING_READERS, Beoordeling, BeoordelingState

ACTIONS = {
    "invullen": _("%(kind)s: formulier invullen"),
    "deel_school": _("%(kind)s: deel van de school invullen"),
    "ondertekenen": _("%(kind)s ondertekenen"),
}


@dashboard.register
def beoordelingen_to_do(request):
    """The forms this person still has to fill in, and the beoordelingen waiting for their signature."""
    user = request.user
    if not holds_any(user, *BEOORDELING_READERS, *SCHOOL_SIDE):  # who may see a beoordeling (visible_to)
        return None
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
        if beoordeling.is_eind and beoordeling.mbo_updated_at is None and beoordeling.stage.is_mbo_begeleider(user):
            todo.append((beoordeling, "deel_school"))
        elif own is not None and own.submitted_at is None:
            todo.append((beoordeling, "invullen"))
        elif beoordeling.state == BeoordelingState.GESPREK:
            side = beoordeling.signer_side(user)
            if side and not getattr(beoordeling, f"{side}_signed_at"):
                todo.append((beoordeling, "ondertekenen"))
    if not todo:
        return None
    todos = [
        dashboard.Todo(
            url=beoordeling.get_absolute_url(),
            text=ACTIONS[action] % {"kind": capfirst(beoordeling.get_kind_display())},
            # A stagiair's own: the page is theirs, no name needed.
            who="" if beoordeling.stage.stagiair.user_id == user.pk else beoordeling.stage.stagiair.name,
        )
        for beoordeling, action in todo
    ]
    return dashboard.Panel(todos=todos, order=15)
