"""A school that is not in the portal yet is added from the intake, and its mbo-begeleider is invited from there.

Through the pages: the intake's form posts everything typed to leerbedrijf:intake_school, which adds (or finds, by
its BRIN code) the school and shows the intake again with the school chosen and nothing lost.
"""

import re
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse

from leerbedrijf.models import Invitation, Membership, Onderwijsinstelling, SchoolAction, Stage
from stagegids.models import Wijziging
from stagegids.roles import Role
from tests.factories import OnderwijsinstellingFactory
from tests.leerbedrijf.test_intake import intake_data

SCHOOL = {"school-name": "ROC Midden Nederland", "school-brin": "25PZ", "school-plaats": "Utrecht"}


@pytest.fixture
def opleider(client, world):
    assert world.erkenning.status == "erkend"  # the world is erkend for the stage's kwalificatie
    client.force_login(world.opleider)
    return world.opleider


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the outbox's send, eager in the tests), so the mail is in mail.outbox."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def add_school(client, world, **school):
    """The praktijkopleider halfway through the intake (another school chosen) presses 'School toevoegen'."""
    data = intake_data(world) | {**SCHOOL, **school, "add_school": "1"}
    return client.post(reverse("leerbedrijf:intake_school", args=[world.a.pk]), data)


def chosen(page, name):
    """The value the select `name` has selected."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]*)"\s+selected>', select).group(1)


def assert_intake_kept(page, world):
    for typed in ("Ilse Instroom", "ilse@student.nl", "Bea Coördinator", "bpv@roc-zuid.nl", "2027-02-01", "300"):
        assert f'value="{typed}"' in page, typed
    assert chosen(page, "kwalificatie") == str(world.stage.kwalificatie.pk)
    assert chosen(page, "herkomst") == "vo"
    assert chosen(page, "werkplekbegeleider") == str(world.wpb_other.pk)


def test_the_intake_offers_to_add_a_school_that_works_without_javascript(client, world, opleider):
    page = client.get(reverse("leerbedrijf:intake", args=[world.a.pk])).content.decode()
    intake_url, school_url = (reverse(f"leerbedrijf:{name}", args=[world.a.pk]) for name in ("intake", "intake_school"))
    assert "School staat er niet bij? Voeg de school toe" in page
    # One form: the intake's own button posts to the intake, this one takes everything typed to the school page.
    assert f'action="{intake_url}"' in page
    assert re.search(rf'<button[^>]*name="add_school"[^>]*formaction="{school_url}" formnovalidate', page)
    for name in ("school-name", "school-brin", "school-plaats"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "required" not in field, "a required school field would stop the intake's own submit"


@pytest.mark.parametrize("brin", ["25P", "2PZ5", "PZ25", "25PZ1", "25-Z", "ÄÄ12", ""])
def test_a_bad_brin_code_adds_nothing_and_says_why_in_dutch(client, world, opleider, brin):
    before = Onderwijsinstelling.objects.count()
    response = add_school(client, world, **{"school-brin": brin})
    page = response.content.decode()
    assert response.status_code == 200
    assert "De school is niet toegevoegd. Verbeter de gemarkeerde velden." in page
    assert (
        "Een BRIN-code bestaat uit twee cijfers en twee letters, bijvoorbeeld 25PZ." in page
        or "Dit veld is verplicht." in page
    )
    assert Onderwijsinstelling.objects.count() == before
    assert_intake_kept(page, world)
    assert chosen(page, "onderwijsinstelling") == str(world.school.pk), "the school chosen before stays chosen"


def test_a_name_is_needed(client, world, opleider):
    page = add_school(client, world, **{"school-name": ""}).content.decode()
    assert "Dit veld is verplicht." in page
    assert not Onderwijsinstelling.objects.filter(brin="25PZ").exists()


@pytest.mark.parametrize("typed", ["25PZ", "25pz", " 25 pz "])
def test_a_good_brin_code_adds_the_school_chooses_it_and_keeps_the_intake(client, world, opleider, typed):
    response = add_school(client, world, **{"school-brin": typed})
    page = response.content.decode()
    school = Onderwijsinstelling.objects.get(brin="25PZ")
    assert (school.name, school.plaats) == ("ROC Midden Nederland", "Utrecht")
    assert "ROC Midden Nederland (BRIN-code 25PZ) is toegevoegd en gekozen." in page
    assert chosen(page, "onderwijsinstelling") == str(school.pk)
    assert_intake_kept(page, world)
    assert 'value="ROC Midden Nederland"' not in page, "the add-school form is empty again"
    # The new school has nobody yet: the page says so and unfolds the invitation of its mbo-begeleider.
    assert "Deze school heeft nog geen mbo-begeleider in de Stagegids" in page
    assert re.search(r'<details id="mbo-uitnodigen"[^>]* open>', page)
    [entry] = Wijziging.objects.for_object(school)
    assert (entry.action, entry.user, entry.role) == (SchoolAction.ADDED, world.opleider, Role.PRAKTIJKOPLEIDER)
    assert entry.changes == {
        "name": [None, "ROC Midden Nederland"],
        "brin": [None, "25PZ"],
        "plaats": [None, "Utrecht"],
    }


def test_a_known_brin_code_finds_the_school_instead_of_making_a_second(client, world, opleider):
    known = OnderwijsinstellingFactory(name="ROC Midden-Nederland", brin="25PZ")
    page = add_school(client, world, **{"school-name": "Roc MN", "school-brin": "25pz"}).content.decode()
    assert Onderwijsinstelling.objects.filter(brin="25PZ").get() == known
    assert known.name == "ROC Midden-Nederland", "the school's name is not changed by what was typed"
    assert "Deze BRIN-code hoort bij ROC Midden-Nederland, die al in de Stagegids staat: die school is gekozen." in page
    assert chosen(page, "onderwijsinstelling") == str(known.pk)
    assert_intake_kept(page, world)
    assert not Wijziging.objects.for_object(known).exists(), "nobody added it now"


def test_adding_the_same_school_twice_makes_one(client, world, opleider):
    add_school(client, world)
    add_school(client, world)
    assert Onderwijsinstelling.objects.filter(brin="25PZ").count() == 1


def test_the_database_refuses_a_second_school_with_the_same_brin_code(world):
    OnderwijsinstellingFactory(brin="25PZ")
    OnderwijsinstellingFactory(brin="")  # schools from before the code was asked may have none
    OnderwijsinstellingFactory(brin="")
    with pytest.raises(IntegrityError):
        OnderwijsinstellingFactory(brin="25PZ")


def test_get_of_the_school_page_writes_nothing_and_leads_to_the_intake(client, world, opleider):
    before = Onderwijsinstelling.objects.count()
    response = client.get(reverse("leerbedrijf:intake_school", args=[world.a.pk]))
    assert response.url == reverse("leerbedrijf:intake", args=[world.a.pk])
    assert Onderwijsinstelling.objects.count() == before


def test_only_the_praktijkopleider_of_the_company_adds_a_school(client, world):
    for persona, status in [("wpb", 403), ("opleider_b", 404), ("mbo", 404), ("staff", 404)]:
        client.force_login(getattr(world, persona))
        assert add_school(client, world).status_code == status, persona
    assert not Onderwijsinstelling.objects.filter(brin="25PZ").exists()


def take_in_with_invitation(client, world, after_commit, **changes):
    school = Onderwijsinstelling.objects.get(brin="25PZ")
    invitation = {"mbo_begeleider": "", "mbo_begeleider_name": "Karin Bos", "mbo_begeleider_email": "K.Bos@rocmn.nl"}
    data = intake_data(world, onderwijsinstelling=school.pk, **(invitation | changes))
    with after_commit():
        return client.post(reverse("leerbedrijf:intake", args=[world.a.pk]), data, follow=True)


def test_the_new_schools_mbo_begeleider_is_invited_accepts_and_sees_the_stage(client, world, opleider, after_commit):
    add_school(client, world)
    response = take_in_with_invitation(client, world, after_commit)
    page = response.content.decode()
    assert "Ilse Instroom is aangenomen." in page
    assert "De uitnodiging voor de mbo-begeleider wordt verstuurd naar k.bos@rocmn.nl." in page
    assert "Karin Bos (uitgenodigd)" in page, "the stage says who is on the way"
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert stage.mbo_begeleider is None
    invitation = Invitation.objects.get(email="k.bos@rocmn.nl")
    assert (invitation.role, invitation.stage, invitation.onderwijsinstelling) == (
        Role.MBO_BEGELEIDER,
        stage,
        stage.onderwijsinstelling,
    )

    [message] = [m for m in mail.outbox if m.to == ["k.bos@rocmn.nl"]]
    assert "Olga Opleider nodigt u uit als mbo-begeleider van Ilse Instroom (ROC Midden Nederland)" in message.body
    link = re.search(r"https?://\S+(/uitnodiging/\S+/)", message.body).group(1)
    client.logout()
    page = client.get(link).content.decode()
    assert "mbo-begeleider</strong> van <strong>Ilse Instroom</strong> (ROC Midden Nederland)" in page
    response = client.post(
        link, {"name": "Karin Bos", "password1": "warmtepomp-2026", "password2": "warmtepomp-2026"}, follow=True
    )
    page = response.content.decode()
    assert "Welkom! U bent nu mbo-begeleider bij ROC Midden Nederland." in page
    stages = client.get(reverse("start_panel", args=["stages"])).content.decode()  # the folded panel, opened
    assert "Ilse Instroom" in stages, "the stage is on the mbo-begeleider's start page"
    stage.refresh_from_db()
    assert stage.mbo_begeleider.email == "k.bos@rocmn.nl"
    assert (
        Membership.objects.active()
        .filter(user=stage.mbo_begeleider, role=Role.MBO_BEGELEIDER, onderwijsinstelling=stage.onderwijsinstelling)
        .exists()
    )
    assert client.get(stage.get_absolute_url()).status_code == 200
    assert client.get(world.stage.get_absolute_url()).status_code == 404, "only the stage he was invited for"
    # The link worked once: a second click leads to the start page and changes nothing.
    again = client.post(link, {})
    assert again.status_code == 302 and again.url == reverse("start")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mbo_begeleider_email": ""}, "Vul ook het e-mailadres in: daar gaat de uitnodiging naartoe."),
        ({"mbo_begeleider_name": ""}, "Vul ook de naam van de mbo-begeleider in."),
        ({"mbo_begeleider_email": "geen-adres"}, "Voer een geldig e-mailadres in."),
        ("mbo", "Kies een mbo-begeleider uit de lijst of nodig er een uit, niet allebei."),
        ("known", "is al mbo-begeleider bij deze school: kies hem of haar in de lijst."),
    ],
)
def test_an_invitation_needs_a_name_and_an_address_and_no_chosen_begeleider(
    client, world, opleider, after_commit, changes, message
):
    add_school(client, world)
    if changes == "mbo":
        school = Onderwijsinstelling.objects.get(brin="25PZ")
        Membership.objects.create(user=world.mbo_other_school, role=Role.MBO_BEGELEIDER, onderwijsinstelling=school)
        changes = {"mbo_begeleider": world.mbo_other_school.pk}
    elif changes == "known":
        school = Onderwijsinstelling.objects.get(brin="25PZ")
        Membership.objects.create(user=world.mbo_other_school, role=Role.MBO_BEGELEIDER, onderwijsinstelling=school)
        changes = {"mbo_begeleider_email": world.mbo_other_school.email.upper()}
    page = take_in_with_invitation(client, world, after_commit, **changes).content.decode()
    assert message in page
    assert "Er is niets opgeslagen" in page
    assert not Stage.objects.filter(stagiair__email="ilse@student.nl").exists()
    assert not Invitation.objects.filter(role=Role.MBO_BEGELEIDER).exists()
    assert mail.outbox == []


def test_an_invitation_accepted_after_another_begeleider_was_chosen_leaves_the_stage_alone(
    client, world, opleider, after_commit
):
    add_school(client, world)
    take_in_with_invitation(client, world, after_commit)
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    Membership.objects.create(
        user=world.mbo_other_school, role=Role.MBO_BEGELEIDER, onderwijsinstelling=stage.onderwijsinstelling
    )
    Stage.objects.filter(pk=stage.pk).update(mbo_begeleider=world.mbo_other_school)
    link = re.search(r"https?://\S+(/uitnodiging/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    client.post(link, {"name": "Karin Bos", "password1": "warmtepomp-2026", "password2": "warmtepomp-2026"})
    stage.refresh_from_db()
    assert stage.mbo_begeleider == world.mbo_other_school


def test_the_stage_edit_invites_the_mbo_begeleider_of_a_stage_without_one(client, world, opleider, after_commit):
    Stage.objects.filter(pk=world.stage.pk).update(mbo_begeleider=None)
    url = reverse("leerbedrijf:stage_edit", args=[world.stage.pk])
    page = client.get(url).content.decode()
    data = {name: value for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)}
    data |= {name: chosen(page, name) for name in re.findall(r'<select name="(\w+)"', page)}
    data |= {"leerjaar": "2", "herkomst": "vo", "days_per_week": "4", "hours_per_week": "32"}
    data |= {"pok_signed_on": "2026-01-10", "mbo_begeleider": ""}
    data |= {"mbo_begeleider_name": "Karin Bos", "mbo_begeleider_email": "k.bos@roc-zuid.nl"}
    with after_commit():
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert Invitation.objects.get(email="k.bos@roc-zuid.nl").stage == world.stage
    assert [m.to for m in mail.outbox] == [["k.bos@roc-zuid.nl"]]


def test_the_beheerder_adds_a_school_in_the_admin_and_the_trail_says_so(client, world):
    client.force_login(world.staff)
    url = reverse("admin:leerbedrijf_onderwijsinstelling_add")
    response = client.post(url, {"name": "ROC Midden Nederland", "brin": "25pz", "plaats": ""})
    assert response.status_code == 302
    school = Onderwijsinstelling.objects.get(brin="25PZ")
    [entry] = Wijziging.objects.for_object(school)
    assert (entry.action, entry.user) == (SchoolAction.ADDED, world.staff)
    page = client.post(url, {"name": "Tweede", "brin": "25PZ", "plaats": ""}).content.decode()
    assert "Er staat al een school met deze BRIN-code in de Stagegids." in page
    page = client.post(url, {"name": "Fout", "brin": "2PZ5", "plaats": ""}).content.decode()
    assert "Een BRIN-code bestaat uit twee cijfers en twee letters, bijvoorbeeld 25PZ." in page
    assert Onderwijsinstelling.objects.filter(name__in=["Tweede", "Fout"]).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel inserts need a database with real locking")
def test_two_praktijkopleiders_adding_the_same_school_at_once_make_one(transactional_db, world):
    barrier = threading.Barrier(6)
    pages = []

    def praktijkopleider():
        try:
            client = Client()
            client.force_login(world.opleider)
            barrier.wait()
            pages.append(add_school(client, world).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=praktijkopleider) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    school = Onderwijsinstelling.objects.get(brin="25PZ")
    assert Wijziging.objects.for_object(school).count() == 1
    assert sum("is toegevoegd en gekozen" in page for page in pages) == 1
    assert sum("die al in de Stagegids staat: die school is gekozen" in page for page in pages) == 5
