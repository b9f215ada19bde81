"""Sending an invitation, from whichever page invites someone (the people page, the intake)."""

from django.db import transaction
from django.urls import reverse

from stagegids import outbox

from ..models import Invitation


def _queue_mail(request, invitation, token):
    outbox.queue(
        template="invitation",
        to=invitation.email,
        context={
            "invitation": invitation,
            "link": request.build_absolute_uri(reverse("leerbedrijf:accept", args=[token])),
        },
    )


def send_invitation(request, **fields):
    """Make the invitation and queue its mail in one transaction: the mail leaves after commit, with the only copy
    of the link. `fields` are those of Invitation.create, without invited_by (the person making the request)."""
    with transaction.atomic():
        invitation, token = Invitation.create(invited_by=request.user, **fields)
        _queue_mail(request, invitation, token)
    return invitation


def resend_invitation(request, invitation, *, sent=None):
    """A new link for an open invitation, mailed like the first; False when it was no longer open, or was sent
    again after `sent` (when given)."""
    with transaction.atomic():
        token = invitation.renew(by=request.user, sent=sent)
        if token is not None:
            _queue_mail(request, invitation, token)
    return token is not None
