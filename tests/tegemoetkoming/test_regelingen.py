"""The schemes' figures are rows with their source, seeded from what is published and kept by the beheerder."""

from datetime import date

from django.urls import reverse

from tegemoetkoming.models import Regeling, Regelingsjaar


def test_seeded_rows_name_their_source_and_mark_what_is_to_be_checked(db):
    stip = Regelingsjaar.objects.holding_on(Regeling.STIP, date(2024, 5, 1))
    assert (stip.amount, stip.deadline_months, stip.min_hours, stip.min_hours_per_week) == (650, 6, 400, 15)
    assert stip.source_url.startswith("https://www.wij-techniek.nl/")
    praktijkleren = Regelingsjaar.objects.holding_on(Regeling.PRAKTIJKLEREN, date(2024, 7, 31))
    assert (praktijkleren.amount, praktijkleren.max_weeks) == (2700, 40)
    assert (praktijkleren.window_opens, praktijkleren.window_closes) == (date(2024, 6, 3), date(2024, 9, 17))
    # What no published text confirmed is marked, never silently filled in.
    later = Regelingsjaar.objects.holding_on(Regeling.PRAKTIJKLEREN, date(2025, 9, 1))
    assert later.window_closes is None
    assert later.to_check
    assert all(row.source_title and row.source_url for row in Regelingsjaar.objects.all())
    assert Regelingsjaar.objects.holding_on(Regeling.STIP, date(2019, 1, 1)) is None


def test_the_beheerder_edits_a_figure_in_beheer(client, world):
    client.force_login(world.staff)
    row = Regelingsjaar.objects.holding_on(Regeling.PRAKTIJKLEREN, date(2025, 9, 1))
    url = reverse("admin:tegemoetkoming_regelingsjaar_change", args=[row.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(window_opens="2026-06-01", window_closes="2026-09-15", source_note="Gecontroleerd op rvo.nl")
    response = client.post(url, data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.window_opens, row.window_closes, row.to_check) == (date(2026, 6, 1), date(2026, 9, 15), False)
    changelist = client.get(reverse("admin:tegemoetkoming_regelingsjaar_changelist")).content.decode()
    assert "Subsidieregeling praktijkleren" in changelist
