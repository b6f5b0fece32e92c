"""Imports run one way: core (and the refusals in workshops/errors.py) sit
below every capability and import none of them; a capability may use core,
never the other way round (issue 12)."""

from __future__ import annotations

import ast
from pathlib import Path

import workshops

PACKAGE = Path(workshops.__file__).parent
CAPABILITIES = {"programme", "people", "outcomes", "auth", "audit", "reports", "agenda_views", "api",
                "search", "home", "demo", "cli"}


def _imported(path: Path) -> set[str]:
    """The app modules a file imports (anywhere in it, functions included),
    as dotted names under `workshops`."""
    return _imports_of(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE))


def _imports_of(source: str, where: Path) -> set[str]:
    package = ["workshops", *where.with_suffix("").parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "workshops" or name.startswith("workshops.")}


def _upward(names) -> list[str]:
    return sorted(name for name in names if name.split(".")[1:2] and name.split(".")[1] in CAPABILITIES)


def test_core_imports_no_capability():
    found = {f"{path.name}: {name}" for path in (PACKAGE / "core").glob("*.py")
             for name in _upward(_imported(path))}
    assert sorted(found) == []


def test_the_refusals_import_nothing_of_the_app():
    assert _imported(PACKAGE / "errors.py") == set()


def test_the_check_sees_an_upward_import():
    """The check itself: what core/views.py imported before the home page
    had its own folder is reported, at any depth and in a function too."""
    source = ("from ..outcomes.models import Recommendation\n"
              "def f():\n    from workshops.programme import models\n    from .health import database_problem\n")
    assert _upward(_imports_of(source, Path("core/views.py"))) == [
        "workshops.outcomes.models", "workshops.outcomes.models.Recommendation",
        "workshops.programme", "workshops.programme.models"]


def test_templates_link_without_asking_whether_a_page_exists():
    """Every blueprint is always registered: a template links with url_for,
    no `config_view_functions` or `url_if_exists` check is left."""
    templates = Path(workshops.__file__).parent.parent / "templates"
    left = sorted(str(path.relative_to(templates)) for path in templates.rglob("*.html")
                  if "config_view_functions" in (text := path.read_text(encoding="utf-8"))
                  or "url_if_exists" in text)
    assert left == []
