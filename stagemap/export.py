"""The whole stagemap of a stage as one PDF: a table of contents, then every current verslag, with bookmarks.

The pages are numbered once, through the whole stagemap: the table of contents gives each verslag's first page in
that numbering, and each page's own "pagina x van y" of its verslag is covered by the stagemap's number
(verslagen/stagemap_paginas.html). The stored verslagen themselves stay as they were signed.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone

from stagegids.pdf import render_pdf

from .models import StagemapExport, StagemapExportStatus, Verslag


def build_stagemap(export: StagemapExport):
    from pypdf import PdfReader, PdfWriter

    # What the requester may see, as on the stagemap page: the pdf is no way around a kind's scope.
    verslagen = list(
        Verslag.objects.visible_to(export.requested_by).current().filter(stage=export.stage).order_by("created_at")
    )
    readers = []
    for verslag in verslagen:
        with verslag.file.open("rb") as handle:
            readers.append(PdfReader(BytesIO(handle.read())))

    toc = _render_toc(export, verslagen, [len(reader.pages) for reader in readers])
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(toc.content)))
    for number, (verslag, reader) in enumerate(zip(verslagen, readers, strict=True), start=1):
        start = len(writer.pages)
        writer.append(reader)
        writer.add_outline_item(title=verslag.title, page_number=start)
        StagemapExport.objects.filter(pk=export.pk, status=StagemapExportStatus.RUNNING).update(
            progress=int(90 * number / max(len(verslagen), 1))
        )
    _number_pages(writer, export)
    writer.add_metadata({"/Title": f"Stagemap {export.stage.stagiair.name}"})
    output = BytesIO()
    writer.write(output)
    # Stored, not yet recorded: the worker records it on its claim (stagemap.tasks.make_stagemap).
    export.file.save(f"stagemap-{export.stage_id}.pdf", ContentFile(output.getvalue()), save=False)


def _render_toc(export, verslagen, page_counts):
    """Render the table of contents; its own length shifts every start page, so render until that settles."""
    toc_pages = 1
    while True:
        starts, page = [], toc_pages + 1
        for count in page_counts:
            starts.append(page)
            page += count
        document = render_pdf(
            template="verslagen/stagemap_inhoud.html",
            context={
                "stage": export.stage,
                "title": "Stagemap",
                "rows": list(zip(verslagen, starts, strict=True)),
                "made_by": export.requested_by.name,
                "made_at": timezone.now(),
            },
            filename="inhoud.pdf",
        )
        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(document.content)).pages)
        if pages == toc_pages:
            return document
        toc_pages = pages


def _number_pages(writer, export):
    from pypdf import PdfReader

    numbers = render_pdf(
        template="verslagen/stagemap_paginas.html",
        context={"title": f"Stagemap {export.stage.stagiair.name}", "pages": range(len(writer.pages))},
        filename="paginas.pdf",
    )
    for page, number in zip(writer.pages, PdfReader(BytesIO(numbers.content)).pages, strict=True):
        page.merge_page(number)
