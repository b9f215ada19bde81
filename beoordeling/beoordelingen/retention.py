"""Collega-feedback's retention (issue 17): the colleague's e-mail address was only for the link.

It goes once the question is answered, withdrawn or expired (settings.RETENTION_DAYS["collega_email"] later,
0 by default), with the sent mail that carried the link; the name and the answers stay with the beoordeling, and
go with its stage.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stagegids.models import OutgoingMail
from stagegids.retention import Rule, register
from stagegids.retention_rules import FINAL_MAIL

from .models import CollegaVraag


def collega_emails(run):
    cutoff = run.cutoff("collega_email")
    closed = Q(answered_at__lte=cutoff) | Q(revoked_at__lte=cutoff) | Q(expires_at__lte=cutoff)
    rows = CollegaVraag.objects.filter(closed).exclude(email="")
    emails = set(rows.values_list("email", flat=True))
    count = rows.update(email="")
    # The mail that carried the link held the address too; one that still waits for a worker stays.
    OutgoingMail.objects.filter(recipient__in=emails, status__in=FINAL_MAIL).delete()
    return count


register(Rule("collega_email", _("e-mailadressen van collega's (feedback)"), collega_emails, order=30))
