"""Every write runs through the operation pipeline (``core/operations``): no other code opens a
transaction or commits, so no write escapes the audit's actor, the plain-words errors or the
announced changes."""

from __future__ import annotations

import ast
from pathlib import Path

import circlekeeper

PACKAGE = Path(circlekeeper.__file__).parent

# Where a transaction may be opened directly, and why.
ALLOWED = {
    "core/operations/": "the pipeline itself: Context.write opens the one transaction",
    "core/store/": "opening, migrating, encrypting and maintaining the file, before any record",
    "core/demo/": "the demo builder fills a new private file in bulk before anyone uses it",
}
# Single functions that may, and why.
ALLOWED_FUNCTIONS = {
    ("core/search/search.py", "rebuild_index"): "compacts the search index; changes no record",
}


def _enclosing_functions(tree: ast.AST) -> dict[int, str]:
    """Each node's id -> the name of the innermost function around it."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            names[id(child)] = inner
            visit(child, inner)

    visit(tree, "")
    return names


def transaction_calls(source: str, path: str = "") -> list[tuple[int, str]]:
    """``<sessions>.begin()`` (a session factory, session or engine) and any ``.commit()``,
    leaving out the functions of ``ALLOWED_FUNCTIONS``."""
    found = []
    tree = ast.parse(source)
    functions = _enclosing_functions(tree)
    for node in ast.walk(tree):
        if (path, functions.get(id(node), "")) in ALLOWED_FUNCTIONS:
            continue
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        receiver = ast.unparse(node.func.value).lower()
        if name == "commit" or (
            name in ("begin", "begin_nested")
            and any(word in receiver for word in ("session", "engine", "connection", "conn"))
        ):
            found.append((node.lineno, f"{ast.unparse(node.func)}()"))
    return sorted(found)


def test_the_scan_finds_direct_transactions_and_ignores_other_begins() -> None:
    source = (
        "with self._sessions.begin() as s: pass\n"
        "with database.sessions.begin() as s: pass\n"
        "session.commit()\n"
        "block = doc.begin()\n"  # a QTextDocument's first block, not a transaction
        "with engine.begin() as c: pass\n"
    )
    assert [line for line, _ in transaction_calls(source)] == [1, 2, 3, 5]


def test_no_write_opens_its_own_transaction_outside_the_pipeline() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if any(relative.startswith(prefix) for prefix in ALLOWED):
            continue
        calls = transaction_calls(path.read_text(encoding="utf-8"), relative)
        if calls:
            offenders[relative] = calls
    assert offenders == {}, (
        "These modules open transactions themselves; run the write as an operation "
        f"(`with self.ctx.write('what it does') as session:`) instead: {offenders}"
    )
