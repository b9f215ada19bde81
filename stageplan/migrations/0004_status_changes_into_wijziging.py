"""The status history of the leerdoelen moves into the one audit trail (stagegids.Wijziging), then its table goes.

Each row becomes an entry "leerdoel_status" with changes {"status": [previous status, status]}: the previous
status is the one of the leerdoel's row before it, so the history reads the same. The role is only known for the
stagiair (the stage's own); for others it stays empty rather than guessed from today's memberships.
Going back moves the steps into the old table again: a rollback loses no history and a second run copies none twice.
"""

from django.db import migrations

BATCH = 1000


def copy_status_changes(apps, schema_editor):
    LeerdoelStatusChange = apps.get_model("stageplan", "LeerdoelStatusChange")
    Wijziging = apps.get_model("stagegids", "Wijziging")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = LeerdoelStatusChange.objects.order_by("leerdoel_id", "changed_at", "pk").values(
        "leerdoel_id",
        "status",
        "changed_by_id",
        "changed_at",
        "leerdoel__stageplan__stage_id",
        "leerdoel__stageplan__stage__stagiair__user_id",
    )
    if not rows.exists():
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="stageplan", model="leerdoel")
    entries, last_leerdoel, last_status = [], None, None
    for row in rows.iterator(chunk_size=BATCH):
        leerdoel = row["leerdoel_id"]
        previous = last_status if leerdoel == last_leerdoel else None
        by = row["changed_by_id"]
        entries.append(
            Wijziging(
                at=row["changed_at"],
                user_id=by,
                role="stagiair" if by and by == row["leerdoel__stageplan__stage__stagiair__user_id"] else "",
                content_type=content_type,
                object_id=leerdoel,
                stage_id=row["leerdoel__stageplan__stage_id"],
                action="leerdoel_status",
                changes={"status": [previous, row["status"]]},
            )
        )
        last_leerdoel, last_status = leerdoel, row["status"]
        if len(entries) >= BATCH:
            Wijziging.objects.bulk_create(entries)
            entries = []
    Wijziging.objects.bulk_create(entries)


def copy_back(apps, schema_editor):
    LeerdoelStatusChange = apps.get_model("stageplan", "LeerdoelStatusChange")
    Wijziging = apps.get_model("stagegids", "Wijziging")
    steps = Wijziging.objects.filter(
        content_type__app_label="stageplan", content_type__model="leerdoel", action="leerdoel_status"
    ).order_by("at", "pk")
    batch = []
    for step in steps.iterator(chunk_size=BATCH):
        batch.append(
            LeerdoelStatusChange(
                leerdoel_id=step.object_id,
                status=step.changes["status"][1],
                changed_by_id=step.user_id,
                changed_at=step.at,
            )
        )
        if len(batch) >= BATCH:
            LeerdoelStatusChange.objects.bulk_create(batch)
            batch = []
    LeerdoelStatusChange.objects.bulk_create(batch)
    steps.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("stagegids", "0003_wijziging"),
        ("stageplan", "0003_versions_comments_photos"),
    ]

    operations = [
        migrations.RunPython(copy_status_changes, copy_back, elidable=False),
        migrations.DeleteModel(name="LeerdoelStatusChange"),
    ]
