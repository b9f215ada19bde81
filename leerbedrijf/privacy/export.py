"""Make the zip of an Inzage: the registry's rows (stagegids.inzage) as export.json, as a readable pdf through the
one renderer, and the files they name."""

import tempfile

from django.core.files import File
from django.utils import timezone

from stagegids import inzage as registry
from stagegids.pdf import render_pdf

from ..models import Inzage, InzageStatus


def build_inzage(inzage: Inzage):
    def progress(fraction):
        # Collecting is most of the work; the pdf and the zip the last tenth.
        Inzage.objects.filter(pk=inzage.pk, status=InzageStatus.RUNNING).update(progress=int(90 * fraction))

    whole = inzage.stagiair_id is None
    sections = registry.collect(person=inzage.person, stages=inzage.stages(), whole=whole, progress=progress)
    made_at = timezone.now()
    about = {
        "over": inzage.subject_name,
        "gevraagd_door": inzage.requested_by.name,
        "op_verzoek_van": inzage.on_request_of,
        "gemaakt_op": made_at.isoformat(),
        "alleen_dit_leerbedrijf": inzage.stagiair.leerbedrijf.name if inzage.stagiair_id else None,
    }
    pdf = render_pdf(
        template="privacy/inzage_pdf.html",
        context={"inzage": inzage, "sections": sections, "about": about, "made_at": made_at},
        filename="inzage.pdf",
    )
    with tempfile.TemporaryFile() as target:
        registry.write_zip(target, sections, about=about, pdf=pdf.content)
        target.seek(0)
        # Stored, not yet recorded: the worker records it on its claim (tasks.make_inzage).
        inzage.file.save(f"inzage-{made_at:%Y%m%d%H%M%S}.zip", File(target), save=False)
