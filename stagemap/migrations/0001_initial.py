"""The verslagen and stagemap exports, moved here from beoordeling with their tables and rows.

State only: the tables were made by beoordeling 0002_verslagen (which runs before this one) and keep their names
(db_table); beoordeling 0007 takes them out of beoordeling's state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import stagemap.kinds
import stagemap.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("leerbedrijf", "0004_erkenning"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="StagemapExport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("status", models.CharField(choices=[("pending", "in de wachtrij"), ("running", "bezig"), ("done", "klaar"), ("failed", "mislukt")], default="pending", max_length=10)),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("file", models.FileField(blank=True, upload_to="stagemappen/")),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("requested_by", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("stage", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="stagemap_exports", to="leerbedrijf.stage")),
                    ],
                    options={
                        "db_table": "beoordeling_stagemapexport",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Verslag",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=stagemap.kinds.choices, max_length=30, verbose_name="soort")),
                        ("title", models.CharField(max_length=200, verbose_name="titel")),
                        ("file", models.FileField(upload_to=stagemap.models._verslag_path)),
                        ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                        ("source_type", models.CharField(max_length=100)),
                        ("source_id", models.PositiveBigIntegerField()),
                        ("source_version", models.CharField(max_length=100, verbose_name="versie van de gegevens")),
                        ("signatures", models.JSONField(blank=True, default=list, verbose_name="ondertekend door")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="gemaakt op")),
                        ("shared_at", models.DateTimeField(blank=True, null=True, verbose_name="gedeeld met school op")),
                        ("review", models.CharField(blank=True, choices=[("akkoord", "akkoord"), ("wijziging", "wijziging gevraagd")], max_length=10, verbose_name="oordeel school")),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        ("created_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("replaced_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="stagemap.verslag", verbose_name="vervangen door")),
                        ("reviewed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("shared_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("stage", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="verslagen", to="leerbedrijf.stage")),
                    ],
                    options={
                        "db_table": "beoordeling_verslag",
                        "verbose_name": "verslag",
                        "verbose_name_plural": "verslagen",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="VerslagComment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("text", models.TextField(verbose_name="opmerking")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("author", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("verslag", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="comments", to="stagemap.verslag")),
                    ],
                    options={
                        "db_table": "beoordeling_verslagcomment",
                        "verbose_name": "opmerking bij verslag",
                        "verbose_name_plural": "opmerkingen bij verslagen",
                        "ordering": ["created_at"],
                    },
                ),
            ],
        ),
    ]
