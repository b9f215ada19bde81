"""Matching a name against what someone typed in the search box, the same way on every page that searches.

On PostgreSQL a name matches when it contains the query, both lowercased and without accents ("gul" finds "Gül",
"umit" finds "Ümit"), through `stagegids_unaccent(lower(name))`: the expression the trigram (pg_trgm) GIN indexes
of the searched columns are built on, so a search at 50,000 stages reads the index, not the table. unaccent() itself
cannot be indexed (it is only STABLE: its dictionary could change), so migration 0008 of stagegids wraps it in an
IMMUTABLE function, the usual way. On SQLite (a laptop) the same lookup is lower() and LIKE: case-insensitive for
ASCII letters only, and no index; good enough for a few hundred rows.

The query is a parameter and LIKE's wildcards in it (% and _) are escaped by Django's `contains` lookup, so they
match themselves.
"""

import unicodedata

from django.db import migrations
from django.db.models import CharField, Func, Value
from django.db.models.lookups import Contains
from django.utils.translation import gettext as _

MIN_LENGTH = 2
MAX_LENGTH = 100


def clean_query(raw):
    """(text, message): what was typed, cleaned, and the Dutch message that says why it is not searched for ("" when
    it is, or when nothing was typed).

    Control characters (a NUL byte, which PostgreSQL refuses in text) become spaces and runs of white space one
    space; the length is counted after that.
    """
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in raw or "")
    text = " ".join(text.split())
    if len(text) > MAX_LENGTH:
        return text, _("Zoek met hoogstens %(max)d tekens.") % {"max": MAX_LENGTH}
    if 0 < len(text) < MIN_LENGTH:
        return text, _("Typ minstens %(min)d tekens om te zoeken.") % {"min": MIN_LENGTH}
    return text, ""


class Normalized(Func):
    """A text lowercased and, on PostgreSQL, without accents: what the trigram indexes hold."""

    function = "stagegids_unaccent"
    template = "%(function)s(lower(%(expressions)s))"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="lower(%(expressions)s)", **extra_context)


def name_contains(field, query):
    """The condition that `field` (a column of text, or a path to one) contains `query`, see the module's doc."""
    return Contains(Normalized(field), Normalized(Value(query)))


class RunSQLOnPostgres(migrations.RunSQL):
    """RunSQL that does nothing on another database, like django.contrib.postgres's CreateExtension: the
    functions and indexes of the search exist only on PostgreSQL, and `make run` migrates SQLite.

    The indexes are kept out of the models' Meta on purpose: a GinIndex there would be created again by every
    table that SQLite rebuilds in a later migration, and fail."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(name, table, column):
    """The migration operation that makes (and on reverse drops) the trigram index `name` on `table.column`."""
    return RunSQLOnPostgres(
        f"CREATE INDEX {name} ON {table} USING gin (stagegids_unaccent(lower({column})) gin_trgm_ops)",
        f"DROP INDEX {name}",
    )
