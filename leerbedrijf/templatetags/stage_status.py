"""A stage's status badge and its onboarding progress, written here rather than as templates to include: they are
on every row of a company's stagiair list and overview, where an include a cell was a tenth of the page."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import StageStatus

register = template.Library()


@register.simple_tag
def stage_status(status):
    """The badge of a stage's status (models/status.py), wherever a stage's status shows."""
    label = StageStatus(status).label if status in StageStatus.values else StageStatus.LOPEND.label
    return format_html('<span class="badge status-{}">{}</span>', status, label)


@register.simple_tag
def onboarding_progress(done, total, overdue, progress_id="", oob=False):
    """How far a stage's onboarding is: a bar, "3 van 7 gedaan" and what is late. `progress_id` and `oob` let the
    onboarding page replace it when an item is ticked (htmx, out of band)."""
    attributes = format_html(' id="{}"', progress_id) if progress_id else ""
    if oob:
        attributes += mark_safe(' hx-swap-oob="true"')
    if not total:
        return format_html('<span class="onboarding-progress"{}>{}</span>', attributes, _("geen acties"))
    late = (
        format_html(
            ' · <span class="text-danger fw-semibold">{}</span>',
            ngettext("%(counter)s te laat", "%(counter)s te laat", overdue) % {"counter": overdue},
        )
        if overdue
        else ""
    )
    return format_html(
        '<span class="onboarding-progress"{}><progress class="onboarding-bar" value="{}" max="{}" aria-hidden="true">'
        "</progress> {}{}</span>",
        attributes,
        done,
        total,
        _("%(done)s van %(total)s gedaan") % {"done": done, "total": total},
        late,
    )
