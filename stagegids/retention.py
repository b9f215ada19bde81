"""Retention (issue 17): what the portal keeps, how long, and the daily run that removes what has expired.

The core knows no app, so it keeps a registry: each app registers the rules for its own data from its
`AppConfig.ready()` with `register(Rule(code, label, apply, order=...))`. `code` names the period in
`settings.RETENTION_DAYS` (a rule without one is refused at start-up, so every period is a setting with a documented
default); `apply(run)` anonymises or deletes what has expired and returns how many rows it changed.

`run()` (the beat task `stagegids.tasks.run_retention`, daily) applies every rule in one transaction and records
a `RetentionRun` with the count per category, shown in /beheer/ and written to the log. Files go with their rows:
`purge()` collects every file of the rows it deletes and of all that cascades from them, and they leave storage
only after commit, so a run that rolls back leaves every file in place.

Two runs at once: each inserts its RetentionRun with running=True under a partial unique constraint, so the second
waits for the first to commit and then finds nothing left to do. Every rule is a conditional statement besides
(delete what is expired, anonymise what is not yet anonymised), so running it twice changes nothing the second time.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone

logger = logging.getLogger("stagegids.retention")


@dataclass
class Run:
    """What a rule gets: the moment of the run, its period and the files to remove after commit."""

    now: datetime
    files: list = field(default_factory=list)

    def cutoff(self, code: str) -> datetime:
        """The moment before which the data of category `code` has expired."""
        return self.now - timedelta(days=settings.RETENTION_DAYS[code])

    def cutoff_date(self, code: str):
        return timezone.localdate(self.now) - timedelta(days=settings.RETENTION_DAYS[code])

    def purge(self, objects, *, within: Callable[[models.Model], bool] | None = None) -> int:
        return purge(objects, files=self.files, within=within)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    apply: Callable[[Run], int]
    order: int = 100


_rules: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code not in settings.RETENTION_DAYS:
        raise ImproperlyConfigured(f"Retention rule {rule.code!r} has no period in settings.RETENTION_DAYS")
    if rule.code in _rules and _rules[rule.code] != rule:
        raise ImproperlyConfigured(f"Retention rule {rule.code!r} is registered twice")
    _rules[rule.code] = rule
    return rule


def registered() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: (rule.order, rule.code))


def ordered(codes) -> list[str]:
    """`codes` in the order of the registry; codes of rules no longer registered at the end."""
    known = [rule.code for rule in registered() if rule.code in codes]
    return known + sorted(set(codes) - set(known))


def label_of(code: str) -> str:
    rule = _rules.get(code)
    return str(rule.label) if rule else code


def _file_names(model, instances=None, queryset=None):
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not fields:
        return []
    if queryset is not None:
        rows = queryset.values_list(*[f.attname for f in fields])
    else:
        rows = [[getattr(obj, f.attname) for f in fields] for obj in instances]
    return [(f.storage, str(name)) for row in rows for f, name in zip(fields, row, strict=True) if name]


def purge(objects, *, files: list, within: Callable[[models.Model], bool] | None = None) -> int:
    """Delete `objects` (a queryset or a list of one model) with everything that cascades from them, and add the
    files of all those rows to `files`. A row that protects one of them (a corrected beoordeling protects the one
    before it) is deleted first when `within(row)` says it belongs to what is being removed; otherwise the
    ProtectedError stands."""
    objects = list(objects)
    if not objects:
        return 0
    using = router.db_for_write(type(objects[0]))
    count = 0
    while True:
        collector = Collector(using=using, origin=objects)
        try:
            collector.collect(objects)
            break
        except ProtectedError as error:
            blockers = list(error.protected_objects)
            if within is None or not all(within(row) for row in blockers):
                raise
            by_model = {}
            for row in blockers:
                by_model.setdefault(type(row), []).append(row)
            for rows in by_model.values():
                count += purge(rows, files=files, within=within)
    for model, instances in collector.data.items():
        files += _file_names(model, instances=instances)
    for queryset in collector.fast_deletes:
        files += _file_names(queryset.model, queryset=queryset)
    deleted, _per_model = collector.delete()
    return count + deleted


def _delete_files(files):
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            # A disk or object store (issue 18) that refused: the row is gone and nothing links to the file any more;
            # the log names it, so it can be removed by hand. The other files still go.
            logger.warning("retention: could not delete %s", name, exc_info=True)


def run(*, now: datetime | None = None):
    """Apply every rule once; returns the RetentionRun with the counts per category."""
    from .models import RetentionRun

    now = now or timezone.now()
    work = Run(now=now)
    with transaction.atomic():
        record = RetentionRun.objects.create(started_at=now, running=True)
        counts = {rule.code: rule.apply(work) for rule in registered()}
        record.counts = counts
        record.files = len({name for _storage, name in work.files})
        record.finished_at = timezone.now()
        record.running = False
        record.save(update_fields=["counts", "files", "finished_at", "running"])
        transaction.on_commit(partial(_delete_files, list(work.files)))
    logger.info(
        "retention run %s: %s; %d files",
        record.pk,
        ", ".join(f"{code}={n}" for code, n in counts.items()),
        record.files,
    )
    return record
