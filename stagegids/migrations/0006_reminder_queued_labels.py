"""The reminder's attempts and last error take the labels of the shared Queued base (issue 11).

Labels only: no column changes, every row stays as it is.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stagegids', '0005_reminder'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reminder',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='pogingen'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='last_error',
            field=models.CharField(blank=True, max_length=300, verbose_name='laatste fout'),
        ),
    ]
