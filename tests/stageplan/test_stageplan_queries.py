"""The stageplan pages take the same number of queries with 1 and with 30 leerdoelen, versions, observaties,
moments and proposals."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stageplan.changes import save_change
from stageplan.models import Leerdoel, LeerdoelComment, Moment, MomentKind, MomentVoorstel, Observatie
from tests.factories import WerkprocesFactory


def grow(w, n):
    """Bring the world's plan to n leerdoelen, each with a werkproces, comment, status change and observatie,
    and as many versions."""
    for i in range(n - 1):

        def add(i=i):
            leerdoel = Leerdoel.objects.create(
                stageplan=w.stageplan,
                werkproces=WerkprocesFactory(kerntaak=w.kerntaak),
                title=f"Leerdoel {i}",
                target_date=w.stage.start_date,
            )
            leerdoel.record_status(old=None, by=w.stagiair)
            LeerdoelComment.objects.create(leerdoel=leerdoel, author=w.opleider, text="ok")
            Observatie.objects.create(
                stage=w.stage, leerdoel=w.leerdoel, author=w.wpb, date=w.stage.start_date, text="x", kind="goed"
            )
            LeerdoelComment.objects.create(leerdoel=w.leerdoel, author=w.opleider, text="ok")
            w.leerdoel.status = "bezig"
            w.leerdoel.record_status(old="gepland", by=w.stagiair)
            # A moment with the school, one cancelled, and the stagiair's proposals: a new moment and a new date.
            starts_at = timezone.now() + timedelta(days=10 + i)
            moment = Moment.objects.create(stage=w.stage, kind=MomentKind.STARTGESPREK, starts_at=starts_at)
            Moment.objects.create(stage=w.stage, kind="eindgesprek", starts_at=starts_at, cancelled_at=timezone.now())
            for about in (None, moment):
                MomentVoorstel.objects.create(
                    stage=w.stage, moment=about, kind=moment.kind, starts_at=starts_at, proposed_by=w.stagiair
                )

        save_change(stageplan=w.stageplan, based_on=w.stageplan.version, by=w.stagiair, summary="groei", apply=add)


PAGES = {
    "detail": lambda w: reverse("stageplan:detail", args=[w.stage.pk]),
    "leerdoel": lambda w: reverse("stageplan:leerdoel", args=[w.stage.pk, w.leerdoel.pk]),
    "leerdoel_add": lambda w: reverse("stageplan:leerdoel_add", args=[w.stage.pk]),
    "versions": lambda w: reverse("stageplan:versions", args=[w.stage.pk]),
    "diff": lambda w: reverse("stageplan:diff", args=[w.stage.pk]),
    "timeline": lambda w: reverse("stageplan:timeline", args=[w.stage.pk]),
    "moments": lambda w: reverse("stageplan:moments", args=[w.stage.pk]),
    "observaties": lambda w: reverse("stageplan:observaties"),
    "shared": lambda w: reverse("stageplan:shared", args=[w.stage.pk]),
    "start": lambda w: reverse("start"),
}
# Pages seen by someone else than the praktijkopleider: (persona, page).
AS = {
    "start_stagiair": ("stagiair", "start"),
    "observaties_stagiair": ("stagiair", "observaties"),
    "moments_stagiair": ("stagiair", "moments"),
    "moments_mbo": ("mbo", "moments"),
    "start_mbo": ("mbo", "start"),
}


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", [*PAGES, *AS])
def test_constant_queries(client, world, page, django_assert_num_queries):
    persona, page = AS.get(page, ("opleider", page))
    client.force_login(getattr(world, persona))
    url = PAGES[page](world)
    small = count(client, url)
    grow(world, 30)
    assert Leerdoel.objects.count() == 30 and world.stageplan.versions.count() >= 30
    assert Moment.objects.count() > 30 and MomentVoorstel.objects.count() > 30
    with django_assert_num_queries(small):
        client.get(url)
