from django.db import migrations

from leerbedrijf.kwalificaties.reference import load_reference_kwalificaties


def load(apps, schema_editor):
    load_reference_kwalificaties(apps.get_model("leerbedrijf", "Kwalificatiedossier"), apps.get_model("leerbedrijf", "Kwalificatie"))


class Migration(migrations.Migration):
    dependencies = [("leerbedrijf", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
