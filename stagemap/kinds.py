"""The kinds of verslag in the stagemap, each registered by the app that owns its source document.

The stagemap sits below the chapters whose documents it holds (stagegids <- leerbedrijf <- stagemap <- stageplan <-
beoordeling), so it cannot name them: each app registers its kinds from its AppConfig.ready(), as it registers its
start-page panels. A kind answers four questions: which documents of a stage are finished, what a verslag of one is
of (source and version), what the verslag shows, and which roles on a stage may see such documents. The stagemap
does the rest: it makes the verslagen that are missing (stagemap.verslagen) and shows each to exactly the people who
may see its source, plus the stage's mbo-begeleider once it is shared (Verslag.objects.visible_to).

    class EvaluatieVerslag(kinds.VerslagKind):
        code, label = "evaluatie", gettext_lazy("evaluatie")
        source_roles = EVALUATIE_READERS
        def finished(self, stage): return Evaluatie.objects.filter(stage=stage, recorded_at__isnull=False)
        def source(self, evaluatie): return evaluatie, evaluatie.afronding_version
        def build(self, evaluatie): return kinds.Draft(stage=..., title=..., template=..., context=..., signatures=...)

    kinds.register(EvaluatieVerslag())
"""

import abc
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ImproperlyConfigured

_kinds = {}


@dataclass
class Draft:
    """What a verslag shows, before it is rendered once and stored (stagemap.verslagen.make_verslag)."""

    stage: object
    title: str
    template: str
    context: dict = field(default_factory=dict)
    # [{"role", "name", "at"}]: who answers for the document, stored with the verslag as it was at that moment.
    signatures: list = field(default_factory=list)


class VerslagKind(abc.ABC):
    code: str
    label: str
    # The stage roles that see the source documents of this kind: the scope their own pages use. Roles, not a query
    # of the kind's own, so that Verslag.objects.visible_to asks one condition per role for all kinds together.
    source_roles: tuple

    @abc.abstractmethod
    def finished(self, stage):
        """The documents of `stage` in their final state (agreed, afgerond, signed, recorded), oldest first."""

    @abc.abstractmethod
    def source(self, document):
        """(source, version): the row a verslag of `document` is of, and the version of its data. A verslag of a
        newer version of the same source replaces the earlier one; the same version is never made twice."""

    @abc.abstractmethod
    def build(self, document):
        """The Draft of the verslag of `document`, from its own data."""


def register(kind):
    if not kind.code or kind.code in _kinds:
        raise ImproperlyConfigured(f"Verslag kind {kind.code!r} is registered twice or has no code.")
    if not getattr(kind, "source_roles", ()):
        raise ImproperlyConfigured(f"Verslag kind {kind.code!r} names no roles that see its source documents.")
    _kinds[kind.code] = kind
    return kind


def registered():
    """Every kind, in the order the apps registered them (INSTALLED_APPS order: lower chapters first)."""
    return list(_kinds.values())


def get(code):
    return _kinds[code]


def choices():
    """The choices of Verslag.kind; a callable, so the model takes the kinds that apps register after it loads."""
    return [(kind.code, kind.label) for kind in _kinds.values()]


def signature(role, user, at):
    """One entry of Draft.signatures: stored as plain data, so the verslag keeps the name as it was; with the
    account's id, so an erased account's name can be taken out again (stagemap/retention.py)."""
    return {
        "role": role,
        "name": user.name if user else "",
        "user": user.pk if user else None,
        "at": at.isoformat() if at else None,
    }


def parse_date(value):
    """Snapshot dates are ISO strings: turn them back into dates for the |date filter."""
    if not value:
        return None
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
