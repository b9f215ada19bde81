"""Import of SBB's kwalificatiedossier export (XML) and of a crebolijst (XLSX).

Both files are read whole into plain rows before anything is written, so a file that cannot be read changes
nothing; the writing then runs in one transaction. Rows are matched on their codes (crebo, kerntaak and
werkproces codes), never on names, so a renamed kwalificatie is updated and not duplicated. Every row written
carries the source edition. A second run with the same files finds nothing to change.

The XML structure was read from third-party code written against SBB's schema (shared/reference/README.md), not
from a real export; the reader therefore takes a value from an attribute or from a child element, and reports
what it skips and why instead of guessing.
"""

import re
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException, ElementTree
from django.db import transaction

from ..models import Kerntaak, Kwalificatie, Kwalificatiedossier, SoortOpleiding, Werkproces

SOORT_BY_NIVEAU = {
    1: SoortOpleiding.ENTREE,
    2: SoortOpleiding.BASISBEROEPS,
    3: SoortOpleiding.VAK,
    4: SoortOpleiding.MIDDENKADER,
}
CODE_COLUMNS = ("crebonummer", "erkende opleidingscode", "opleidingscode")
NAME_COLUMNS = ("naam kwalificatie", "kwalificatie", "naam opleiding", "opleiding", "naam", "omschrijving")
NIVEAU_COLUMNS = ("niveau", "mbo-niveau", "mbo niveau")
DOSSIER_COLUMNS = ("crebo kwalificatiedossier", "kwalificatiedossier", "dossier")


class ImportFileError(Exception):
    """The file cannot be read as a whole: nothing is imported."""


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    skipped: list = field(default_factory=list)

    def skip(self, what, why):
        self.skipped.append(f"{what}: {why}")


def _text(element, name):
    """A value given as attribute or as child element; codes stay text (a leading zero is kept)."""
    if element is None:
        return ""
    value = element.get(name)
    if value is None:
        child = element.find(name)
        value = child.text if child is not None else None
    return " ".join((value or "").split())


def _code(parent, letter, nr):
    """B1-K1-W1 style codes from the numbers SBB gives; a number that is already a full code is kept."""
    if "-" in nr:
        return nr.upper()
    match = re.fullmatch(r"[A-Za-z]?(\d+)", nr)
    return f"{parent}-{letter}{match.group(1) if match else nr}"


# Reading -------------------------------------------------------------------------------------------------


def read_dossiers_xml(path):
    """The dossiers of an SBB export as plain dicts, and what was skipped while reading."""
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError) as error:
        raise ImportFileError(f"{path} is geen leesbaar XML-bestand: {error}") from error
    except DefusedXmlException as error:
        raise ImportFileError(f"{path} is geweigerd: {error}") from error
    if root.tag != "sbb":
        raise ImportFileError(f"{path} is geen SBB-export: het hoofdelement is <{root.tag}> en niet <sbb>.")
    skipped = []
    dossiers = []
    for element in root.iter("dossier"):
        titel = _text(element, "titel")
        crebos = [_text(c, "crebo") or (c.text or "").strip() for c in element.findall("dossiercrebos/dossiercrebo")]
        crebo = next((c for c in crebos if c), "") or _text(element, "nr")
        label = f"dossier {titel or '?'}"
        if not crebo or not titel:
            skipped.append(f"{label}: geen crebo of titel")
            continue
        versie = _text(element, "versie")
        dossier = {"crebo": crebo, "name": titel, "versie": versie, "kerntaken": [], "profielen": []}
        basis_nr = "1"
        for kerntaak in element.findall("basis/basistaken/basiskerntaken/kerntaak"):
            read = _read_kerntaak(kerntaak, "B" + basis_nr, "basiswerkprocessen", skipped, label)
            if read:
                dossier["kerntaken"].append(read)
        for profiel in element.findall("profielen/profiel"):
            p_nr = re.sub(r"\D", "", _text(profiel, "nr")) or "1"
            p_titel = _text(profiel, "titel")
            p_crebo = _text(profiel.find("creboinformatie"), "crebo")
            p_label = f"profiel {p_titel or '?'} van {label}"
            if not p_crebo:
                skipped.append(f"{p_label}: geen crebo in creboinformatie")
                continue
            niveau_text = _text(profiel, "niveau")
            niveau = int(niveau_text) if niveau_text.isdigit() else None
            if niveau not in SOORT_BY_NIVEAU:
                skipped.append(f"{p_label} (crebo {p_crebo}): niveau „{niveau_text}” is geen mbo-niveau 1 tot 4")
                continue
            kerntaken = []
            for kerntaak in profiel.findall("profielkerntaken/kerntaak"):
                read = _read_kerntaak(kerntaak, f"P{p_nr}", "profielwerkprocessen", skipped, p_label)
                if read:
                    kerntaken.append(read)
            dossier["profielen"].append({"crebo": p_crebo, "name": p_titel, "niveau": niveau, "kerntaken": kerntaken})
        dossiers.append(dossier)
    return dossiers, skipped


def _read_kerntaak(element, prefix, werkprocessen_tag, skipped, parent):
    nr, titel = _text(element, "nr"), _text(element, "titel")
    if not nr or not titel:
        skipped.append(f"kerntaak {titel or nr or '?'} van {parent}: geen nummer of titel")
        return None
    code = _code(prefix, "K", nr)
    werkprocessen = []
    for werkproces in element.findall(f"{werkprocessen_tag}/werkproces"):
        w_nr, w_titel = _text(werkproces, "nr"), _text(werkproces, "titel")
        if not w_nr or not w_titel:
            skipped.append(f"werkproces {w_titel or w_nr or '?'} van kerntaak {code}: geen nummer of titel")
            continue
        werkprocessen.append(
            {
                "code": _code(code, "W", w_nr),
                "title": w_titel,
                "omschrijving": _text(werkproces, "werkprocesomschrijving"),
                "resultaat": _text(werkproces, "werkprocesresultaat"),
                "gedrag": _text(werkproces, "werkprocesgedrag"),
            }
        )
    return {"code": code, "title": titel, "werkprocessen": werkprocessen}


def read_crebolijst(path):
    """The rows of a crebolijst: code, and name, niveau and dossier where the sheet has those columns."""
    from openpyxl import load_workbook  # only the import needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(f"{path} is geen leesbaar XLSX-bestand: {error}") from error
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    header_index = next(
        (i for i, row in enumerate(rows[:20]) if any(_cell(c).lower() in CODE_COLUMNS for c in row)),
        None,
    )
    if header_index is None:
        raise ImportFileError(
            f"{path}: geen kolom „Crebonummer”, „Erkende opleidingscode” of „Opleidingscode” gevonden."
        )
    header = [_cell(c).lower() for c in rows[header_index]]

    def column(names):
        return next((header.index(name) for name in names if name in header), None)

    code_col, name_col = column(CODE_COLUMNS), column(NAME_COLUMNS)
    niveau_col, dossier_col = column(NIVEAU_COLUMNS), column(DOSSIER_COLUMNS)
    result = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(_cell(c) for c in row):
            continue

        def value(col, row=row):
            return _cell(row[col]) if col is not None and col < len(row) else ""

        result.append(
            {
                "row": number,
                "crebo": value(code_col),
                "name": value(name_col),
                "niveau": value(niveau_col),
                "dossier": value(dossier_col),
            }
        )
    return result


def _cell(value):
    """A cell as text: a crebo typed as a number in Excel (25333.0) becomes "25333"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# Writing -------------------------------------------------------------------------------------------------


def _save(model, report, label, lookup, values):
    """Create or update one row matched on `lookup`; an identical row is not written at all."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model.objects.create(**lookup, **values)
        report.created.append(label)
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
        names = ", ".join(str(model._meta.get_field(name).verbose_name) for name in changed)
        report.updated.append(f"{label} ({names})")
    else:
        report.unchanged += 1
    return row


def import_files(*, xml=None, crebolijst=None, edition=""):
    """Read every file given, then write everything in one transaction; returns a Report."""
    report = Report()
    dossiers, skipped = read_dossiers_xml(xml) if xml else ([], [])
    crebo_rows = read_crebolijst(crebolijst) if crebolijst else []
    report.skipped.extend(skipped)
    with transaction.atomic():
        for dossier in dossiers:
            _write_dossier(dossier, report, edition)
        for row in crebo_rows:
            _write_crebo_row(row, report, edition or str(crebolijst))
    return report


def _write_dossier(data, report, edition):
    source = f"SBB-export kwalificatiedossiers, {data['name']} versie {data['versie'] or '?'}"
    if edition:
        source = f"{source} ({edition})"
    source = source[:200]
    dossier = _save(
        Kwalificatiedossier,
        report,
        f"kwalificatiedossier {data['crebo']}",
        {"crebo": data["crebo"]},
        {"name": data["name"][:200], "source": source},
    )
    _write_kerntaken(data["kerntaken"], report, source, dossier=dossier, kwalificatie=None)
    for profiel in data["profielen"]:
        existing = Kwalificatie.objects.filter(crebo=profiel["crebo"]).select_related("dossier").first()
        if existing and existing.dossier_id != dossier.pk:
            report.skip(
                f"kwalificatie {profiel['crebo']}",
                f"hoort in de portal bij dossier {existing.dossier.crebo}, in het bestand bij {dossier.crebo}; "
                "een beheerder beslist of hij verhuist",
            )
            continue
        values = {"dossier": dossier, "name": profiel["name"][:200], "niveau": profiel["niveau"], "source": source}
        if existing is None:
            values["soort"] = SOORT_BY_NIVEAU[profiel["niveau"]]
        kwalificatie = _save(
            Kwalificatie, report, f"kwalificatie {profiel['crebo']}", {"crebo": profiel["crebo"]}, values
        )
        _write_kerntaken(profiel["kerntaken"], report, source, dossier=dossier, kwalificatie=kwalificatie)


def _write_kerntaken(kerntaken, report, source, *, dossier, kwalificatie):
    for data in kerntaken:
        owner = kwalificatie.crebo if kwalificatie else dossier.crebo
        kerntaak = _save(
            Kerntaak,
            report,
            f"kerntaak {data['code']} ({owner})",
            {"dossier": dossier, "kwalificatie": kwalificatie, "code": data["code"]},
            {"title": data["title"][:300], "source": source, "is_example": False},
        )
        for werkproces in data["werkprocessen"]:
            _save(
                Werkproces,
                report,
                f"werkproces {werkproces['code']} ({owner})",
                {"kerntaak": kerntaak, "code": werkproces["code"]},
                {
                    "title": werkproces["title"][:300],
                    "omschrijving": werkproces["omschrijving"],
                    "resultaat": werkproces["resultaat"],
                    "gedrag": werkproces["gedrag"],
                    "source": source,
                    "is_example": False,
                },
            )


def _write_crebo_row(row, report, edition):
    label = f"rij {row['row']}"
    crebo = row["crebo"]
    if not re.fullmatch(r"\d{5}", crebo):
        report.skip(label, f"„{crebo}” is geen crebonummer van vijf cijfers")
        return
    source = f"SBB crebolijst {edition}"[:200]
    values = {"source": source}
    if row["name"]:
        values["name"] = row["name"][:200]
    if row["niveau"]:
        if not row["niveau"].isdigit() or int(row["niveau"]) not in SOORT_BY_NIVEAU:
            report.skip(f"{label} (crebo {crebo})", f"niveau „{row['niveau']}” is geen mbo-niveau 1 tot 4")
            return
        values["niveau"] = int(row["niveau"])
    existing = Kwalificatie.objects.filter(crebo=crebo).first()
    if existing is None:
        dossier = Kwalificatiedossier.objects.filter(crebo=row["dossier"]).first() if row["dossier"] else None
        if dossier is None or "name" not in values or "niveau" not in values:
            report.skip(
                f"{label} (crebo {crebo})",
                "nieuwe kwalificatie zonder bekend kwalificatiedossier, naam of niveau: importeer eerst het dossier",
            )
            return
        values.update(dossier=dossier, soort=SOORT_BY_NIVEAU[values["niveau"]])
    elif all(getattr(existing, name) == value for name, value in values.items() if name != "source"):
        # The same facts from another source (the XML export) are not a change: keep the row's source.
        report.unchanged += 1
        return
    _save(Kwalificatie, report, f"kwalificatie {crebo}", {"crebo": crebo}, values)
