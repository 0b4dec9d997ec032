"""The layers of docs/architecture.md, kept by reading every import of the code.

Each module of the ``mizugiwa`` package belongs to one layer; a module may import its own layer
and the layers below, never above, and the two application layers (``training`` and
``service``) never import each other. Imports are read from the source (module level, inside
functions and under ``TYPE_CHECKING`` alike: a hidden import is still a dependency), so the test
needs nothing installed and catches an import before it runs.

Module-level imports must also be free of cycles: a cycle makes import order matter and is how
"nine function-level imports" start.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL_FOLDERS = ("features", "models", "training", "service")

# Lower number = lower layer. Prefixes are matched longest first.
LAYERS: dict[str, int] = {
    "mizugiwa": 0,  # the package root; a new module at the root is core unless listed
    "mizugiwa.settings": 0,
    "mizugiwa.logging": 0,
    "mizugiwa.db": 0,
    "mizugiwa.features": 1,
    "mizugiwa.models": 2,
    "mizugiwa.training": 3,
    "mizugiwa.service": 3,
    "mizugiwa.commands": 4,
    "mizugiwa.cli": 4,
}
# Same layer, yet neither may import the other: serving code never imports training code.
SIBLINGS_APART = {
    ("mizugiwa.training", "mizugiwa.service"),
    ("mizugiwa.service", "mizugiwa.training"),
}


def _source_files() -> Iterator[tuple[str, Path]]:
    """(module name, file) of every module of the package, the mapped folders included."""
    package = ROOT / "mizugiwa"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in TOP_LEVEL_FOLDERS:
            continue  # reached through the folders themselves, below
        yield _module_name(("mizugiwa", *relative.parts)), path
    for folder in TOP_LEVEL_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield _module_name(("mizugiwa", *path.relative_to(ROOT).parts)), path


def _module_name(parts: tuple[str, ...]) -> str:
    names = list(parts)
    names[-1] = names[-1].removesuffix(".py")
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def _unit(module: str) -> str | None:
    """The layer prefix a module belongs to (None for third-party modules)."""
    matches = [prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")]
    return max(matches, key=len) if matches else None


def _imports(module: str, path: Path) -> Iterator[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import in a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top_level
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno, id(node) in top_level
            for alias in node.names:  # ``from pkg import submodule``
                yield f"{target}.{alias.name}", node.lineno, id(node) in top_level


MODULES = dict(_source_files())


def test_every_folder_is_seen() -> None:
    units = {_unit(name) for name in MODULES}
    assert {
        "mizugiwa.features",
        "mizugiwa.models",
        "mizugiwa.training",
        "mizugiwa.service",
    } <= units
    assert len(MODULES) > 100


@pytest.mark.parametrize(
    "folder", ["mizugiwa", *TOP_LEVEL_FOLDERS, "tests", "benchmarks", "notebooks"]
)
def test_nothing_imports_the_bare_folder_names(folder: str) -> None:
    """``features``, ``models``... are folders; the package is ``mizugiwa.features``... A bare
    import would load a second copy of the module under another name."""
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in TOP_LEVEL_FOLDERS:
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not bad, "\n".join(bad)


def test_no_import_goes_against_the_layers() -> None:
    bad = []
    for module, path in MODULES.items():
        own = _unit(module)
        assert own is not None, module
        for target, line, _ in _imports(module, path):
            other = _unit(target)
            if other is None or other == own:
                continue
            if LAYERS[other] > LAYERS[own] or (own, other) in SIBLINGS_APART:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {own} imports {target}")
    assert not bad, "imports against the layers (docs/architecture.md):\n" + "\n".join(
        sorted(set(bad))
    )


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                names = [n for n, _ in stack]
                return [*names[names.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def test_module_level_imports_have_no_cycle() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, path in MODULES.items():
        for target, _, at_top in _imports(module, path):
            if at_top and target in MODULES and target != module:
                # importing a package's submodule runs the package first, but ``__init__``
                # re-exporting its own submodules is not a cycle worth reporting.
                if module.startswith(target + "."):
                    continue
                graph[module].add(target)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_checks_catch_a_violation(tmp_path: Path) -> None:
    """The checker itself: an upward import and a cycle are found."""
    upward = tmp_path / "m.py"
    upward.write_text("from mizugiwa.training.train import train\n")
    found = [t for t, _, _ in _imports("mizugiwa.models.m", upward)]
    assert any(LAYERS[_unit(t) or "mizugiwa.models"] > LAYERS["mizugiwa.models"] for t in found)
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
