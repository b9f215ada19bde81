"""An existing database upgrades: every row of the three old logs is in the one trail (stagegids.Wijziging).

Django's own MigrationExecutor, in a transactional test: the migrations run against the test database as they will
in production (no extra package for it), and the test leaves the schema at the latest state for the tests after it.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingAction
from beoordeling.evaluatie.models import Evaluatie
from beoordeling.gesprekken.models import Voortgangsgesprek
from stagegids.models import Wijziging
from stageplan.models import Leerdoel, Stageplan
from tests.factories import MomentFactory, StageFactory, UserFactory

# The state just before the trail moved: the three old tables exist, stagegids.Wijziging does not.
BEFORE = [
    ("stagegids", "0002_notifications"),
    ("stageplan", "0003_versions_comments_photos"),
    ("beoordeling", "0005_beoordeling_moment_mbo_deel"),
]


def at(day, hour=10):
    return datetime(2026, 3, day, hour, 15, tzinfo=UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest():
    """Whatever the test does, the tests after it find the latest schema."""
    yield
    migrate(None)


@pytest.mark.django_db(transaction=True)
def test_every_row_of_the_old_logs_is_in_the_one_trail(back_to_latest):
    # The objects the old rows are about; their tables do not change in these migrations.
    stagiair, opleider, gone = UserFactory(), UserFactory(), UserFactory()
    stage = StageFactory()
    stage.stagiair.user = stagiair
    stage.stagiair.save()
    gesprek = Voortgangsgesprek.objects.create(moment=MomentFactory(stage=stage))
    evaluatie = Evaluatie.objects.create(stage=stage)
    beoordeling = Beoordeling.objects.create(stage=stage, kind="tussenbeoordeling", scale="ovg")
    leerdoel = Leerdoel.objects.create(stageplan=Stageplan.objects.get(stage=stage), title="Cv-ketel")

    old = migrate(BEFORE).apps
    OldWijziging = old.get_model("beoordeling", "Wijziging")
    BeoordelingWijziging = old.get_model("beoordeling", "BeoordelingWijziging")
    LeerdoelStatusChange = old.get_model("stageplan", "LeerdoelStatusChange")
    OldWijziging.objects.create(
        gesprek_id=gesprek.pk, user_id=stagiair.pk, at=at(1), action="reflectie_saved", data={"reflectie_goed": "ok"}
    )
    OldWijziging.objects.create(
        evaluatie_id=evaluatie.pk, user_id=gone.pk, at=at(2), action="refused", data={"lessen": "Mijn tekst"}
    )
    trail = [
        ("Beoordeling gestart", "", "", opleider),
        (
            "Antwoorden stagiair opgeslagen",
            "Veilig: – → goed\nLeert: toelichting gewijzigd",
            "stagiair",
            stagiair,
        ),
        ("Ondertekend door bedrijf", "", "", opleider),
        ("Correctie van versie 1", "De conclusie was verwisseld.", "", opleider),
        ("Iets wat geen zin van de portal is", "met uitleg", "", opleider),
    ]
    for day, (action, detail, party, user) in enumerate(trail, start=3):
        BeoordelingWijziging.objects.create(
            beoordeling_id=beoordeling.pk, user_id=user.pk, at=at(day), action=action, detail=detail, party=party
        )
    LeerdoelStatusChange.objects.create(leerdoel_id=leerdoel.pk, status="gepland", changed_by_id=stagiair.pk)
    LeerdoelStatusChange.objects.filter(status="gepland").update(changed_at=at(10))
    LeerdoelStatusChange.objects.create(leerdoel_id=leerdoel.pk, status="bezig", changed_by_id=opleider.pk)
    LeerdoelStatusChange.objects.filter(status="bezig").update(changed_at=at(11))
    old.get_model("stagegids", "User").objects.filter(pk=gone.pk).delete()

    migrate(None)

    tables = connection.introspection.table_names()
    for table in ("beoordeling_wijziging", "beoordeling_beoordelingwijziging", "stageplan_leerdoelstatuschange"):
        assert table not in tables
    assert Wijziging.objects.count() == 2 + len(trail) + 2
    assert set(Wijziging.objects.values_list("stage_id", flat=True)) == {stage.pk}

    reflectie, refused = Wijziging.objects.for_object(gesprek).get(), Wijziging.objects.for_object(evaluatie).get()
    assert (reflectie.at, reflectie.user, reflectie.role, reflectie.action) == (
        at(1),
        stagiair,
        "stagiair",
        "reflectie_saved",
    )
    assert reflectie.data == {"reflectie_goed": "ok"} and reflectie.label == "zelfreflectie bewaard"
    assert (refused.at, refused.user, refused.data) == (at(2), None, {"lessen": "Mijn tekst"})

    rows = list(Wijziging.objects.for_object(beoordeling))
    assert [(w.at, w.user, w.label) for w in rows] == [
        (at(day), user, action) for day, (action, _detail, _party, user) in enumerate(trail, start=3)
    ]
    started, answers, signed, corrected, note = rows
    assert started.action == "beoordeling_started" and started.details() == []
    assert (answers.action, answers.role, answers.data["party"]) == ("answers_saved", "stagiair", "stagiair")
    assert answers.details() == ["Veilig: – → goed", "Leert: toelichting gewijzigd"]
    assert (signed.action, signed.data) == ("signed", {"side": "bedrijf"})
    assert (corrected.action, corrected.data) == ("corrected", {"version": 1, "reason": "De conclusie was verwisseld."})
    assert corrected.details() == ["De conclusie was verwisseld."]
    assert (note.action, note.details()) == ("note", ["met uitleg"])

    history = list(leerdoel.status_history())
    assert [(w.at, w.user, w.label, w.changes) for w in history] == [
        (at(10), stagiair, "gepland", {"status": [None, "gepland"]}),
        (at(11), opleider, "bezig", {"status": ["gepland", "bezig"]}),
    ]
    assert [w.role for w in history] == ["stagiair", ""]

    # A rollback puts the trail back in the old tables, also what was written since, and going forward again
    # copies nothing twice.
    Wijziging.log(
        beoordeling, BeoordelingAction.CONCLUSIE_SAVED, user=opleider, changes={"conclusie": ["ja", "twijfel"]}
    )
    old = migrate(BEFORE).apps
    back = list(
        old.get_model("beoordeling", "BeoordelingWijziging")
        .objects.order_by("pk")
        .values_list("at", "user_id", "action", "detail", "party")
    )
    assert back[:-1] == [
        (at(day), user.pk, action, detail, party) for day, (action, detail, party, user) in enumerate(trail, start=3)
    ]
    assert back[-1][2:] == (
        "Conclusie gewijzigd",
        f"{Beoordeling._meta.get_field('conclusie').verbose_name}: ja → twijfel",
        "",
    )
    assert list(
        old.get_model("beoordeling", "Wijziging").objects.order_by("pk").values_list("gesprek_id", "action", "data")
    ) == [(gesprek.pk, "reflectie_saved", {"reflectie_goed": "ok"}), (None, "refused", {"lessen": "Mijn tekst"})]
    assert list(
        old.get_model("stageplan", "LeerdoelStatusChange").objects.order_by("pk").values_list("status", "changed_at")
    ) == [("gepland", at(10)), ("bezig", at(11))]
    assert "stagegids_wijziging" not in connection.introspection.table_names()
    migrate(None)
    assert Wijziging.objects.count() == 2 + len(trail) + 1 + 2
