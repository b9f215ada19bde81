"""What the chapters above tell the stagemap without it knowing them (apps depend one way: they send, it listens).

`document_finished` is sent, inside the transaction that finished it, when a document reaches the state its
verslag is made from: a stageplan version agreed by both, a voortgangsgesprek afgerond, a beoordeling signed by
both, an evaluatie recorded. Arguments: stage_id, by (the user whose step finished it). The stagemap then writes, in
that transaction, a request for the missing verslagen of that stage, which a worker makes (stagemap.tasks).
"""

from django.dispatch import Signal

document_finished = Signal()
