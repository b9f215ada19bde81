"""The combined stagemap pdf is numbered once, through all its pages, and its table of contents uses those numbers."""

import re
from io import BytesIO

from pypdf import PdfReader

from stagemap.export import build_stagemap
from stagemap.models import StagemapExport, Verslag
from stagemap.verslagen import make_verslag


def verslag_of(world, title, rows, source):
    return make_verslag(
        stage=world.stage,
        kind="tussenbeoordeling",
        title=title,
        template="verslagen/rijen.html",
        context={"rows": range(rows)},
        source=source,
        source_version="1",
        signatures=[],
        by=world.opleider,
    )


def test_the_table_of_contents_points_at_the_page_each_verslag_starts_on(world):
    Verslag.objects.all().delete()
    # Of one page and of several: a wrong count anywhere shifts every later start.
    lengths = {"Eerste verslag": 5, "Tweede verslag": 150, "Derde verslag": 90}
    sources = [world.stage, world.stage.stagiair, world.stage_b.stagiair]
    own_pages = []
    for (title, rows), source in zip(lengths.items(), sources, strict=True):
        with verslag_of(world, title, rows, source).file.open("rb") as handle:
            own_pages.append(len(PdfReader(BytesIO(handle.read())).pages))
    assert own_pages[0] == 1 and min(own_pages[1:]) > 1
    export = StagemapExport.objects.create(stage=world.stage, requested_by=world.opleider)
    build_stagemap(export)

    with export.file.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    total = len(pages)
    assert total == 1 + sum(own_pages)
    toc = pages[0]
    for index, title in enumerate(lengths):
        listed = int(re.search(rf"{title} \S+ – (\d+)", toc).group(1))
        assert listed == 2 + sum(own_pages[:index])
        assert pages[listed - 1].count(title) >= 2, (title, listed)  # its heading and its footer
        assert title not in pages[listed - 2] or listed == 2, "it starts there, not before"
    # Every page shows the stagemap's own number, the one the table of contents counts in.
    for number, text in enumerate(pages, start=1):
        assert f"pagina {number} van {total}" in text
