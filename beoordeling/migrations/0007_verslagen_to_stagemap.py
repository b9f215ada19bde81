"""Verslag, VerslagComment and StagemapExport now belong to the stagemap app (its 0001): out of beoordeling's state,
while their tables and rows stay as they are. Their content types move along, so admin history and permissions
keep pointing at them.
"""

from django.db import migrations

MOVED = ["verslag", "verslagcomment", "stagemapexport"]


def move_content_types(apps, schema_editor, old="beoordeling", new="stagemap"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="stagemap", new="beoordeling")


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0006_wijzigingen_into_the_one_log"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("stagemap", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="VerslagComment"),
                migrations.DeleteModel(name="Verslag"),
                migrations.DeleteModel(name="StagemapExport"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
