"""The tegemoetkomingen at scale (issue 14): on the hours of bench/uren.py (a company of 200 stagiairs with two
years of weeks, some 20,000 week rows, and one of 20), each company erkend for its crebo; the company's overview
per studiejaar timed, and its dossier of the studiejaar made as the worker makes it, timed, with the number of
queries of both, which must be the same at both sizes.

    createdb -h 127.0.0.1 -U postgres stagegids_bench_regelingen
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench_regelingen
    export DJANGO_SETTINGS_MODULE=bench.settings
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.tegemoetkoming --runs 10
"""

import argparse
import os
import statistics
import tempfile
import time
from datetime import date


def erkend(made):
    """Each company erkend for the crebo of its stages since long before them (through Erkenning.save, so with its
    history)."""
    from leerbedrijf.models import Erkenning, Stage

    for row in made.values():
        stage = Stage.objects.get(pk=row["stage"])
        Erkenning.objects.create(
            leerbedrijf_id=row["company"], kwalificatie_id=stage.kwalificatie_id, status="erkend",
            granted_on=date(2015, 3, 2),
        )  # fmt: skip


def overview(made, *, runs, warmup=3):
    """The company's overview of the last whole studiejaar, through the test client as bench/uren.py measures."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from uren.models import studiejaar_of

    from .measure import QueryCounter

    year = studiejaar_of(date.today()) - 1
    rows = []
    for name, row in made.items():
        url = reverse("tegemoetkoming:overzicht", args=[row["company"]]) + f"?studiejaar={year}"
        client = Client()
        client.force_login(get_user_model().objects.get(pk=row["opleider"]))
        for _ in range(warmup):
            assert client.get(url).status_code == 200, url
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        rows.append(
            {
                "page": f"{name}: tegemoetkomingen {year}",
                "median_ms": statistics.median(times),
                "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
                "queries": len(queries),
            }
        )
    return rows


def dossier(made):
    """The company's dossier of the last whole studiejaar, made by the worker's function; time and queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from tegemoetkoming.dossier import build_dossier
    from tegemoetkoming.models import Dossier, DossierStatus
    from uren.models import studiejaar_of

    from .measure import QueryCounter

    rows = []
    year = studiejaar_of(date.today()) - 1
    for name, row in made.items():
        user = get_user_model().objects.get(pk=row["opleider"])
        made_dossier = Dossier.objects.create(
            leerbedrijf_id=row["company"], studiejaar=year, requested_by=user, status=DossierStatus.RUNNING
        )
        made_dossier = Dossier.objects.select_related("leerbedrijf", "requested_by").get(pk=made_dossier.pk)
        queries = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            build_dossier(made_dossier)
        seconds = time.perf_counter() - started
        from pypdf import PdfReader

        pages = len(PdfReader(made_dossier.file.path).pages)
        rows.append({"page": f"{name}: dossier {year}", "seconds": seconds, "pages": pages, "queries": len(queries)})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from uren.models import Urenweek

    from .uren import generate, same_queries

    if Urenweek.objects.exists():
        raise SystemExit("The database already has weeks of hours: run into an empty, migrated database.")
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-dossier-")
    made = generate()
    erkend(made)
    pages = overview(made, runs=args.runs)
    dossiers = dossier(made)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {args.runs} runs per page")
    print(f"{'page':56} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for row in pages:
        print(f"{row['page']:56} {row['median_ms']:10.1f} {row['p95_ms']:10.1f} {row['queries']:8d}")
    print(f"{'dossier':56} {'seconds':>10} {'pages':>10} {'queries':>8}")
    for row in dossiers:
        print(f"{row['page']:56} {row['seconds']:10.1f} {row['pages']:10d} {row['queries']:8d}")
    same = same_queries(pages) and same_queries(dossiers)
    print("queries the same at both sizes:", "ja" if same else "NEE")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
