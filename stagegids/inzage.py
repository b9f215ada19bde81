"""What the portal holds about a person (AVG art. 15 and 20): a registry each app adds to, and the export it makes.

The core knows no app's models, so every app registers, from its AppConfig.ready(), a `Holding` per model that holds
something about a person: where the rows of a person's stages are found (`stage`, a lookup to a Stage) and where
the person himself is named (`person`, lookups to the user). The export walks the registry; tests/stagegids/
test_inzage_registry.py walks every model with a link to a person and fails when one is neither registered nor in
its commented exclusion list, so a new model cannot be forgotten.

Two scopes: asked by the person himself, the export holds every row of his stages and every row that names him;
asked by a praktijkopleider for his stagiair, only the rows of the stages of that leerbedrijf (`whole=False`): he
never receives what another company or a school holds.
"""

import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.apps import apps
from django.db.models import FileField, Q
from django.utils.formats import date_format
from django.utils.timezone import localtime

_holdings = {}

# A queued row's bookkeeping (stagegids.queued): how a worker handled it, nothing about the person.
QUEUED_FIELDS = ("enqueued_at", "claim", "claimed_at", "attempts", "last_error")


@dataclass(frozen=True)
class Holding:
    model: str  # "app_label.ModelName"
    title: str  # the section's heading in the pdf, in Dutch
    verwerking: str  # the code of its purpose in stagegids.verwerkingen.VERWERKINGEN
    stage: str | None = None  # lookup from the model to the Stage its rows belong to
    person: tuple[str, ...] = ()  # lookups from the model to the user it names
    exclude: tuple[str, ...] = ()  # fields that are secrets or internal bookkeeping, not data about the person
    order: int = 100
    files: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self):
        # The file fields are read from the model, so a file added later is exported without a change here.
        model = apps.get_model(self.model)
        names = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, FileField))
        object.__setattr__(self, "files", tuple(name for name in names if name not in self.exclude))

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def fields(self):
        return [f for f in self.model_class._meta.concrete_fields if f.name not in self.exclude]

    def rows(self, *, person, stages, whole):
        """This model's rows about `person`: those of `stages`, and (asked by the person himself) those naming him."""
        condition = Q(pk__in=[])
        if self.stage:
            condition |= Q(**{f"{self.stage}__in": stages.values("pk")})
        if whole and person is not None:
            for lookup in self.person:
                condition |= Q(**{lookup: person.pk})
        rows = self.model_class.objects.filter(condition).distinct().order_by("pk")
        related = [f.name for f in self.fields() if f.many_to_one or f.one_to_one]
        # A row's relations are shown by name: read with it, one query per model.
        return rows.select_related(*related) if related else rows


def register(holding):
    if holding.model in _holdings:
        raise ValueError(f"{holding.model} is registered twice")
    _holdings[holding.model] = holding
    return holding


def holdings():
    return sorted(_holdings.values(), key=lambda h: (h.order, h.model))


def _value(obj, model_field):
    if model_field.many_to_one or model_field.one_to_one:
        related = getattr(obj, model_field.name)
        return None if related is None else str(related)
    value = model_field.value_from_object(obj)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(model_field, FileField):
        return value.name or None
    return value


def _readable(obj, model_field, value):
    raw = getattr(obj, model_field.attname)
    if model_field.choices and raw not in (None, ""):
        return getattr(obj, f"get_{model_field.name}_display")()
    if isinstance(raw, datetime):
        return date_format(localtime(raw), "j F Y H:i")
    if isinstance(raw, date):
        return date_format(raw, "j F Y")
    return value


def file_path(holding, obj, field_name):
    """Where a row's file goes in the zip: by model, row and field, with its own name."""
    name = PurePosixPath(getattr(obj, field_name).name).name
    return f"bestanden/{holding.model.replace('.', '-')}/{obj.pk}-{field_name}-{name}"


@dataclass
class Section:
    holding: Holding
    labels: list  # (field name, Dutch verbose name)
    rows: list  # dicts field name -> value
    files: list  # (path in the zip, FieldFile)
    readable: list  # per row, the values as a person reads them: dates in Dutch, a choice by its label

    def labelled_rows(self):
        """Each row as (Dutch label, value) pairs, for the readable pdf."""
        return [[(label, row.get(name)) for name, label in self.labels] for row in self.readable]


def collect(*, person, stages, whole, progress=None):
    """Every registered holding's rows about `person`, as sections; `progress(fraction)` after each one."""
    sections, all_holdings = [], holdings()
    for number, holding in enumerate(all_holdings, start=1):
        model_fields = holding.fields()
        rows, files, readable = [], [], []
        for obj in holding.rows(person=person, stages=stages, whole=whole):
            row = {f.name: _value(obj, f) for f in model_fields}
            for name in holding.files:
                if getattr(obj, name):
                    row[name] = file_path(holding, obj, name)
                    files.append((row[name], getattr(obj, name)))
            rows.append(row)
            readable.append({f.name: _readable(obj, f, row[f.name]) for f in model_fields})
        if rows:
            labels = [(f.name, str(f.verbose_name)) for f in model_fields]
            sections.append(Section(holding=holding, labels=labels, rows=rows, files=files, readable=readable))
        if progress:
            progress(number / len(all_holdings))
    return sections


def as_json(sections, *, about):
    """The machine-readable part (art. 20): each model by its name, its rows by field name."""
    return json.dumps(
        {
            **about,
            "onderdelen": [
                {"model": s.holding.model, "titel": str(s.holding.title), "rijen": s.rows} for s in sections
            ],
        },
        ensure_ascii=False,
        indent=2,
        default=str,
    )


def write_zip(target, sections, *, about, pdf):
    """export.json, the readable pdf and every file the rows name, in one zip written to the open `target`."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", as_json(sections, about=about))
        archive.writestr("inzage.pdf", pdf)
        for section in sections:
            for path, file in section.files:
                try:
                    with file.open("rb") as handle:
                        archive.writestr(path, handle.read())
                except FileNotFoundError:
                    # A row naming a file that storage lost: the json still names it; the zip says it is missing.
                    archive.writestr(path + ".ontbreekt.txt", "Dit bestand is niet meer aanwezig.")
