"""What the voortgang overview reads (issue 16), at the scale of bench/generate.py: per stage a stageplan with three
leerdoelen (reached as the stage advances), an observatie, three moments (one voortgangsgesprek past and not held,
so some are skipped, one coming, the eindbeoordeling), and for one stage in twenty an open zorg. Without them its
columns would read empty tables.

    .venv/bin/python -m bench.generate
    .venv/bin/python -m bench.voortgang      # adds to every stage, once; then bench.measure

Everything with bulk_create in batches, like the generator.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock

BATCH = 5000


def generate(*, seed=1, out=sys.stdout):
    from django.db import connection, transaction
    from django.utils import timezone

    from beoordeling.zorgen.models import Zorg, ZorgKind
    from leerbedrijf.models import Stage
    from stageplan.models import Leerdoel, LeerdoelStatus, Moment, MomentKind, Observatie, Stageplan

    if Stageplan.objects.exists():
        raise SystemExit("The stages have stageplans already: run this once, after bench.generate.")
    rng = random.Random(seed)
    today = timezone.localdate()
    started = time.perf_counter()
    counts = {"stageplannen": 0, "leerdoelen": 0, "observaties": 0, "momenten": 0, "zorgen": 0}

    def log(message):
        out.write(f"{time.perf_counter() - started:7.1f}s  {message}\n")

    def at(day, hour=10):
        return timezone.make_aware(datetime.combine(day, clock(hour)))

    stages = list(Stage.objects.values_list("pk", "start_date", "end_date", "werkplekbegeleider_id").order_by("pk"))
    with transaction.atomic():
        for offset in range(0, len(stages), BATCH):
            chunk = stages[offset : offset + BATCH]
            plans = Stageplan.objects.bulk_create(Stageplan(stage_id=pk, version=1) for pk, *_rest in chunk)
            leerdoelen, observaties, moments, zorgen = [], [], [], []
            for plan, (pk, start, end, begeleider) in zip(plans, chunk, strict=True):
                done = min(max((today - start).days / max((end - start).days, 1), 0), 1)
                for n in range(3):
                    status = LeerdoelStatus.BEHAALD if rng.random() < done else LeerdoelStatus.BEZIG
                    leerdoelen.append(Leerdoel(stageplan=plan, title=f"Leerdoel {n + 1}", status=status))
                if start < today:
                    observaties.append(
                        Observatie(
                            stage_id=pk,
                            author_id=begeleider,
                            date=min(today, start + timedelta(days=rng.randint(1, 60))),
                            text="Werkt netjes en vraagt door.",
                            kind="goed",
                        )
                    )
                middle = start + (end - start) / 2
                moments += [
                    Moment(stage_id=pk, kind=MomentKind.VOORTGANGSGESPREK, starts_at=at(start + timedelta(days=28))),
                    Moment(stage_id=pk, kind=MomentKind.TUSSENBEOORDELING, starts_at=at(middle)),
                    Moment(stage_id=pk, kind=MomentKind.EINDBEOORDELING, starts_at=at(end - timedelta(days=7))),
                ]
                if rng.random() < 0.05:
                    zorgen.append(
                        Zorg(
                            stage_id=pk,
                            kind=ZorgKind.AANWEZIGHEID,
                            happened="Twee keer te laat.",
                            next_step="Gesprek",
                            next_step_on=today + timedelta(days=rng.randint(-10, 20)),
                        )
                    )
            Leerdoel.objects.bulk_create(leerdoelen)
            Observatie.objects.bulk_create(observaties)
            Moment.objects.bulk_create(moments)
            Zorg.objects.bulk_create(zorgen)
            for key, rows in (
                ("stageplannen", plans),
                ("leerdoelen", leerdoelen),
                ("observaties", observaties),
                ("momenten", moments),
                ("zorgen", zorgen),
            ):
                counts[key] += len(rows)
        log(", ".join(f"{count} {name}" for name, count in counts.items()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("ANALYZE")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    print(generate(seed=args.seed))


if __name__ == "__main__":
    main()
