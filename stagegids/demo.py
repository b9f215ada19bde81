"""Demo data for `manage.py demo` (debug only): each app registers the loader of its own chapter.

Like the start-page panels (dashboard.py), the core knows no app: an app calls `register(load, order=...)` from its
AppConfig.ready(). Loaders run in one transaction, lowest order first, so each builds on what the apps below it made;
each leaves existing rows alone, so a second run changes nothing. By convention: 10 leerbedrijf, 20 stageplan,
30 beoordeling, 90 for what is derived from everything else (verslagen).
"""

PASSWORD = "stagegids-demo"  # noqa: S105  shown on the login page, and only with debug on
# The demo beheerder's app (staff log in with a second step, stagegids/twofactor.py): a known secret, like the
# password; with debug on the code page shows its current code, and `make run` prints it for an app of one's own.
TOTP_KEY = "7374616765676964732d64656d6f2d3266612121"  # base32 ON2G CZ3F M5UW I4ZN MRSW 23ZN GJTG CIJB

_loaders = []


def register(load, *, order):
    _loaders.append((order, load))
    return load


def load_all():
    for _order, load in sorted(_loaders, key=lambda entry: entry[0]):
        load()
