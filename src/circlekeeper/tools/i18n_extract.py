"""Find every translatable text in the source, with the Qt context it is looked up under.

``pyside6-lupdate`` sees ``self.tr("...")`` and ``QCoreApplication.translate("Ctx", "...")``
but not the project's helpers (``_tr("...")`` wrappers with a fixed context, ``tr =
QCoreApplication.translate`` aliases, ``self.tr`` in module functions whose ``self`` is
annotated) nor the core's ``_("...")`` messages, about a third of the whole; this reads the
source with :mod:`ast` and finds them all. A call whose context cannot be known before the
program runs (``parent.tr("...")``) is filed under its module's name; at run time the catalogue
finds it by its English text (``ui/i18n.py: Catalogue``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CORE_CONTEXT = "core"
TRANSLATE_NAMES = {"translate", "QT_TRANSLATE_NOOP"}


@dataclass(frozen=True)
class Found:
    context: str
    source: str
    path: Path
    line: int


def package_dir() -> Path:
    return Path(__file__).resolve().parent.parent


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_translate(func: ast.AST) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr in TRANSLATE_NAMES
    return isinstance(func, ast.Name) and func.id in TRANSLATE_NAMES


class _Wrappers:
    """Per module: helper names that translate with a fixed context, or take one."""

    def __init__(self) -> None:
        self.fixed: dict[str, dict[str, str]] = {}  # module -> name -> context
        self.two_arg: dict[str, set[str]] = {}  # module -> names taking (context, text)

    def scan(self, module: str, tree: ast.Module) -> None:
        fixed = self.fixed.setdefault(module, {})
        two = self.two_arg.setdefault(module, set())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                params = [a.arg for a in node.args.args]
                for sub in ast.walk(node):
                    if not (isinstance(sub, ast.Return) and isinstance(sub.value, ast.Call)):
                        continue
                    call = sub.value
                    if not _is_translate(call.func) or len(call.args) < 2:
                        continue
                    ctx, arg = call.args[0], call.args[1]
                    if _text(ctx) is not None and isinstance(arg, ast.Name) and arg.id in params:
                        fixed[node.name] = _text(ctx) or ""
                    elif (
                        isinstance(ctx, ast.Name)
                        and ctx.id in params
                        and isinstance(arg, ast.Name)
                        and arg.id in params
                    ):
                        two.add(node.name)

    def link_imports(self, module: str, tree: ast.Module) -> None:
        fixed = self.fixed.setdefault(module, {})
        two = self.two_arg.setdefault(module, set())
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    local = alias.asname or alias.name
                    source_fixed = self.fixed.get(node.module, {})
                    if alias.name in source_fixed:
                        fixed[local] = source_fixed[alias.name]
                    if alias.name in self.two_arg.get(node.module, set()):
                        two.add(local)


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str, path: Path, wrappers: _Wrappers, is_core: bool) -> None:
        self.module = module
        self.path = path
        self.fixed = dict(wrappers.fixed.get(module, {}))
        self.two_arg = set(wrappers.two_arg.get(module, set()))
        self.is_core = is_core
        self.classes: list[str] = []
        self.self_types: list[dict[str, str]] = [{}]
        self.found: list[Found] = []
        self.skipped: list[tuple[Path, int]] = []

    def _add(self, context: str, node: ast.AST, source: ast.AST) -> None:
        text = _text(source)
        if text is None:
            if isinstance(source, ast.JoinedStr):
                self.skipped.append((self.path, getattr(node, "lineno", 0)))
            return
        self.found.append(Found(context, text, self.path, getattr(node, "lineno", 0)))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        types = dict(self.self_types[-1])
        for arg in node.args.args:
            note = arg.annotation
            if isinstance(note, ast.Constant) and isinstance(note.value, str):
                types[arg.arg] = note.value.split("|")[0].strip()
            elif isinstance(note, ast.Name):
                types[arg.arg] = note.id
        self.self_types.append(types)
        self.generic_visit(node)
        self.self_types.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._visit_function(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        # tr = QCoreApplication.translate / tr = tr_agreement (aliases inside a function)
        value = node.value
        for target in node.targets:
            if not isinstance(target, ast.Name):
                continue
            if isinstance(value, ast.Attribute) and value.attr == "translate":
                self.two_arg.add(target.id)
            elif isinstance(value, ast.Name) and value.id in self.fixed:
                self.fixed[target.id] = self.fixed[value.id]
            elif isinstance(value, ast.Name) and value.id in self.two_arg:
                self.two_arg.add(target.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        args = node.args
        if isinstance(func, ast.Attribute) and func.attr == "tr" and args:
            self._add(self._tr_context(func.value), node, args[0])
        elif _is_translate(func) and len(args) >= 2 and _text(args[0]) is not None:
            self._add(_text(args[0]) or "", node, args[1])
        elif isinstance(func, ast.Name):
            if func.id in self.fixed and args:
                self._add(self.fixed[func.id], node, args[0])
            elif func.id in self.two_arg and len(args) >= 2 and _text(args[0]) is not None:
                self._add(_text(args[0]) or "", node, args[1])
            elif func.id == "QT_TR_NOOP" and args:
                self._add(self.classes[-1] if self.classes else self.module, node, args[0])
            elif func.id in ("_", "N_") and self.is_core and args:
                self._add(CORE_CONTEXT, node, args[0])
        self.generic_visit(node)

    def _tr_context(self, owner: ast.AST) -> str:
        if isinstance(owner, ast.Name):
            if owner.id == "self" and self.classes:
                return self.classes[-1]
            named = self.self_types[-1].get(owner.id)
            if named:
                return named
        return self.module


def find_all(root: Path | None = None) -> tuple[list[Found], list[tuple[Path, int]]]:
    """Every translatable text under the package (``ui``, the app, and ``_()`` in the core)."""
    root = root or package_dir()
    files = sorted(p for p in root.rglob("*.py") if "tools" not in p.relative_to(root).parts)
    trees = {}
    wrappers = _Wrappers()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        trees[path] = tree
        wrappers.scan(_module_name(path, root), tree)
    for path, tree in trees.items():
        wrappers.link_imports(_module_name(path, root), tree)
    found: list[Found] = []
    skipped: list[tuple[Path, int]] = []
    for path, tree in trees.items():
        module = _module_name(path, root)
        is_core = module.startswith("circlekeeper.core")
        finder = _Finder(module, path, wrappers, is_core)
        finder.visit(tree)
        found.extend(finder.found)
        skipped.extend(finder.skipped)
    return found, skipped


def unique(found: list[Found]) -> Iterator[Found]:
    """One entry per (context, source), first place first."""
    seen: set[tuple[str, str]] = set()
    for item in found:
        key = (item.context, item.source)
        if key not in seen:
            seen.add(key)
            yield item
