"""The start page is built from panels that each app contributes.

The start page lives in `stagegids`, which imports no higher app (DESIGN.md); so each app registers its panels
here from its AppConfig.ready(). A panel is a function of the request that returns a Panel, or None when it has
nothing for this person: the page shows only what the person has to do or may see.
"""

from dataclasses import dataclass, field

_panels = []


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def register(func):
    _panels.append(func)
    return func


def panels_for(request):
    panels = [panel for panel in (func(request) for func in _panels) if panel is not None]
    return sorted(panels, key=lambda panel: panel.order)
