"""A deactivated account holds no role any more: its memberships end, and the rows stay for the record. And who
of a leerbedrijf must log in with a second step."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from stagegids import twofactor
from stagegids.accounts import account_deactivated
from stagegids.roles import Role

from .models import Membership


@receiver(account_deactivated, dispatch_uid="leerbedrijf.end_memberships")
def end_memberships(sender, *, user, by, **kwargs):
    held = list(Membership.objects.active().filter(user=user).select_related("leerbedrijf", "onderwijsinstelling"))
    Membership.objects.filter(pk__in=[m.pk for m in held], ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=by
    )
    return [
        _("Rol %(role)s bij %(organisation)s beëindigd")
        % {"role": m.get_role_display().lower(), "organisation": m.leerbedrijf or m.onderwijsinstelling}
        for m in held
    ]


@twofactor.register_requirement
def praktijkopleider_of_a_company_that_requires_it(user) -> bool:
    """A leerbedrijf can require the second step of the login of its praktijkopleiders (its settings page)."""
    return (
        Membership.objects.active()
        .filter(user=user, role=Role.PRAKTIJKOPLEIDER, leerbedrijf__tweestaps_verplicht=True)
        .exists()
    )
