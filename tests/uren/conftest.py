from datetime import timedelta
from decimal import Decimal

import pytest

from .steps import last_monday


@pytest.fixture
def stage(world):
    """The world's stage, 3 days of 8 hours a week, running since well before last week."""
    stage = world.stage
    type(stage).objects.filter(pk=stage.pk).update(
        days_per_week=Decimal(3),
        hours_per_week=Decimal(24),
        start_date=last_monday() - timedelta(days=60),
        end_date=last_monday() + timedelta(days=120),
    )
    stage.refresh_from_db()
    return stage
