"""The data of the multi-host run, made once into the template database that each run copies (bench/multihost/run.py
calls it when the migrations, the demo or the generators changed).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stagegids_multihost_template \
        DJANGO_SETTINGS_MODULE=bench.multihost.settings .venv/bin/python -m bench.multihost.prepare --stages 500
"""

import argparse

import django


def prepare_data(stages):
    """Migrate; the reminder benchmark's stages (moments and beoordelingen, so reminders are due) and the demo (people
    who log in, finished documents); then the demo's verslagen are removed, so that the workers make them again."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.reminders.run import generate, generate_beoordelingen
    from stagegids import demo
    from stagemap.models import Verslag, VerslagenUpdate

    call_command("migrate", verbosity=0)
    generate(stages)
    generate_beoordelingen()
    with transaction.atomic():
        demo.load_all()
    for verslag in Verslag.objects.all():
        verslag.file.delete(save=False)
    Verslag.objects.all().delete()
    VerslagenUpdate.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stages", type=int, required=True)
    args = parser.parse_args()
    django.setup()
    prepare_data(args.stages)


if __name__ == "__main__":
    main()
