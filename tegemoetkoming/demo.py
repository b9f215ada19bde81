"""Demo data of the tegemoetkomingen, loaded by `manage.py demo` after the hours. Running it again changes nothing.

Daan (bbl) of the demo leerbedrijf gets his signed pok as an uploaded pdf, so his tegemoetkomingen page shows the
conditions met by his approved weeks and the dossier carries the pok; the bpv-overeenkomst is left to upload.
"""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from leerbedrijf.models import Stage
from stagegids.pdf import render_pdf

from .models import DocumentKind, StageDocument

DEMO_COMPANY = "12345678"


def load():
    daan = Stage.objects.select_related("stagiair", "leerbedrijf", "kwalificatie", "onderwijsinstelling").get(
        leerbedrijf__kvk_nummer=DEMO_COMPANY, stagiair__email="stagiair.bbl@student-demo.nl"
    )
    if StageDocument.objects.filter(stage=daan, kind=DocumentKind.POK).exists():
        return
    opleider = get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    pok = render_pdf(
        template="tegemoetkoming/demo_pok.html",
        context={"stage": daan, "title": "Praktijkovereenkomst (voorbeeld)"},
        filename="pok.pdf",
    )
    StageDocument.store(
        stage=daan,
        kind=DocumentKind.POK,
        upload=ContentFile(pok.content, name="pok.pdf"),
        name="Praktijkovereenkomst Daan Visser.pdf",
        by=opleider,
    )
