from django.apps import apps
from django.core.management import call_command

from leerbedrijf.models import Stage, StopKind
from stagemap.models import Verslag


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"stagegids", "leerbedrijf", "stagemap", "stageplan", "beoordeling", "uren", "tegemoetkoming"}
    }


def test_demo_loads_every_app_and_a_second_run_changes_nothing(db, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("demo")
    first = counts()
    assert first["leerbedrijf.Stage"] >= 4 and first["stageplan.Leerdoel"] > 0 and first["beoordeling.Beoordeling"] > 0
    # A stage that went wrong (issue 15): ended, its coming moments cancelled, its closing verslag in the stagemap.
    ended = Stage.objects.get(stopped=StopKind.BEEINDIGD)
    assert ended.stops.get().cancelled_moments
    assert Verslag.objects.filter(stage=ended, kind="stage_stop").count() == 1
    assert first["tegemoetkoming.StageDocument"] == 1 and first["leerbedrijf.ErkenningStatusPeriode"] > 0
    call_command("demo")
    assert counts() == first
