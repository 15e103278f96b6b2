"""The apps depend in one direction (docs/architecture.md): each imports only from the apps
below it, and ``districts/lib`` (code with no tie to Django) imports neither Django nor any
app. ``../shared/hooks/layers.py`` holds the same order for the team."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Bottom first: an app may import from those before it, never from those after.
LAYERS = [
    "districts",
    "people",
    "assignments",
    "fieldwork",
    "evaluations",
    "imports",
    "sammachip",
]


def imported_modules(path: Path):
    """Every module a file imports, at any depth (an import inside a function counts too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # from app import module
                yield node.lineno, f"{node.module}.{alias.name}"


def app_files(root: Path = ROOT):
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            if "migrations" not in path.parts:
                yield layer, path


def upward_imports(root: Path = ROOT):
    rank = {name: i for i, name in enumerate(LAYERS)}
    found = []
    for layer, path in app_files(root):
        for line, module in imported_modules(path):
            top = module.split(".")[0]
            if top in rank and rank[top] > rank[layer]:
                found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return sorted(set(found))


def test_every_python_package_of_the_project_is_a_known_layer():
    packages = {
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in ("tests", "bench", "node_modules", "staticfiles")
    }
    assert packages == set(LAYERS)


def test_no_app_imports_from_an_app_above_it():
    assert upward_imports() == []


def test_the_plain_modules_import_no_django_and_no_app():
    """districts/lib is code with no tie to Django: every app may use it, it uses none."""
    plain = sorted((ROOT / "districts" / "lib").rglob("*.py"))
    assert plain
    tied = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in plain
        for line, module in imported_modules(path)
        if module.split(".")[0] in {"django", *LAYERS} and not module.startswith("districts.lib")
    ]
    assert tied == []


def test_the_walk_finds_an_upward_import_when_there_is_one(tmp_path):
    """The check itself can fail: a lower app importing a higher one, even inside a
    function, is reported; the other way round is not."""
    for name in LAYERS:
        (tmp_path / name).mkdir()
    (tmp_path / "people" / "views.py").write_text("def f():\n    from fieldwork import models\n")
    (tmp_path / "fieldwork" / "views.py").write_text("from people.models import Sage\n")
    assert upward_imports(tmp_path) == [
        "people/views.py:2 imports fieldwork",
        "people/views.py:2 imports fieldwork.models",
    ]


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_has_python_files(layer):
    assert any((ROOT / layer).rglob("*.py"))
