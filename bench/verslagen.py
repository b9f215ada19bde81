"""Render time and peak memory of each verslag kind with realistic content, and of a stagemap of 20 verslagen.

    export DATABASE_URL=sqlite:////tmp/verslagen-bench.sqlite3 DJANGO_SETTINGS_MODULE=bench.settings
    .venv/bin/python manage.py migrate
    .venv/bin/python -m bench.verslagen --runs 10 --out /tmp/verslagen

It makes its own stage (a new one on each run) with an agreed stageplan of 12 leerdoelen, an afgerond
voortgangsgesprek, a signed tussenbeoordeling of 12 werkprocessen x 3 criteria with long toelichtingen from both
sides, a signed proeve van bekwaamheid and a recorded evaluatie. Each kind goes through
stagemap.verslagen.make_verslag_of (render, hash, store), --runs times. Peak memory: tracemalloc's peak of Python
allocations in one extra run of that kind, and the process's maximum resident size at the end (WeasyPrint's C
libraries allocate outside tracemalloc).

The floor: a plain reference document (a table of text, one font, no margin boxes) with the same page count as the
kind, rendered by the same renderer (stagegids.pdf.render_pdf) in turns with the kind, --runs times each. Each kind's
time per page is printed as a ratio to the floor's time per page in the same run, so a busy shared machine slows
both alike (issue 18: at most 1.5x).
"""

import argparse
import os
import resource
import shutil
import statistics
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

TOELICHTING = (
    "Monteerde de leidingen volgens tekening en controleerde zelf de afschot en de beugelafstand. Vroeg op tijd "
    "hulp bij het persen van de koppelingen en ruimde de werkplek op. Let nog op het aftekenen van de werkbon. "
)


def make_stage():
    from django.utils import timezone

    from beoordeling.beoordelingen.models import (
        Antwoord,
        Beoordeling,
        BeoordelingKind,
        BeoordelingState,
        Criterium,
        Invulling,
        Party,
    )
    from beoordeling.evaluatie.models import EVALUATIE_QUESTIONS, Evaluatie, EvaluatieAntwoord
    from beoordeling.gesprekken.models import Voortgangsgesprek
    from stageplan.models import Moment, MomentKind, Stageplan, StageplanVersion
    from tests.factories import (
        KerntaakFactory,
        MembershipFactory,
        StageFactory,
        StagiairFactory,
        UserFactory,
        WerkprocesFactory,
    )

    now = timezone.now()
    opleider = UserFactory(name="Olga van den Opleider")
    beoordelaar = UserFactory(name="Bram Beoordelaar")
    stage = StageFactory(start_date=date.today() - timedelta(days=150), end_date=date.today() + timedelta(days=30))
    stage.stagiair = StagiairFactory(leerbedrijf=stage.leerbedrijf, user=UserFactory(), name="Sam de Stagiair")
    stage.save()
    # The praktijkopleider of the stage: the whole stagemap holds what its requester may see.
    MembershipFactory(user=opleider, leerbedrijf=stage.leerbedrijf)
    stagiair = stage.stagiair.user
    kerntaak = KerntaakFactory(dossier=stage.kwalificatie.dossier)
    werkprocessen = [
        WerkprocesFactory(kerntaak=kerntaak, code=f"B1-K1-W{i}", title=f"Voert installatiewerk uit, deel {i}")
        for i in range(1, 13)
    ]

    plan = Stageplan.objects.create(stage=stage, niveau=2, leerjaar=2, capaciteiten=TOELICHTING, vorige_stage="Geen")
    StageplanVersion.objects.create(
        stageplan=plan,
        number=7,
        summary="Afgestemd",
        created_by=opleider,
        agreed_by_stagiair=stagiair,
        agreed_by_stagiair_at=now,
        agreed_by_opleider=opleider,
        agreed_by_opleider_at=now,
        data={
            "beginsituatie": {"niveau": 2, "leerjaar": 2, "capaciteiten": TOELICHTING, "vorige_stage": "Geen"},
            "leerdoelen": [
                {
                    "title": f"Leerdoel {i}: zelfstandig een groep aanleggen en afpersen",
                    "werkproces": str(wp),
                    "skill": "hard",
                    "activiteiten": TOELICHTING,
                    "benodigd": "Perstang, tekening, uitleg van de werkplekbegeleider",
                    "target_date": (date.today() + timedelta(days=i * 7)).isoformat(),
                    "status": "gepland",
                }
                for i, wp in enumerate(werkprocessen, 1)
            ],
            "momenten": [
                {
                    "kind": MomentKind.VOORTGANGSGESPREK,
                    "starts_at": (now + timedelta(weeks=4 * i)).isoformat(timespec="minutes"),
                    "location": "Werkplaats",
                    "cancelled": False,
                }
                for i in range(6)
            ],
        },
    )

    moment = Moment.objects.create(stage=stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=now - timedelta(days=2))
    gesprek = Voortgangsgesprek.objects.create(moment=moment)
    gesprek.verslag_snapshot = {
        "moment": {"starts_at": moment.starts_at.isoformat(), "location": "Kantoor"},
        "leerdoelen": [{"title": f"Leerdoel {i}", "status": "gepland"} for i in range(12)],
        "observaties": [
            {
                "date": date.today().isoformat(),
                "kind": "wat ging goed",
                "leerdoel": f"Leerdoel {i}",
                "author": "Willem Begeleider",
                "text": TOELICHTING,
            }
            for i in range(15)
        ],
        "earlier_afspraken": [],
        "reflectie": {
            "Wat ging goed?": TOELICHTING,
            "Wat vond je moeilijk?": TOELICHTING,
            "Wat wil je hierna leren?": "CV",
        },
        "notes": {"Wat gaat goed?": TOELICHTING, "Wat zie en merk je?": TOELICHTING},
        "afspraken": [
            {
                "text": "Werkbon aftekenen",
                "owner": "Sam de Stagiair",
                "due_date": date.today().isoformat(),
                "leerdoel": None,
                "done_at": None,
            }
        ]
        * 5,
        "afgerond_at": now.isoformat(),
        "afgerond_by": opleider.name,
        "notes_version": 3,
    }
    gesprek.afgerond_at, gesprek.afgerond_by = now, opleider
    gesprek.save()

    def beoordeling(kind, parties, **fields):
        b = Beoordeling.objects.create(
            stage=stage,
            kind=kind,
            scale="ovg",
            state=BeoordelingState.ONDERTEKEND,
            bedrijf_signed_by=opleider,
            bedrijf_signed_at=now,
            stagiair_signed_by=stagiair,
            stagiair_signed_at=now,
            **fields,
        )
        criteria = [
            Criterium.objects.create(
                beoordeling=b,
                werkproces=wp,
                werkproces_label=str(wp),
                text=f"Criterium {j} van {wp.code}",
                critical=j == 1,
                order=i * 3 + j,
            )
            for i, wp in enumerate(werkprocessen)
            for j in range(1, 4)
        ]
        for p, party in enumerate(parties):
            invulling = Invulling.objects.create(beoordeling=b, party=party, submitted_at=now)
            Antwoord.objects.bulk_create(
                Antwoord(
                    invulling=invulling,
                    criterium=c,
                    score="goed" if (k + p) % 4 == 0 else "voldoende",
                    toelichting=TOELICHTING * 2,
                )
                for k, c in enumerate(criteria)
            )
        return b

    tussen = beoordeling(
        BeoordelingKind.TUSSENBEOORDELING,
        [Party.PRAKTIJKOPLEIDER, Party.STAGIAIR],
        conclusie="twijfel",
        conclusie_toelichting=TOELICHTING,
        afspraken=TOELICHTING,
    )
    eind = beoordeling(
        BeoordelingKind.PVB,
        [Party.PRAKTIJKBEOORDELAAR],
        uitkomst="behaald",
        observaties_beoordelaar=TOELICHTING * 3,
        mbo_eindproduct=TOELICHTING,
    )
    eind.bedrijf_signed_by = beoordelaar
    eind.save(update_fields=["bedrijf_signed_by"])

    evaluatie = Evaluatie.objects.create(
        stage=stage,
        submitted_at=now,
        gesprek_notes=TOELICHTING,
        bijbaan=True,
        vooruitzichten=TOELICHTING,
        lessen=TOELICHTING,
        recorded_at=now,
        recorded_by=opleider,
    )
    for question in EVALUATIE_QUESTIONS:
        EvaluatieAntwoord.objects.create(
            evaluatie=evaluatie, question=question.key, score=4 if question.scale else None, text=TOELICHTING
        )
    return stage, opleider, plan.versions.get(), gesprek, tussen, eind, evaluatie


def timed(make):
    started = time.perf_counter()
    result = make()
    return result, (time.perf_counter() - started) * 1000


def pdf_pages(content):
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)


def floor_document(pages):
    """The reference document of `pages` pages, as a function that renders it and returns its content and page
    count; its number of rows is found by rendering it a few times, scaled by the rows a page held."""
    from stagegids.pdf import render_pdf

    def render(rows):
        content = render_pdf(
            template="bench/vloer.html", context={"rows": range(rows), "text": TOELICHTING}, filename="vloer.pdf"
        ).content
        return content, pdf_pages(content)

    # A probe tells about how many rows a page holds; aim at a last page nine tenths full, as a verslag's pages are
    # full but for its last (a floor whose last page held half as much would make a short verslag look slow).
    _content, got = render(pages * 20)
    rows_per_page = pages * 20 / (got - 0.5)
    rows = max(1, round(rows_per_page * (pages - 0.1)))
    for _ in range(6):
        _content, got = render(rows)
        if got == pages:
            break
        rows = max(1, rows - round(rows_per_page * 0.2) if got > pages else rows + round(rows_per_page * 0.2))
    return lambda: render(rows)


def measure(label, runs, make, floor=True):
    # An untimed first run: it tells the page count the floor needs, and the first document of the process pays for
    # loading fonts and WeasyPrint's own stylesheets, which is not the kind's cost.
    result = make()
    with result.file.open("rb") as handle:
        pages = pdf_pages(handle.read())
    render_floor = floor_document(pages) if floor else None
    times, floor_times = [], []
    # The kind and its floor in turns: on a shared machine both meet the same load.
    for _ in range(runs):
        result, ms = timed(make)
        times.append(ms)
        if render_floor:
            (_content, floor_pages), ms = timed(render_floor)
            floor_times.append(ms)
    # Tracing slows every allocation down: the peak comes from one extra, untimed run.
    tracemalloc.start()
    make()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    per_page = median / pages
    if render_floor:
        # Per page of its own: should the search for its rows miss by a page, the ratio still holds.
        floor_per_page = statistics.median(floor_times) / floor_pages
        compared = f"{floor_per_page:.0f} | {per_page / floor_per_page:.2f}"
    else:
        compared = "– | –"
    print(f"| {label} | {pages} | {median:.0f} | {max(times):.0f} | {per_page:.0f} | {compared} | {peak / 2**20:.1f} |")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", help="copy the last PDF of each kind into this folder")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from beoordeling.beoordelingen.verslagen import EINDBEOORDELING, TUSSENBEOORDELING
    from beoordeling.evaluatie.verslagen import EVALUATIE
    from beoordeling.gesprekken.verslagen import VOORTGANGSGESPREK
    from stagemap.export import build_stagemap
    from stagemap.models import StagemapExport, Verslag
    from stagemap.verslagen import make_verslag_of
    from stageplan.verslagen import STAGEPLAN

    stage, opleider, version, gesprek, tussen, eind, evaluatie = make_stage()
    kinds = [
        ("stageplan (12 leerdoelen)", lambda: make_verslag_of(STAGEPLAN, version, by=opleider)),
        ("voortgangsgesprek (15 observaties)", lambda: make_verslag_of(VOORTGANGSGESPREK, gesprek, by=opleider)),
        (
            "tussenbeoordeling (12 wp x 3 criteria, 2 partijen)",
            lambda: make_verslag_of(TUSSENBEOORDELING, tussen, by=opleider),
        ),
        ("eindbeoordeling (12 wp x 3 criteria)", lambda: make_verslag_of(EINDBEOORDELING, eind, by=opleider)),
        ("evaluatie (9 vragen)", lambda: make_verslag_of(EVALUATIE, evaluatie, by=opleider)),
    ]
    print(f"{args.runs} runs per kind")
    print(f"load average at the start: {Path('/proc/loadavg').read_text().strip()}")
    print(
        "| verslag | pagina's | mediaan ms | max ms | ms/pagina | vloer ms/pagina | verhouding | "
        "piek Python-geheugen MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, make in kinds:
        verslag = measure(label, args.runs, make)
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            with verslag.file.open("rb") as handle, open(os.path.join(args.out, f"{verslag.kind}.pdf"), "wb") as out:
                shutil.copyfileobj(handle, out)
    # 20 current verslagen: four of each kind, each a separate source, so none replaces another.
    for _ in range(3):
        _stage, _o, v, g, t, e, ev = make_stage()
        for kind, document in [
            (STAGEPLAN, v),
            (VOORTGANGSGESPREK, g),
            (TUSSENBEOORDELING, t),
            (EINDBEOORDELING, e),
            (EVALUATIE, ev),
        ]:
            Verslag.objects.filter(pk=make_verslag_of(kind, document, by=opleider).pk).update(stage=stage)
    assert Verslag.objects.current().filter(stage=stage).count() == 20

    def stagemap():
        export = StagemapExport.objects.create(stage=stage, requested_by=opleider)
        build_stagemap(export)
        return export

    # The stagemap renders only its table of contents and joins stored pdfs: no floor to compare with.
    export = measure("stagemap van 20 verslagen (build_stagemap)", max(1, args.runs // 2), stagemap, floor=False)
    if args.out:
        with export.file.open("rb") as handle, open(os.path.join(args.out, "stagemap.pdf"), "wb") as out:
            shutil.copyfileobj(handle, out)
    print(f"maximum resident size of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"load average at the end: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
