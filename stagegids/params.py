"""Ids from a query string or a form field, parsed in one place.

`str.isdigit()` is no test for an id: it passes '²', which int() refuses, and '١٢', which int() reads; and 30 nines
pass int() but fit no database key (SQLite raises, a foreign-key lookup is not range-checked). A link whose id is
malformed leads nowhere (404); a form field whose id is malformed is a message on the form.
"""

import re

from django.http import Http404

# A BigAutoField's range, which holds every integer key and version number of the portal.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id in `value` (a posted or queried string, or an int from a form's initial data), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not _ASCII_DIGITS.fullmatch(value):
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if 0 < value <= MAX_ID else None


def id_param(params, name) -> int | None:
    """The id in `params[name]` (request.GET): None when absent or empty; a malformed one is a 404."""
    value = params.get(name, "")
    if value == "":
        return None
    number = parse_id(value)
    if number is None:
        raise Http404
    return number
