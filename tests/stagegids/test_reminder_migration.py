"""Reminder moved from beoordeling into the core (issue 11): a database from before the move keeps its rows.

Django's own MigrationExecutor takes the database back to the state before the move and forward again; one test
does not need a library (django-test-migrations) for what the executor already does.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stagegids.models import Reminder, ReminderStatus

BEFORE_THE_MOVE = [("beoordeling", "0007_verslagen_to_stagemap"), ("stagegids", "0004_outgoing_mail")]


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    # Whatever happened, the next tests get the database at its latest state.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_a_reminder_from_before_the_move_is_read_through_the_new_model(executor):
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE).apps
    user = old.get_model("stagegids", "User").objects.create(email="oud@a.nl", name="Olga Oud")
    row = old.get_model("beoordeling", "Reminder").objects.create(
        subject_type="moment",
        subject_id=7,
        kind="gesprek",
        occasion="7d",
        occasion_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        sequence=1,
        recipient_id=user.pk,
        role="stagiair",
        status="sent",
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="beoordeling", model="reminder"
    )[0]

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    reminder = Reminder.objects.select_related("recipient").get(pk=row.pk)
    assert (reminder.kind, reminder.occasion, reminder.sequence) == ("gesprek", "7d", 1)
    assert reminder.occasion_at == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert reminder.recipient.email == "oud@a.nl" and reminder.status == ReminderStatus.SENT
    # The permissions and admin history on the model stay attached to it.
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Reminder).pk == content_type.pk
