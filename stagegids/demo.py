"""Demo data for `manage.py demo` (debug only): each app registers the loader of its own chapter.

Like the start-page panels (dashboard.py), the core knows no app: an app calls `register(load, order=...)` from its
AppConfig.ready(). Loaders run in one transaction, lowest order first, so each builds on what the apps below it made;
each leaves existing rows alone, so a second run changes nothing. By convention: 10 leerbedrijf, 20 stageplan,
30 beoordeling, 90 for what is derived from everything else (verslagen).
"""

PASSWORD = "stagegids-demo"  # noqa: S105  shown on the login page, and only with debug on

_loaders = []


def register(load, *, order):
    _loaders.append((order, load))
    return load


def load_all():
    for _order, load in sorted(_loaders, key=lambda entry: entry[0]):
        load()
