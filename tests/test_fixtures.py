"""The ground the other tests stand on: each test finds the world as built, and a naive datetime is an error."""

from datetime import datetime, timedelta

import pytest

from leerbedrijf.models import Kwalificatie, Stage
from stageplan.models import Leerdoel, Moment


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_finds_the_world_as_built(world, turn):
    """Both turns change the world; whichever runs second fails if the first one's changes were kept."""
    assert not Leerdoel.objects.filter(title="Door een andere test").exists()
    assert Stage.objects.get(pk=world.stage.pk).end_date == world.stage.end_date
    assert not hasattr(world.stage, "changed_by_a_test")
    assert world.check.evidence.storage.exists(world.check.evidence.name)

    Leerdoel.objects.create(stageplan=world.stageplan, title="Door een andere test")
    Stage.objects.filter(pk=world.stage.pk).update(end_date=world.stage.end_date + timedelta(days=1))
    world.stage.changed_by_a_test = True
    world.check.evidence.delete(save=False)


@pytest.mark.parametrize("turn", [1, 2])
def test_a_test_without_the_world_finds_none_of_it(db, turn):
    assert not Stage.objects.exists()
    # What the migrations loaded is there, also after a transactional test flushed the tables.
    assert Kwalificatie.objects.filter(crebo="25333").exists()


def test_a_naive_datetime_is_an_error(world):
    with pytest.raises(RuntimeWarning, match="received a naive datetime"):
        Moment.objects.filter(pk=world.moment.pk).update(starts_at=datetime(2026, 9, 1, 10, 0))
