"""The apps depend one way: a module never imports an app above its own, and the core (stagegids) imports no app.

Read from the source with `ast`, so an import inside a function counts as much as one at the top of a module.
Migrations are left out: a migration may depend on another app's migrations, whatever the layers.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. stagemap may not exist yet in every checkout: an app that is not there has no modules to check.
LAYERS = ["stagegids", "leerbedrijf", "stagemap", "stageplan", "beoordeling", "uren", "tegemoetkoming"]
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def modules(root):
    """(app, path) of every .py file of the apps under root, migrations left out."""
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield app, path


def references(source):
    """(line, dotted name) of each module or model the source names: imports, import_module, get_model, relations.

    Relative imports are left out: the apps are top-level packages, so they never reach another app.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            # import_module("app.x"), apps.get_model("app", "Model") or ("app.Model"), ForeignKey("app.Model")
            if name in {"import_module", "get_model", *RELATION_FIELDS} and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def violations(root=ROOT):
    found = []
    for app, path in modules(root):
        for line, name in references(path.read_text()):
            target = name.split(".")[0]
            if target in LAYERS and LAYERS.index(target) > LAYERS.index(app):
                found.append(f"{path.relative_to(root)}:{line}: {app} uses {name} ({target} is above {app})")
    return found


def test_no_app_imports_a_higher_one():
    assert len(list(modules(ROOT))) > 50, "the apps' modules were not found"
    assert violations() == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("stagegids/views.py", "import leerbedrijf.models\n"),
        ("leerbedrijf/views.py", "def f():\n    from beoordeling.models import Beoordeling\n"),
        ("stagemap/verslagen.py", "if True:\n    from stageplan import models\n"),
        ("leerbedrijf/demo/__init__.py", "from importlib import import_module\nimport_module('stageplan.demo')\n"),
        ("stagegids/tasks.py", "from django.apps import apps\napps.get_model('beoordeling', 'Reminder')\n"),
        ("leerbedrijf/models.py", "from django.db import models\nx = models.ForeignKey('stageplan.Leerdoel')\n"),
    ],
    ids=["core-imports-app", "in-function", "in-block", "import_module", "get_model", "foreign-key"],
)
def test_a_wrong_import_is_found(tmp_path, path, source):
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(source)
    assert len(violations(tmp_path)) == 1, violations(tmp_path)


def test_allowed_imports_and_migrations_pass(tmp_path):
    files = {
        "beoordeling/views.py": "from stageplan.models import Leerdoel\nimport leerbedrijf\nfrom . import rules\n",
        "beoordeling/gesprekken/views.py": "from ..models import Beoordeling\nfrom .forms import X\n",
        "stagemap/tasks.py": "from leerbedrijf.models import Stage\nfrom stagegids.mail import send\n",
        "stageplan/views.py": "from stagemap import verslagen\nx = ForeignKey('self')\nget_model('Leerdoel')\n",
        "leerbedrijf/migrations/0009_x.py": "from stageplan.models import Leerdoel\n",
    }
    for path, source in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source)
    assert violations(tmp_path) == []
