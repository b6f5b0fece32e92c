"""Imports run one way: down the layers the README's layout section states.

Every module under workshops/ is read with `ast` (imports at module level
and inside functions, relative imports resolved) and each import of another
workshops module is checked against LAYERS: a module may import its own
layer and the layers below it, never one above. A package sits in one layer;
a module named on its own (the audit log's page) overrides its package.
The few upward imports not yet untangled are in ALLOWED, each with its
reason; an entry that is no longer needed fails too, so the list only
shrinks."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "workshops"

# Bottom to top. A name is a module or a package (and everything in it); the
# longest name that matches a module decides its layer.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("workshops.errors", "workshops.db", "workshops.vocab", "workshops.config",
                    "workshops.extensions")),
    ("core", ("workshops.core",)),
    ("audit trail", ("workshops.audit",)),  # unit_of_work: every write goes through it
    ("mail", ("workshops.mail",)),  # the outbox: mail is queued inside the unit of work of its change
    ("documents", ("workshops.documents",)),  # uploaded files, stored inside a unit of work
    ("accounts", ("workshops.auth",)),  # users, sessions, access rules
    ("programme", ("workshops.programme",)),
    ("outputs", ("workshops.outputs",)),  # a network's written products, beside the programme
    ("people", ("workshops.people",)),
    ("outcomes", ("workshops.outcomes",)),
    ("features", ("workshops.agenda_views", "workshops.reports", "workshops.search", "workshops.home",
                  "workshops.api", "workshops.archive", "workshops.public_outcomes",
                  # the audit log's page links to every capability's objects and
                  # uses their filter widgets: a reader of all of them, not a layer below.
                  "workshops.audit.views",
                  # the outbox page checks who may see which network's mail (auth)
                  "workshops.mail.views")),
    ("application", ("workshops", "workshops.models", "workshops.cli", "workshops.demo", "workshops.startup")),
]

# (importing module, imported module): why it still runs up. Remove the entry
# when the import is gone.
ALLOWED: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _target(name: str, modules) -> str:
    """The module an import names: `from workshops import create_app` names
    the package, `from ..core import cleaning` the module core.cleaning."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str, source: str, modules) -> list[tuple[int, str]]:
    """(line, imported workshops module) for every import in the source,
    at any depth (functions too)."""
    package = module if module in modules and modules[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names = [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "workshops" or name.startswith("workshops."):
                found.append((node.lineno, _target(name, modules)))
    return found


def layer_of(module: str) -> int:
    best, layer = "", None
    for index, (_, names) in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, layer = name, index
    assert layer is not None, f"{module} is in no layer: add it to LAYERS"
    return layer


def upward_imports(modules) -> list[tuple[str, int, str, str]]:
    """(importing module, line, imported module, 'layer -> layer') for every
    import that runs up."""
    found = []
    for module, path in modules.items():
        source_layer = layer_of(module)
        for line, target in imports_of(module, path.read_text(encoding="utf-8"), modules):
            target_layer = layer_of(target)
            if target_layer > source_layer:
                found.append((module, line, target, f"{LAYERS[source_layer][0]} -> {LAYERS[target_layer][0]}"))
    return found


def test_imports_run_down_the_layers_only():
    found = upward_imports(_modules())
    unexplained = [
        f"{module.replace('.', '/')}.py:{line} -> {target} ({layers})"
        for module, line, target, layers in sorted(set(found))
        if (module, target) not in ALLOWED
    ]
    assert not unexplained, "imports up the layers (README, 'How the code is laid out'):\n" + "\n".join(unexplained)
    stale = set(ALLOWED) - {(module, target) for module, _, target, _ in found}
    assert not stale, f"no longer imported, remove from ALLOWED: {sorted(stale)}"


def test_the_check_sees_an_upward_import_in_a_function_and_a_relative_import():
    modules = _modules()
    source = (
        "from ..errors import Invalid\n"
        "def f():\n"
        "    from ..outcomes.models import Recommendation\n"
        "    from workshops import create_app\n"
    )
    found = imports_of("workshops.core.sample", source, modules)
    assert found == [(1, "workshops.errors"), (3, "workshops.outcomes.models"), (4, "workshops")]
    assert [layer_of(target) > layer_of("workshops.core.sample") for _, target in found] == [False, True, True]


def test_the_readme_states_the_layer_order():
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "Imports run one way" in text, "the README's layout section should state the layers"
    stated = text[text.index("Imports run one way"):]
    positions = [stated.find(f"{name} ") for name, _ in LAYERS]
    assert -1 not in positions and positions == sorted(positions), \
        f"the README should name the layers in this order: {' → '.join(name for name, _ in LAYERS)}"
