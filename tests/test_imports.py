"""The static import graph of ``core/``, ``ingest/``, ``server/`` and ``queries/``, read with ``ast``:
no import cycles (module-level and function-level imports alike), no import from ``ingest``
into ``server`` or back (only through ``core``), no private ``_name`` imported from another
module. Imports under ``if TYPE_CHECKING:`` are left out: they never run."""
from __future__ import annotations

import ast
import warnings
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "ingest", "server", "queries")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if ".venv" not in path.parts and "__pycache__" not in path.parts:
                found[module_name(path)] = path
    return found


def runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, str, int]]:
    """(imported module, imported name or "", line) for each import in module ``name``."""
    is_package = path.name == "__init__.py"
    out = []
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                if child in known:           # `from . import render`: the module itself
                    out.append((child, "", node.lineno))
                else:
                    out.append((base, alias.name, node.lineno))
    return [(target, what, line) for target, what, line in out if target.split(".")[0] in PACKAGES]


def graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str, int]]]:
    """Edges between our modules, and every (importer, module, name, line) for the checks."""
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    detail = []
    for name, path in known.items():
        for target, what, line in imports(name, path, known):
            while target not in known and "." in target:     # `import a.b.c` of a name in a.b
                target = target.rsplit(".", 1)[0]
            if target in known and target != name:
                edges[name].add(target)
            detail.append((name, target, what, line))
    return edges, detail


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path back to its start) per strongly connected component (Tarjan)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return [shortest_cycle(component, edges) for component in components]


def shortest_cycle(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    start, members = component[0], set(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(edges[v] & members):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    following.append(w)
        frontier = following
    return component


#: cycles known when this test was written, left to the work that removes them (the test warns
#: when one is gone, so that it can leave this list)
KNOWN_CYCLES: list[set[str]] = []
#: private names imported across modules when this test was written (issue 15 items 2 and 5)
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()


def test_the_graph_sees_relative_function_level_and_absolute_imports():
    edges, _ = graph()
    assert "core.formats" in edges["server.querypages"]               # from core import formats
    assert "core.canned" in edges["queries"]                           # from core.canned import ...
    assert "server.querypages" in edges["server.home"]                 # inside a function
    assert "core.negotiate" in edges["core.worker"]                    # from .negotiate import ...


def test_no_import_cycles():
    found = cycles(graph()[0])
    new = [c for c in found if set(c) not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(" -> ".join(c) for c in new)
    gone = [known for known in KNOWN_CYCLES if not any(known <= set(c) for c in found)]
    if gone:
        warnings.warn(f"no longer a cycle, take it off KNOWN_CYCLES: {gone}")
    for c in found:
        print("known cycle:", " -> ".join(c))


def test_ingest_and_server_meet_only_in_core():
    _, detail = graph()
    crossing = [f"{importer}:{line} imports {target}" for importer, target, _, line in detail
                if {importer.split(".")[0], target.split(".")[0]} == {"ingest", "server"}]
    assert not crossing, "\n".join(crossing)


def test_no_private_name_imported_from_another_module():
    _, detail = graph()
    private = {(importer, target, what): line for importer, target, what, line in detail
               if what.startswith("_") and not what.startswith("__") and target != importer}
    new = [f"{i}:{line} imports {what} from {t}" for (i, t, what), line in private.items()
           if (i, t, what) not in KNOWN_PRIVATE]
    assert not new, "\n".join(new)
    gone = KNOWN_PRIVATE - set(private)
    if gone:
        warnings.warn(f"no longer imported, take it off KNOWN_PRIVATE: {sorted(gone)}")


def test_core_imports_neither_side():
    """The shared layer imports neither ``ingest`` nor ``server`` (the command registry names
    their commands by "module:attribute" strings, imported only when the parser is built)."""
    _, detail = graph()
    reaching = [f"{importer}:{line} imports {target}" for importer, target, _, line in detail
                if importer.split(".")[0] == "core" and target.split(".")[0] in ("ingest", "server")]
    assert not reaching, "\n".join(reaching)


def test_every_script_compiles():
    """Compiled, not only parsed: ``ast.parse`` lets through what the compiler refuses (an
    assignment expression in a comprehension's iterable). ``bench/`` and ``tools/`` run only
    by hand, so nothing else would notice."""
    for folder in (*PACKAGES, "bench", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".venv" not in path.parts:
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
