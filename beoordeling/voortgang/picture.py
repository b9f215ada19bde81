"""What the progress picture shows, as numbers and as svg geometry: pure functions of the stage's own documents, read
in a fixed number of queries. No chart library: a few rectangles and lines drawn on the server need no script, work
without a network and keep their text (Dutch labels) in the page, where a screen reader also finds the table."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stagegids.models import Wijziging
from stageplan.models import Leerdoel, LeerdoelAction, LeerdoelStatus

from ..beoordelingen.models import NVT, Beoordeling, BeoordelingKind, BeoordelingState, Party

# The svg's own coordinates; it scales to the column (static/css: .voortgangsbeeld svg), 360 wide reads on a phone.
WIDTH = 360
MARGIN = 8
LABEL_CHARS = 52


@dataclass
class Point:
    day: date
    reached: int
    total: int


def leerdoelen_over_time(stage, today=None):
    """[Point] per day on which a leerdoel of the stage was added or changed status (the status steps each leerdoel
    keeps in the trail, Leerdoel.record_status), ending today with the leerdoelen as they are: two queries."""
    today = today or timezone.localdate()
    current = dict(Leerdoel.objects.filter(stageplan__stage=stage).values_list("pk", "status"))
    if not current:
        return []
    steps = (
        Wijziging.objects.for_stage(stage)
        .filter(
            action=LeerdoelAction.STATUS,
            content_type=ContentType.objects.get_for_model(Leerdoel),
            object_id__in=list(current),
        )
        .order_by("at", "pk")
        .values_list("object_id", "at", "changes")
    )
    status, points = {}, []

    def add(day):
        point = Point(day, sum(value == LeerdoelStatus.BEHAALD for value in status.values()), len(status))
        if points and points[-1].day == day:
            points[-1] = point
        else:
            points.append(point)

    for leerdoel_id, at, changes in steps:
        status[leerdoel_id] = (changes.get("status") or [None, None])[1]
        add(timezone.localdate(at))
    status = dict(current)
    add(max(today, points[-1].day) if points else today)
    return points


@dataclass
class LineChart:
    points: list
    height: int = 190
    top: int = 16
    bottom: int = 28
    left: int = 28
    reached_path: str = ""
    total_path: str = ""
    max_total: int = 0
    y_max: float = 0
    x_labels: list = field(default_factory=list)  # (x, text, anchor)
    dots: list = field(default_factory=list)  # (x, y)

    @property
    def plot_bottom(self):
        return self.height - self.bottom

    @property
    def width(self):
        return WIDTH


def line_chart(points):
    """The steps of reached and total leerdoelen over the days of `points`, as svg paths."""
    chart = LineChart(points=points)
    if not points:
        return chart
    chart.max_total = max(point.total for point in points) or 1
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)
    plot_width = WIDTH - chart.left - MARGIN

    def x(day):
        return round(chart.left + plot_width * (day - first).days / span, 1)

    def y(value):
        return round(chart.plot_bottom - (chart.plot_bottom - chart.top) * value / chart.max_total, 1)

    def steps(values):
        path = []
        for index, (point, value) in enumerate(zip(points, values, strict=True)):
            if index:
                path.append(f"H {x(point.day)} V {y(value)}")
            else:
                path.append(f"M {x(point.day)} {y(value)}")
        return " ".join(path)

    chart.reached_path = steps([point.reached for point in points])
    chart.total_path = steps([point.total for point in points])
    chart.dots = [(x(point.day), y(point.reached)) for point in points]
    chart.x_labels = [(x(first), date_format(first, "j b"), "start")]
    if last != first:
        chart.x_labels.append((x(last), date_format(last, "j b"), "end"))
    chart.y_max = y(chart.max_total)
    return chart


def shown_tussenbeoordeling(stage, user):
    """The newest tussenbeoordeling of the stage that `user` sees and whose forms are both in (revealed): before that
    the two views are not to be set side by side. None when there is none."""
    return (
        Beoordeling.objects.visible_to(user)
        .current()
        .filter(stage=stage, kind=BeoordelingKind.TUSSENBEOORDELING)
        .exclude(state=BeoordelingState.INVULLEN)
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class Werkproces:
    label: str
    opleider: float | None  # the mean step of the answered criteria, 0 = lowest; None: nothing answered
    stagiair: float | None
    opleider_label: str = ""
    stagiair_label: str = ""


@dataclass
class BarChart:
    rows: list
    steps: list  # (x, label) of each step of the scale
    end_x: float
    end_label: str
    height: int
    bars: list = field(default_factory=list)  # (y, width, css class, value label, label y)
    labels: list = field(default_factory=list)  # (y, text)

    @property
    def width(self):
        return WIDTH


PARTIES = (Party.PRAKTIJKOPLEIDER, Party.STAGIAIR)


def werkproces_scores(beoordeling):
    """Per werkproces (the criteria's group on the form, beroepshouding too) the mean step each party gave, over the
    criteria it answered (n.v.t. and empty left out): three queries."""
    steps = beoordeling.scale_steps()
    rank = {value: index for index, (value, _label, _ok) in enumerate(steps)}
    answers = {party: {} for party in PARTIES}
    for invulling in beoordeling.invullingen.filter(party__in=PARTIES).prefetch_related("antwoorden"):
        answers[invulling.party] = {a.criterium_id: a.score for a in invulling.antwoorden.all()}
    groups = {}
    for criterium in beoordeling.criteria.all():
        label = criterium.werkproces_label or _("Beroepshouding")
        group = groups.setdefault(label, {party: [] for party in PARTIES})
        for party in PARTIES:
            score = answers[party].get(criterium.pk, "")
            if score and score != NVT and score in rank:
                group[party].append(rank[score])

    def mean(values):
        return round(sum(values) / len(values), 2) if values else None

    def label_of(value):
        return "—" if value is None else str(steps[round(value)][1])

    rows = []
    for label, scores in groups.items():
        opleider, stagiair = mean(scores[Party.PRAKTIJKOPLEIDER]), mean(scores[Party.STAGIAIR])
        rows.append(Werkproces(label, opleider, stagiair, label_of(opleider), label_of(stagiair)))
    return rows


def bar_chart(beoordeling, rows):
    """Two bars per werkproces (praktijkopleider, stagiair) on the scale of the form, with the end level (the first
    step that counts as voldoende) as a line across."""
    steps = beoordeling.scale_steps()
    top = max(len(steps) - 1, 1)
    left, plot_width = MARGIN, WIDTH - 2 * MARGIN

    def x(value):
        return round(left + plot_width * value / top, 1)

    end = next(index for index, (_value, _label, ok) in enumerate(steps) if ok)
    chart = BarChart(
        rows=rows,
        steps=[(x(index), str(label)) for index, (_value, label, _ok) in enumerate(steps)],
        end_x=x(end),
        end_label=_("eindniveau: %(step)s") % {"step": steps[end][1]},
        height=0,
    )
    y = 34
    for row in rows:
        text = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1] + "…"
        chart.labels.append((y, text))
        y += 6
        for value, css, value_label in (
            (row.opleider, "bar-opleider", row.opleider_label),
            (row.stagiair, "bar-stagiair", row.stagiair_label),
        ):
            # A bar starts at the lowest step; a party that answered only the lowest gets a sliver, not nothing.
            width = max(x(value) - left, 2) if value is not None else 0
            chart.bars.append((y, round(width, 1), css, value_label, y + 9))
            y += 14
        y += 14
    chart.height = y
    return chart
