"""The query plans of the search page at scale: EXPLAIN ANALYZE of each kind's query, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench .venv/bin/python -m bench.zoeken_plan

Shows whether the trigram indexes (stagegids/search.py) are read: look for `Bitmap Index Scan on ..._trgm`.
"""

import argparse
import os

# (persona, query): what the praktijkopleider of the big company and an mbo-begeleider typically look for.
QUERIES = [
    ("praktijkopleider", "1-42"),
    ("praktijkopleider", "monteur"),
    ("praktijkopleider", "Begeleider 1a"),
    ("mbo_begeleider", "Installatiebedrijf 12"),
    ("mbo_begeleider", "ROC 0"),
]


def plans(persona, query, *, only=None):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count, Window

    from leerbedrijf.zoeken.search import KINDS
    from leerbedrijf.zoeken.views import PER_KIND

    from .generate import PERSONAS

    user = get_user_model().objects.get(email=PERSONAS[persona])
    for kind in KINDS:
        if only and kind.code != only:
            continue
        # The page's query: the first rows with the count of all (leerbedrijf/zoeken/views.py, first_rows).
        queryset = kind.find(user, query).annotate(found_count=Window(Count("pk")))[:PER_KIND]
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql, params)
            yield kind.code, [row[0] for row in cursor.fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", help="only this kind (stagiairs, stages, collegas, scholen)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    for persona, query in QUERIES:
        for code, lines in plans(persona, query, only=args.kind):
            print(f"=== {persona} {query!r}: {code}")
            print("\n".join(lines))


if __name__ == "__main__":
    main()
