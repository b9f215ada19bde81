"""The app beoordeling is split by chapter of the gids (issue 11): each chapter's modules live in its own package,
and the chapters depend one way: beoordelingen (ch. 9) and evaluatie (ch. 10) may use gesprekken (ch. 8), not the
other way round, and beoordelingen and evaluatie do not use each other. Zorgen (issue 15) uses no other chapter, so
that beoordelingen may use it (a tussenbeoordeling concluding twijfel proposes a concern)."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

import beoordeling

APP = Path(beoordeling.__file__).parent
CHAPTERS = ("gesprekken", "zorgen", "beoordelingen", "evaluatie", "voortgang")
MAY_USE = {
    "gesprekken": set(),
    "zorgen": set(),
    "beoordelingen": {"gesprekken", "zorgen"},
    "evaluatie": {"gesprekken"},
    # The progress picture draws the tussenbeoordeling's werkprocessen (issue 16).
    "voortgang": {"beoordelingen"},
}


def chapters_imported(path):
    """The chapter modules (or chapter packages) of beoordeling that the file at `path` imports from."""
    chapter = path.parent.name
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                target = node.module or ""
                target = target.removeprefix("beoordeling.") if target.startswith("beoordeling.") else None
            elif node.level == 1:
                target = f"{chapter}.{node.module}" if node.module else chapter
            else:
                target = node.module
        elif isinstance(node, ast.Import):
            names = [a.name.removeprefix("beoordeling.") for a in node.names if a.name.startswith("beoordeling.")]
            target = names[0] if names else None
        else:
            continue
        if target and target.split(".")[0] in CHAPTERS:
            found.add(target)
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_depend_one_way(chapter):
    wrong = [
        (str(path.relative_to(APP)), target)
        for path in sorted((APP / chapter).glob("*.py"))
        for target in chapters_imported(path)
        if target.split(".")[0] not in MAY_USE[chapter] | {chapter}
    ]
    assert wrong == []


def test_the_check_sees_a_wrong_way_import(tmp_path):
    module = tmp_path / "gesprekken" / "views.py"
    module.parent.mkdir()
    module.write_text("from ..beoordelingen.models import Beoordeling\nfrom beoordeling.evaluatie import rules\n")
    assert chapters_imported(module) == {"beoordelingen.models", "evaluatie"}


def test_every_model_of_the_app_lives_in_a_chapter():
    modules = {model.__module__ for model in apps.get_app_config("beoordeling").get_models()}
    # The progress picture (voortgang) only draws what the other chapters keep.
    assert modules == {f"beoordeling.{chapter}.models" for chapter in CHAPTERS if chapter != "voortgang"}
