# The search box (issue 16): pg_trgm and unaccent, the IMMUTABLE wrapper of unaccent that an index may use, and the
# trigram index on a person's name. On SQLite every operation here does nothing (see stagegids/search.py).

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from stagegids.search import RunSQLOnPostgres, trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("stagegids", "0008_dutch_field_labels"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        RunSQLOnPostgres(
            # The dictionary named with its schema, so that the function does not depend on the search_path.
            "CREATE FUNCTION stagegids_unaccent(text) RETURNS text"
            " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
            " AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
            "DROP FUNCTION stagegids_unaccent(text)",
        ),
        trigram_index("stagegids_user_name_trgm", "stagegids_user", "name"),
    ]
