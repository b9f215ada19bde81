"""The two logs of this app move into the one audit trail (stagegids.Wijziging), then their tables go.

- Wijziging (gesprekken and evaluaties) keeps its action codes and its data; the entry points at the gesprek or the
  evaluatie it was about.
- BeoordelingWijziging stored its action as a Dutch sentence. Each known sentence becomes its action code with the
  values it named (side, version, party, colleague); its detail becomes lines of text, or the reason of a
  correction. A sentence that matches none is kept whole as a "note", so no row loses its meaning.
The role is filled where the old row tells it (a party's answers, the stagiair's own reflectie or evaluatie, the
stage's stagiair); elsewhere it stays empty rather than guessed from today's memberships.
"""

import re

from django.db import migrations

BATCH = 1000
PARTIES = ("praktijkopleider", "stagiair", "praktijkbeoordelaar")
STAGIAIR_ACTIONS = ("reflectie_saved", "reflectie_submitted", "evaluatie_saved", "evaluatie_submitted")
# The Dutch sentences BeoordelingWijziging stored, as written by beoordeling/models/beoordeling.py before this.
SENTENCES = [
    (re.compile(pattern), action)
    for pattern, action in (
        (r"Beoordeling gestart", "beoordeling_started"),
        (r"Gesprek geopend: beide ingevulde formulieren zijn zichtbaar", "gesprek_geopend"),
        (r"Conclusie gewijzigd", "conclusie_saved"),
        (r"Deel van de school opgeslagen", "school_part_saved"),
        (r"Handtekeningen vervallen door de wijziging", "signatures_withdrawn"),
        (r"Ondertekend door (?P<side>.+)", "signed"),
        (r"Door beide partijen ondertekend", "signed_by_both"),
        (r"Vervangen door versie (?P<version>\d+)", "replaced"),
        (r"Correctie van versie (?P<version>\d+)", "corrected"),
        (r"Antwoorden (?P<party>.+) opgeslagen", "answers_saved"),
        (r"Formulier (?P<party>.+) ingeleverd", "form_submitted"),
        (r"Collega-feedback gevraagd aan (?P<name>.+)", "collega_asked"),
    )
]


def beoordeling_entry(row):
    """(action, role, data) for one BeoordelingWijziging row."""
    text, detail, party = row["action"], row["detail"], row["party"]
    for pattern, action in SENTENCES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        data = match.groupdict()
        if "version" in data:
            data["version"] = int(data["version"])
        if "party" in data or party:
            data["party"] = party or data["party"]
            if data["party"] not in PARTIES:
                break
        if detail and action == "corrected":
            data["reason"] = detail
        elif detail:
            data["lines"] = detail.splitlines()
        role = data.get("party") or ("stagiair" if data.get("side") == "stagiair" else "")
        return action, role, data
    data = {"message": text}
    if detail:
        data["lines"] = detail.splitlines()
    if party:
        data["party"] = party
    return "note", party, data


def copy(apps, schema_editor):
    Wijziging = apps.get_model("stagegids", "Wijziging")
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldWijziging = apps.get_model("beoordeling", "Wijziging")
    BeoordelingWijziging = apps.get_model("beoordeling", "BeoordelingWijziging")

    def content_type(model):
        return ContentType.objects.get_or_create(app_label="beoordeling", model=model)[0]

    def write(entries):
        batch = []
        for entry in entries:
            batch.append(entry)
            if len(batch) >= BATCH:
                Wijziging.objects.bulk_create(batch)
                batch = []
        Wijziging.objects.bulk_create(batch)

    old = OldWijziging.objects.order_by("pk").values(
        "at",
        "user_id",
        "action",
        "data",
        "gesprek_id",
        "gesprek__moment__stage_id",
        "gesprek__moment__stage__stagiair__user_id",
        "evaluatie_id",
        "evaluatie__stage_id",
        "evaluatie__stage__stagiair__user_id",
    )
    if old.exists():
        gesprek, evaluatie = content_type("voortgangsgesprek"), content_type("evaluatie")

        def gesprek_entries():
            for row in old.iterator(chunk_size=BATCH):
                on_gesprek = row["gesprek_id"] is not None
                prefix = "gesprek__moment__" if on_gesprek else "evaluatie__"
                by = row["user_id"]
                is_stagiair = row["action"] in STAGIAIR_ACTIONS or (
                    by is not None and by == row[f"{prefix}stage__stagiair__user_id"]
                )
                yield Wijziging(
                    at=row["at"],
                    user_id=by,
                    role="stagiair" if is_stagiair else "",
                    content_type=gesprek if on_gesprek else evaluatie,
                    object_id=row["gesprek_id"] if on_gesprek else row["evaluatie_id"],
                    stage_id=row[f"{prefix}stage_id"],
                    action=row["action"],
                    data=row["data"] or {},
                )

        write(gesprek_entries())

    trail = BeoordelingWijziging.objects.order_by("pk").values(
        "at", "user_id", "action", "detail", "party", "beoordeling_id", "beoordeling__stage_id"
    )
    if trail.exists():
        beoordeling = content_type("beoordeling")

        def beoordeling_entries():
            for row in trail.iterator(chunk_size=BATCH):
                action, role, data = beoordeling_entry(row)
                yield Wijziging(
                    at=row["at"],
                    user_id=row["user_id"],
                    role=role,
                    content_type=beoordeling,
                    object_id=row["beoordeling_id"],
                    stage_id=row["beoordeling__stage_id"],
                    action=action,
                    data=data,
                )

        write(beoordeling_entries())


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0005_beoordeling_moment_mbo_deel"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("stagegids", "0003_wijziging"),
    ]

    operations = [
        migrations.RunPython(copy, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="BeoordelingWijziging"),
        migrations.DeleteModel(name="Wijziging"),
    ]
