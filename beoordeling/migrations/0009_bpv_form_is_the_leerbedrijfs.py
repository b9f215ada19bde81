"""The company's form of a bpv-beoordeling is the leerbedrijf's: the praktijkopleider fills it in, or the stage's
praktijkbeoordelaar (gids ch. 9). Before, only the praktijkbeoordelaar could, and the form was his: its rows, and the
trail's entries about it, move to the new party. A pvb stays the praktijkbeoordelaar's."""

from django.db import migrations, models


def move_bpv_forms(apps, schema_editor, old="praktijkbeoordelaar", new="leerbedrijf"):
    Invulling = apps.get_model("beoordeling", "Invulling")
    Beoordeling = apps.get_model("beoordeling", "Beoordeling")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Wijziging = apps.get_model("stagegids", "Wijziging")
    bpv = Beoordeling.objects.filter(kind="bpv").values("pk")
    Invulling.objects.filter(beoordeling__in=bpv, party=old).update(party=new)
    content_type = ContentType.objects.filter(app_label="beoordeling", model="beoordeling").first()
    if content_type is None:
        return
    for wijziging in Wijziging.objects.filter(
        content_type=content_type, object_id__in=bpv, data__party=old
    ).iterator():
        wijziging.data["party"] = new
        wijziging.save(update_fields=["data"])


def move_back(apps, schema_editor):
    move_bpv_forms(apps, schema_editor, old="leerbedrijf", new="praktijkbeoordelaar")


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0008_reminder_moves_to_stagegids"),
        ("stagegids", "0006_reminder_queued_labels"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="invulling",
            name="party",
            field=models.CharField(
                choices=[
                    ("praktijkopleider", "praktijkopleider"),
                    ("stagiair", "stagiair"),
                    ("praktijkbeoordelaar", "praktijkbeoordelaar"),
                    ("leerbedrijf", "leerbedrijf"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(move_bpv_forms, move_back),
    ]
