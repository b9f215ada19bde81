from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Per chapter of the gids, in its order (ch. 8, zorgen beside it, 9, 10), the modules that register into the core and
# the stageplan: start page panels, reminder kinds, when a moment counts as held (momenten: stageplan.overdue), rules,
# stage sections, verslag kinds, the columns of the voortgang overview and retention rules. Registration follows this
# order, and so do the lists of panels, reminders and verslagen; rules are here too because django-rules only finds an
# app's top-level module.
CHAPTERS = {
    "gesprekken": ("dashboard", "herinneringen", "momenten", "rules", "sections", "verslagen", "voortgang"),
    "zorgen": ("dashboard", "herinneringen", "rules", "sections", "voortgang"),
    "beoordelingen": (
        "dashboard",
        "herinneringen",
        "momenten",
        "retention",
        "rules",
        "sections",
        "verslagen",
        "voortgang",
    ),
    "evaluatie": ("dashboard", "momenten", "rules", "verslagen"),
    # The progress picture, drawn from the stageplan and the beoordelingen (issue 16).
    "voortgang": ("sections",),
}


class BeoordelingConfig(AppConfig):
    name = "beoordeling"
    verbose_name = _("Beoordeling")

    def ready(self):
        from stagegids import demo as demo_data

        from . import demo, holdings  # noqa: F401  holdings registers what the chapters hold about a person

        for chapter, modules in CHAPTERS.items():
            for module in modules:
                import_module(f"{self.name}.{chapter}.{module}")

        demo_data.register(demo.load, order=30)
