"""The start page is built from panels that each app contributes.

The start page lives in `stagegids`, which imports no higher app (DESIGN.md); so each app registers its panels
here from its AppConfig.ready(). A panel is a function of the request that returns a Panel, or None when it has
nothing for this person: the page shows only what the person has to do or may see.

The page has three parts (issue 16): first what happens today and this week, then one list of what the person has
to do, then the rest, folded. A panel says where it goes: with `todos` (and no template) its lines join the one
to-do list; with `folded` its template is shown under a summary that names it (its `title`), one click away.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

_panels = []
# Functions of the request run once before the panels, to read what many panels share (see prepare()).
_preparations = []
# name: function of the request that returns the Panel a folded panel shows when it is opened (see content()).
_contents = {}

# The to-do list shows this many lines open; the rest are one click away, under a summary that counts them.
TODOS_SHOWN = 8
# Where the to-do list stands among the open panels: after those ordered before it (today and this week, the
# moments not held, a button to record an observation), before the others.
TODOS_ORDER = 10


@dataclass(frozen=True)
class Todo:
    """One thing to do, as a link that says what and for whom: `text` is the what ("Stageplan versie 6
    afstemmen"), `who` the stagiair or company it is about, `due` when it must be done (None: no date)."""

    url: str
    text: str
    who: str = ""
    due: date | None = None
    late: bool = False
    note: str = ""


@dataclass
class Panel:
    template: str = ""
    context: dict = field(default_factory=dict)
    order: int = 50
    todos: list[Todo] = field(default_factory=list)
    # A folded panel is an overview, not something to act on now: its heading is the summary of a <details>.
    folded: bool = False
    title: str = ""
    # Folded, read when opened: the name of its content (content()); the panel itself has no template then.
    load: str = ""


def register(func):
    _panels.append(func)
    return func


def prepare(func):
    """Register a function of the request that runs before the panels: an app that many panels ask the same thing
    of (which stages the person has a role on) reads it once for all of them."""
    _preparations.append(func)
    return func


def content(name):
    """Register the function of the request that fills the folded panel whose `load` is `name`, when it is opened;
    it returns a Panel (template, context, title), or None when the person has nothing there."""

    def decorator(func):
        _contents[name] = func
        return func

    return decorator


def _prepare(request):
    for func in _preparations:
        func(request)


def content_for(request, name):
    """The Panel of the folded panel `name` for this request, or None (unknown, or nothing for this person)."""
    func = _contents.get(name)
    if func is None:
        return None
    _prepare(request)
    return func(request)


def panels_for(request):
    _prepare(request)
    return _built(request)


def _built(request):
    panels = [panel for panel in (func(request) for func in _panels) if panel is not None]
    return sorted(panels, key=lambda panel: panel.order)


def _todo_order(todo):
    # What is late first, then by date; what has no date after what has one.
    return (not todo.late, todo.due is None, todo.due or date.min)


def _todos(panels):
    return sorted((todo for panel in panels for todo in panel.todos), key=_todo_order)


def page_for(request):
    """The start page's parts: the open panels before the to-do list and after it, the to-do list in order (the
    first TODOS_SHOWN, and how many more), and the folded panels."""
    panels = panels_for(request)
    todos = _todos(panels)
    shown = [panel for panel in panels if panel.template and not panel.folded]
    return {
        "before": [panel for panel in shown if panel.order < TODOS_ORDER],
        "after": [panel for panel in shown if panel.order >= TODOS_ORDER],
        "todos": todos[:TODOS_SHOWN],
        # Only counted: rendering them all was most of a busy page's cost; they are read when the summary is opened.
        "more_todos": len(todos[TODOS_SHOWN:]),
        "folded": [panel for panel in panels if (panel.template or panel.load) and panel.folded],
        "any": bool(panels),
    }


@content("todos")
def more_todos(request):
    """The to-do lines past the first TODOS_SHOWN, in the same order: the panels are built again to know them."""
    todos = _todos(_built(request))[TODOS_SHOWN:]
    if not todos:
        return None
    return Panel("stagegids/panels/more_todos.html", {"todos": todos}, title=_("Te doen"))
