"""The sections of a stage (overzicht, stageplan, gesprekken, ...), which each app contributes.

The links between a stage's pages live in `stagegids` (templates/stage_nav.html), which imports no higher app
(DESIGN.md); so each app registers its sections here from its AppConfig.ready(), like the start-page panels in
stagegids/dashboard.py. A section is shown to whoever holds its permission on the stage. The permissions are the
same rules the section's own view requires, and they decide from the roles already loaded for the request, so a
list of twenty stages asks them without a query per stage.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

_sections = {}


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    url: str | Callable  # the name of a URL that takes the stage's pk, or a function of the stage
    permission: str | None = None  # None: everyone who sees the stage
    order: int = 50
    # A permission whose holder has no use for this section (the shared stageplan, for whoever reads the whole plan).
    unless: str | None = None
    # False: left out of the line of links under a stage in a list, which shows the section its own way.
    in_lists: bool = True

    def url_for(self, stage):
        return self.url(stage) if callable(self.url) else reverse(self.url, args=[stage.pk])


@dataclass(frozen=True)
class Link:
    name: str
    label: str
    url: str


def register(section):
    _sections[section.name] = section
    return section


def sections_for(user, stage, *, compact=False):
    """The links to the sections of `stage` that `user` may open, in their order; `compact` for a list of stages."""
    asked = {}

    def holds(permission):
        if permission not in asked:
            asked[permission] = user.has_perm(permission, stage)
        return asked[permission]

    return [
        Link(section.name, section.label, section.url_for(stage))
        for section in sorted(_sections.values(), key=lambda section: section.order)
        if (section.in_lists or not compact)
        and (section.permission is None or holds(section.permission))
        and not (section.unless and holds(section.unless))
    ]


def link_for(user, stage, name):
    """The Link to the section `name` of `stage` when `user` may open it (for a list of stages), else None."""
    section = _sections.get(name)
    if section is None or (section.permission and not user.has_perm(section.permission, stage)):
        return None
    return Link(section.name, section.label, section.url_for(stage))
