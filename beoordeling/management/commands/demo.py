from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import beoordeling.demo
import leerbedrijf.demo


class Command(BaseCommand):
    help = "Laadt demodata: twee leerbedrijven, een ROC en hun mensen en stages. Opnieuw draaien verandert niets."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demodata met bekende wachtwoorden alleen met DJANGO_DEBUG=true.")
        with transaction.atomic():
            # Lower apps first: each app's demo builds on the one below it.
            leerbedrijf.demo.load()
            beoordeling.demo.load()
        self.stdout.write(
            self.style.SUCCESS(f"Demodata geladen. Wachtwoord voor alle accounts: {leerbedrijf.demo.PASSWORD}")
        )
