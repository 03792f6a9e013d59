"""No two modules of circlekeeper import each other at load time, directly or round a loop.

A loop works only while the import order happens to suit it; moving one import breaks start-up.
Imports inside functions (the lazy ones that keep SQLAlchemy off the first paint) do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import circlekeeper

SRC = Path(circlekeeper.__file__).resolve().parent.parent


def _graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for path in (SRC / "circlekeeper").rglob("*.py"):
        name = ".".join(path.with_suffix("").relative_to(SRC).parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                wanted = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                wanted = [a.name for a in node.names]
            else:
                continue
            graph[name].update(w for w in wanted if w in modules and w != name)
    return graph


def _loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_loops() -> None:
    assert _loops(_graph()) == []


def test_the_check_sees_a_loop() -> None:
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
