"""Per-module tables: imports, top-level functions and classes, fixtures, constants."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from refute.static.names import dotted, leaf
from refute.static.nodes import children, walk

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class Fixture:
    name: str
    node: FunctionNode
    module: ModuleTables
    autouse: bool = False


@dataclass
class ModuleTables:
    """What one parsed module defines and imports."""

    rel: str
    dotted: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name -> origin dotted name
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    star_sources: list[str] = field(default_factory=list)  # modules of `from m import *`
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    fixtures: dict[str, Fixture] = field(default_factory=dict)
    constants: dict[str, ast.expr] = field(default_factory=dict)
    star_import: bool = False
    has_getattr: bool = False

    # origin's answers; emptied when the imports change (``forget_origins``)
    _origins: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # which module functions build and return a mock, by name and the calling test's own
    # imports (``Flow._mock_factory``); emptied with the origins, which the answers read
    mock_factories: dict[object, bool] = field(default_factory=dict, repr=False,
                                               compare=False)
    # ``literal_constant``'s answers (the constants do not change once the tables are built)
    _literals: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def origin(self, name: str) -> str:
        """The dotted origin of a dotted name used in this module (``m.f`` -> ``pkg.m.f``)."""
        found = self._origins.get(name)
        if found is None:
            found = self._origins[name] = imported_origin(self.imports, name) or name
        return found

    def forget_origins(self) -> None:
        self._origins.clear()
        self.mock_factories.clear()

    def literal_constant(self, name: str) -> bool:
        """The module-level constant ``name`` is a display of plain values (numbers,
        strings, and lists, tuples, sets and dicts of them, with operators): what it holds is
        the test's own, whatever a test has bound (no name, call or attribute in it)."""
        known = self._literals.get(name)
        if known is None:
            known = self._literals[name] = all(
                type(n) in _LITERAL_NODES or isinstance(n, (ast.operator, ast.unaryop))
                for n in walk(self.constants[name]))
        return known


_LITERAL_NODES = frozenset({ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp,
                            ast.BinOp})


def imported_origin(imports: dict[str, str], name: str) -> str | None:
    """What a dotted name stands for when its head is one of ``imports`` (local name ->
    origin), else None."""
    head, _, rest = name.partition(".")
    base = imports.get(head)
    if base is None:
        return None
    return f"{base}.{rest}" if rest else base


def module_name(rel: str) -> str:
    """``src/pkg/mod.py`` -> ``pkg.mod``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = rel[:-3].split("/") if rel.endswith(".py") else rel.split("/")
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def is_context_manager(node: FunctionNode) -> bool:
    """A generator made a context manager by ``contextlib``."""
    return any(leaf(dotted(d)) in ("contextmanager", "asynccontextmanager")
               for d in node.decorator_list)


def fixture_decorator(node: FunctionNode) -> ast.expr | None:
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if leaf(dotted(target)) in ("fixture", "yield_fixture"):
            return dec
    return None


def parameters(node: FunctionNode) -> list[str]:
    """A function's named parameters, in order (positional-only, positional, keyword-only;
    not ``*args``/``**kwargs``)."""
    args = node.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def argnames(first: ast.expr) -> list[str] | None:
    """``parametrize``'s argument names: ``"a, b"`` or ``["a", "b"]``."""
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [n.strip() for n in first.value.split(",") if n.strip()]
    if isinstance(first, (ast.List, ast.Tuple)):
        return [e.value for e in first.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return None


def parametrize_names(node: FunctionNode) -> set[str]:
    """The parameters of a test that take values from its decorators (``parametrize``,
    hypothesis' ``given``, pytest-cases), not from fixtures."""
    names: set[str] = set()
    for dec in node.decorator_list:
        if not isinstance(dec, ast.Call):
            continue
        lf = leaf(dotted(dec.func))
        if lf == "parametrize" and dec.args:
            names.update(argnames(dec.args[0]) or ())
        elif lf in ("given", "example", "settings_given"):
            names.update(name for name, _ in given_arguments(dec, node))
        elif lf in ("cases", "parametrize_with_cases"):
            names.update(a.arg for a in node.args.args)
    return names


def given_arguments(dec: ast.Call, node: FunctionNode) -> list[tuple[str, ast.expr]]:
    """The parameters hypothesis' ``given`` (or ``example``) gives values to, with the
    expression for each: by keyword, or positionally to the last parameters."""
    pairs: list[tuple[str, ast.expr]] = [(k.arg, k.value) for k in dec.keywords if k.arg]
    if dec.args:
        positional = [a.arg for a in node.args.args if a.arg not in ("self", "cls")]
        pairs += zip(positional[-len(dec.args):], dec.args, strict=False)
    return pairs


def _is_autouse(dec: ast.expr) -> bool:
    if isinstance(dec, ast.Call):
        for kw in dec.keywords:
            if kw.arg == "autouse" and isinstance(kw.value, ast.Constant):
                return bool(kw.value.value)
    return False


def _fixture_name(node: FunctionNode, dec: ast.expr) -> str:
    if isinstance(dec, ast.Call):
        for kw in dec.keywords:
            if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                return str(kw.value.value)
    return node.name


def build_tables(rel: str, tree: ast.Module) -> ModuleTables:
    mod = ModuleTables(rel=rel, dotted=module_name(rel), tree=tree)
    package = package_of(mod)
    for stmt in tree.body:
        _collect(mod, stmt, package)
    return mod


def package_of(mod: ModuleTables) -> str:
    """The package a module's relative imports start from."""
    if mod.rel.endswith("__init__.py"):
        return mod.dotted
    return mod.dotted.rsplit(".", 1)[0] if "." in mod.dotted else ""


def import_bindings(stmt: ast.Import | ast.ImportFrom, package: str
                    ) -> tuple[dict[str, str], list[str]]:
    """The names an import statement binds, each with the dotted origin it stands for, and
    the modules it star-imports from."""
    bound: dict[str, str] = {}
    stars: list[str] = []
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                bound[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                bound[top] = top
        return bound, stars
    base = stmt.module or ""
    if stmt.level:
        parts = package.split(".") if package else []
        parts = parts[: len(parts) - (stmt.level - 1)] if stmt.level > 1 else parts
        base = ".".join([*parts, base] if base else parts)
    for alias in stmt.names:
        if alias.name == "*":
            stars.append(base)
            continue
        bound[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    return bound, stars


def _collect(mod: ModuleTables, stmt: ast.stmt, package: str) -> None:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        bound, stars = import_bindings(stmt, package)
        mod.imports.update(bound)
        mod.forget_origins()
        if stars:
            mod.star_import = True
            mod.star_sources.extend(stars)
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        mod.functions[stmt.name] = stmt
        if stmt.name == "__getattr__":
            mod.has_getattr = True
        dec = fixture_decorator(stmt)
        if dec is not None:
            name = _fixture_name(stmt, dec)
            mod.fixtures[name] = Fixture(name, stmt, mod, _is_autouse(dec))
    elif isinstance(stmt, ast.ClassDef):
        mod.classes[stmt.name] = stmt
    elif isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                mod.constants[target.id] = stmt.value
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        if stmt.value is not None:
            mod.constants[stmt.target.id] = stmt.value
    elif isinstance(stmt, (ast.If, ast.Try)):
        blocks = [stmt.body, stmt.orelse]
        if isinstance(stmt, ast.Try):
            blocks += [h.body for h in stmt.handlers] + [stmt.finalbody]
        for block in blocks:
            for inner in block:
                _collect(mod, inner, package)


def defined_names(mod: ModuleTables) -> set[str]:
    """Every top-level name a module binds: assigned outside function bodies (in class
    bodies too, to stay on the safe side) or declared ``global`` in a function. A function's
    own locals are not the module's, so an edit inside a body leaves these names alone."""
    names = set(mod.imports) | set(mod.functions) | set(mod.classes) | set(mod.constants)
    todo: list[ast.AST] = [mod.tree]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            names.update(name for sub in walk(node) if isinstance(sub, ast.Global)
                         for name in sub.names)
            continue
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in walk(target):
                    if isinstance(sub, ast.Name):
                        names.add(sub.id)
        todo.extend(children(node))
    return names
