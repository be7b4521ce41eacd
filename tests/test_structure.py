"""The package's structure: one-way floors, no import cycle, no reaching into private names.

The imports are read from the source (top-level and inside functions alike), so a lazy
import counts as much as an eager one.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "fazhi_nlp"

#: The floors, lowest first. A module imports only modules on lower floors, except the
#: pairs in SAME_FLOOR; the three text stages never import one another (furniture holds the
#: shapes of page furniture for clean alone: dedup and segment may not import it).
FLOORS = {
    "ground": ("types", "errors", "patterns", "files", "tokenize", "examples"),
    "edge": ("office", "read", "webpage"),
    "stages": ("clean", "furniture", "dedup", "segment"),
    "model": ("labels", "features", "context", "scorer", "classifier", "persist"),
    "entry": ("pipeline",),
    "uses": ("evaluation", "training", "corpus", "profiles", "labelling", "plot", "cli"),
}
SAME_FLOOR = {("files", "errors"), ("read", "office"), ("read", "webpage"), ("clean", "furniture"), ("persist", "classifier"), ("classifier", "features"),
              ("classifier", "scorer"), ("classifier", "context"), ("persist", "context"), ("persist", "features"), ("persist", "scorer"), ("training", "evaluation"),
              ("profiles", "corpus"), ("labelling", "corpus"), ("plot", "profiles"),
              ("cli", "corpus"), ("cli", "profiles"), ("cli", "labelling"), ("cli", "plot"),
              ("cli", "evaluation"), ("cli", "training")}
#: Modules allowed to be longer than MAX_LINES, with the reason.
LONG_MODULES = {
    "office": "two readers (.docx and PDF) that share the heading and paragraph rules",
    "labels": "the codebook's labels plus every check a hand-made label file needs",
    "classifier": "the estimator, its feature preparation and its explanations",
    "corpus": "file discovery, the parallel runner and the result frames of one batch API",
    "cli": "one small function per sub-command, and the argument parser",
    "persist": "safe saving and loading: each card field and model type is checked",
    "scorer": "scikit-learn's TF-IDF and logistic regression re-done in numpy: the arrays, "
              "their checks on load, the n-gram look-up tables and the scoring",
}
MAX_LINES = 400


def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.glob("*.py")
            if p.stem != "__init__"}


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every relative import of a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.append((node.module.split(".")[0], [a.name for a in node.names]))
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
            found.extend((a.name, []) for a in node.names)
    return found


def _floor(module: str) -> int:
    for rank, members in enumerate(FLOORS.values()):
        if module in members:
            return rank
    raise AssertionError(f"fazhi_nlp/{module}.py is on no floor of tests/test_structure.py")


def test_every_module_is_on_a_floor():
    for name in _modules():
        _floor(name)


def test_imports_go_down_only_and_stages_stay_apart():
    wrong = []
    for name, tree in _modules().items():
        for target, _ in _imports(tree):
            if target == name:
                continue
            down = _floor(target) < _floor(name)
            if not (down or (name, target) in SAME_FLOOR):
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_no_import_cycle():
    graph = {name: {t for t, _ in _imports(tree) if t != name} for name, tree in _modules().items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(path + [node, nxt]))
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_no_module_takes_another_modules_private_names():
    taken = []
    for name, tree in _modules().items():
        aliases = {}
        for target, names in _imports(tree):
            taken += [f"{name} imports {target}.{n}" for n in names if n.startswith("_")]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
                aliases.update({(a.asname or a.name): a.name for a in node.names})
        for node in ast.walk(tree):  # module._private through an imported module
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in aliases and node.attr.startswith("_"):
                taken.append(f"{name} uses {aliases[node.value.id]}.{node.attr}")
    assert taken == []


def test_modules_stay_small_or_say_why():
    long = {p.stem: n for p in PACKAGE.glob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= set(LONG_MODULES), {m: n for m, n in long.items() if m not in LONG_MODULES}


def test_stage_modules_are_not_shadowed_by_functions():
    import importlib

    import fazhi_nlp

    for stage in ("clean", "dedup", "segment", "read", "corpus", "classifier"):
        module = importlib.import_module(f"fazhi_nlp.{stage}")
        assert getattr(fazhi_nlp, stage) is module
        assert module.__name__ == f"fazhi_nlp.{stage}"
