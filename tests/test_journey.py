"""Day one of a real leerbedrijf (issue 12): from an empty portal through the whole gids, by pages and e-mails only.

The database starts empty but for what the migrations load and one beheerder; everything else is made by people
on pages, or by a link in an e-mail. No factory, no ORM write, no demo. Mail leaves through the outbox and its
send task (eager here, after each commit, as a worker would); the reminder scan and the verslagen are the
worker's tasks too. Every page a person lands on and every same-site link on it is checked: no 404, no 500, no
English (tests/journey.py). It ends with the nightly retention run years later, which leaves nothing of the stage.
"""

import base64
import json
import zipfile
from datetime import datetime, time, timedelta
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leerbedrijf.models import Stage, Stagiair
from stagegids.models import OutgoingMail, OutgoingMailStatus, RetentionRun, User
from stagegids.tasks import run_retention, scan_reminders
from tegemoetkoming.retention import kept_until
from tests.browser.conftest import Looker
from tests.conftest import PDF
from tests.factories import png_bytes, totp_code
from tests.journey import ENGLISH, Person
from tests.tegemoetkoming.test_dossier import pdf_text
from uren.models import studiejaar_of

FIXTURES = Path(__file__).parent / "leerbedrijf" / "fixtures"
PASSWORD = "warmtepomp-2026"
# What a start page said to someone the portal had no next step for (issue 12).
NO_ROLE = "geen rol"


def day(offset=0):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def at(offset_days, hour):
    moment = timezone.localtime() + timedelta(days=offset_days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def accept_invitation(person):
    person.password = PASSWORD
    person.follow_mail("Uitnodiging voor de Stagegids").shows("Welkom bij de Stagegids", "Warmtebouw BV")
    return person.submit(
        "Account aanmaken",
        {"Naam": person.name, "Kies een wachtwoord": PASSWORD, "Herhaal het wachtwoord": PASSWORD},
    )


@pytest.mark.browser
def test_a_leerbedrijf_goes_through_the_whole_gids(browser, live_server, settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    look = Looker("journey")
    mail.outbox.clear()

    # --- The portal: migrated, one beheerder, the kwalificatiedossiers SBB publishes -----------------------------
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, email="beheer@stagegids.nl", name="Bea Beheer", verbosity=0)
    beheerder = Person("Bea Beheer", "beheer@stagegids.nl", PASSWORD)
    # Staff log in with a second step: the first login sets up the app, the codes are shown once.
    setup = beheerder.log_in().shows(
        "Tweestapsverificatie instellen", "Voor uw account is tweestapsverificatie verplicht"
    )
    secret = base64.b32decode(setup.soup.find(id="sleutel").get_text().replace(" ", "")).hex()
    beheerder.submit("Bevestigen", {"Code uit de app": totp_code(None, key=secret)}).shows("Herstelcodes")
    beheerder.click("Ik heb ze bewaard, verder")
    beheerder.page.shows("Goedendag", "Beheer van de portal", "Kwalificaties van SBB").lacks(NO_ROLE)
    beheerder.click("Kwalificaties importeren")
    xml = SimpleUploadedFile("kwalificatiedossiers.xml", (FIXTURES / "sbb-kwalificatiedossiers.xml").read_bytes())
    beheerder.submit(
        "Importeren", {"XML-export van de kwalificatiedossiers van SBB": xml, "Editie van de bron": "2026"}
    )
    beheerder.open("/").shows("Goedendag")

    opleider = Person("Olga Opleider", "olga@warmtebouw.nl")
    wpb = Person("Willem Werkplek", "willem@warmtebouw.nl")
    beoordelaar = Person("Bram Beoordelaar", "bram@warmtebouw.nl")
    stagiair = Person("Sam Stagiair", "sam@student.nl")
    mbo = Person("Mila Mbo", "mila@roc-zuid.nl")

    # --- A company starts: its praktijkopleider registers it and confirms his address -------------------------
    opleider.open("/")
    opleider.click("Leerbedrijf aanmelden").shows("Leerbedrijf aanmelden")
    opleider.password = PASSWORD
    opleider.submit(
        "Aanmelden",
        {
            "Naam van het bedrijf": "Warmtebouw BV",
            "KvK-nummer": "12345678",
            "Straat en huisnummer": "Industrieweg 4",
            "Postcode": "5651gh",
            "Plaats": "Eindhoven",
            "Uw naam": opleider.name,
            "Uw e-mailadres": opleider.email,
            "Kies een wachtwoord": PASSWORD,
            "Herhaal het wachtwoord": PASSWORD,
        },
    ).shows("Bevestig uw e-mailadres")
    opleider.follow_mail("", link=r"https?://\S+/aanmelden/bevestigen/\S+/").shows("5651 GH Eindhoven")
    opleider.submit("Aanmelding bevestigen").shows("u bent nu praktijkopleider bij Warmtebouw BV").lacks(NO_ROLE)
    beheerder.open("/").shows("Warmtebouw BV")
    opleider.log_in().shows("Goedendag, Olga").lacks(NO_ROLE)

    # --- Erkenning and its checklist (chapter 3) -------------------------------------------------------------
    opleider.click("Warmtebouw BV")
    opleider.click("SBB-erkenningen beheren")
    opleider.click("Erkenning vastleggen")
    opleider.submit(
        "Opslaan",
        {
            "Kwalificatie": "Monteur elektrotechnische installaties (crebo 25333, niveau 2)",
            "Status": "erkend",
            "Erkend op": day(-400),
        },
    ).shows("De erkenning voor Monteur elektrotechnische installaties is vastgelegd.")
    checks = len(opleider.page.soup.select("li.erkenning-check"))
    assert checks >= 5
    opleider.page.shows(f"Nog {checks} eisen te regelen")
    for nth in range(checks):
        opleider.submit(
            "Opslaan",
            {
                "Geregeld": True,
                "Toelichting": "Geregeld bij de start",
                "evidence": SimpleUploadedFile("bewijs.pdf", PDF),
            },
            nth=nth,
        )
    opleider.page.shows("Alle eisen zijn geregeld.", "Bewijsstuk: bewijs.pdf")
    # The praktijkopleider records his course on his own profile, from the checklist; the checklist then shows it.
    erkenning_url = opleider.page.url
    opleider.page.shows("geen training vastgelegd")
    opleider.click("Uw training vastleggen")
    opleider.submit(
        "Opslaan",
        {
            "Naam van de training of cursus": "Training praktijkopleider",
            "Aanbieder": "Wij Techniek",
            "Afgerond op": day(-200),
        },
    ).shows("De training „Training praktijkopleider” is vastgelegd.")
    opleider.open(erkenning_url).shows("Training praktijkopleider").lacks("geen training vastgelegd")

    # --- The intake: a stagiair is taken in, with a school that is new to the portal (chapters 1 and 4) -------
    opleider.open("/")
    opleider.click("Warmtebouw BV")
    opleider.click("Stagiair aannemen").shows("Intake van een stagiair")
    opleider.submit(
        "School toevoegen",
        {
            "Naam stagiair": stagiair.name,
            "E-mailadres stagiair": stagiair.email,
            "Kwalificatie": "Monteur elektrotechnische installaties (crebo 25333, niveau 2)",
            "Naam van de school": "ROC Zuid",
            "BRIN-code": "25pz",
            "Plaats": "Eindhoven",
        },
    ).shows("ROC Zuid (BRIN-code 25PZ) is toegevoegd en gekozen.", "Deze school heeft nog geen mbo-begeleider")
    opleider.submit(
        "Stagiair aannemen",
        {
            "Leerjaar": "2",
            "Leerweg": "bol",
            "Komt van": "voortgezet onderwijs",
            "Naam van de mbo-begeleider": mbo.name,
            "E-mailadres van de mbo-begeleider": mbo.email,
            "Startdatum": day(-7),
            "Einddatum": day(150),
            "Dagen per week": "4",
            "Uren per week": "32",
            "Pok ondertekend op": day(-30),
        },
    ).shows(
        f"{stagiair.name} is aangenomen.",
        f"De uitnodiging voor de mbo-begeleider wordt verstuurd naar {mbo.email}.",
        f"{mbo.name} (uitgenodigd)",
    )
    stage_url = opleider.page.url

    # --- Invitations: the stagiair and the colleagues, each by the link in their mail (chapter 5) ------------
    for person, role in (
        (stagiair, "Stagiair"),
        (wpb, "Werkplekbegeleider / praktijkbegeleider"),
        (beoordelaar, "Praktijkbeoordelaar"),
    ):
        opleider.open("/")
        opleider.click("Warmtebouw BV")
        opleider.click("Iemand uitnodigen")
        fields = {"Naam": person.name, "E-mailadres": person.email, "Rol": role}
        if person is stagiair:
            fields["Stagiair"] = stagiair.name
        opleider.submit("Uitnodiging versturen", fields).shows(f"De uitnodiging wordt verstuurd naar {person.email}")
        accept_invitation(person).shows("Welkom!").lacks(NO_ROLE)
    accept_invitation(mbo).shows("Welkom!").lacks(NO_ROLE)

    opleider.open(stage_url)
    opleider.click("Stage bewerken")
    opleider.submit("Opslaan", {"Werkplekbegeleider": wpb.name, "Praktijkbeoordelaar": beoordelaar.name}).shows(
        "De stage is opgeslagen.", wpb.name, beoordelaar.name
    )
    for person in (stagiair, wpb, beoordelaar, mbo):
        person.log_in().shows("Goedendag")

    # --- Onboarding: the checklists of chapter 6 -------------------------------------------------------------
    opleider.open(stage_url)
    opleider.click("Checklists vóór de start").shows(f"Een goede start voor {stagiair.name}")
    total = len(opleider.page.soup.select("li.onboarding-item"))
    assert total >= 10
    opleider.page.shows(f"0 van {total} gedaan")
    while opleider.page.buttons("Afvinken"):
        opleider.submit("Afvinken")
    opleider.page.shows(f"{total} van {total} gedaan")

    # --- The stageplan: the stagiair writes it, the praktijkopleider plans the moments, both agree (ch. 7) -----
    stagiair.open("/")
    stagiair.click(stagiair.name)
    stagiair.click("Stageplan").shows("Er is nog geen stageplan voor deze stage.")
    stagiair.click("Stageplan maken")
    stagiair.submit("Stageplan maken", {"Voortgangsgesprek elke ... weken": "4"}).shows(
        "Het stageplan is gemaakt. Kijk de voorgestelde momenten na."
    )
    plan_url = stagiair.page.url
    stagiair.click("Beginsituatie bewerken")
    stagiair.submit("Opslaan", {"Wat kun je al? (capaciteiten)": "Ik kan een groep aansluiten."}).shows(
        "De beginsituatie is opgeslagen."
    )
    stagiair.click("Leerdoel toevoegen")
    stagiair.submit(
        "Leerdoel opslaan",
        {
            "Werkproces uit het kwalificatiedossier": "P1-K1-W1 Test de installatie",
            "Activiteiten: wat ga je doen?": "Meten met de installatietester, samen met Willem.",
            "Streefdatum: wanneer behaald?": day(60),
        },
    ).shows("Het leerdoel 'Test de installatie' is opgeslagen.")

    opleider.open(stage_url)
    opleider.click("Stageplan")
    opleider.click("Alle momenten")
    opleider.page.shows("Voortgangsgesprek", "Tussenbeoordeling", "Eindbeoordeling", "Evaluatiegesprek")
    # The first voortgangsgesprek comes tomorrow: the reminders below are about it.
    opleider.click("Wijzigen: voortgangsgesprek")
    opleider.submit("Moment opslaan", {"starts_at": at(1, 10), "location": "Werkplaats Eindhoven"}).shows(
        "Het moment is aangepast."
    )

    stagiair.open(plan_url)
    stagiair.click("Naar de versies om af te stemmen")
    # The stagiair is addressed as je (STYLE), also when the plan waits for the praktijkopleider.
    stagiair.submit("Versie").shows(
        "Je hebt versie 4 afgestemd. Je praktijkopleider moet dat ook nog doen.",
        "Je hebt deze versie afgestemd. Nu je praktijkopleider nog.",
    )
    opleider.open(plan_url)
    opleider.click("Naar de versies om af te stemmen")
    opleider.submit("Versie").shows("is afgestemd door stagiair en praktijkopleider en is gedeeld met de school.")

    # --- An observatie with a photo, on the werkplekbegeleider's phone, on the spot ---------------------------
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", base_url=live_server.url, reduced_motion="reduce"
    )
    phone = context.new_page()
    phone.set_default_timeout(30_000)
    phone.width_name = "phone"
    phone.goto("/")
    phone.get_by_label("E-mailadres").fill(wpb.email)
    phone.get_by_label("Wachtwoord").fill(PASSWORD)
    phone.get_by_role("button", name="Inloggen").click()
    phone.get_by_role("link", name="Observatie vastleggen").click()
    phone.get_by_role("heading", name=f"Observatie over {stagiair.name}").wait_for()
    phone.get_by_label("wat ging goed").check()
    phone.get_by_label("Wat zag u?").fill("Meet de aardlekschakelaar zelfstandig door en noteert de waarden.")
    phone.get_by_label("Bij leerdoel (mag leeg)").select_option(label="Test de installatie")
    photo = {"name": "meting.png", "mimeType": "image/png", "buffer": png_bytes()}
    phone.get_by_label("Foto").set_input_files(files=[photo])
    look(phone, "observatie")
    phone.get_by_role("button", name="Observatie opslaan").click()
    phone.get_by_text(f"De observatie over {stagiair.name} is vastgelegd.").wait_for()
    look(phone, "observatie-vastgelegd")
    # A concern, on the same phone: the stage's Zorgen, from the list of stages on the start page (issue 15).
    phone.goto("/")
    phone.get_by_text("stage die u volgt").click()  # the folded list of his stages (issue 16)
    phone.get_by_role("link", name="Zorgen", exact=True).click()
    phone.get_by_role("link", name="Zorg vastleggen").click()
    phone.get_by_role("heading", name=f"Zorg over {stagiair.name}").wait_for()
    phone.get_by_label("aanwezigheid").check()
    phone.get_by_label("Wat is er gebeurd?").fill("Sam was deze week twee keer te laat, zonder te bellen.")
    phone.get_by_label("Wat is afgesproken? (mag leeg)").fill("Sam belt voor half acht als hij later komt.")
    phone.get_by_label("Volgende stap").fill("Kort gesprek met Sam")
    phone.get_by_label("Wanneer?").fill(day(7))
    look(phone, "zorg")
    phone.get_by_role("button", name="Zorg vastleggen").click()
    phone.get_by_text("De zorg is vastgelegd.").wait_for()
    look(phone, "zorg-vastgelegd")
    zorg_url = phone.url.removeprefix(live_server.url)
    context.close()
    assert look.violations == [], "\n".join(look.violations)

    stagiair.open(plan_url)
    stagiair.click("Test de installatie").shows("Meet de aardlekschakelaar zelfstandig door", wpb.name)

    # --- The reminder scan (the worker's beat) finds the gesprek of tomorrow -------------------------------
    # TODO(issue 12, branches moments and beoordelen): the praktijkbeoordelaar gets the reminder and the invitation
    # of the eindbeoordeling moment; a scan with that moment in its window then finds his mail too.
    scan_reminders()
    for person in (opleider, wpb, stagiair):
        assert "uitnodiging.ics" in [name for name, *_ in person.mail("Herinnering: ").attachments]
    stagiair.follow_mail("Vul je zelfreflectie in").shows("Zelfreflectie")

    # --- A voortgangsgesprek with zelfreflectie (chapter 8) -------------------------------------------------
    stagiair.submit(
        "Indienen",
        {
            "Wat ging goed?": "Het doormeten van de groepen.",
            "Wat vond je moeilijk?": "De tekening lezen.",
            "Wat wil je hierna leren?": "Zelf een groep aanleggen.",
        },
    ).shows("Je zelfreflectie is ingediend. Je begeleider kan hem nu lezen.")
    gesprek_url = stagiair.page.url
    wpb.open("/")
    wpb.click(stagiair.name)
    wpb.click("Gesprekken")
    wpb.open(gesprek_url).shows("Het doormeten van de groepen.", "Meet de aardlekschakelaar zelfstandig door")
    wpb.click("Notities bewerken")
    wpb.submit("Opslaan", {"Wat gaat goed?": "Meten gaat zelfstandig.", "Hoe denkt de stagiair erover?": "Tevreden."})
    wpb.page.shows("De notities zijn opgeslagen.")
    wpb.click("Afspraak toevoegen")
    wpb.submit(
        "Afspraak vastleggen",
        {"Afspraak": "Tekening van de meterkast lezen", "Wie": stagiair.name, "Wanneer klaar?": day(14)},
    )
    wpb.page.shows("De afspraak is vastgelegd.")
    opleider.open(gesprek_url)
    opleider.click("Gesprek afronden").shows("Wat er gebeurt", "Kan het terug?")
    opleider.submit("Ja, gesprek afronden").shows("Het gesprek is afgerond. Het verslag staat vast.")

    # --- The concern the werkplekbegeleider recorded on his phone: the school is told, it is closed (issue 15) --
    wpb.open(zorg_url).shows("Kort gesprek met Sam", "Sam belt voor half acht")
    stagiair.open(stage_url)
    stagiair.click("Zorgen").shows("Aanwezigheid")
    assert mbo.client.get(zorg_url).status_code == 404, "not shared yet"
    opleider.open("/").shows("Te doen", "Zorg over aanwezigheid, volgende stap: Kort gesprek met Sam")
    opleider.click("Zorg over aanwezigheid, volgende stap: Kort gesprek met Sam")
    opleider.click("Delen met de mbo-begeleider").shows("Wat er gebeurt", "Kan het terug?")
    opleider.submit("Ja, delen met de mbo-begeleider").shows("De zorg is gedeeld met de mbo-begeleider.")
    mbo.open("/").shows(f"Zorg over {stagiair.name} gedeeld")
    mbo.open(zorg_url).shows("Sam was deze week twee keer te laat")
    opleider.click("Zorg sluiten")
    opleider.submit("Zorg sluiten", {"Hoe is het afgelopen?": "Sam is sindsdien elke dag op tijd."}).shows(
        "De zorg is gesloten.", "Sam is sindsdien elke dag op tijd."
    )
    opleider.open("/").lacks("Open zorgen")

    # --- A week of hours: the stagiair confirms last week with one tap, the werkplekbegeleider approves it -----
    # (issue 14). The stage began a week ago, so last week is its first.
    stagiair.open(stage_url)
    stagiair.click("Uren").shows(f"Uren en aanwezigheid van {stagiair.name}", "niet ingevuld")
    last_week = (timezone.localdate() - timedelta(days=7)).isocalendar()[1]
    stagiair.click(f"Week {last_week} ·").shows("Zoals gepland:", "niet ingevuld")
    stagiair.submit("Normale week bevestigen").shows(
        "De normale week is ingediend en wacht op akkoord.", "wacht op akkoord"
    )
    wpb.open("/").shows(f"Uren van week {last_week} akkoord geven")
    wpb.click(f"Uren van week {last_week} akkoord geven")
    wpb.submit("Akkoord").shows("De uren van deze week zijn akkoord.", f"Akkoord van {wpb.name}")
    opleider.open(stage_url)
    opleider.click("Uren").shows("Totalen per studiejaar").lacks("Nog geen weken akkoord.")
    opleider.open("/")
    opleider.click("Uren van alle stagiairs van Warmtebouw BV").shows(stagiair.name, "Uren van alle stagiairs")

    # --- The tussenbeoordeling, filled in by both, concluded and signed (chapter 9) ----------------------------
    opleider.open(stage_url)
    opleider.click("Beoordelingen")
    opleider.submit("Starten").shows("De tussenbeoordeling is gestart.")
    beoordeling_url = opleider.page.url
    for person in (opleider, stagiair):
        person.open(beoordeling_url)
        person.click("Formulier invullen")
        person.submit("Opslaan en inleveren", every_score(person.page, "voldoende")).shows(
            "Het formulier is ingeleverd."
        )
    opleider.open(beoordeling_url)
    opleider.click("Conclusie invullen")
    opleider.submit("Opslaan", {"conclusie": "ja", "afspraken": "Meer zelf aanleggen."}).shows(
        "De conclusie is opgeslagen."
    )
    sign(opleider).shows("U heeft de beoordeling ondertekend.")
    stagiair.open(beoordeling_url)
    sign(stagiair).shows("ondertekend")

    # --- The verslagen in the stagemap, made by the worker; shared, and the school's akkoord -------------------
    opleider.open(stage_url)
    opleider.click("Stagemap").shows(
        "Stageplan, afgestemde versie", "Verslag voortgangsgesprek", "Tussenbeoordeling, versie 1"
    )
    for _ in range(3):
        opleider.submit("Delen met mbo-begeleider").shows(f"Het verslag is gedeeld met {mbo.name}.")
    # The school's start page: what waits for its oordeel, and the coming moments of its students (gids ch. 7).
    mbo.open("/").shows(
        "wacht op uw oordeel", "Komende gesprekken en beoordelingen", "Middengesprek (school, bedrijf en stagiair)"
    )
    mbo.click(stagiair.name)
    mbo.click("Stagemap")
    shared = mbo.page.buttons("Oordeel opslaan")
    assert shared == 3, "the stageplan, the gesprek and the tussenbeoordeling"
    for _verslag in range(shared):
        # An oordeel is final once given: its form goes, so the next verslag's form is the first on the page.
        mbo.submit("Oordeel opslaan", {"review": "akkoord"}).shows("Uw oordeel is opgeslagen.")
    assert mbo.page.buttons("Oordeel opslaan") == 0
    opleider.open(stagemap_url := opleider.page.url)
    opleider.page.shows("akkoord school")

    # --- The startgesprek with the school (issue 15): held five days ago and not recorded, so the start page of the
    # praktijkopleider flags it ("sla ze niet over", ch. 8); both sides record it, the mbo-begeleider his own notes.
    opleider.open(stage_url)
    opleider.click("Stageplan")
    opleider.click("Alle momenten")
    opleider.click("Wijzigen: startgesprek")
    opleider.submit("Moment opslaan", {"starts_at": at(-5, 14)}).shows("Het moment is aangepast.", "niet vastgelegd")
    opleider.open("/").shows("Niet vastgelegd: sla ze niet over")
    opleider.click(f"Startgesprek (school, bedrijf en stagiair) van {stagiair.name}")
    opleider.click("Gesprek vastleggen").shows("Wie waren erbij?")
    opleider.submit(
        "Opslaan",
        {"Wie waren er verder bij? (namen)": wpb.name, "Wat is besproken?": "Sam is goed gestart; het plan past."},
    ).shows("Het driegesprek is opgeslagen.", wpb.name)
    driegesprek_url = opleider.page.url
    opleider.click("Afspraak toevoegen")
    opleider.submit(
        "Afspraak vastleggen",
        {"Afspraak": "Projectopdracht van school inplannen", "Wie": stagiair.name, "Wanneer klaar?": day(30)},
    ).shows("De afspraak is vastgelegd.")
    mbo.open("/")
    mbo.click("Geweest: uw notities toevoegen").shows("Sam is goed gestart; het plan past.")
    mbo.click("Uw notities toevoegen")
    mbo.submit("Opslaan", {"Uw notities": "Sam weet bij wie hij terecht kan."}).shows("Uw notities zijn opgeslagen.")
    opleider.open(driegesprek_url).shows("Sam weet bij wie hij terecht kan.")
    opleider.click("Gesprek afronden").shows("Wat er gebeurt", "Kan het terug?")
    opleider.submit("Ja, gesprek afronden").shows("Het driegesprek is afgerond. Het verslag staat vast.")
    opleider.open("/").lacks("Niet vastgelegd: sla ze niet over")
    stagiair.open(driegesprek_url).shows("Sam weet bij wie hij terecht kan.", "Projectopdracht van school inplannen")
    # The school took part: its verslag is in the stagemap for the mbo-begeleider without sharing.
    mbo.open(stage_url)
    mbo.click("Stagemap").shows("Verslag startgesprek (school, bedrijf en stagiair)")

    # --- The bpv-beoordeling, with the school's part (chapter 9) ---------------------------------------------
    # The praktijkopleider fills it in and discusses it with the stagiair and the mbo-begeleider (gids ch. 9); the
    # praktijkbeoordelaar is for the pvb.
    opleider.open(stage_url)
    opleider.click("Beoordelingen")
    opleider.submit("Starten", {"kind": "bpv"}).shows("De bpv-beoordeling is gestart.")
    bpv_url = opleider.page.url
    opleider.click("Formulier invullen")
    opleider.submit("Opslaan en inleveren", every_score(opleider.page, "voldoende")).shows(
        "Het formulier is ingeleverd."
    )
    mbo.open(bpv_url)
    mbo.click("Deel van de school invullen")
    mbo.submit("Opslaan", {"Inhoudelijke opdracht": "Goed uitgevoerd.", "Projectmap": "Compleet."}).shows(
        "Het deel van de school is opgeslagen."
    )
    opleider.open(bpv_url).shows("Goed uitgevoerd.")
    opleider.click("Conclusie invullen")
    opleider.submit("Opslaan", {"uitkomst": "behaald"}).shows("De conclusie is opgeslagen.")
    sign(opleider).shows("U heeft de beoordeling ondertekend.")
    stagiair.open(bpv_url)
    sign(stagiair).shows("ondertekend")

    # --- The evaluatie (chapter 10) ----------------------------------------------------------------------------
    stagiair.open(stage_url)
    stagiair.click("Gesprekken")
    stagiair.click("Evaluatie van de stage")
    stagiair.click("Evaluatie invullen")
    stagiair.submit("Indienen", every_score(stagiair.page, "4")).shows("Je evaluatie is ingediend. Dank je wel!")
    opleider.open(stage_url)
    opleider.click("Gesprekken")
    opleider.click("Evaluatie van de stage")
    opleider.click("Evaluatiegesprek vastleggen")
    opleider.submit(
        "Opslaan",
        {"gesprek_notes": "Goed gesprek.", "vooruitzichten": "Sam komt terug als bbl'er.", "lessen": "Eerder starten."},
    ).shows("Het evaluatiegesprek is vastgelegd.")

    # --- The whole stagemap as one pdf, made by the worker ---------------------------------------------------
    opleider.open(stagemap_url)
    opleider.page.shows("Bpv-beoordeling, versie 1", "Evaluatie van de stage")
    opleider.submit("Hele stagemap als pdf")
    download = opleider.client.get(opleider.page.link("Stagemap downloaden"))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # --- Tegemoetkomingen (issue 14): the signed pok uploaded, the conditions read, the dossier made ------------
    opleider.open(stage_url)
    opleider.click("Tegemoetkomingen").shows(
        "Subsidieregeling praktijkleren (RVO)", "De stage is bol; de regeling is voor de bbl.", "nog niet geüpload"
    )
    pok = SimpleUploadedFile("pok getekend.pdf", PDF, content_type="application/pdf")
    opleider.submit("Overeenkomst uploaden", {"Soort": "pok", "file": pok}).shows(
        "De praktijkovereenkomst (pok) is opgeslagen.", "pok getekend.pdf"
    )
    opleider.submit("Dossier maken").shows("Het dossier is klaar.")
    dossier = opleider.client.get(opleider.page.link("Dossier downloaden (pdf)"))
    assert dossier["Content-Type"] == "application/pdf"
    assert stagiair.name in pdf_text(b"".join(dossier.streaming_content))
    sheet = opleider.client.get(opleider.page.link("Weken downloaden (xlsx)"))
    weeks = load_workbook(BytesIO(b"".join(sheet.streaming_content)))["Weken"]
    assert [row[0] for row in weeks.iter_rows(min_row=2, values_only=True)] == [stagiair.name]

    # --- Inzage (issue 17): the stagiair downloads everything the portal holds about him, made by the worker ------
    stagiair.open("/")
    stagiair.click("Inzage in mijn gegevens").shows("Inzage in je gegevens")
    stagiair.submit("Inzage aanvragen").shows("De inzage is klaar.")
    export = stagiair.client.get(stagiair.page.link("Inzage downloaden (zip)"))
    assert export["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(BytesIO(b"".join(export.streaming_content)))
    parts = {part["model"]: part["rijen"] for part in json.loads(archive.read("export.json"))["onderdelen"]}
    assert [row["email"] for row in parts["stagegids.User"]] == [stagiair.email]
    assert "Test de installatie" in {row["title"] for row in parts["stageplan.Leerdoel"]}
    [observatie] = parts["stageplan.Observatie"]
    assert len(archive.read(observatie["photo"])) > 0  # the photo itself, under the name the json gives it
    assert parts["stageplan.StageplanVersion"] and parts["beoordeling.Evaluatie"] and parts["stagemap.Verslag"]
    assert stagiair.name in pdf_text(archive.read("inzage.pdf"))
    # The praktijkopleider sees that the stagiair downloaded it, with the verslagen and the photo opened before.
    opleider.open("/")
    opleider.click("Warmtebouw BV")
    opleider.click("Wie zag wat").shows("inzage-export", "foto bij een observatie")

    # Every mail left through the outbox, and reads as Dutch as the pages.
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMailStatus.SENT}
    for message in mail.outbox:
        assert ENGLISH.search(message.subject + message.body) is None, message.body

    nothing_left_after_retention(opleider, stagiair, stage_url, settings.MEDIA_ROOT)


def nothing_left_after_retention(opleider, stagiair, stage_url, media_root):
    """Issue 17: once the stage's retention and its dossier's have passed, the nightly run leaves nothing of it: no
    row, no file, no account of the stagiair with his name; the company keeps its erkenning and trainings."""
    until = kept_until(studiejaar_of(timezone.localdate())) + timedelta(days=1)
    with time_machine.travel(timezone.make_aware(datetime.combine(until, time(3, 30))), tick=False):
        report = RetentionRun.objects.get(pk=run_retention())
        assert report.counts["stage"] > 0
        opleider.log_in().shows("Goedendag, Olga")
        assert opleider.client.get(stage_url).status_code == 404
        stagiair.client.logout()
        refused = stagiair.client.post(reverse("login"), {"username": stagiair.email, "password": stagiair.password})
        assert refused.status_code == 200, "the stagiair's account is gone"
    assert not Stage.objects.exists() and not Stagiair.objects.exists()
    assert not User.objects.filter(email=stagiair.email).exists()
    left = {path.relative_to(media_root).parts[0] for path in Path(media_root).rglob("*") if path.is_file()}
    assert left <= {"erkenning", "training"}, left


def sign(person):
    """Ondertekenen asks a confirmation on a page of its own, which says what happens and whether it can be undone."""
    person.click("Ondertekenen").shows("Wat er gebeurt", "Kan het terug?")
    return person.submit("Ja, ")


def every_score(page, value):
    """The same answer for every scored question of the form on the page."""
    names = {
        radio["name"] for radio in page.soup.select("form input[type=radio]") if radio["name"].startswith("score_")
    }
    return dict.fromkeys(names, value)
