"""The history of an erkenning's status: written wherever the status changes, seeded from the present status, and
asked whether a leerbedrijf was erkend for a crebo over a whole period (issue 14)."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from leerbedrijf.models import Erkenning, ErkenningStatusPeriode, covers
from tests.factories import ErkenningFactory, KwalificatieFactory

seed = importlib.import_module("leerbedrijf.migrations.0015_erkenning_status_history")


def history(erkenning):
    return list(erkenning.history.order_by("since").values_list("status", "since", "until"))


def edit(client, erkenning, **data):
    response = client.post(reverse("leerbedrijf:erkenning_edit", args=[erkenning.pk]), data)
    assert response.status_code == 302, response.content.decode()


def test_pages_write_each_status_change_as_a_period(client, world):
    kwalificatie = KwalificatieFactory(crebo="25332")
    client.force_login(world.opleider)
    client.post(
        reverse("leerbedrijf:erkenning_create", args=[world.a.pk]),
        {"kwalificatie": kwalificatie.pk, "status": "aangevraagd", "applied_on": "2024-01-10"},
    )
    erkenning = Erkenning.objects.get(leerbedrijf=world.a, kwalificatie=kwalificatie)
    assert history(erkenning) == [("aangevraagd", date(2024, 1, 10), None)]

    edit(client, erkenning, status="erkend", applied_on="2024-01-10", granted_on="2024-03-01")
    edit(client, erkenning, status="ingetrokken", applied_on="2024-01-10", granted_on="2024-03-01",
         withdrawn_on="2025-02-01")  # fmt: skip
    assert history(erkenning) == [
        ("aangevraagd", date(2024, 1, 10), date(2024, 3, 1)),
        ("erkend", date(2024, 3, 1), date(2025, 2, 1)),
        ("ingetrokken", date(2025, 2, 1), None),
    ]
    page = client.get(erkenning.get_absolute_url()).content.decode()
    assert "Geschiedenis van de status" in page
    assert "1 maart 2024" in page


def test_saving_without_a_change_adds_nothing_and_a_corrected_date_moves_the_period(client, world):
    client.force_login(world.opleider)
    erkenning = world.erkenning
    granted = erkenning.granted_on
    edit(client, erkenning, status="erkend", granted_on=granted.isoformat(), sbb_reference="X-1")
    assert history(erkenning) == [("erkend", granted, None)]
    edit(client, erkenning, status="erkend", granted_on="2020-05-04")
    assert history(erkenning) == [("erkend", date(2020, 5, 4), None)]


def test_a_status_dated_back_replaces_what_the_history_said_from_that_day(world):
    erkenning = ErkenningFactory(
        leerbedrijf=world.a, kwalificatie=KwalificatieFactory(crebo="25100"), status="in_voorbereiding", granted_on=None
    )
    start = erkenning.history.get().since
    erkenning.status, erkenning.granted_on = "erkend", date(2019, 9, 1)
    erkenning.save()
    assert history(erkenning) == [("erkend", date(2019, 9, 1), None)]
    assert start > date(2019, 9, 1)


def test_the_beheerder_changes_the_status_in_beheer_and_the_history_follows(client, world):
    client.force_login(world.staff)
    erkenning = world.erkenning
    url = reverse("admin:leerbedrijf_erkenning_change", args=[erkenning.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "unavailable_werkprocessen"}
    data.update(status="ingetrokken", withdrawn_on="2026-06-30", granted_on=erkenning.granted_on.isoformat())
    for prefix in ("checks", "history"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    checks = list(erkenning.checks.order_by("pk"))
    data.update({"checks-TOTAL_FORMS": str(len(checks)), "checks-INITIAL_FORMS": str(len(checks))})
    for number, check in enumerate(checks):
        data.update({f"checks-{number}-id": check.pk, f"checks-{number}-erkenning": erkenning.pk,
                     f"checks-{number}-note": check.note})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert history(erkenning)[-2:] == [
        ("erkend", erkenning.granted_on, date(2026, 6, 30)),
        ("ingetrokken", date(2026, 6, 30), None),
    ]


@pytest.mark.parametrize(
    ("periods", "start", "end", "expected"),
    [
        ([(date(2024, 1, 1), None)], date(2024, 1, 1), date(2030, 1, 1), True),
        ([(date(2024, 1, 2), None)], date(2024, 1, 1), date(2024, 6, 1), False),  # one day too late
        ([(date(2023, 1, 1), date(2024, 6, 1))], date(2024, 1, 1), date(2024, 5, 31), True),  # until is exclusive
        ([(date(2023, 1, 1), date(2024, 6, 1))], date(2024, 1, 1), date(2024, 6, 1), False),
        ([(date(2023, 1, 1), date(2024, 3, 1)), (date(2024, 3, 1), None)], date(2024, 1, 1), date(2025, 1, 1), True),
        ([(date(2023, 1, 1), date(2024, 3, 1)), (date(2024, 3, 2), None)], date(2024, 1, 1), date(2025, 1, 1), False),
        ([], date(2024, 1, 1), date(2024, 1, 1), False),
    ],
)
def test_covers_at_each_boundary(periods, start, end, expected):
    assert covers(periods, start, end) is expected


def test_erkend_throughout_reads_the_history_not_the_present_status(world):
    erkenning = ErkenningFactory(
        leerbedrijf=world.a, kwalificatie=KwalificatieFactory(crebo="25101"), granted_on=date(2023, 8, 1)
    )
    erkenning.status, erkenning.withdrawn_on = "ingetrokken", date(2024, 2, 1)
    erkenning.save()
    ask = ErkenningStatusPeriode.objects.erkend_throughout
    ids = {"leerbedrijf_id": world.a.pk, "kwalificatie_id": erkenning.kwalificatie_id}
    assert ask(**ids, start=date(2023, 8, 1), end=date(2024, 1, 31))
    assert not ask(**ids, start=date(2023, 8, 1), end=date(2024, 2, 1))
    assert not ask(**ids, start=date(2023, 7, 31), end=date(2023, 12, 1))
    assert not ask(leerbedrijf_id=world.b.pk, kwalificatie_id=erkenning.kwalificatie_id,
                   start=date(2023, 9, 1), end=date(2023, 10, 1))  # fmt: skip


def test_the_migration_seeds_a_history_from_the_present_status(world):
    erkend = ErkenningFactory(
        leerbedrijf=world.a, kwalificatie=KwalificatieFactory(crebo="25102"), granted_on=date(2022, 4, 1)
    )
    withdrawn = ErkenningFactory(
        leerbedrijf=world.a, kwalificatie=KwalificatieFactory(crebo="25103"), granted_on=date(2021, 1, 1)
    )
    Erkenning.objects.filter(pk=withdrawn.pk).update(status="ingetrokken", withdrawn_on=date(2023, 1, 1))
    ErkenningStatusPeriode.objects.all().delete()
    seed.seed_history(apps, None)
    assert history(erkend) == [("erkend", date(2022, 4, 1), None)]
    assert history(withdrawn) == [
        ("erkend", date(2021, 1, 1), date(2023, 1, 1)),
        ("ingetrokken", date(2023, 1, 1), None),
    ]
