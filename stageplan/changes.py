"""Every change to a stageplan goes through here: it is refused when based on an older version, and kept as a
version with a snapshot of the whole plan, who made it and when.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagegids.concurrency import StaleEdit, save_if_current
from stagemap.signals import document_finished

from .models import AlreadyDone, Moment, Stageplan, StageplanVersion
from .moments import propose_moments


class StaleStageplan(StaleEdit):
    """Someone else saved the plan after the version this change was based on; names that later version."""

    def __init__(self, latest):
        super().__init__(latest.number if latest else None)
        self.latest = latest

    def message(self):
        if self.latest is None:
            return _("Het stageplan is intussen gewijzigd. Uw tekst staat hieronder nog; sla opnieuw op.")
        return _(
            "Het stageplan is intussen gewijzigd door %(name)s (versie %(number)s, %(when)s). Uw wijziging is "
            "niet opgeslagen, zodat die van de ander niet verloren gaat. Uw tekst staat hieronder nog: bekijk de "
            "nieuwe versie en sla daarna opnieuw op."
        ) % {
            "name": self.latest.created_by.name if self.latest.created_by else _("iemand anders"),
            "number": self.latest.number,
            "when": timezone.localtime(self.latest.created_at).strftime("%d-%m-%Y %H:%M"),
        }


def snapshot(stageplan):
    leerdoelen = stageplan.leerdoelen.select_related("werkproces").order_by("pk")
    moments = Moment.objects.filter(stage_id=stageplan.stage_id).order_by("pk")
    return {
        "beginsituatie": {
            "niveau": stageplan.niveau,
            "leerjaar": stageplan.leerjaar,
            "capaciteiten": stageplan.capaciteiten,
            "vorige_stage": stageplan.vorige_stage,
        },
        "leerdoelen": [
            {
                "id": leerdoel.pk,
                "title": leerdoel.title,
                "werkproces": str(leerdoel.werkproces) if leerdoel.werkproces else "",
                "skill": leerdoel.skill,
                "activiteiten": leerdoel.activiteiten,
                "benodigd": leerdoel.benodigd,
                "target_date": leerdoel.target_date.isoformat() if leerdoel.target_date else None,
                "status": leerdoel.status,
            }
            for leerdoel in leerdoelen
        ],
        "momenten": [
            {
                "id": moment.pk,
                "kind": moment.kind,
                "starts_at": timezone.localtime(moment.starts_at).isoformat(timespec="minutes"),
                "location": moment.location,
                "cancelled": moment.cancelled_at is not None,
            }
            for moment in moments
        ],
    }


def save_change(*, stageplan, based_on, by, summary, apply):
    """Run `apply()` and record the result as the next version, or raise StaleStageplan and change nothing."""
    with transaction.atomic():
        try:
            save_if_current(Stageplan.objects.filter(pk=stageplan.pk), field="version", seen=based_on)
        except StaleEdit:
            raise StaleStageplan(stageplan.versions.select_related("created_by").order_by("-number").first()) from None
        stageplan.version = based_on + 1
        result = apply()
        previous = stageplan.versions.filter(number=based_on).first()
        StageplanVersion.objects.create(
            stageplan=stageplan,
            number=stageplan.version,
            data=snapshot(stageplan),
            summary=summary[:300],
            created_by=by,
            withdrew_agreement_of=previous.number if previous is not None and previous.is_agreed else None,
        )
    return result


def save_leerdoel(*, form, by):
    """Save a leerdoel form; a new leerdoel or a new status goes into its status history."""
    is_new = form.instance.pk is None
    status_changed = is_new or "status" in form.changed_data
    leerdoel = form.save()
    if status_changed:
        leerdoel.record_status(old=None if is_new else form.initial.get("status"), by=by)
    return leerdoel


def create_plan(*, stage, by, interval_weeks, propose):
    with transaction.atomic():
        stageplan = Stageplan.objects.create(
            stage=stage, niveau=stage.kwalificatie.niveau, voortgang_interval_weeks=interval_weeks
        )
        if propose and not stage.moments.exists():
            propose_moments(stage=stage, interval_weeks=interval_weeks)
        save_change(stageplan=stageplan, based_on=0, by=by, summary=_("Stageplan gemaakt"), apply=lambda: None)
    return stageplan


def agree(*, version, by, as_stagiair, as_opleider):
    """Mark the version afgestemd for the role(s) `by` holds on this stage; returns whether it is now agreed.

    One conditional update per side, so a second click (or two at once) changes nothing and raises AlreadyDone.
    Agreed by both, the version is a finished document: the stagemap makes its verslag after the commit, asked by
    the one request whose update completed it."""
    now = timezone.now()
    sides = [side for side, holds in (("stagiair", as_stagiair), ("opleider", as_opleider)) if holds]
    with transaction.atomic():
        changed = sum(
            StageplanVersion.objects.filter(pk=version.pk, **{f"agreed_by_{side}_at__isnull": True}).update(
                **{f"agreed_by_{side}": by, f"agreed_by_{side}_at": now}
            )
            for side in sides
        )
        # The update waited for any other agreeing request's row lock, so this sees its side too.
        version.refresh_from_db()
        if not changed:
            raise AlreadyDone
        if version.is_agreed:
            document_finished.send(sender=type(version), stage_id=version.stageplan.stage_id, by=by)
    return version.is_agreed
