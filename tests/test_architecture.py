"""The package's shape: no import cycle between its modules (counting imports inside functions,
which cycle just as well, only later), no module reaching back into ``textkit/__init__``, and no
module named like a public function (``import textkit.review`` once rebound ``textkit.report`` to
a module: ``TypeError: 'module' object is not callable``).

The import graph is read from the source with ``ast``, so the test sees every import, including
the lazy ones a run might never reach.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "textkit"


def _modules() -> dict[str, Path]:
    return {p.stem: p for p in sorted(PACKAGE.glob("*.py"))}


def _imports(path: Path, modules: set[str]) -> list[tuple[str, int]]:
    """(imported textkit name, line) for every import in the file; ``__init__`` for the package."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0:
                if module != "textkit" and not module.startswith("textkit."):
                    continue
                module = module.removeprefix("textkit").lstrip(".")
            if module:
                out.append((module.split(".")[0], node.lineno))
            else:  # from . import x: a submodule, or a name of textkit/__init__
                out += [
                    (a.name if a.name in modules else "__init__", node.lineno) for a in node.names
                ]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "textkit":
                    out.append(("__init__", node.lineno))
                elif a.name.startswith("textkit."):
                    out.append((a.name.split(".")[1], node.lineno))
    return out


def import_graph() -> dict[str, dict[str, int]]:
    """module → {module it imports: first line}, over textkit/*.py."""
    modules = _modules()
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges: dict[str, int] = {}
        for target, line in _imports(path, set(modules)):
            if target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str]:
    """One import cycle as [a, b, …, a], or [] (depth-first search)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_the_graph_reader_sees_lazy_and_relative_imports(tmp_path):
    """The reader itself: a cycle made only of imports inside functions is still found."""
    (tmp_path / "a.py").write_text("def f():\n    from .b import g\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def g():\n    from . import a, parse\n", encoding="utf-8")
    assert _imports(tmp_path / "b.py", {"a", "b"}) == [("a", 2), ("__init__", 2)]
    graph = {"a": {"b": 2}, "b": {"a": 2}}
    assert find_cycle(graph) == ["a", "b", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycle():
    graph = import_graph()
    graph.pop("__init__")  # the package imports its modules; they never import it (below)
    cycle = find_cycle(graph)
    assert not cycle, "import cycle: " + " → ".join(
        f"{a} (line {graph[a][b]})" for a, b in itertools.pairwise(cycle)
    )


def test_no_module_imports_the_package_init():
    offenders = [
        f"textkit/{name}.py:{edges['__init__']}"
        for name, edges in import_graph().items()
        if name != "__init__" and "__init__" in edges
    ]
    assert not offenders, "imports textkit/__init__ (import from the module instead): " + ", ".join(
        offenders
    )


def test_no_module_is_named_like_a_public_function():
    import textkit

    functions = {n for n in textkit.__all__ if callable(getattr(textkit, n))}
    assert not functions & set(_modules()), functions & set(_modules())


def test_public_functions_survive_importing_every_module():
    """Importing submodules (as users and lazy imports inside textkit do) leaves every public
    function of ``textkit`` a function."""
    modules = sorted(set(_modules()) - {"__init__", "__main__"})
    code = (
        "import importlib, textkit\n"
        f"for m in {modules!r}: importlib.import_module('textkit.' + m)\n"
        "print([n for n in textkit.__all__ if type(getattr(textkit, n)).__name__ == 'module'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
