"""A database from before the stagemap app (verslagen in beoordeling) upgrades without losing a row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import StageFactory, UserFactory

BEFORE = [("beoordeling", "0006_wijzigingen_into_the_one_log"), ("stagemap", None)]


def migrate(targets):
    return MigrationExecutor(connection).migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_verslagen_comments_and_exports_move_to_stagemap_with_their_rows():
    stage = StageFactory()
    user = UserFactory(name="Olga Opleider")
    old = migrate(BEFORE)
    with pytest.raises(LookupError):
        old.get_model("stagemap", "Verslag")
    OldVerslag = old.get_model("beoordeling", "Verslag")
    verslag = OldVerslag.objects.create(
        stage_id=stage.pk,
        kind="tussenbeoordeling",
        title="Tussenbeoordeling, versie 1",
        file="verslagen/1/oud.pdf",
        sha256="a" * 64,
        source_type="beoordeling.Beoordeling",
        source_id=7,
        source_version="1",
        signatures=[{"role": "stagiair", "name": "Sam", "at": None}],
        created_by_id=user.pk,
    )
    old.get_model("beoordeling", "VerslagComment").objects.create(verslag=verslag, author_id=user.pk, text="Klopt")
    old.get_model("beoordeling", "StagemapExport").objects.create(stage_id=stage.pk, requested_by_id=user.pk)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from stagemap.models import StagemapExport, Verslag

    moved = Verslag.objects.get(pk=verslag.pk)
    assert (moved.stage, moved.title, moved.sha256, moved.file.name, moved.created_by) == (
        stage,
        "Tussenbeoordeling, versie 1",
        "a" * 64,
        "verslagen/1/oud.pdf",
        user,
    )
    assert moved.get_kind_display() == "verslag tussenbeoordeling"
    assert [comment.text for comment in moved.comments.all()] == ["Klopt"]
    assert StagemapExport.objects.get(stage=stage).requested_by == user
    ContentType.objects.clear_cache()
    assert set(ContentType.objects.filter(model="verslag").values_list("app_label", flat=True)) == {"stagemap"}
