"""An account is deactivated, never deleted.

What a person wrote (verslagen, opmerkingen, afspraken, observaties, the trail) belongs to the stages it is part
of and stays, under their name; deleting the account would take it away or be refused (ProtectedError). A
deactivated account cannot log in and its roles end; an account whose erasure was asked is anonymised later
(erasure.py).

The core knows no roles: the apps that keep them end theirs on `account_deactivated`, each returning lines that
say what it ended, for the trail.
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from .models import User, Wijziging


class AccountAction:
    DEACTIVATED = "account_gedeactiveerd"
    REACTIVATED = "account_geactiveerd"


Wijziging.register_actions(
    {
        AccountAction.DEACTIVATED: _("account gedeactiveerd"),
        AccountAction.REACTIVATED: _("account weer actief (rollen komen terug met een nieuwe uitnodiging)"),
    }
)

# Sent inside the deactivation's transaction with `user` and `by`; a receiver returns a list of lines.
account_deactivated = Signal()


def deactivate(user, *, by):
    """Deactivate `user`'s account and end what they hold; False when it was already deactivated."""
    with transaction.atomic():
        if not User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
            return False
        user.is_active = False
        responses = account_deactivated.send(sender=User, user=user, by=by)
        lines = [str(line) for _receiver, ended in responses for line in ended or ()]
        Wijziging.log(user, AccountAction.DEACTIVATED, user=by, data={"lines": lines})
    return True


def reactivate(user, *, by):
    """Let `user` log in again; the roles that ended stay ended. False when the account was active."""
    with transaction.atomic():
        # Reactivating withdraws an erasure that was asked (stagegids/erasure.py); an anonymised account stays off.
        reactivated = User.objects.filter(pk=user.pk, is_active=False, anonymised_at__isnull=True).update(
            is_active=True, erasure_requested_at=None, erasure_requested_by=None
        )
        if not reactivated:
            return False
        user.is_active, user.erasure_requested_at, user.erasure_requested_by = True, None, None
        Wijziging.log(user, AccountAction.REACTIVATED, user=by)
    return True
