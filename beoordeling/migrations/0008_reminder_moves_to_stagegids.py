"""Reminder moved into the core (stagegids 0005 takes it over with its table): here it leaves beoordeling's state.

The table and its rows stay. The content type follows the model, so permissions given on it and admin log entries
about it stay attached.
"""

from django.db import migrations


def move_content_type(apps, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="reminder").exists():
        ContentType.objects.filter(app_label=old, model="reminder").update(app_label=new)


def forwards(apps, schema_editor):
    move_content_type(apps, old="beoordeling", new="stagegids")


def backwards(apps, schema_editor):
    move_content_type(apps, old="stagegids", new="beoordeling")


class Migration(migrations.Migration):

    dependencies = [
        ('beoordeling', '0007_verslagen_to_stagemap'),
        ('stagegids', '0005_reminder'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='Reminder')]),
        migrations.RunPython(forwards, backwards),
    ]
