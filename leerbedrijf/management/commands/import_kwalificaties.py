from django.core.management.base import BaseCommand, CommandError

from leerbedrijf.kwalificaties.sbb_import import ImportFileError, import_files


class Command(BaseCommand):
    help = (
        "Importeert kwalificatiedossiers uit de XML-export van SBB en/of kwalificaties uit een crebolijst (XLSX). "
        "Koppelt op codes, nooit op namen; opnieuw draaien verandert niets; een onleesbaar bestand verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--xml", help="XML-export van de kwalificatiedossiers van SBB")
        parser.add_argument("--crebolijst", help="crebolijst van SBB (XLSX)")
        parser.add_argument("--editie", default="", help="editie van de bron, bijvoorbeeld 2026 (komt bij elke rij)")

    def handle(self, *args, xml, crebolijst, editie, **options):
        if not xml and not crebolijst:
            raise CommandError("Geef --xml en/of --crebolijst.")
        try:
            report = import_files(xml=xml, crebolijst=crebolijst, edition=editie)
        except ImportFileError as error:
            raise CommandError(f"Niets geïmporteerd. {error}") from error
        for label in report.created:
            self.stdout.write(f"nieuw: {label}")
        for label in report.updated:
            self.stdout.write(f"bijgewerkt: {label}")
        for line in report.skipped:
            self.stdout.write(self.style.WARNING(f"overgeslagen: {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar: {len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
                f"{report.unchanged} ongewijzigd, {len(report.skipped)} overgeslagen."
            )
        )
