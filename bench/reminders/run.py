"""The due-reminder scan over a large dataset: time and number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_bench_reminders \
        .venv/bin/python -m bench.reminders.run --stages 50000

Creates the database if it is missing, migrates, generates the data once with bulk_create (a stage of 300 days
per stagiair, six moments spread over it, a beoordeling at each beoordelingsmoment that has come, one erkenning per
leerbedrijf), then runs the scan three times: the
first creates every due reminder, the second and third find nothing new (what beat does every cycle). Sending is
left out: the scan's enqueue is counted, not performed.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagegids.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")


def ensure_database(url, stages):
    """The bench database with `stages` stages, or a new empty one (generated after migrate)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            with psycopg.connect(url) as bench:
                try:
                    (count,) = bench.execute("SELECT count(*) FROM leerbedrijf_stage").fetchone()
                except psycopg.errors.UndefinedTable:
                    count = None
            if count == stages:
                return
            connection.execute(f'DROP DATABASE "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def generate(stages):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from leerbedrijf.models import (
        Erkenning,
        ErkenningStatus,
        Kwalificatie,
        Leerbedrijf,
        Membership,
        Onderwijsinstelling,
        Stage,
        Stagiair,
    )
    from stagegids.models import User
    from stagegids.roles import Role
    from stageplan.models import Moment, MomentKind

    if Stage.objects.exists():
        return False
    rng = random.Random(5)
    password = make_password(None)
    companies = max(1, stages // 10)
    kwalificaties = list(Kwalificatie.objects.all()[:10])
    batch = 5000

    def users(prefix, count):
        made = User.objects.bulk_create(
            [User(email=f"{prefix}{n}@bench.nl", name=f"{prefix} {n}", password=password) for n in range(count)],
            batch_size=batch,
        )
        return made

    schools = Onderwijsinstelling.objects.bulk_create(
        [Onderwijsinstelling(name=f"ROC {n}") for n in range(max(1, companies // 100))]
    )
    leerbedrijven = Leerbedrijf.objects.bulk_create(
        [Leerbedrijf(name=f"Bedrijf {n}", kvk_nummer=f"{n:08d}") for n in range(companies)], batch_size=batch
    )
    opleiders = users("opleider", companies)
    begeleiders = users("begeleider", companies * 2)
    mbo = users("mbo", len(schools) * 5)
    memberships = [
        Membership(user=u, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=leerbedrijven[n]) for n, u in enumerate(opleiders)
    ]
    memberships += [
        Membership(user=u, role=Role.WERKPLEKBEGELEIDER, leerbedrijf=leerbedrijven[n // 2])
        for n, u in enumerate(begeleiders)
    ]
    memberships += [
        Membership(user=u, role=Role.MBO_BEGELEIDER, onderwijsinstelling=schools[n // 5]) for n, u in enumerate(mbo)
    ]
    Membership.objects.bulk_create(memberships, batch_size=batch)
    students = users("stagiair", stages)
    stagiairs = Stagiair.objects.bulk_create(
        [
            Stagiair(leerbedrijf=leerbedrijven[n % companies], user=u, name=u.name, email=u.email)
            for n, u in enumerate(students)
        ],
        batch_size=batch,
    )
    today = date.today()
    stage_rows = []
    for n, stagiair in enumerate(stagiairs):
        start = today - timedelta(days=rng.randint(0, 330))
        school = schools[n % len(schools)]
        stage_rows.append(
            Stage(
                leerbedrijf_id=stagiair.leerbedrijf_id,
                stagiair=stagiair,
                kwalificatie=kwalificaties[n % len(kwalificaties)],
                leerweg="bol",
                start_date=start,
                end_date=start + timedelta(days=300),
                onderwijsinstelling=school,
                mbo_begeleider=mbo[schools.index(school) * 5 + n % 5],
                werkplekbegeleider=begeleiders[(n % companies) * 2 + n % 2],
            )
        )
    made = Stage.objects.bulk_create(stage_rows, batch_size=batch)
    kinds = [
        MomentKind.STARTGESPREK,
        MomentKind.VOORTGANGSGESPREK,
        MomentKind.MIDDENGESPREK,
        MomentKind.TUSSENBEOORDELING,
        MomentKind.VOORTGANGSGESPREK,
        MomentKind.EINDBEOORDELING,
    ]
    tz = timezone.get_current_timezone()
    moments = []
    for stage in made:
        for n, kind in enumerate(kinds):
            day = stage.start_date + timedelta(days=7 + n * 55)
            moments.append(
                Moment(
                    stage=stage,
                    kind=kind,
                    starts_at=timezone.datetime(day.year, day.month, day.day, rng.choice([9, 10, 13, 15]), tzinfo=tz),
                    location="Werkplaats",
                )
            )
    Moment.objects.bulk_create(moments, batch_size=batch)
    Erkenning.objects.bulk_create(
        [
            Erkenning(
                leerbedrijf=leerbedrijf,
                kwalificatie=kwalificaties[0],
                status=ErkenningStatus.ERKEND,
                granted_on=today - timedelta(days=rng.randint(0, 4 * 365)),
            )
            for leerbedrijf in leerbedrijven
        ],
        batch_size=batch,
    )
    return True


def generate_beoordelingen():
    """A beoordeling at every tussen- and eindbeoordeling moment that has passed or comes within a week: most of the
    past ones signed, the rest waiting for a signature or still being filled in, so the reminders about the
    zelfbeoordeling and about signing have rows to look at."""
    from django.utils import timezone

    from beoordeling.beoordelingen.models import (
        Beoordeling,
        BeoordelingKind,
        BeoordelingState,
        Invulling,
        Party,
        Schaal,
    )
    from stageplan.models import Moment, MomentKind

    if Beoordeling.objects.exists():
        return False
    rng = random.Random(7)
    now = timezone.now()
    moments = Moment.objects.filter(
        kind__in=[MomentKind.TUSSENBEOORDELING, MomentKind.EINDBEOORDELING], starts_at__lte=now + timedelta(days=7)
    ).values_list("pk", "stage_id", "kind", "starts_at")
    rows = []
    for pk, stage_id, kind, starts_at in moments:
        if starts_at > now:
            state = BeoordelingState.INVULLEN
        else:
            state = rng.choices(
                [BeoordelingState.ONDERTEKEND, BeoordelingState.GESPREK, BeoordelingState.INVULLEN], [8, 1, 1]
            )[0]
        signed = starts_at if state == BeoordelingState.ONDERTEKEND else None
        rows.append(
            Beoordeling(
                stage_id=stage_id,
                moment_id=pk,
                kind=BeoordelingKind.TUSSENBEOORDELING if kind == MomentKind.TUSSENBEOORDELING else BeoordelingKind.BPV,
                state=state,
                scale=Schaal.OVG,
                bedrijf_signed_at=signed,
                stagiair_signed_at=signed,
            )
        )
    made = Beoordeling.objects.bulk_create(rows, batch_size=5000)
    Invulling.objects.bulk_create(
        [
            Invulling(
                beoordeling=beoordeling,
                party=party,
                submitted_at=None
                if beoordeling.state == BeoordelingState.INVULLEN and party != Party.PRAKTIJKOPLEIDER
                else now,
            )
            for beoordeling in made
            for party in beoordeling.parties
        ],
        batch_size=5000,
    )
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stages", type=int, default=50_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (stagegids_bench_reminders).")
    ensure_database(url, args.stages)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from beoordeling.beoordelingen.models import Beoordeling
    from leerbedrijf.models import Stage
    from stagegids import reminders
    from stagegids.models import Reminder
    from stageplan.models import Moment

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if generate(args.stages):
        print(f"generated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if generate_beoordelingen():
        print(f"beoordelingen generated in {time.perf_counter() - started:.1f} s")
    Reminder.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"stages {Stage.objects.count():,}, moments {Moment.objects.count():,}, "
        f"beoordelingen {Beoordeling.objects.count():,}"
    )

    enqueued = []
    for run in ("first scan (creates what is due)", "second scan (nothing new)", "third scan (nothing new)"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            reminders.scan(send=lambda reminder_id: enqueued.append(reminder_id))
            elapsed = time.perf_counter() - started
        print(f"{run}: {elapsed * 1000:.0f} ms, {len(queries)} queries, reminders {Reminder.objects.count():,}")
        # Every pending row was enqueued by the first scan; mark them sent, as the workers would.
        Reminder.objects.update(status="sent")
    print(f"enqueued {len(enqueued):,}")


if __name__ == "__main__":
    main()
