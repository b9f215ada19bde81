"""The installation branch's kwalificaties that ship with the portal (shared/reference, copied into ../data/)."""

import csv
from pathlib import Path

REFERENCE_CSV = Path(__file__).parent.parent / "data" / "kwalificaties-installatietechniek-2015.csv"
REFERENCE_SOURCE = "Regeling vaststelling kwalificatiedossiers 2015, Bijlage 1 (BWBR0036352)"


def load_reference_kwalificaties(dossier_model, kwalificatie_model):
    """Create or update the rows of the reference CSV, matched on crebo; takes models so a migration can call it."""
    with REFERENCE_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            dossier, _ = dossier_model.objects.update_or_create(
                crebo=row["dossier_crebo"].strip(),
                defaults={"name": row["dossier_naam"].strip(), "source": REFERENCE_SOURCE},
            )
            kwalificatie_model.objects.update_or_create(
                crebo=row["kwalificatie_crebo"].strip(),
                defaults={
                    "dossier": dossier,
                    "name": row["kwalificatie_naam"].strip(),
                    "niveau": int(row["niveau"]),
                    "soort": row["soort_opleiding"].strip(),
                    "source": REFERENCE_SOURCE,
                },
            )
