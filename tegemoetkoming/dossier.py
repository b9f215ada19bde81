"""The dossier for an application: one pdf with per stage the pok and bpv data, the conditions per scheme, the
approved hours and begeleiding register and the erkenning history, followed by the signed pok and the stagemap's
verslagen as proof of begeleiding; and a spreadsheet of the weeks for the application form.

Made by a worker (tasks.make_dossier). Everything is read up front in a fixed number of queries, whatever the
number of stages and weeks; each stage is rendered on its own by the one renderer (stagegids.pdf) so the progress
moves and one stage's pages never wait for all the others.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from leerbedrijf.models import ErkenningStatusPeriode, Stage
from stagegids.pdf import render_pdf
from stagemap.models import Verslag
from uren.models import studiejaar_of

from . import conditions
from . import weeks as w
from .models import DocumentKind, Dossier, DossierStatus

# The progress bar moves in this many steps, whatever the number of stages: one update each.
STEPS = 10


def _stages():
    return Stage.objects.select_related("stagiair", "leerbedrijf", "kwalificatie", "onderwijsinstelling",
                                        "werkplekbegeleider")  # fmt: skip


def company_stages(leerbedrijf_id, year):
    """Every stage of the company that ran in studiejaar `year`, by stagiair (a queryset, for a page of them)."""
    period = w.studiejaar(year)
    return _stages().filter(leerbedrijf_id=leerbedrijf_id, start_date__lte=period.end,
                            end_date__gte=period.start).order_by("stagiair__name", "start_date", "pk")  # fmt: skip


def dossier_stages(dossier):
    """The stages of the dossier: its one stage, or every stage of the company that ran in the studiejaar."""
    if dossier.stage_id:
        return list(_stages().filter(pk=dossier.stage_id))
    return list(company_stages(dossier.leerbedrijf_id, dossier.studiejaar))


def stage_rows(stages, year, facts):
    """Per stage what the dossier and the overview show for studiejaar `year`; the register's rows (`hours`) only
    when `facts` read them."""
    rows = []
    for stage in stages:
        praktijkleren = conditions.praktijkleren(stage, year, facts)
        stip = conditions.stip(stage, facts)
        period = w.studiejaar(year)
        termijnen = [t for t in (stip.periods or []) if t.period.intersect(period)]
        counted = set(praktijkleren.periods.counted) if praktijkleren.periods else set()
        hours = [row for row in facts.hours[stage.pk] if studiejaar_of(w.thursday_of(row.week.week_start)) == year]
        sums = [week for week in facts.weeks[stage.pk] if studiejaar_of(w.thursday_of(week.monday)) == year]
        rows.append(
            {
                "stage": stage,
                "praktijkleren": praktijkleren,
                "stip": stip,
                "termijnen": termijnen,
                "hours": [(row, row.week.week_start in counted) for row in hours],
                "counted": len(counted),
                "werk": sum((week.werk for week in sums), w.ZERO),
                "school": sum((week.school for week in sums), w.ZERO),
                "begeleiding": sum((week.begeleiding for week in sums), w.ZERO),
            }
        )
    return rows


def _erkenningen(stages):
    """{(leerbedrijf id, kwalificatie id): [ErkenningStatusPeriode]} in one query."""
    found = {}
    periods = ErkenningStatusPeriode.objects.filter(
        erkenning__leerbedrijf__in={stage.leerbedrijf_id for stage in stages},
        erkenning__kwalificatie__in={stage.kwalificatie_id for stage in stages},
    ).select_related("erkenning")
    for periode in periods.order_by("since"):
        found.setdefault((periode.erkenning.leerbedrijf_id, periode.erkenning.kwalificatie_id), []).append(periode)
    return found


def build_dossier(dossier: Dossier):
    from pypdf import PdfReader, PdfWriter

    stages = dossier_stages(dossier)
    facts = conditions.Facts.load(stages, register=dossier.studiejaar)
    rows = stage_rows(stages, dossier.studiejaar, facts)
    history = _erkenningen(stages)
    verslagen = {}
    visible = Verslag.objects.visible_to(dossier.requested_by).current().filter(stage__in=[s.pk for s in stages])
    for verslag in visible.order_by("stage_id", "created_at"):
        verslagen.setdefault(verslag.stage_id, []).append(verslag)
    made = {"made_by": dossier.requested_by.name, "made_at": timezone.now()}

    writer = PdfWriter()
    cover = render_pdf(
        template="tegemoetkoming/dossier_voorblad.html",
        context={"dossier": dossier, "leerbedrijf": dossier.leerbedrijf, "rows": rows, "title": _("Dossier"), **made},
        filename="voorblad.pdf",
    )
    writer.append(PdfReader(BytesIO(cover.content)))
    step = 0
    for number, row in enumerate(rows, start=1):
        stage = row["stage"]
        document = render_pdf(
            template="tegemoetkoming/dossier_stage.html",
            context={
                **row,
                "title": _("Dossier tegemoetkomingen %(year)s") % {"year": dossier.studiejaar_label},
                "history": history.get((stage.leerbedrijf_id, stage.kwalificatie_id), []),
                "verslagen": verslagen.get(stage.pk, []),
                "pok": facts.documents.get((stage.pk, DocumentKind.POK)),
                "bpv": facts.documents.get((stage.pk, DocumentKind.BPV)),
                **made,
            },
            filename=f"dossier-{stage.pk}.pdf",
        )
        start = len(writer.pages)
        writer.append(PdfReader(BytesIO(document.content)))
        writer.add_outline_item(title=stage.stagiair.name, page_number=start)
        for kind in (DocumentKind.POK, DocumentKind.BPV):
            stored = facts.documents.get((stage.pk, kind))
            if stored:
                _append(writer, stored.file, f"{stage.stagiair.name}: {stored.get_kind_display()}")
        for verslag in verslagen.get(stage.pk, []):
            _append(writer, verslag.file, f"{stage.stagiair.name}: {verslag.title}")
        if number * STEPS // len(rows) > step:
            step = number * STEPS // len(rows)
            Dossier.objects.filter(pk=dossier.pk, status=DossierStatus.RUNNING).update(progress=8 * step)
    writer.add_metadata({"/Title": f"Dossier {dossier.leerbedrijf.name} {dossier.studiejaar_label}"})
    output = BytesIO()
    writer.write(output)
    name = f"dossier-{dossier.leerbedrijf_id}-{dossier.stage_id or 'bedrijf'}-{dossier.studiejaar}"
    # Stored, not yet recorded: the worker records them on its claim (tasks.make_dossier).
    dossier.file.save(f"{name}.pdf", ContentFile(output.getvalue()), save=False)
    dossier.sheet.save(f"{name}.xlsx", ContentFile(weeks_sheet(dossier, rows)), save=False)


def _append(writer, file, title):
    """Append a stored pdf with a bookmark; a file that pypdf cannot read is left out, the rest of the dossier
    still comes (an upload is checked by its first bytes, not parsed)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with file.open("rb") as handle:
        content = handle.read()
    try:
        reader = PdfReader(BytesIO(content))
        start = len(writer.pages)
        writer.append(reader)
    except (PdfReadError, ValueError, KeyError):
        return
    writer.add_outline_item(title=title, page_number=start)


SHEET_COLUMNS = [
    "Stagiair",
    "Crebo",
    "Leerweg",
    "Week (maandag)",
    "Weeknummer",
    "Werkuren",
    "Schooluren",
    "Afwezig (uren)",
    "Begeleiding (uren)",
    "Begeleid door",
    "Telt mee praktijkleren",
]
SUMMARY_COLUMNS = [
    "Stagiair",
    "Crebo",
    "Leerweg",
    "Startdatum",
    "Einddatum",
    "Pok ondertekend op",
    "Weken begeleiding (praktijkleren)",
    "Praktijkuren",
    "Schooluren",
    "Begeleidingsuren",
    "Voorwaarden praktijkleren voldaan",
]


def weeks_sheet(dossier, rows):
    """The xlsx for the application form: a summary per stage and every approved week."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = book.create_sheet("Samenvatting")
    summary.append([f"Dossier {dossier.leerbedrijf.name}, studiejaar {dossier.studiejaar_label}"])
    summary.append(SUMMARY_COLUMNS)
    weeks = book.create_sheet("Weken")
    weeks.append(SHEET_COLUMNS)
    for row in rows:
        stage = row["stage"]
        summary.append(
            [
                stage.stagiair.name,
                stage.kwalificatie.crebo,
                stage.leerweg,
                stage.start_date,
                stage.end_date,
                stage.pok_signed_on,
                row["counted"],
                float(row["werk"]),
                float(row["school"]),
                float(row["begeleiding"]),
                "ja" if row["praktijkleren"].met else "nee",
            ]
        )
        for hours, counts in row["hours"]:
            monday = hours.week.week_start
            weeks.append(
                [
                    stage.stagiair.name,
                    stage.kwalificatie.crebo,
                    stage.leerweg,
                    monday,
                    monday.isocalendar().week,
                    float(hours.werk),
                    float(hours.school),
                    float(hours.afwezig_total),
                    float(hours.begeleiding),
                    ", ".join(name for name, _hours in hours.begeleiders),
                    "ja" if counts else "nee",
                ]
            )
    output = BytesIO()
    book.save(output)
    return output.getvalue()
