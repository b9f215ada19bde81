"""The verwerkingsregister (AVG art. 30) as data: each purpose for which the portal processes personal data, and the
retention periods the privacy page and the register name. Every Holding of stagegids.inzage names its purpose here
(a test checks each code exists), so the register and the export describe the same data.

Retention periods are the settings' (settings.RETENTION_DAYS, applied by stagegids/retention.py); this names them.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CONTROLLER = _("Het leerbedrijf waar de stage loopt (verwerkingsverantwoordelijke); de Stagegids is de verwerker.")
SECURITY = _(
    "Toegang alleen na inloggen, per rol en per stage beperkt; wachtwoorden alleen als hash opgeslagen; na een paar "
    "mislukte inlogpogingen een pauze; verbindingen alleen via https (HSTS); wie verslagen, bewijsstukken, foto's, "
    "documenten en inzages opent wordt vastgelegd; wie wat wijzigde ook; geüploade foto's en pdf's zonder metadata; "
    "inloggen in twee stappen (een code uit een app) voor wie dat wil, verplicht voor beheerders en voor "
    "praktijkopleiders van een leerbedrijf dat erom vraagt."
)


@dataclass(frozen=True)
class Bewaartermijn:
    code: str
    retention: str  # its key in settings.RETENTION_DAYS
    what: str
    reason: str

    @property
    def days(self):
        return settings.RETENTION_DAYS[self.retention]


@dataclass(frozen=True)
class Verwerking:
    code: str
    purpose: str
    basis: str
    persons: str
    data: str
    recipients: str
    bewaartermijnen: tuple[str, ...]


BEWAARTERMIJNEN = (
    Bewaartermijn(
        "kandidaat",
        "kandidaat_afgewezen",
        _("Gegevens van een afgewezen kandidaat"),
        _("Lang genoeg om een vraag over de afwijzing te beantwoorden."),
    ),
    Bewaartermijn(
        "stage",
        "stage",
        _("Werkgegevens van een afgeronde stage (stageplan, observaties, gesprekken, uren)"),
        _("Voor vragen van school en examencommissie na de stage; langer als een subsidiedossier dat vraagt."),
    ),
    Bewaartermijn(
        "meldingen",
        "herinneringen",
        _("Meldingen en herinneringen"),
        _("Alleen nodig zolang ze iets te doen melden."),
    ),
    Bewaartermijn(
        "raadplegingen",
        "raadpleging",
        _("Wie welk verslag, bewijsstuk, foto of export heeft geopend"),
        _("Om een jaar terug te kunnen zien wie wat heeft ingezien."),
    ),
    Bewaartermijn(
        "inzage",
        "inzage",
        _("Een gemaakte inzage-export (pdf en zip)"),
        _("Tijd genoeg om hem te downloaden; daarna wordt hij verwijderd."),
    ),
)

VERWERKINGEN = (
    Verwerking(
        "account",
        _("Inloggen en weten wie welke rol heeft"),
        _("Uitvoering van de overeenkomst (praktijkovereenkomst, bpv-overeenkomst)"),
        _("Stagiairs, praktijkopleiders, werkplekbegeleiders, beoordelaars, mbo-begeleiders"),
        _("Naam, e-mailadres, rollen, laatste keer ingelogd, voorkeuren voor herinneringen"),
        _("Niemand buiten het leerbedrijf en de school van de stage"),
        ("meldingen",),
    ),
    Verwerking(
        "werving",
        _("Een stagiair vinden: intake en kandidaten"),
        _("Gerechtvaardigd belang van het leerbedrijf; toestemming van de kandidaat"),
        _("Kandidaten"),
        _("Naam, contactgegevens, opleiding, school, besluit"),
        _("Praktijkopleiders van het leerbedrijf"),
        ("kandidaat",),
    ),
    Verwerking(
        "begeleiding",
        _("Begeleiden van de stage: onboarding, stageplan, observaties, gesprekken, afspraken, zorgen"),
        _("Uitvoering van de praktijkovereenkomst; wettelijke taak van de bpv (WEB)"),
        _("Stagiairs (vaak minderjarig) en hun begeleiders"),
        _("Leerdoelen, observaties met foto's, gespreksverslagen, afspraken, zorgen, evaluaties"),
        _("De begeleiders van de stage en de stagiair; de mbo-begeleider alleen wat gedeeld is"),
        ("stage",),
    ),
    Verwerking(
        "beoordeling",
        _("Beoordelen: tussenbeoordeling, bpv-beoordeling, proeve van bekwaamheid, collega-feedback"),
        _("Wettelijke taak van de bpv en de examinering (WEB)"),
        _("Stagiairs, beoordelaars, collega's die feedback geven"),
        _("Oordelen per werkproces, toelichtingen, handtekeningen, e-mailadres van een collega"),
        _("Praktijkopleider, praktijkbeoordelaar, stagiair; de school wat gedeeld is"),
        ("stage",),
    ),
    Verwerking(
        "uren",
        _("Aanwezigheid, uren en ziekmeldingen"),
        _("Uitvoering van de praktijkovereenkomst; subsidievoorwaarden"),
        _("Stagiairs en hun begeleiders"),
        _("Gewerkte uren per dag, begeleidingsuren, ziekmeldingen (zonder medische gegevens)"),
        _("De begeleiders van de stage; de school alleen als het leerbedrijf dat kiest"),
        ("stage",),
    ),
    Verwerking(
        "tegemoetkoming",
        _("Tegemoetkomingen aanvragen (STIP, Subsidieregeling praktijkleren)"),
        _("Wettelijke verplichting van de subsidieregeling"),
        _("Stagiairs"),
        _("Praktijkovereenkomst, bpv-overeenkomst, goedgekeurde uren"),
        _("Praktijkopleiders; de subsidieverstrekker bij een aanvraag"),
        ("stage",),
    ),
    Verwerking(
        "stagemap",
        _("De stagemap: verslagen delen met de school"),
        _("Wettelijke taak van de bpv (WEB)"),
        _("Stagiairs en wie de verslagen ondertekende"),
        _("Verslagen als pdf, het oordeel van de school, opmerkingen"),
        _("De stage en de mbo-begeleider van de school"),
        ("stage",),
    ),
    Verwerking(
        "erkenning",
        _("Erkenning als leerbedrijf en trainingen van praktijkopleiders"),
        _("Wettelijke verplichting (erkenning door SBB)"),
        _("Praktijkopleiders en medewerkers van het leerbedrijf"),
        _("Trainingen met certificaten, bewijsstukken van de erkenning"),
        _("Praktijkopleiders van het leerbedrijf"),
        ("stage",),
    ),
    Verwerking(
        "verantwoording",
        _("Verantwoorden: wie wat wijzigde en wie wat inzag"),
        _("Wettelijke verplichting (AVG art. 5 lid 2 en art. 32)"),
        _("Iedereen met een account"),
        _("Wie, wanneer, welk stuk; wijzigingen met oude en nieuwe waarde"),
        _("Praktijkopleider voor zijn leerbedrijf; de stagiair voor zijn eigen stage; de beheerder"),
        ("raadplegingen", "inzage"),
    ),
)


def bewaartermijn(code):
    return next(b for b in BEWAARTERMIJNEN if b.code == code)


def register_csv():
    """The verwerkingsregister as CSV for the beheerder (semicolons: what a Dutch spreadsheet opens directly)."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";")
    writer.writerow(
        [
            _("Doel"),
            _("Grondslag"),
            _("Categorieën betrokkenen"),
            _("Categorieën persoonsgegevens"),
            _("Ontvangers"),
            _("Bewaartermijn"),
            _("Beveiligingsmaatregelen"),
            _("Verantwoordelijke"),
        ]
    )
    for verwerking in VERWERKINGEN:
        periods = "; ".join(
            _("%(what)s: %(days)s dagen") % {"what": termijn.what, "days": termijn.days}
            for termijn in map(bewaartermijn, verwerking.bewaartermijnen)
        )
        writer.writerow(
            [
                verwerking.purpose,
                verwerking.basis,
                verwerking.persons,
                verwerking.data,
                verwerking.recipients,
                periods,
                SECURITY,
                CONTROLLER,
            ]
        )
    return output.getvalue()
