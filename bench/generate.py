"""Scale data for the benchmark: many leerbedrijven and stages, and one big company, written with bulk_create.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench .venv/bin/python -m bench.generate

Runs on an empty, migrated database (SQLite or PostgreSQL). The people the benchmark logs in as get fixed e-mail
addresses (see PERSONAS).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

PERSONAS = {
    "praktijkopleider": "opleider@groot.bench",
    "werkplekbegeleider": "wpb1@groot.bench",
    "praktijkbeoordelaar": "beoordelaar@groot.bench",
    "stagiair": "stagiair0@groot.bench",
    "mbo_begeleider": "mbo0-0@school.bench",
}
BATCH = 5000


def generate(*, leerbedrijven=500, stages=50_000, big=200, schools=20, mbo_per_school=25, seed=1, out=sys.stdout):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from leerbedrijf.models import (
        Kwalificatie,
        Leerbedrijf,
        Membership,
        OnboardingItem,
        Onderwijsinstelling,
        Stage,
        Stagiair,
    )
    from leerbedrijf.models.onboarding import build_onboarding_items
    from stagegids.roles import Role

    if Stage.objects.exists():
        raise SystemExit("The database already has stages: generate into an empty, migrated database.")
    User = get_user_model()
    rng = random.Random(seed)
    today = date.today()
    now = timezone.now()
    password = make_password("bench-wachtwoord")
    kwalificaties = list(Kwalificatie.objects.all())
    if not kwalificaties:
        raise SystemExit("No kwalificaties: run migrate first (it loads the reference kwalificaties).")
    started = time.perf_counter()

    def log(message):
        out.write(f"{time.perf_counter() - started:7.1f}s  {message}\n")

    with transaction.atomic():
        schools_rows = Onderwijsinstelling.objects.bulk_create(
            Onderwijsinstelling(name=f"ROC {n} (bench)", plaats="Utrecht") for n in range(schools)
        )
        mbo_users = User.objects.bulk_create(
            User(email=f"mbo{s}-{m}@school.bench", name=f"Mbo-begeleider {s}-{m}", password=password)
            for s in range(schools)
            for m in range(mbo_per_school)
        )
        Membership.objects.bulk_create(
            Membership(user=user, role=Role.MBO_BEGELEIDER, onderwijsinstelling=schools_rows[i // mbo_per_school])
            for i, user in enumerate(mbo_users)
        )
        companies = Leerbedrijf.objects.bulk_create(
            Leerbedrijf(name=f"Installatiebedrijf {n} (bench)", kvk_nummer=f"{50000000 + n}", plaats="Utrecht")
            for n in range(leerbedrijven)
        )
        companies[0].name = "Groot Installatiebedrijf (bench)"
        companies[0].save(update_fields=["name"])
        log(f"{len(companies)} leerbedrijven, {len(schools_rows)} scholen, {len(mbo_users)} mbo-begeleiders")

        # Per company: a praktijkopleider, two werkplekbegeleiders and a praktijkbeoordelaar.
        staff = {}
        users = []
        for n, company in enumerate(companies):
            prefix = "groot" if n == 0 else f"bedrijf{n}"
            people = {
                "opleider": User(email=f"opleider@{prefix}.bench", name=f"Opleider {n}", password=password),
                "wpb1": User(email=f"wpb1@{prefix}.bench", name=f"Begeleider {n}a", password=password),
                "wpb2": User(email=f"wpb2@{prefix}.bench", name=f"Begeleider {n}b", password=password),
                "beoordelaar": User(email=f"beoordelaar@{prefix}.bench", name=f"Beoordelaar {n}", password=password),
            }
            staff[company.pk] = people
            users += people.values()
        User.objects.bulk_create(users, batch_size=BATCH)
        roles = {
            "opleider": Role.PRAKTIJKOPLEIDER,
            "wpb1": Role.WERKPLEKBEGELEIDER,
            "wpb2": Role.WERKPLEKBEGELEIDER,
            "beoordelaar": Role.PRAKTIJKBEOORDELAAR,
        }
        Membership.objects.bulk_create(
            (
                Membership(user=user, role=roles[key], leerbedrijf_id=company_id)
                for company_id, people in staff.items()
                for key, user in people.items()
            ),
            batch_size=BATCH,
        )
        log(f"{len(users)} medewerkers met hun rol")

        # The big company gets `big` stages; the others share the rest.
        per_company = [big] + [
            (stages - big) // (leerbedrijven - 1) + (1 if n < (stages - big) % (leerbedrijven - 1) else 0)
            for n in range(leerbedrijven - 1)
        ]
        stagiair_users = User.objects.bulk_create(
            User(email=f"stagiair{n}@groot.bench", name=f"Stagiair {n} van Groot", password=password)
            for n in range(big)
        )
        stagiairs, stage_rows = [], []
        for company, count in zip(companies, per_company, strict=True):
            people = staff[company.pk]
            for n in range(count):
                stagiair = Stagiair(
                    leerbedrijf=company,
                    user=stagiair_users[n] if company is companies[0] else None,
                    name=f"Stagiair {company.pk}-{n}",
                    email=f"s{company.pk}-{n}@student.bench",
                )
                stagiairs.append(stagiair)
                start = today + timedelta(days=rng.randint(-700, 90))
                school = rng.randrange(schools)
                stage_rows.append(
                    Stage(
                        leerbedrijf=company,
                        stagiair=stagiair,
                        kwalificatie=rng.choice(kwalificaties),
                        leerweg=rng.choice(["bol", "bbl"]),
                        start_date=start,
                        end_date=start + timedelta(days=rng.choice([100, 140, 300])),
                        onderwijsinstelling=schools_rows[school],
                        mbo_begeleider=mbo_users[school * mbo_per_school + rng.randrange(mbo_per_school)],
                        werkplekbegeleider=people["wpb1" if n % 2 else "wpb2"] if n % 10 else None,
                        praktijkbeoordelaar=people["beoordelaar"],
                    )
                )
        Stagiair.objects.bulk_create(stagiairs, batch_size=BATCH)
        Stage.objects.bulk_create(stage_rows, batch_size=BATCH)
        log(f"{len(stage_rows)} stagiairs en stages")

        items = []
        written = 0
        for stage in stage_rows:
            for item in build_onboarding_items(
                stage, praktijkopleider=staff[stage.leerbedrijf_id]["opleider"], template_items=[]
            ):
                # Stages well under way have done most of their onboarding; some items stay late.
                if item.due_date < today - timedelta(days=14) and rng.random() < 0.9:
                    item.done_at, item.done_by_id = now, item.responsible_id
                items.append(item)
            if len(items) >= BATCH:
                OnboardingItem.objects.bulk_create(items)
                written += len(items)
                items = []
        OnboardingItem.objects.bulk_create(items)
        written += len(items)
        log(f"{written} onboarding-acties")
    # A bulk load leaves the planner without statistics until autovacuum comes by; production has them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("ANALYZE")
    return {"leerbedrijven": len(companies), "stages": len(stage_rows), "onboarding_items": written}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leerbedrijven", type=int, default=500)
    parser.add_argument("--stages", type=int, default=50_000)
    parser.add_argument("--big", type=int, default=200, help="stages of the one big company")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    print(generate(leerbedrijven=args.leerbedrijven, stages=args.stages, big=args.big, seed=args.seed))


if __name__ == "__main__":
    main()
