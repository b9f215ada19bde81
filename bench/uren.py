"""The hours at scale (issue 14): a company of 200 stagiairs with about two years of weeks each (some 20,000 week
rows, 140,000 days), and one of 20 to compare with; its hours overview and a stage's Uren page, timed, and the
number of queries at both sizes, which must be the same.

    createdb -h 127.0.0.1 -U postgres stagegids_bench_uren
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench_uren DJANGO_SETTINGS_MODULE=bench.settings
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.uren --runs 20

It makes its own data (bulk_create, as bench/generate.py) in a migrated database without weeks of hours, then
measures; run again on the same database, it measures what it made before.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

BATCH = 5000
COMPANIES = {"Uren klein (bench)": 20, "Uren groot (bench)": 200}
WEEKS = 104


def generate(*, companies=None, weeks=WEEKS, seed=1, out=sys.stdout):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from leerbedrijf.models import Kwalificatie, Leerbedrijf, Membership, Onderwijsinstelling, Stage, Stagiair
    from stagegids.roles import Role
    from uren.models import Afwezigheid, Begeleidingsuren, Soort, Urendag, Urenweek, WeekStatus, monday_of

    companies = companies or COMPANIES
    User = get_user_model()
    rng = random.Random(seed)
    now = timezone.now()
    this_monday = monday_of(date.today())
    password = make_password("bench-wachtwoord")
    kwalificatie = Kwalificatie.objects.first()
    started = time.perf_counter()

    def log(message):
        out.write(f"{time.perf_counter() - started:7.1f}s  {message}\n")

    made = {}
    with transaction.atomic():
        school = Onderwijsinstelling.objects.create(name="ROC Uren (bench)", plaats="Utrecht")
        for n, (name, size) in enumerate(companies.items()):
            company = Leerbedrijf.objects.create(name=name, kvk_nummer=f"{60000000 + n}", plaats="Utrecht")
            opleider = User.objects.create(
                email=f"opleider@uren{n}.bench", name=f"Opleider uren {n}", password=password
            )
            wpb = User.objects.create(email=f"wpb@uren{n}.bench", name=f"Begeleider uren {n}", password=password)
            Membership.objects.create(user=opleider, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=company)
            Membership.objects.create(user=wpb, role=Role.WERKPLEKBEGELEIDER, leerbedrijf=company)
            stagiairs = Stagiair.objects.bulk_create(
                Stagiair(leerbedrijf=company, name=f"Stagiair {i:03} uren {n}", email=f"s{i}@uren{n}.bench")
                for i in range(size)
            )
            start = this_monday - timedelta(weeks=weeks)
            stages = Stage.objects.bulk_create(
                Stage(
                    leerbedrijf=company,
                    stagiair=stagiair,
                    kwalificatie=kwalificatie,
                    leerweg="bbl",
                    start_date=start + timedelta(days=2),  # a Wednesday: the first week is partial
                    end_date=this_monday + timedelta(weeks=20),
                    onderwijsinstelling=school,
                    werkplekbegeleider=wpb,
                    days_per_week=Decimal(4),
                    hours_per_week=Decimal(32),
                )
                for stagiair in stagiairs
            )
            week_rows = []
            for stage in stages:
                for w in range(weeks):
                    # The last two weeks wait for akkoord; the rest are approved.
                    approved = w < weeks - 2
                    week_rows.append(
                        Urenweek(
                            stage=stage,
                            week_start=start + timedelta(weeks=w),
                            status=WeekStatus.AKKOORD if approved else WeekStatus.INGEDIEND,
                            filled_by=wpb,
                            filled_at=now,
                            submitted_by=wpb,
                            submitted_at=now,
                            approved_by=opleider if approved else None,
                            approved_at=now if approved else None,
                        )
                    )
            Urenweek.objects.bulk_create(week_rows, batch_size=BATCH)
            days, given = [], []
            for week in week_rows:
                for offset in range(7):
                    day = week.week_start + timedelta(days=offset)
                    if day < week.stage.start_date:
                        continue
                    if offset == 4:
                        days.append(Urendag(week=week, day=day, soort=Soort.SCHOOL, hours=Decimal(7)))
                    elif offset > 4:
                        days.append(Urendag(week=week, day=day, soort=Soort.VRIJ, hours=Decimal(0)))
                    elif rng.random() < 0.03:
                        kind = rng.choice(Afwezigheid.values)
                        days.append(
                            Urendag(week=week, day=day, soort=Soort.AFWEZIG, hours=Decimal(8), afwezigheid=kind)
                        )
                    else:
                        days.append(Urendag(week=week, day=day, soort=Soort.WERK, hours=Decimal(8)))
                if rng.random() < 0.8:
                    given.append(Begeleidingsuren(week=week, begeleider=wpb, hours=Decimal("1.5")))
                if len(days) >= BATCH:
                    Urendag.objects.bulk_create(days)
                    days = []
            Urendag.objects.bulk_create(days, batch_size=BATCH)
            Begeleidingsuren.objects.bulk_create(given, batch_size=BATCH)
            made[name] = {
                "company": company.pk,
                "opleider": opleider.pk,
                "stage": stages[0].pk,
                "weeks": len(week_rows),
            }
            log(f"{name}: {size} stages, {len(week_rows)} weken")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log("ANALYZE")
    return made


def existing():
    """What an earlier run made, to measure again without generating."""
    from leerbedrijf.models import Leerbedrijf
    from stagegids.roles import Role

    made = {}
    for name in COMPANIES:
        company = Leerbedrijf.objects.filter(name=name).first()
        if company is None:
            raise SystemExit("The database has weeks of hours from elsewhere: run into an empty, migrated database.")
        opleider = company.memberships.get(role=Role.PRAKTIJKOPLEIDER).user_id
        made[name] = {"company": company.pk, "opleider": opleider, "stage": company.stages.order_by("pk")[0].pk}
    return made


def pages(made):
    from django.urls import reverse

    from uren.models import studiejaar_of

    this_year = studiejaar_of(date.today())
    for name, row in made.items():
        overview = reverse("uren:company", args=[row["company"]])
        yield f"{name}: overzicht, dit studiejaar", row["opleider"], overview
        yield f"{name}: overzicht, vorig studiejaar", row["opleider"], f"{overview}?studiejaar={this_year - 1}"
        yield f"{name}: overzicht, pagina 8", row["opleider"], f"{overview}?pagina=8"
        yield f"{name}: uren van een stage", row["opleider"], reverse("uren:stage", args=[row["stage"]])


def measure(made, *, runs=20, warmup=3):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from .measure import QueryCounter

    rows = []
    for name, user_id, url in pages(made):
        client = Client()
        client.force_login(get_user_model().objects.get(pk=user_id))
        for _ in range(warmup):
            assert client.get(url).status_code == 200, (name, url)
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


def same_queries(rows):
    """The pages of the small and the big company ask the same number of queries."""
    by_page = {}
    for row in rows:
        _company, page = row["page"].split(": ", 1)
        by_page.setdefault(page, set()).add(row["queries"])
    return all(len(counts) == 1 for counts in by_page.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=WEEKS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    from uren.models import Urenweek

    made = existing() if Urenweek.objects.exists() else generate(weeks=args.weeks)
    rows = measure(made, runs=args.runs)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {args.runs} runs per page")
    print(f"{'page':52} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for row in rows:
        print(f"{row['page']:52} {row['median_ms']:10.1f} {row['p95_ms']:10.1f} {row['queries']:8d}")
    print("queries the same at both sizes:", "ja" if same_queries(rows) else "NEE")
    if not same_queries(rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
