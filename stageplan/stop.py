"""The moments of a stage that is interrupted or ended (leerbedrijf.signals): those still to come are cancelled
the way the moments page cancels one (Moment.cancel: the reminder scan sends the calendars a CANCEL), as one new
version of the stageplan; an undo within the grace period puts back those still to come (Moment.restore: a new
REQUEST). After a resumption the moments are planned anew on the moments page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from leerbedrijf.models import StageStop

from .changes import save_change
from .models import AlreadyDone, Moment, Stageplan


def _as_version(stage_id, *, by, summary, apply):
    """Run `apply` as a change of the stage's plan (a version in its history); without a plan, just run it."""
    stageplan = Stageplan.objects.select_for_update().filter(stage_id=stage_id).first()
    if stageplan is None:
        return apply()
    return save_change(stageplan=stageplan, based_on=stageplan.version, by=by, summary=summary, apply=apply)


def _step(moments, step):
    done = []
    for moment in moments:
        try:
            step(moment)
        except AlreadyDone:
            continue
        done.append(moment)
    return done


def cancel_moments_of_stopped_stage(sender, *, stop, by, **kwargs):
    def cancel():
        coming = Moment.objects.planned().filter(stage_id=stop.stage_id, starts_at__gt=timezone.now())
        return _step(coming.order_by("starts_at", "pk"), Moment.cancel)

    cancelled = _as_version(
        stop.stage_id,
        by=by,
        summary=_("Geplande momenten geannuleerd: stage %(kind)s") % {"kind": stop.get_kind_display()},
        apply=cancel,
    )
    stop.cancelled_moments = [
        {
            "id": moment.pk,
            "kind": moment.kind,
            "label": str(moment.get_kind_display()),
            "starts_at": timezone.localtime(moment.starts_at).isoformat(timespec="minutes"),
        }
        for moment in cancelled
    ]
    StageStop.objects.filter(pk=stop.pk).update(cancelled_moments=stop.cancelled_moments)


def restore_moments_of_undone_stop(sender, *, stop, by, **kwargs):
    ids = [entry["id"] for entry in stop.cancelled_moments]
    if not ids:
        return

    def restore():
        cancelled = Moment.objects.filter(pk__in=ids, cancelled_at__isnull=False, starts_at__gt=timezone.now())
        return _step(cancelled, Moment.restore)

    _as_version(stop.stage_id, by=by, summary=_("Geannuleerde momenten teruggezet"), apply=restore)
