"""Erasure of an account (issue 17, AVG art. 17): deactivated at once, anonymised at the end of its retention.

`request_erasure(user, by=...)` is asked by the person on /account/verwijderen/, by a praktijkopleider for someone
of his company only, or by a beheerder in /beheer/; it is one conditional update (a second request changes
nothing) and deactivates the account through accounts.deactivate, so the roles end as they do there.
`anonymise(user)` is run by the retention rule "account_verwijderd" once settings.RETENTION_DAYS has passed, and
by an app that removes the last thing a person was kept for (leerbedrijf: a stagiair whose stages are gone). The row
stays, so what others signed keeps pointing at it; it shows "voormalig <role>" (User.signed_as) and the apps that
copied the name remove it on `account_anonymised`.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import deactivate
from .models import Notification, NotificationPreference, OutgoingMail, Reminder, User, Wijziging


class ErasureAction:
    REQUESTED = "verwijdering_gevraagd"
    ANONYMISED = "account_geanonimiseerd"


Wijziging.register_actions(
    {
        ErasureAction.REQUESTED: _("verwijdering van het account gevraagd"),
        ErasureAction.ANONYMISED: _("account geanonimiseerd"),
    }
)

# Sent inside the anonymisation's transaction with `user`; a receiver removes what its app copied of the person.
account_anonymised = Signal()


def request_erasure(user, *, by) -> bool:
    """Ask for `user`'s erasure and deactivate the account now; False when it was asked before."""
    with transaction.atomic():
        now = timezone.now()
        asked = User.objects.filter(pk=user.pk, erasure_requested_at__isnull=True).update(
            erasure_requested_at=now, erasure_requested_by=by
        )
        if not asked:
            return False
        user.erasure_requested_at, user.erasure_requested_by = now, by
        Wijziging.log(user, ErasureAction.REQUESTED, user=by)
        deactivate(user, by=by)
    return True


def anonymise(user, *, now=None) -> bool:
    """Remove the person from the account; False when it was anonymised before."""
    now = now or timezone.now()
    with transaction.atomic():
        old_email = User.objects.filter(pk=user.pk).values_list("email", flat=True).first()
        done = User.objects.filter(pk=user.pk, anonymised_at__isnull=True).update(
            anonymised_at=now,
            is_active=False,
            name="",
            # The address must stay unique and can never be used to log in or receive mail (.invalid, RFC 2606).
            email=f"verwijderd-{user.pk}@verwijderd.invalid",
            password=make_password(None),
            last_login=None,
        )
        if not done:
            return False
        user.refresh_from_db()
        Notification.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        Reminder.objects.filter(recipient=user).delete()
        OutgoingMail.objects.filter(recipient__iexact=old_email).delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=old_email).delete()
        account_anonymised.send(sender=User, user=user)
        Wijziging.log(user, ErasureAction.ANONYMISED, user=None)
    return True
