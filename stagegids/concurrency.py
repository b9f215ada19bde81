"""Optimistic locking, the one way the portal keeps two people from overwriting each other.

A form carries the version of the row it was opened at. Saving compares and bumps that version in one UPDATE, so
of two saves based on the same version exactly one succeeds; the other gets StaleEdit, nothing of it is written,
and its page shows the text again so nothing typed is lost.
"""

from django.db.models import F


class StaleEdit(Exception):
    """Someone else saved since the form was opened; nothing was saved."""


def save_if_current(queryset, *, field, seen, **values):
    """Write `values` to the row of `queryset` whose `field` still is `seen`, and bump `field`; else StaleEdit.

    `queryset` may narrow the row further (a state, "not closed yet"): a row that no longer matches is refused
    the same way."""
    if not queryset.filter(**{field: seen}).update(**{field: F(field) + 1}, **values):
        raise StaleEdit


def rebase(form, *, field, version):
    """After StaleEdit: keep what the user typed in the bound `form`, now based on the stored `version`, so that
    saving it again, after reading what the other person saved, is a deliberate choice."""
    form.data = form.data.copy()
    form.data[field] = version
