"""The progress picture of a stage (issue 16) through its page: leerdoelen reached over time from the status steps
the leerdoel pages record, and the tussenbeoordeling's werkprocessen as both parties scored them, side by side, shown
only once both forms are in and only to whoever sees that beoordeling."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from beoordeling.voortgang import picture
from stagegids.models import Wijziging
from stageplan.models import Leerdoel, LeerdoelAction
from tests.beoordeling.test_beoordeling import fill
from tests.queries import count_queries
from tests.stageplan.test_stageplan import leerdoel_data
from tests.stageplan.test_stageplan import url as plan_url


def url(world):
    return reverse("beoordeling:voortgangsbeeld", args=[world.stage.pk])


def get(client, user, world):
    client.force_login(user)
    response = client.get(url(world))
    assert response.status_code == 200
    return response.content.decode()


def table_rows(page, heading):
    """The rows (cells as text) of the table after `heading`."""
    section = page[page.index(heading) :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_leerdoelen_reached_over_time_follow_the_leerdoel_pages(client, world):
    w = world
    client.force_login(w.stagiair)
    client.post(plan_url("leerdoel_add", w), leerdoel_data(w, title="Radiator plaatsen"))
    client.post(plan_url("leerdoel_add", w), leerdoel_data(w, title="Cv-ketel vullen"))
    radiator = Leerdoel.objects.get(title="Radiator plaatsen")
    steps = Wijziging.objects.filter(action=LeerdoelAction.STATUS, object_id=radiator.pk)
    # The step to "behaald" comes a week later, as the trail records it.
    edit = plan_url("leerdoel_edit", w, leerdoel_pk=radiator.pk)
    client.post(edit, leerdoel_data(w, title="Radiator plaatsen", status="behaald"))
    assert steps.count() == 2
    week_ago = timezone.now() - timedelta(days=7)
    Wijziging.objects.filter(action=LeerdoelAction.STATUS).exclude(pk=steps.order_by("-at").first().pk).update(
        at=week_ago
    )

    page = get(client, w.opleider, w)
    today, then = timezone.localdate(), timezone.localdate(week_ago)
    # The world's leerdoel was made without a status step; today's point counts the plan as it is.
    assert picture.leerdoelen_over_time(w.stage) == [picture.Point(then, 0, 2), picture.Point(today, 1, 3)]
    rows = table_rows(page, "Leerdoelen behaald in de loop van de stage")
    assert rows[-1][1:] == ["1", "3"] and rows[0][1:] == ["0", "2"]
    assert "Leerdoelen behaald: nu 1 van 3." in page
    assert page.count('class="dot-reached"') == 2


def test_werkprocessen_side_by_side_once_both_forms_are_in(client, world):
    w = world
    b = w.beoordeling
    criteria = list(b.criteria.all())
    first_werkproces = criteria[0].werkproces_label
    # Whatever the form's scale: its lowest step, the first that counts as voldoende, its highest.
    steps = b.scale_steps()
    end = next(index for index, step in enumerate(steps) if step[2])
    (low, low_label, _), (passing, passing_label, _), (top, top_label, _) = steps[0], steps[end], steps[-1]
    opleider_scores = {c.pk: (top if c.werkproces_label == first_werkproces else passing) for c in criteria}
    stagiair_scores = {c.pk: (low if c.werkproces_label == first_werkproces else top) for c in criteria}
    fill(client, w.opleider, b, scores=opleider_scores, note="", submit=True)
    # One form in: nothing side by side yet, for either party.
    for user in (w.opleider, w.stagiair):
        assert "Er is nog geen tussenbeoordeling waarvan beide formulieren zijn ingeleverd" in get(client, user, w)
    fill(client, w.stagiair, b, scores=stagiair_scores, note="", submit=True)

    for user in (w.opleider, w.stagiair, w.beoordelaar):
        page = get(client, user, w)
        rows = table_rows(page, "Werkprocessen bij de tussenbeoordeling")
        assert rows[0] == [first_werkproces, str(top_label), str(low_label)]
        assert rows[-1] == ["Beroepshouding", str(passing_label), str(top_label)]
        assert f"eindniveau: {passing_label}" in page
    # The bars: the highest step reaches the end of the scale, the lowest is a sliver at its start.
    chart = picture.bar_chart(b, picture.werkproces_scores(b))
    plot = picture.WIDTH - 2 * picture.MARGIN
    assert chart.bars[0][1] == plot and chart.bars[1][1] == 2
    assert chart.end_x == round(picture.MARGIN + plot * end / (len(steps) - 1), 1)

    # The werkplekbegeleider reads the plan, not the beoordeling: the page, without its scores.
    page = get(client, w.wpb, w)
    assert "Werkprocessen bij de tussenbeoordeling" in page and "eindniveau" not in page


def test_the_page_costs_the_same_queries_with_more_leerdoelen(client, world):
    client.force_login(world.stagiair)
    client.post(plan_url("leerdoel_add", world), leerdoel_data(world, title="Een"))
    client.force_login(world.opleider)
    few = count_queries(client, url(world))
    client.force_login(world.stagiair)
    for title in ("Twee", "Drie", "Vier"):
        client.post(plan_url("leerdoel_add", world), leerdoel_data(world, title=title))
    client.force_login(world.opleider)
    assert count_queries(client, url(world)) == few
