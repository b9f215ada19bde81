"""The two logs of this app move into the one audit trail (stagegids.Wijziging), then their tables go.

- Wijziging (gesprekken and evaluaties) keeps its action codes and its data; the entry points at the gesprek or the
  evaluatie it was about.
- BeoordelingWijziging stored its action as a Dutch sentence. Each known sentence becomes its action code with the
  values it named (side, version, party, colleague); its detail becomes lines of text, or the reason of a
  correction. A sentence that matches none is kept whole as a "note", so no row loses its meaning.
The role is filled where the old row tells it (a party's answers, the stagiair's own reflectie or evaluatie, the
stage's stagiair); elsewhere it stays empty rather than guessed from today's memberships.
Going back writes the entries into the old tables again (the sentences from the same table), so a rollback loses
no trail and a second run copies nothing twice.
"""

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations

BATCH = 1000
PARTIES = ("praktijkopleider", "stagiair", "praktijkbeoordelaar")
STAGIAIR_ACTIONS = ("reflectie_saved", "reflectie_submitted", "evaluatie_saved", "evaluatie_submitted")
# The Dutch sentences BeoordelingWijziging stored (as beoordeling/models/beoordeling.py wrote them before this), per
# action code. A placeholder is a value the entry keeps in its data.
SENTENCES = {
    "beoordeling_started": "Beoordeling gestart",
    "gesprek_geopend": "Gesprek geopend: beide ingevulde formulieren zijn zichtbaar",
    "conclusie_saved": "Conclusie gewijzigd",
    "school_part_saved": "Deel van de school opgeslagen",
    "signatures_withdrawn": "Handtekeningen vervallen door de wijziging",
    "signed": "Ondertekend door %(side)s",
    "signed_by_both": "Door beide partijen ondertekend",
    "replaced": "Vervangen door versie %(version)s",
    "corrected": "Correctie van versie %(version)s",
    "answers_saved": "Antwoorden %(party)s opgeslagen",
    "form_submitted": "Formulier %(party)s ingeleverd",
    "collega_asked": "Collega-feedback gevraagd aan %(name)s",
}
PATTERNS = {
    action: re.compile(
        re.sub(
            r"%\\\((\w+)\\\)s",
            lambda m: rf"(?P<{m[1]}>\d+)" if m[1] == "version" else rf"(?P<{m[1]}>.+)",
            re.escape(sentence),
        )
    )
    for action, sentence in SENTENCES.items()
}


def beoordeling_entry(row):
    """(action, role, data) for one BeoordelingWijziging row."""
    text, detail, party = row["action"], row["detail"], row["party"]
    for action, pattern in PATTERNS.items():
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


def write(model, objects):
    batch = []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def copy(apps, schema_editor):
    Wijziging = apps.get_model("stagegids", "Wijziging")
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldWijziging = apps.get_model("beoordeling", "Wijziging")
    BeoordelingWijziging = apps.get_model("beoordeling", "BeoordelingWijziging")

    def content_type(model):
        return ContentType.objects.get_or_create(app_label="beoordeling", model=model)[0]

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

        write(Wijziging, gesprek_entries())

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

        write(Wijziging, beoordeling_entries())


def copy_back(apps, schema_editor):
    Wijziging = apps.get_model("stagegids", "Wijziging")
    OldWijziging = apps.get_model("beoordeling", "Wijziging")
    BeoordelingWijziging = apps.get_model("beoordeling", "BeoordelingWijziging")
    Beoordeling = apps.get_model("beoordeling", "Beoordeling")
    ours = (
        Wijziging.objects.filter(content_type__app_label="beoordeling")
        .select_related("content_type")
        .order_by("at", "pk")
    )

    def field_label(name):
        try:
            return str(Beoordeling._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name

    def old_entries():
        for entry in ours.filter(content_type__model__in=["voortgangsgesprek", "evaluatie"]).iterator(chunk_size=BATCH):
            on_gesprek = entry.content_type.model == "voortgangsgesprek"
            saved = {name: new for name, (_old, new) in entry.changes.items()}
            yield OldWijziging(
                gesprek_id=entry.object_id if on_gesprek else None,
                evaluatie_id=None if on_gesprek else entry.object_id,
                user_id=entry.user_id,
                at=entry.at,
                action=entry.action,
                data={**saved, **entry.data},
            )

    def trail_entries():
        for entry in ours.filter(content_type__model="beoordeling").iterator(chunk_size=BATCH):
            data = entry.data
            sentence = SENTENCES.get(entry.action)
            lines = [f"{field_label(name)}: {old or '–'} → {new or '–'}" for name, (old, new) in entry.changes.items()]
            lines += data.get("lines", [])
            if data.get("reason"):
                lines.append(data["reason"])
            yield BeoordelingWijziging(
                beoordeling_id=entry.object_id,
                user_id=entry.user_id,
                at=entry.at,
                action=sentence % data if sentence else data.get("message", entry.action),
                detail="\n".join(lines),
                party=data.get("party", "") if entry.action in ("answers_saved", "note") else "",
            )

    write(OldWijziging, old_entries())
    write(BeoordelingWijziging, trail_entries())
    ours.filter(content_type__model__in=["voortgangsgesprek", "evaluatie", "beoordeling"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0005_beoordeling_moment_mbo_deel"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("stagegids", "0003_wijziging"),
    ]

    operations = [
        migrations.RunPython(copy, copy_back, elidable=False),
        migrations.DeleteModel(name="BeoordelingWijziging"),
        migrations.DeleteModel(name="Wijziging"),
    ]
