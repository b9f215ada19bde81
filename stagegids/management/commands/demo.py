from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stagegids import demo


class Command(BaseCommand):
    help = "Laadt demodata: twee leerbedrijven, een ROC en hun mensen en stages. Opnieuw draaien verandert niets."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demodata met bekende wachtwoorden alleen met DJANGO_DEBUG=true.")
        with transaction.atomic():
            demo.load_all()
        self.stdout.write(self.style.SUCCESS(f"Demodata geladen. Wachtwoord voor alle accounts: {demo.PASSWORD}"))
