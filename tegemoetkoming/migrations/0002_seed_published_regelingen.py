"""The published figures of STIP and the Subsidieregeling praktijkleren, as the beheerder finds them in /beheer/.

Each row names its source. What could not be confirmed from a published text is seeded with a note that starts
with "controleren": a figure carried over from an earlier year, or one found only on a third party's page.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

WIJ_TECHNIEK_STIP = "https://www.wij-techniek.nl/tegemoetkoming/stip/"
WIJ_TECHNIEK_2024 = "https://www.wij-techniek.nl/nieuws/vaststelling-tegemoetkomingen-voor-2024/"
DELTION_STIP = "https://www.deltion.nl/voor-bedrijven/subsidies-voor-bedrijven/stimuleringsregeling-praktijkbegeleiding-wij-stip"
RVO = "https://www.rvo.nl/subsidies-financiering/praktijkleren"
RENDEMENT_2028 = (
    "https://www.rendement.nl/subsidieregeling-praktijkleren/nieuws/subsidieregeling-praktijkleren-verlengd-tot-en-met-2028.html"
)

STIP_CONDITIONS = (
    "Voorwaarden (Wij Techniek, STIP-pagina): erkend door SBB en onder de cao voor het technisch installatiebedrijf; "
    "ingeschreven voor een kwalificatie uit de centrale registers; een urenregistratie van de leerling-werknemer en "
    "van de begeleiding door een praktijkopleider; aanvragen binnen 6 maanden na de startdatum van de bpv (sinds "
    "1 januari 2023). "
)
STIP_THIRD_PARTY = (
    "controleren: 400 klokuren per half studiejaar (meer dan de helft in de bpv) en minimaal 15 uur per week in "
    "dienst staan op de pagina van Deltion over de STIP; de bewaartermijn is niet gevonden. "
)


def stip(year, amount, note):
    return {
        "regeling": "stip",
        "valid_from": date(year, 1, 1),
        "valid_until": date(year, 12, 31),
        "amount": Decimal(amount),
        "amount_per": "per afgeronde termijn van 6 maanden per leerling-werknemer",
        "min_hours": 400,
        "min_practice_share": 50,
        "min_hours_per_week": Decimal(15),
        "deadline_months": 6,
        "source_title": "Wij Techniek: Stimuleringsregeling Praktijkbegeleiding (STIP); Deltion: WIJ-STIP",
        "source_url": WIJ_TECHNIEK_2024 if year in (2023, 2024) else WIJ_TECHNIEK_STIP,
        "source_note": STIP_THIRD_PARTY + note + " " + STIP_CONDITIONS + "Zie ook " + DELTION_STIP,
    }


def praktijkleren(year, *, opens=None, closes=None, note):
    return {
        "regeling": "praktijkleren",
        "valid_from": date(year, 8, 1),
        "valid_until": date(year + 1, 7, 31),
        "amount": Decimal(2700),
        "amount_per": "maximaal per gerealiseerde praktijkleerplaats (40 weken begeleiding) per studiejaar",
        "min_hours": 610,
        "max_weeks": 40,
        "window_opens": opens,
        "window_closes": closes,
        "source_title": "RVO: Subsidieregeling praktijkleren; Rendement: verlengd tot en met studiejaar 2027/2028",
        "source_url": RVO,
        "source_note": (
            "controleren: 610 praktijkuren en minimaal 200 begeleide onderwijsuren staan alleen op pagina's van "
            "derden (subsidiedirect.nl, finestri.nl); de bewaartermijn is niet gevonden. Maximaal € 2.700 per "
            "gerealiseerde praktijkleerplaats, een bbl-opleiding met crebo, een ondertekende "
            "praktijkovereenkomst, een erkend leerbedrijf, achteraf aanvragen per studiejaar. " + note
        ),
    }


ROWS = [
    stip(2023, "600", "Bedrag 2023: € 600 per halfjaar (Wij Techniek, vaststelling tegemoetkomingen voor 2024)."),
    stip(2024, "650", "Bedrag 2024: € 650 per halfjaar (Wij Techniek, vaststelling tegemoetkomingen voor 2024)."),
    stip(2025, "650", "controleren: bedrag voor 2025 niet gevonden, overgenomen van 2024."),
    stip(2026, "650", "controleren: bedrag voor 2026 niet gevonden, overgenomen van 2024."),
    praktijkleren(
        2023,
        opens=date(2024, 6, 3),
        closes=date(2024, 9, 17),
        note="Aanvraagtijdvak 3 juni 2024 9.00 uur tot en met 17 september 2024 17.00 uur (Rendement, "
        + RENDEMENT_2028
        + ").",
    ),
    praktijkleren(2024, note="controleren: aanvraagtijdvak voor 2024/2025 niet gevonden; vul het in."),
    praktijkleren(2025, note="controleren: aanvraagtijdvak voor 2025/2026 niet gevonden; vul het in."),
    praktijkleren(2026, note="controleren: aanvraagtijdvak voor 2026/2027 niet gevonden; vul het in."),
]


def seed(apps, schema_editor):
    Regelingsjaar = apps.get_model("tegemoetkoming", "Regelingsjaar")
    for row in ROWS:
        Regelingsjaar.objects.get_or_create(regeling=row["regeling"], valid_from=row["valid_from"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("tegemoetkoming", "0001_regelingen_documents_dossiers")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
