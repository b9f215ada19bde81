"""Server time and queries of the start page of each role, of the big company's stagiair list, of the voortgang
overview and of the search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench .venv/bin/python -m bench.measure

Measured in-process through Django's test client with the full middleware stack and debug off, so the time is the
server's: URL routing, middleware, session and user, the view, the queries and the template. Each page is requested
a few times first (warm caches and connection), then --runs times. The number of queries is counted in a separate
request, through an execute wrapper.
"""

import argparse
import os
import statistics
import time


def pages():
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.http import urlencode

    from leerbedrijf.models import Leerbedrijf

    from .generate import PERSONAS

    User = get_user_model()
    users = {role: User.objects.get(email=email) for role, email in PERSONAS.items()}
    big = Leerbedrijf.objects.get(name="Groot Installatiebedrijf (bench)")
    opleider = users["praktijkopleider"]
    voortgang = reverse("leerbedrijf:voortgang")
    return [
        ("kale view (geen sessie)", None, reverse("bench_bare")),
        ("kale view, ingelogd", opleider, reverse("bench_bare_logged_in")),
        *[(f"start: {role}", user, reverse("start")) for role, user in users.items()],
        ("stagiairlijst groot bedrijf", opleider, reverse("leerbedrijf:stagiairs", args=[big.pk])),
        (
            "stagiairlijst, gefilterd lopend",
            opleider,
            reverse("leerbedrijf:stagiairs", args=[big.pk]) + "?status=lopend",
        ),
        ("stagiairlijst, pagina 8", opleider, reverse("leerbedrijf:stagiairs", args=[big.pk]) + "?pagina=8"),
        ("overzicht groot bedrijf", opleider, reverse("leerbedrijf:detail", args=[big.pk])),
        # The voortgang overview (issue 16): its columns need bench.voortgang's rows to read something.
        *[
            (f"voortgang: {role}", users[role], voortgang)
            for role in ("praktijkopleider", "werkplekbegeleider", "mbo_begeleider")
        ],
        ("voortgang, op volgend moment", opleider, voortgang + "?sorteer=moment"),
        ("voortgang, lopend, op zorgen", opleider, voortgang + "?status=lopend&sorteer=-zorgen"),
        ("voortgang, zoeken", opleider, voortgang + "?q=Stagiair+1"),
        # The same page for a company of about 100 stages: its queries must be the same as for 200.
        ("voortgang: opleider gewoon bedrijf", User.objects.get(email="opleider@bedrijf1.bench"), voortgang),
        *[
            (name, users[role], reverse("leerbedrijf:zoeken") + "?" + urlencode(params))
            for name, role, params in searches(big)
        ],
    ]


def searches(big):
    """Typical searches: a stagiair by (part of) their name, a kwalificatie, a colleague, a leerbedrijf, a school; the
    first rows of every kind with their counts, and one kind page by page."""
    stagiair = f"{big.pk}-42"  # the generator names stagiairs "Stagiair <leerbedrijf id>-<n>"
    return [
        ("zoeken: praktijkopleider, stagiair", "praktijkopleider", {"q": stagiair}),
        ("zoeken: praktijkopleider, kwalificatie", "praktijkopleider", {"q": "monteur"}),
        ("zoeken: praktijkopleider, collega", "praktijkopleider", {"q": "Begeleider 0"}),
        (
            "zoeken: praktijkopleider, alle stages p.2",
            "praktijkopleider",
            {"q": "monteur", "soort": "stages", "pagina": 2},
        ),
        ("zoeken: mbo-begeleider, leerbedrijf", "mbo_begeleider", {"q": "Installatiebedrijf 12"}),
        ("zoeken: mbo-begeleider, school", "mbo_begeleider", {"q": "ROC 0"}),
        ("zoeken: mbo-begeleider, stagiair", "mbo_begeleider", {"q": "Stagiair 3"}),
    ]


class QueryCounter(list):
    def __call__(self, execute, sql, *args):
        self.append(sql)
        return execute(sql, *args)


def measure(*, runs=50, warmup=5):
    from django.db import connection
    from django.test import Client

    rows = []
    for name, user, url in pages():
        client = Client()
        if user is not None:
            client.force_login(user)
        for _ in range(warmup):
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
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
                "page": name,
                "median_ms": statistics.median(times),
                "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
                "queries": len(queries),
            }
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    rows = measure(runs=args.runs)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {args.runs} runs per page")
    print(f"{'page':36} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for row in rows:
        print(f"{row['page']:36} {row['median_ms']:10.1f} {row['p95_ms']:10.1f} {row['queries']:8d}")


if __name__ == "__main__":
    main()
