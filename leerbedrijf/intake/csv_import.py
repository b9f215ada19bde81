"""Import of stagiairs from a CSV file that a school sends.

Columns (first line is the header, separator `;`, `,` or a tab; UTF-8, UTF-16 with its byte order mark (Excel's
"Unicode-tekst") or cp1252; the names are matched without regard to case):

    naam            required  the stagiair's name
    e-mailadres     required  identifies the stagiair within the company
    crebo           required  the kwalificatie's crebo code; the company must be erkend for it
    leerweg         required  bol or bbl
    startdatum      required  dd-mm-jjjj or jjjj-mm-dd, within stagegids.dates's window
    einddatum       required  after the startdatum, at most stagegids.dates.MAX_STAGE_YEARS later
    leerjaar        optional  1 to 4
    niveau          optional  1 to 4; empty means the niveau of the kwalificatie

Nothing is imported until the whole file is free of errors; then every row goes in one transaction. The preview
checks everything the import meets (the intake's field validators, the model's lengths, the date window), so a file
shown without errors imports. The confirmation names the file it confirms by its SHA-256: a file uploaded in
between, or by someone else, is not imported by it.
"""

import csv
import hashlib
import io
from datetime import datetime

import filetype
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stagegids import dates
from stagegids.params import parse_id

from ..models import Erkenning, Kwalificatie, Stagiair, StagiairImport, stage_create
from .forms import IntakeForm, overlapping_stages

MAX_BYTES = 512 * 1024
MAX_ROWS = 1000
COLUMNS = ["naam", "e-mailadres", "crebo", "leerweg", "startdatum", "einddatum", "leerjaar", "niveau"]
REQUIRED = COLUMNS[:6]
# The header says e-mailadres; the stored rows use a key that templates can read.
KEYS = {column: column.replace("e-mailadres", "email") for column in COLUMNS}
EXAMPLE = (
    "naam;e-mailadres;crebo;leerweg;startdatum;einddatum;leerjaar;niveau\r\n"
    "Fatima Yilmaz;fatima.yilmaz@student.example.nl;25333;bol;01-02-2027;30-06-2027;1;\r\n"
    "Jesse de Boer;jesse.deboer@student.example.nl;25349;bbl;01-09-2027;31-08-2028;2;3\r\n"
)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def read_text(upload):
    """The file's text and its SHA-256; raises ImportFileError when it cannot be read as text."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("Het bestand is te groot (maximaal 512 kB)."))
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode-tekst": UTF-16 with a byte order mark, columns separated by tabs.
        try:
            return content.decode("utf-16"), digest
        except UnicodeDecodeError:
            raise ImportFileError(_("Het bestand lijkt UTF-16, maar de tekens zijn niet te lezen.")) from None
    if filetype.guess(content) is not None:
        raise ImportFileError(_("Dit is geen CSV-bestand. Sla het bestand in Excel op als ‘CSV (puntkomma)’."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(_("De tekens in het bestand zijn niet te lezen. Sla het op als UTF-8.")) from None
    if text.count("\x00") * 4 > len(text):
        raise ImportFileError(
            _("Het bestand is opgeslagen als Unicode-tekst zonder kenmerk. Sla het in Excel op als ‘CSV UTF-8’.")
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFileError(
            _("Regel %(line)s bevat een NUL-teken, dat geen tekst is. Haal het weg en upload opnieuw.") % {"line": line}
        )
    return text, digest


def parse(text):
    """The rows as dicts of the known columns, each with its line number; raises ImportFileError for the header."""
    # Universal newlines: a file from an old Mac ends its lines with a CR only.
    stream = io.StringIO(text, newline=None)
    first_line = stream.readline()
    stream.seek(0)
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        return _rows(reader)
    except csv.Error:
        raise ImportFileError(
            _("Regel %(line)s is geen CSV: een veld is te lang of een aanhalingsteken sluit niet.")
            % {"line": reader.line_num}
        ) from None


def _rows(reader):
    header = [cell.strip().lstrip("\ufeff").lower() for cell in next(reader, [])]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            _("De kolom(men) %(columns)s ontbreken in de eerste regel.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        rows.append({"line": line, "values": {KEYS[column]: values.get(column, "") for column in COLUMNS}})
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_("Het bestand heeft meer dan %(max)s regels.") % {"max": MAX_ROWS})
    if not rows:
        raise ImportFileError(_("Het bestand bevat geen stagiairs."))
    return rows


def parse_date(text):
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _small_number(text, label, errors):
    if not text:
        return None
    # Not str.isdigit(): it passes '²' and '٣', which int() refuses or reads.
    if text in ("1", "2", "3", "4"):
        return int(text)
    errors.append(_("%(label)s moet een getal van 1 tot en met 4 zijn.") % {"label": label})
    return None


def _shortened(value, limit=60):
    """A value quoted in a message: a field of 100 kB is not shown whole."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _field_errors(name, value, label):
    """The intake's own validators for this field, so that what the preview passes the intake would pass too."""
    try:
        IntakeForm.base_fields[name].clean(value)
    except ValidationError as error:
        return [_("%(label)s: %(error)s") % {"label": label, "error": message} for message in error.messages]
    return []


def check(rows, *, leerbedrijf):
    """Give every row its list of errors (in Dutch) and the values an import needs; returns the number of errors."""
    crebos = {row["values"]["crebo"] for row in rows}
    kwalificaties = {k.crebo: k for k in Kwalificatie.objects.filter(crebo__in=crebos)}
    erkend = set(
        Erkenning.objects.erkend().filter(leerbedrijf=leerbedrijf).values_list("kwalificatie__crebo", flat=True)
    )
    periods = {}
    total = 0
    for row in rows:
        values, errors = row["values"], []
        for column in REQUIRED:
            if not values[KEYS[column]]:
                errors.append(_("Kolom ‘%(column)s’ is leeg.") % {"column": column})
        email = values["email"].lower()
        if values["naam"]:
            errors.extend(_field_errors("stagiair_name", values["naam"], _("Naam")))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("‘%(email)s’ is geen geldig e-mailadres.") % {"email": _shortened(values["email"])})
                email = ""
            else:
                field_errors = _field_errors("stagiair_email", email, _("E-mailadres"))
                errors.extend(field_errors)
                email = "" if field_errors else email
        crebo = values["crebo"]
        if crebo and crebo not in kwalificaties:
            errors.append(_("Crebo %(crebo)s is onbekend.") % {"crebo": _shortened(crebo)})
        elif crebo and crebo not in erkend:
            errors.append(_("Uw bedrijf is niet erkend voor crebo %(crebo)s.") % {"crebo": crebo})
        if values["leerweg"] and values["leerweg"].lower() not in ("bol", "bbl"):
            errors.append(_("Leerweg moet bol of bbl zijn."))
        start, end = parse_date(values["startdatum"]), parse_date(values["einddatum"])
        for column, parsed in (("startdatum", start), ("einddatum", end)):
            if values[column] and parsed is None:
                errors.append(
                    _("%(column)s ‘%(value)s’ is geen datum; schrijf dd-mm-jjjj.")
                    % {"column": column.capitalize(), "value": _shortened(values[column])}
                )
            elif parsed and (error := dates.date_error(parsed)):
                errors.append(_("%(column)s: %(error)s") % {"column": column.capitalize(), "error": error})
                start = end = None
        if start and end and end <= start:
            errors.append(_("De einddatum ligt niet na de startdatum."))
            start = end = None
        elif start and end and (too_long := dates.period_error(start, end)):
            errors.append(too_long)
            start = end = None
        _small_number(values["leerjaar"], _("Leerjaar"), errors)
        _small_number(values["niveau"], _("Niveau"), errors)
        if email and start and end:
            for other_line, other_start, other_end in periods.get(email, []):
                if start < other_end and end > other_start:
                    errors.append(
                        _("Dubbel: regel %(line)s heeft dezelfde stagiair in dezelfde periode.") % {"line": other_line}
                    )
                    break
            periods.setdefault(email, []).append((row["line"], start, end))
            if overlapping_stages(leerbedrijf=leerbedrijf, email=email, start_date=start, end_date=end).exists():
                errors.append(_("Deze stagiair heeft in deze periode al een stage bij uw bedrijf."))
        row["errors"] = [str(error) for error in errors]
        total += len(errors)
    return total


@transaction.atomic
def store(*, leerbedrijf, onderwijsinstelling, filename, digest, rows, user):
    StagiairImport.objects.update_or_create(
        leerbedrijf=leerbedrijf,
        defaults={
            "onderwijsinstelling": onderwijsinstelling,
            "filename": filename,
            "digest": digest,
            "rows": rows,
            "uploaded_by": user,
            "uploaded_at": timezone.now(),
        },
    )


class NotPending(Exception):
    """The previewed upload is no longer the one waiting: imported already, or replaced by another upload."""

    def __init__(self, replaced):
        self.replaced = replaced


def run(*, leerbedrijf, token, user):
    """Import every row of the upload that `token` names, all or nothing, if `user` uploaded it; returns the number
    of stages made, or None when a row has an error; raises NotPending when that upload is not waiting any more."""
    pk, _sep, digest = (token or "").partition(":")
    with transaction.atomic():
        # Lock the company's import row and take it only while it is still this file of this user: of a double
        # click or two confirmations at once, one imports and the other finds it gone.
        locked = (
            StagiairImport.objects.select_for_update()
            .filter(leerbedrijf=leerbedrijf, pk=parse_id(pk), uploaded_by=user)
            .exclude(digest="")
            .filter(digest=digest)
            .first()
        )
        if locked is None:
            raise NotPending(replaced=StagiairImport.objects.filter(leerbedrijf=leerbedrijf).exists())
        rows = locked.rows
        if check(rows, leerbedrijf=leerbedrijf):
            locked.rows = rows
            locked.save(update_fields=["rows"])
            return None
        kwalificaties = {
            k.crebo: k for k in Kwalificatie.objects.filter(crebo__in={r["values"]["crebo"] for r in rows})
        }
        for row in rows:
            values = row["values"]
            email = values["email"].lower()
            stagiair = Stagiair.objects.filter(leerbedrijf=leerbedrijf, email__iexact=email).first()
            if stagiair is None:
                stagiair = Stagiair.objects.create(leerbedrijf=leerbedrijf, name=values["naam"], email=email)
            kwalificatie = kwalificaties[values["crebo"]]
            stage_create(
                leerbedrijf=leerbedrijf,
                stagiair=stagiair,
                kwalificatie=kwalificatie,
                niveau=int(values["niveau"]) if values["niveau"] else kwalificatie.niveau,
                leerjaar=int(values["leerjaar"]) if values["leerjaar"] else None,
                leerweg=values["leerweg"].lower(),
                start_date=parse_date(values["startdatum"]),
                end_date=parse_date(values["einddatum"]),
                onderwijsinstelling=locked.onderwijsinstelling,
            )
        locked.delete()
    return len(rows)
