"""Reminder moves from beoordeling into the core, with the reminder engine (issue 11).

State only: the table stays `beoordeling_reminder` with its rows; beoordeling 0008 drops the model from its own
state. The dependency on beoordeling 0003 is history, not an import: it made the table this model takes over, so
it must exist before any later migration of the core alters it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stagegids', '0004_outgoing_mail'),
        ('beoordeling', '0003_reminders'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject_type', models.CharField(max_length=50)),
                        ('subject_id', models.PositiveBigIntegerField()),
                        ('kind', models.CharField(max_length=50, verbose_name='soort')),
                        ('occasion', models.CharField(max_length=20)),
                        ('occasion_at', models.DateTimeField()),
                        ('sequence', models.PositiveIntegerField(default=0)),
                        ('role', models.CharField(max_length=30, verbose_name='als')),
                        ('status', models.CharField(choices=[('pending', 'klaar om te versturen'), ('digest', 'wacht op het dagoverzicht'), ('sending', 'wordt verstuurd'), ('sent', 'verstuurd'), ('skipped', 'niet meer nodig'), ('failed', 'mislukt')], default='pending', max_length=10, verbose_name='status')),
                        ('digest', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('enqueued_at', models.DateTimeField(blank=True, null=True)),
                        ('claim', models.UUIDField(blank=True, null=True)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='verstuurd op')),
                        ('last_error', models.CharField(blank=True, max_length=300)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='ontvanger')),
                    ],
                    options={
                        'db_table': 'beoordeling_reminder',
                        'verbose_name': 'herinnering',
                        'verbose_name_plural': 'herinneringen',
                        'indexes': [models.Index(condition=models.Q(('status__in', ['pending', 'sending', 'digest'])), fields=['status', 'enqueued_at'], name='reminder_open'), models.Index(fields=['subject_type', 'subject_id', 'kind'], name='reminder_subject'), models.Index(fields=['occasion_at'], name='reminder_occasion_at')],
                        'constraints': [models.UniqueConstraint(fields=('subject_type', 'subject_id', 'kind', 'occasion', 'occasion_at', 'sequence', 'recipient'), name='reminder_unique_key')],
                    },
                ),
            ],
        ),
    ]
