"""The shape DESIGN.md (Architecture) asks for, checked on the source: views write only
through services, and services are given values, never the request."""

import ast
import inspect
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(
    p.parent.name
    for p in ROOT.glob("*/views.py")
    if p.parent.name not in {"node_modules", "bench", "tests"}
)
SERVICE_MODULES = sorted(
    p.parent.name for p in ROOT.glob("*/services.py") if p.parent.name != "tests"
)

# Calls that write to the database, whatever they are called on (a queryset, a manager, a
# related manager, a model instance, a ModelForm).
WRITES = {
    "save",
    "create",
    "delete",
    "update",
    "set",
    "add",
    "remove",
    "clear",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# Calls named like a write that write nothing: the board's template context (a dict).
NOT_WRITES = {("assignments/views.py", "context.update")}
# (file, function) of a view allowed to write for now: none.
NOT_YET: set[tuple[str, str]] = set()


def _writes_in(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    relative = path.relative_to(ROOT).as_posix()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                call = ast.unparse(node.func)
                if (relative, call) in NOT_WRITES or (relative, function.name) in NOT_YET:
                    continue
                yield f"{relative}:{node.lineno} {function.name}: {call}(...)"


def test_no_view_writes_to_the_database_but_through_a_service():
    found = [w for app in APPS for w in _writes_in(ROOT / app / "views.py")]
    assert found == []


def test_the_write_check_finds_a_write_in_a_view(tmp_path, monkeypatch):
    """The check above would see the writes it is there to refuse."""
    monkeypatch.setattr("tests.test_architecture.ROOT", tmp_path)
    (tmp_path / "app").mkdir()
    view = tmp_path / "app" / "views.py"
    view.write_text(
        "def v(request, form, net, qs):\n"
        "    form.save()\n"
        "    net.members.set([])\n"
        "    qs.filter(a=1).update(b=2)\n"
        "    X.objects.get_or_create(a=1)\n"
    )
    assert [w.split(": ")[-1] for w in _writes_in(view)] == [
        "form.save(...)",
        "net.members.set(...)",
        "qs.filter(a=1).update(...)",
        "X.objects.get_or_create(...)",
    ]


def _public_functions(module):
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ == module.__name__ and not name.startswith("_"):
            yield name, function


# Write services allowed positional arguments or no transaction for now: none.
POSITIONAL_NOT_YET: set[str] = set()


def test_services_are_never_given_the_request():
    found = []
    for app in SERVICE_MODULES:
        module = import_module(f"{app}.services")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__:
                continue
            if "request" in inspect.signature(function).parameters:
                found.append(f"{app}.services.{name}")
    assert found == []


def _atomic_names(path: Path) -> set[str]:
    """Functions of a module decorated with ``transaction.atomic`` (read from the source, so
    that no wrapper's look decides it)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d).endswith("atomic") for d in node.decorator_list)
    }


def test_write_services_take_keyword_arguments_only():
    """``assignment_change(*, target, officer, actor)``: a call reads as what it does, and no
    caller swaps two villages or two users by position."""
    found = []
    for app in SERVICE_MODULES:
        module = import_module(f"{app}.services")
        atomic = _atomic_names(ROOT / app / "services.py")
        for name, function in _public_functions(module):
            qualified = f"{app}.services.{name}"
            if name not in atomic or qualified in POSITIONAL_NOT_YET:
                continue
            positional = [
                p.name
                for p in inspect.signature(function).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
            ]
            if positional:
                found.append(f"{qualified}({', '.join(positional)})")
    assert found == []
    assert "assignment_change" in _atomic_names(ROOT / "assignments" / "services.py")


def test_services_that_write_are_atomic():
    """A public service that writes runs in one transaction (and so falls under the
    keyword-only check above): all of it happens, or none."""
    found = []
    for app in SERVICE_MODULES:
        path = ROOT / app / "services.py"
        atomic = _atomic_names(path)
        for name, line, call in _public_writes(path):
            qualified = f"{app}.services.{name}"
            if name not in atomic and qualified not in POSITIONAL_NOT_YET:
                found.append(f"{qualified}:{line} {call}")
    assert found == []


def _public_writes(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef) or function.name.startswith("_"):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
                # a dict's set of plain values being filled, not a related manager
                and ".setdefault(" not in ast.unparse(node.func.value)
            ):
                yield function.name, node.lineno, ast.unparse(node.func)
