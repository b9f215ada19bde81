"""The leerbedrijf's retention rules (stagegids/retention.py), and the registry of holds on ended stages.

An ended stage goes with everything of it once settings.RETENTION_DAYS["stage"] have passed since its last day
(its end date, or the day it was ended early): every row that cascades from it in every app, their files, the trail
of the stage, its stagiair when that was his last stage, and the stagiair's account when nothing else holds it.
The apps above need not name their models: deleting the stage takes whatever points at it.

A higher app that must keep part of an ended stage longer registers a `Hold` (tegemoetkoming: a subsidy dossier):
until which day, and which of the stage's rows it needs. A held stage loses all other working data at the usual
time and keeps exactly those rows (and the stage itself) until the last hold ends; then it goes like any other.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids import erasure
from stagegids.models import User, Wijziging
from stagegids.retention import Rule, register

from .models import (
    Aanmelding,
    Besluit,
    Invitation,
    Inzage,
    InzageStatus,
    Kandidaat,
    Membership,
    Raadpleging,
    Stage,
    Stagiair,
    StopKind,
)


@dataclass(frozen=True)
class Hold:
    """A claim on ended stages. `until(stages)` returns {stage id: the last day it needs them} for the stages of the
    queryset it claims; `keeps` maps a model ("app.Model", with a foreign key to the stage) to the condition on the
    rows it needs (None: all of them). Rows that cascade from a kept row stay with it."""

    label: str
    until: Callable[..., Mapping[int, date]]
    keeps: Mapping[str, Q | None]


_holds: list[Hold] = []


def register_hold(hold: Hold) -> Hold:
    _holds.append(hold)
    return hold


def expired_stages(run):
    cutoff = run.cutoff_date("stage")
    return Stage.objects.filter(
        Q(end_date__lt=cutoff) | Q(stopped=StopKind.BEEINDIGD, stopped_on__isnull=False, stopped_on__lt=cutoff)
    )


def _stage_rows(stage_ids, hold_keeps):
    """Querysets of the rows that point at the stages, minus what `hold_keeps` keeps (None: everything goes)."""
    for relation in Stage._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        rows = model._base_manager.filter(**{f"{relation.field.name}__in": stage_ids})
        if hold_keeps is not None and model._meta.label in hold_keeps:
            kept = hold_keeps[model._meta.label]
            if kept is None:
                continue
            rows = rows.exclude(kept)
        yield rows


def stages(run):
    today = timezone.localdate(run.now)
    expired = list(expired_stages(run).values_list("pk", flat=True))
    if not expired:
        return 0
    holds_of: dict[int, list[Hold]] = {}
    for hold in _holds:
        for stage_id, until in hold.until(Stage.objects.filter(pk__in=expired)).items():
            if until >= today:
                holds_of.setdefault(stage_id, []).append(hold)
    gone = [pk for pk in expired if pk not in holds_of]
    count = 0
    for stage_id, holds in holds_of.items():
        keeps = {}
        for hold in holds:
            for label, condition in hold.keeps.items():
                if label in keeps and (keeps[label] is None or condition is None):
                    keeps[label] = None
                else:
                    keeps[label] = condition if label not in keeps else keeps[label] | condition
        for rows in _stage_rows([stage_id], keeps):
            count += run.purge(rows, within=lambda row, ids={stage_id}: getattr(row, "stage_id", None) in ids)
        kept_types = [ContentType.objects.get_by_natural_key(*label.lower().split(".")) for label in keeps]
        count += Wijziging.objects.filter(stage_id=stage_id).exclude(content_type__in=kept_types).delete()[0]
    if gone:
        stagiair_ids = set(Stage.objects.filter(pk__in=gone).values_list("stagiair", flat=True))
        ids = set(gone)
        count += run.purge(Stage.objects.filter(pk__in=gone), within=lambda row: getattr(row, "stage_id", None) in ids)
        count += Wijziging.objects.filter(stage_id__in=gone).delete()[0]
        count += _stagiairs_without_stages(run, stagiair_ids)
    return count


def _stagiairs_without_stages(run, stagiair_ids):
    """The stagiair record of a stage that is gone, when it was his last at that company; then his account, when
    no other company or school holds it."""
    leftover = Stagiair.objects.filter(pk__in=stagiair_ids, stages__isnull=True)
    user_ids = {pk for pk in leftover.values_list("user", flat=True) if pk}
    stagiair_type = ContentType.objects.get_for_model(Stagiair)
    count = Wijziging.objects.filter(
        content_type=stagiair_type, object_id__in=list(leftover.values_list("pk", flat=True))
    ).delete()[0]
    count += run.purge(leftover)
    for user in User.objects.filter(pk__in=user_ids, is_staff=False, stagiairs__isnull=True, memberships__isnull=True):
        count += erasure.anonymise(user, now=run.now)
    return count


def rejected_kandidaten(run):
    cutoff = run.cutoff_date("kandidaat_afgewezen")
    rows = Kandidaat.objects.filter(besluit=Besluit.NIET_AANGENOMEN, besluit_on__lt=cutoff)
    return Wijziging.objects.filter(
        content_type=ContentType.objects.get_for_model(Kandidaat), object_id__in=list(rows.values_list("pk", flat=True))
    ).delete()[0] + run.purge(rows)


def aanmeldingen(run):
    """An aanmelding that expired unconfirmed: its password hash goes at once, the rest after the period."""
    blanked = Aanmelding.objects.filter(confirmed_at__isnull=True, expires_at__lte=run.now).exclude(password="")
    count = blanked.update(password="")
    count += run.purge(Aanmelding.objects.filter(confirmed_at__isnull=True, expires_at__lt=run.cutoff("aanmelding")))
    return count


def invitations(run):
    cutoff = run.cutoff("uitnodiging")
    done = Q(expires_at__lt=cutoff) | Q(accepted_at__lt=cutoff) | Q(revoked_at__lt=cutoff)
    return run.purge(Invitation.objects.filter(done))


def ended_roles(run):
    return run.purge(Membership.objects.filter(ended_at__lt=run.cutoff("rol_beeindigd")))


def inzages(run):
    """An inzage export past its download term loses its file; the row stays, so its page says it has expired."""
    expired = Inzage.objects.filter(status=InzageStatus.DONE, finished_at__lt=run.cutoff("inzage")).exclude(file="")
    run.files += [(inzage.file.storage, inzage.file.name) for inzage in expired]
    return expired.update(file="")


def raadplegingen(run):
    return Raadpleging.purge_before(run.cutoff("raadpleging"))


register(Rule("kandidaat_afgewezen", _("afgewezen kandidaten"), rejected_kandidaten, order=10))
register(Rule("aanmelding", _("onbevestigde aanmeldingen van leerbedrijven"), aanmeldingen, order=11))
register(Rule("uitnodiging", _("verlopen, ingetrokken en gebruikte uitnodigingen"), invitations, order=12))
register(Rule("rol_beeindigd", _("beëindigde rollen"), ended_roles, order=13))
register(Rule("inzage", _("inzage-exports na hun downloadtermijn"), inzages, order=14))
register(Rule("raadpleging", _("wie wat opende (raadplegingen)"), raadplegingen, order=15))
# After the rules of the apps above (order 20–60), which clear what they keep of a stage that still runs.
register(Rule("stage", _("beëindigde stages (met alles wat erbij hoort)"), stages, order=70))
