"""An account is deactivated, never deleted: what the person wrote stays, they cannot log in, their roles end."""

from datetime import date, timedelta

from django.urls import reverse

from beoordeling.gesprekken.models import Afspraak
from leerbedrijf.models import Membership
from stagegids.accounts import AccountAction, deactivate
from stagegids.models import User, Wijziging
from stagemap.models import Verslag, VerslagComment
from tests.factories import PASSWORD


def changelist():
    return reverse("admin:stagegids_user_changelist")


def test_beheerder_deactivates_an_account_that_wrote_a_verslag_comment_and_an_afspraak(client, world):
    """Deleting this account raised ProtectedError (the verslag, the comment and the afspraak point at it)."""
    opleider = world.opleider
    client.force_login(opleider)
    client.post(reverse("stagemap:verslag_comment", args=[world.verslag.pk]), {"text": "Goed gedaan, Sam."})
    client.post(
        reverse("beoordeling:afspraak_add", args=[world.moment.pk]),
        {"text": "Gereedschapskist nalopen", "owner": opleider.pk, "due_date": date.today() + timedelta(days=7)},
    )
    comment = VerslagComment.objects.get(author=opleider)
    afspraak = Afspraak.objects.get(owner=opleider)

    client.force_login(world.staff)
    response = client.post(changelist(), {"action": "deactivate", "_selected_action": [opleider.pk]})
    assert response.status_code == 302
    opleider.refresh_from_db()
    assert opleider.is_active is False
    assert "1 account is gedeactiveerd; de rollen zijn beëindigd." in client.get(changelist()).text

    # Everything the person wrote stays, under their name.
    assert Verslag.objects.filter(pk=world.verslag.pk, created_by=opleider).exists()
    assert VerslagComment.objects.filter(pk=comment.pk, author=opleider).exists()
    assert Afspraak.objects.filter(pk=afspraak.pk, owner=opleider).exists()
    # Their roles ended, by the beheerder; the rows stay for the record.
    membership = Membership.objects.get(user=opleider)
    assert membership.ended_at is not None and membership.ended_by == world.staff
    entry = Wijziging.objects.for_object(opleider).get()
    assert (entry.action, entry.user, entry.label) == (AccountAction.DEACTIVATED, world.staff, "account gedeactiveerd")
    assert entry.details() == ["Rol praktijkopleider bij Installatiebedrijf A beëindigd"]


def test_the_admin_offers_no_delete_for_accounts_and_says_why(client, world):
    client.force_login(world.staff)
    delete = reverse("admin:stagegids_user_delete", args=[world.wpb.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(changelist(), {"action": "delete_selected", "_selected_action": [world.wpb.pk]})
    assert User.objects.filter(pk=world.wpb.pk).exists()
    page = client.get(changelist()).text
    assert "Een account wordt niet verwijderd" in page
    assert 'value="deactivate"' in page and 'value="delete_selected"' not in page
    assert response.status_code == 302


def test_unticking_actief_on_the_change_page_deactivates_through_the_same_function(client, world):
    client.force_login(world.staff)
    url = reverse("admin:stagegids_user_change", args=[world.wpb.pk])
    page = client.get(url).text
    assert "Een account wordt niet verwijderd" in page
    form = {"email": world.wpb.email, "name": world.wpb.name, "date_joined_0": "2026-01-05", "date_joined_1": "09:00"}
    response = client.post(url, form)
    assert response.status_code == 302, response.text
    world.wpb.refresh_from_db()
    assert world.wpb.is_active is False
    assert not Membership.objects.active().filter(user=world.wpb).exists()
    assert Wijziging.objects.for_object(world.wpb).get().action == AccountAction.DEACTIVATED

    client.post(url, {**form, "is_active": "on"})
    world.wpb.refresh_from_db()
    assert world.wpb.is_active is True
    assert not Membership.objects.active().filter(user=world.wpb).exists(), "roles return with a new invitation"
    assert [w.action for w in Wijziging.objects.for_object(world.wpb)] == [
        AccountAction.DEACTIVATED,
        AccountAction.REACTIVATED,
    ]


def test_deactivating_twice_changes_nothing_and_the_beheerder_cannot_lock_himself_out(client, world):
    assert deactivate(world.wpb, by=world.staff) is True
    assert deactivate(world.wpb, by=world.staff) is False
    assert Wijziging.objects.for_object(world.wpb).count() == 1

    client.force_login(world.staff)
    client.post(changelist(), {"action": "deactivate", "_selected_action": [world.wpb.pk, world.staff.pk]})
    page = client.get(changelist()).text
    assert "U kunt uw eigen account niet deactiveren." in page and "1 account was al gedeactiveerd." in page
    world.staff.refresh_from_db()
    assert world.staff.is_active is True


def test_a_deactivated_account_cannot_log_in_and_is_told_so_in_dutch(client, world):
    client.force_login(world.wpb)
    assert client.get(reverse("start")).status_code == 200
    deactivate(world.wpb, by=world.staff)
    assert client.get(reverse("start")).url.startswith(reverse("login")), "the open session ends"

    login = reverse("login")
    response = client.post(login, {"username": "wpb@a.nl", "password": PASSWORD})
    assert response.status_code == 200
    assert "Dit account is gedeactiveerd: u kunt er niet meer mee inloggen." in response.text
    # Without the password nobody learns whether the account exists or was deactivated.
    response = client.post(login, {"username": "wpb@a.nl", "password": "fout-wachtwoord"})
    assert "gedeactiveerd" not in response.text and "horen niet bij elkaar" in response.text


def test_colleagues_see_the_name_with_gedeactiveerd(client, world):
    deactivate(world.wpb, by=world.staff)
    client.force_login(world.opleider)
    page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).text
    assert "Willem Begeleider (gedeactiveerd)" in page
    page = client.get(reverse("stageplan:observaties") + f"?stage={world.stage.pk}").text
    assert "Willem Begeleider (gedeactiveerd)" in page
    # The company's overview still names him with the stage, and no longer among its people (no role any more).
    page = client.get(reverse("leerbedrijf:detail", args=[world.a.pk])).text
    assert "Willem Begeleider (gedeactiveerd)" in page and "wpb@a.nl" not in page
