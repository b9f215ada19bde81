"""The steps that are final, or that change what someone else may do, ask for confirmation on a page of their own
(without JavaScript), happen once however often or however many at once click, and say so; a role that was ended
can be restored. Ondertekenen (beoordeling), gesprek afronden (gesprekken), rol beëindigen and herstellen
(leerbedrijf), and a beoordeling started once however often its button is clicked."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from beoordeling.beoordelingen.models import AlreadyDone, Beoordeling, BeoordelingAction, BeoordelingState
from beoordeling.gesprekken.models import GesprekAction, Voortgangsgesprek
from leerbedrijf.models import Membership
from leerbedrijf.models.organisatie import MembershipAction
from stagegids.models import Wijziging
from stagegids.roles import Role
from stagemap.signals import document_finished
from stageplan.models import MomentKind
from tests.beoordeling.test_beoordeling import fill
from tests.beoordeling.test_gesprekken import NOTES
from tests.confirm import CONFIRMED
from tests.factories import MembershipFactory, MomentFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel requests need a database with real locking"
)


def in_parallel(*requests):
    """POST each (user, url, data) at the same moment, each from its own logged-in client, thread and connection."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(n, user, url, data):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            responses[n] = client.post(url, data, follow=True)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, *request)) for n, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


# --- ondertekenen --------------------------------------------------------------------------------------------------


def ready_to_sign(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    b.refresh_from_db()
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:conclude", args=[b.pk]), {"revision": b.revision, "conclusie": "ja"})
    b.refresh_from_db()
    return b


def test_ondertekenen_asks_for_confirmation_and_says_what_becomes_final(client, world):
    b = ready_to_sign(client, world)
    url = reverse("beoordeling:sign", args=[b.pk])
    assert f'href="{url}"' in client.get(b.get_absolute_url()).text, "the detail page links to the confirm step"
    page = client.get(url)
    assert page.status_code == 200
    assert "De tussenbeoordeling van Sam Stagiair ondertekenen?" in page.text
    assert "staat de beoordeling vast en maakt de portal het verslag voor de stagemap" in page.text
    assert "De mbo-begeleider ziet het zodra de praktijkopleider het deelt." in page.text
    assert "Ondertekenen is definitief" in page.text and 'name="confirmed"' in page.text
    assert client.post(url).status_code == 200, "without the confirmed form the confirm page is shown again"
    b.refresh_from_db()
    assert b.bedrijf_signed_at is None
    client.force_login(world.stagiair)
    assert "Met je handtekening bevestig je" in client.get(url).text


def test_a_second_signature_click_changes_nothing_and_says_it_was_done(client, world):
    b = ready_to_sign(client, world)
    url = reverse("beoordeling:sign", args=[b.pk])
    client.post(url, CONFIRMED)
    signed_at = Beoordeling.objects.get(pk=b.pk).bedrijf_signed_at
    response = client.post(url, CONFIRMED, follow=True)
    assert "Al ondertekend door Olga Opleider op" in response.text and "er is niets gewijzigd" in response.text
    assert "Al ondertekend door Olga Opleider" in client.get(url, follow=True).text
    assert Beoordeling.objects.get(pk=b.pk).bedrijf_signed_at == signed_at
    assert Wijziging.objects.for_object(b).filter(action=BeoordelingAction.SIGNED).count() == 1


def test_a_signature_from_a_page_loaded_before_the_first_one_changes_nothing(client, world):
    b = ready_to_sign(client, world)
    stale = Beoordeling.objects.get(pk=b.pk)
    b.sign(by=world.opleider)
    with pytest.raises(AlreadyDone, match="Al ondertekend door Olga Opleider"):
        stale.sign(by=world.opleider)
    assert Wijziging.objects.for_object(b).filter(action=BeoordelingAction.SIGNED).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_signatures_sign_once_and_finish_once(world):
    b = ready_to_sign(Client(), world)
    url = reverse("beoordeling:sign", args=[b.pk])
    finished = []

    def count(sender, **kwargs):
        finished.append(kwargs["stage_id"])

    document_finished.connect(count, sender=Beoordeling, weak=False)
    try:
        responses = in_parallel(*[(world.opleider, url, CONFIRMED)] * 3, *[(world.stagiair, url, CONFIRMED)] * 3)
    finally:
        document_finished.disconnect(count, sender=Beoordeling)
    b.refresh_from_db()
    assert b.state == BeoordelingState.ONDERTEKEND
    trail = Wijziging.objects.for_object(b)
    assert trail.filter(action=BeoordelingAction.SIGNED).count() == 2
    assert trail.filter(action=BeoordelingAction.SIGNED_BY_BOTH).count() == 1 and finished == [world.stage.pk]
    said = [r.text for r in responses]
    assert sum("U heeft de beoordeling ondertekend." in text for text in said) == 2
    assert sum("Al ondertekend door" in text for text in said) == 4


# --- gesprek afronden ----------------------------------------------------------------------------------------------


def with_notes(client, world):
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:gesprek_notes", args=[world.moment.pk]), {"version": 1, **NOTES})
    return reverse("beoordeling:gesprek_afronden", args=[world.moment.pk])


def test_afronden_asks_for_confirmation_and_says_it_is_final(client, world):
    url = with_notes(client, world)
    detail = client.get(reverse("beoordeling:gesprek", args=[world.moment.pk])).text
    assert f'href="{url}?version=2"' in detail, "the link names the notes version the page showed"
    page = client.get(url, {"version": 2})
    assert "Het voortgangsgesprek van" in page.text and "afronden?" in page.text
    assert "De notities en de afspraak van dit gesprek staan daarna vast" in page.text
    assert "De mbo-begeleider ziet het pas als een praktijkopleider het deelt." in page.text
    assert "Afronden is definitief" in page.text
    assert "De stagiair heeft de zelfreflectie nog niet ingediend" in page.text
    assert 'name="version" value="2"' in page.text and 'name="confirmed"' in page.text
    assert client.post(url, {"version": 2}).status_code == 200
    assert not Voortgangsgesprek.objects.get(moment=world.moment).is_afgerond
    response = client.post(url, {"version": 2, **CONFIRMED}, follow=True)
    assert "Het gesprek is afgerond. Het verslag staat vast." in response.text


def test_notes_saved_after_the_page_was_read_still_block_the_close(client, world):
    url = with_notes(client, world)
    client.post(reverse("beoordeling:gesprek_notes", args=[world.moment.pk]), {"version": 2, **NOTES})
    response = client.post(url, {"version": 2, **CONFIRMED}, follow=True)
    assert "Niet afgerond: het gesprek is intussen gewijzigd." in response.text
    assert not Voortgangsgesprek.objects.get(moment=world.moment).is_afgerond


def test_a_second_afronden_click_changes_nothing_and_says_it_was_done(client, world):
    url = with_notes(client, world)
    client.post(url, {"version": 2, **CONFIRMED})
    for response in (client.post(url, {"version": 2, **CONFIRMED}, follow=True), client.get(url, follow=True)):
        assert "Dit gesprek was al afgerond door Olga Opleider op" in response.text
    gesprek = Voortgangsgesprek.objects.get(moment=world.moment)
    assert Wijziging.objects.for_object(gesprek).filter(action=GesprekAction.AFGEROND).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_afronden_closes_once(world):
    url = with_notes(Client(), world)
    responses = in_parallel(*[(world.opleider, url, {"version": 2, **CONFIRMED})] * 4)
    gesprek = Voortgangsgesprek.objects.get(moment=world.moment)
    assert gesprek.is_afgerond
    assert Wijziging.objects.for_object(gesprek).filter(action=GesprekAction.AFGEROND).count() == 1
    said = [r.text for r in responses]
    assert sum("Het gesprek is afgerond." in text for text in said) == 1
    assert sum("Dit gesprek was al afgerond door" in text for text in said) == 3


# --- rol beëindigen en herstellen ----------------------------------------------------------------------------------


def end_url(world, membership):
    return reverse("leerbedrijf:membership_end", args=[world.a.pk, membership.pk])


def restore_url(world, membership):
    return reverse("leerbedrijf:membership_restore", args=[world.a.pk, membership.pk])


def test_ending_a_role_asks_for_confirmation_and_names_the_stages_to_hand_over(client, world):
    membership = world.wpb.memberships.get()
    client.force_login(world.opleider)
    assert f'href="{end_url(world, membership)}"' in client.get(world.a.get_absolute_url()).text
    page = client.get(end_url(world, membership))
    assert "De rol werkplekbegeleider / praktijkbegeleider van Willem Begeleider beëindigen?" in page.text
    assert "Sam Stagiair" in page.text, "the stage he begeleidt, to give another werkplekbegeleider"
    assert "krijgt er geen bericht over" in page.text and "Een praktijkopleider herstelt de rol" in page.text
    assert client.post(end_url(world, membership)).status_code == 200
    membership.refresh_from_db()
    assert membership.ended_at is None


def test_an_ended_role_is_restored_by_a_praktijkopleider_and_both_are_in_the_trail(client, world):
    membership = world.wpb.memberships.get()
    client.force_login(world.opleider)
    response = client.post(end_url(world, membership), CONFIRMED, follow=True)
    assert "De rol werkplekbegeleider / praktijkbegeleider van Willem Begeleider is beëindigd." in response.text
    assert "Beëindigde rollen" in response.text and "beëindigd door Olga Opleider" in response.text
    client.force_login(world.wpb)
    assert client.get(world.stage.get_absolute_url()).status_code == 404

    client.force_login(world.opleider)
    response = client.post(restore_url(world, membership), follow=True)
    assert "De rol werkplekbegeleider / praktijkbegeleider van Willem Begeleider is hersteld." in response.text
    membership.refresh_from_db()
    assert membership.ended_at is None and membership.ended_by is None
    client.force_login(world.wpb)
    assert client.get(world.stage.get_absolute_url()).status_code == 200
    trail = Wijziging.objects.for_object(membership).order_by("at", "pk")
    assert [(w.action, w.user, w.role) for w in trail] == [
        (MembershipAction.ENDED, world.opleider, Role.PRAKTIJKOPLEIDER),
        (MembershipAction.RESTORED, world.opleider, Role.PRAKTIJKOPLEIDER),
    ]
    assert [w.label for w in trail] == [
        "Rol werkplekbegeleider / praktijkbegeleider beëindigd",
        "Rol werkplekbegeleider / praktijkbegeleider hersteld",
    ]


def test_a_second_click_on_end_or_restore_changes_nothing_and_says_it_was_done(client, world):
    membership = world.wpb.memberships.get()
    client.force_login(world.opleider)
    client.post(end_url(world, membership), CONFIRMED)
    response = client.post(end_url(world, membership), CONFIRMED, follow=True)
    assert "was al beëindigd door Olga Opleider op" in response.text
    client.post(restore_url(world, membership))
    response = client.post(restore_url(world, membership), follow=True)
    assert (
        "De rol werkplekbegeleider / praktijkbegeleider van Willem Begeleider is al actief; er is niets gewijzigd."
        in response.text
    )
    assert Wijziging.objects.for_object(membership).count() == 2


def test_a_role_held_again_by_a_new_invitation_is_not_restored_twice(client, world):
    membership = world.wpb.memberships.get()
    membership.end(by=world.opleider)
    MembershipFactory(user=world.wpb, role=Role.WERKPLEKBEGELEIDER, leerbedrijf=world.a)
    client.force_login(world.opleider)
    assert "heeft deze rol weer" in client.get(world.a.get_absolute_url()).text
    response = client.post(restore_url(world, membership), follow=True)
    assert "is intussen opnieuw werkplekbegeleider / praktijkbegeleider; de oude rol is niet hersteld." in response.text
    assert Membership.objects.active().filter(user=world.wpb).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_end_and_restore_happen_once(world):
    membership = world.wpb.memberships.get()
    ended = in_parallel(*[(world.opleider, end_url(world, membership), CONFIRMED)] * 4)
    assert sum("is beëindigd." in r.text for r in ended) == 1
    assert sum("was al beëindigd" in r.text for r in ended) == 3
    restored = in_parallel(*[(world.opleider, restore_url(world, membership), {})] * 4)
    assert sum("is hersteld." in r.text for r in restored) == 1
    membership.refresh_from_db()
    assert membership.ended_at is None
    trail = Wijziging.objects.for_object(membership)
    assert (
        trail.filter(action=MembershipAction.ENDED).count()
        == trail.filter(action=MembershipAction.RESTORED).count()
        == 1
    )


# --- een beoordeling starten ---------------------------------------------------------------------------------------


def started_from_the_page(client, world, user):
    """The form "Beoordeling starten zonder gepland moment" as its page shows it."""
    client.force_login(user)
    listing = client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
    started = re.search(r'name="started" value="(\d+)"', listing).group(1)
    return {"kind": "tussenbeoordeling", "started": started}


def test_a_beoordeling_without_a_moment_is_started_once_however_often_clicked(client, world):
    start = reverse("beoordeling:start", args=[world.stage.pk])
    form = started_from_the_page(client, world, world.opleider)
    before = Beoordeling.objects.filter(stage=world.stage).count()
    client.post(start, form)
    response = client.post(start, form, follow=True)
    assert "Er is intussen al een beoordeling gestart" in response.content.decode()
    assert Beoordeling.objects.filter(stage=world.stage).count() == before + 1
    # Asked again from the page as it is now, it starts the next one.
    client.post(start, started_from_the_page(client, world, world.opleider))
    assert Beoordeling.objects.filter(stage=world.stage).count() == before + 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_start_one(world):
    client = Client()
    start = reverse("beoordeling:start", args=[world.stage.pk])
    form = started_from_the_page(client, world, world.opleider)
    before = Beoordeling.objects.filter(stage=world.stage).count()
    responses = in_parallel((world.opleider, start, form), (world.opleider, start, form))
    assert all(response.status_code == 200 for response in responses)
    assert Beoordeling.objects.filter(stage=world.stage).count() == before + 1
    planned = MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING)
    on_moment = {"kind": "tussenbeoordeling", "moment": planned.pk}
    in_parallel((world.opleider, start, on_moment), (world.opleider, start, on_moment))
    assert Beoordeling.objects.filter(moment=planned).count() == 1
