"""What the stagemap does for retention (issue 17): an anonymised account's name leaves the signatures.

A verslag's pdf never changes (it is stored with its hash); the signatures beside it on the pages are data, and an
anonymised signer's entry keeps its role and date without the name: the page says "voormalig <role>". The pdf keeps
the name until the verslag goes with its stage (leerbedrijf/retention.py).
"""

from django.db.models import Q
from django.dispatch import receiver

from stagegids.erasure import account_anonymised

from .models import Verslag


@receiver(account_anonymised, dispatch_uid="stagemap.anonymise_signatures")
def anonymise_signatures(sender, *, user, **kwargs):
    # Only the stages the person could have signed on: his company's or school's, or his own as stagiair.
    candidates = (
        Verslag.objects.filter(
            Q(stage__leerbedrijf__memberships__user=user)
            | Q(stage__onderwijsinstelling__memberships__user=user)
            | Q(stage__stagiair__user=user)
            | Q(created_by=user)
        )
        .exclude(signatures=[])
        .distinct()
        .only("pk", "signatures")
    )
    for verslag in candidates.iterator():
        signatures = [{**s, "name": "", "former": True} if s.get("user") == user.pk else s for s in verslag.signatures]
        if signatures != verslag.signatures:
            # An update, not save(): Verslag.save refuses to change what the pdf was made with, and this changes
            # only what the page shows beside it.
            Verslag.objects.filter(pk=verslag.pk).update(signatures=signatures)
