"""The columns of the voortgang overview (/voortgang/), which each app contributes.

The overview is a list of stages, so it lives in `leerbedrijf`; what it shows of a stage (its leerdoelen, its
moments, its beoordelingen, its zorgen) belongs to the apps above, which this one may not import. Each registers its
columns here from its AppConfig.ready(), like the start-page panels and the stage's sections.

A column reads its values in one of two ways, so the page costs the same number of queries for 25 rows or 50,000
stages behind them:
- `annotate(stages, user)`: annotations on the page's queryset (subqueries), read from each row by `read`. Only
  such a column can be sortable: `sort` names the annotation the page orders by.
- `batch(stage_ids, user)`: one query for the stages of the page, {stage id: value}.
Either way a column reads only what `user` may see (the documents' own visible_to()): a stage whose stageplan the
user does not see gets no value, which the cell shows as "—".

`late(value)` says, in Dutch, what of it is late, or None: the row's signal. It must reuse the notion of "late"
the owning app already has (a moment skipped as in stageplan/overdue.py, an onboarding item past its date, ...).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_columns = {}


@dataclass(frozen=True)
class Column:
    name: str  # also the value of ?sorteer= when sortable
    label: str
    # The cell's template (it gets `value` and `row`); None for a column that only adds to the late signal.
    template: str | None = None
    order: int = 50
    annotate: Callable | None = None
    read: Callable | None = None  # the value of a row from its annotations
    batch: Callable | None = None
    sort: str | None = None  # the annotation to order by; None: not sortable
    late: Callable | None = None

    def __post_init__(self):
        if (self.annotate is None) == (self.batch is None):
            raise ValueError(f"column {self.name}: give either annotate (with read) or batch")
        if self.sort and self.annotate is None:
            raise ValueError(f"column {self.name}: only an annotated column can be sorted")


def register(column):
    _columns[column.name] = column
    return column


def columns():
    return sorted(_columns.values(), key=lambda column: column.order)


def sortable():
    return {column.name: column for column in columns() if column.sort}


@dataclass
class Row:
    stage: object
    cells: list = field(default_factory=list)  # (column, value) of the shown columns, in their order
    late: list = field(default_factory=list)  # what is late, in Dutch
    links: list = field(default_factory=list)  # stagegids.sections.Link to open from the row


def annotate(stages, user):
    for column in columns():
        if column.annotate is not None:
            stages = column.annotate(stages, user)
    return stages


def rows(stages, user):
    """The rows of the page's `stages` (a list, already annotated): one query per batched column."""
    ids = [stage.pk for stage in stages]
    values = {}
    for column in columns():
        if column.batch is not None:
            batch = column.batch(ids, user) if ids else {}
            values[column.name] = {stage.pk: batch.get(stage.pk) for stage in stages}
        else:
            values[column.name] = {stage.pk: column.read(stage) for stage in stages}
    result = []
    for stage in stages:
        row = Row(stage)
        for column in columns():
            value = values[column.name][stage.pk]
            if column.template:
                row.cells.append((column, value))
            message = column.late(value) if column.late and value is not None else None
            if message:
                row.late.append(message)
        result.append(row)
    return result
