"""What a test does, as a hash: its normalised code plus the fixtures and helpers it uses.

Normalised means the AST without positions, comments, formatting or docstrings, so a reformat
keeps a sign-off valid while any change to what the test runs or asserts makes it stale. The
fixtures (requested, ``usefixtures`` and autouse, transitively), the set-up methods of its
class, and the assertion helpers it calls (in the test module, its classes or test-support
modules, transitively) are part of the fingerprint: a sign-off covers what the reviewer read.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, replace

from refute.static.collect import TestItem
from refute.static.facts import Strength
from refute.static.index import ProjectIndex
from refute.static.module import FunctionNode, ModuleTables, fixture_decorator
from refute.static.names import SETUP_METHODS, dotted, leaf
from refute.static.walker import HelperJudge, Scope

FINGERPRINT_VERSION = "1"
_BUILTIN_ARGS = {"self", "cls"}


def _strip_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def _is_generated_marker(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return (dotted(target) or "").endswith("mark.generated")


class _Normaliser(ast.NodeTransformer):
    def _drop_docstring(self, node: ast.AST) -> ast.AST:
        self.generic_visit(node)
        decorators = getattr(node, "decorator_list", None)
        if isinstance(decorators, list):  # provenance metadata is not behaviour
            node.decorator_list = [  # type: ignore[attr-defined]
                d for d in decorators if not _is_generated_marker(d)]
        body = getattr(node, "body", None)
        if isinstance(body, list):
            stripped = _strip_docstring(body)
            node.body = stripped or [ast.Pass()]  # type: ignore[attr-defined]
        return node

    visit_FunctionDef = _drop_docstring
    visit_AsyncFunctionDef = _drop_docstring
    visit_ClassDef = _drop_docstring


def normalised(node: ast.AST) -> str:
    """The code of ``node`` with formatting, comments, docstrings and positions removed."""
    import copy

    clean = _Normaliser().visit(copy.deepcopy(node))
    if isinstance(clean, (ast.FunctionDef, ast.AsyncFunctionDef)):
        clean.name = "_"  # a renamed or moved test keeps its fingerprint
    return ast.dump(clean, annotate_fields=False, include_attributes=False)


def code_hash(node: ast.AST) -> str:
    return hashlib.sha256(normalised(node).encode()).hexdigest()[:16]


def assertion_count(node: FunctionNode) -> int:
    """Checks written in a test: asserts, ``assert*`` calls, raises/warns blocks, fails."""
    count = 0
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assert):
            count += 1
        elif isinstance(sub, ast.Call):
            name = dotted(sub.func) or ""
            last = leaf(name)
            if last.startswith("assert") or (last in ("fail", "raises", "warns") and (
                    name.startswith("pytest.") or name.startswith("self."))):
                count += 1
    return count


@dataclass(frozen=True)
class Dependency:
    kind: str  # "fixture" | "helper" | "setup"
    name: str
    rel: str
    code: str


def _no_judge(facts: object, scope: Scope) -> tuple[Strength, tuple[str, ...]]:
    return Strength.NONE, ()


def _params(node: FunctionNode) -> list[str]:
    args = node.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
            if a.arg not in _BUILTIN_ARGS]


def _usefixtures(decorators: list[ast.expr]) -> list[str]:
    names = []
    for dec in decorators:
        if isinstance(dec, ast.Call) and leaf(dotted(dec.func)) == "usefixtures":
            names += [a.value for a in dec.args
                      if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return names


def _autouse(scope: Scope) -> list[str]:
    names = [f.name for f in scope.module.fixtures.values() if f.autouse]
    for conf in scope.index.conftest_chain(scope.module.rel):
        names += [f.name for f in conf.fixtures.values() if f.autouse]
    return names


def dependencies(item: TestItem, mod: ModuleTables, index: ProjectIndex) -> list[Dependency]:
    """The fixtures, set-up methods and helpers a test runs, each once, in a stable order."""
    scope = Scope(mod, index, HelperJudge(_no_judge), item.classes, item.class_modules)
    found: dict[tuple[str, str, str], Dependency] = {}
    seen_nodes: set[int] = set()
    pending: list[tuple[FunctionNode, Scope]] = [(item.node, scope)]

    def add(kind: str, name: str, node: FunctionNode, where: Scope) -> None:
        if id(node) in seen_nodes:
            return
        seen_nodes.add(id(node))
        found[(kind, where.module.rel, name)] = Dependency(kind, name, where.module.rel,
                                                           normalised(node))
        pending.append((node, where))

    wanted = _params(item.node) + _usefixtures(item.node.decorator_list) + _autouse(scope)
    for cls in item.classes:
        wanted += _usefixtures(cls.decorator_list)
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                    stmt.name in SETUP_METHODS:
                found[("setup", cls.name, stmt.name)] = Dependency(
                    "setup", f"{cls.name}.{stmt.name}", mod.rel, normalised(stmt))
                pending.append((stmt, scope))
    seen_names: set[str] = set()
    seen_nodes.add(id(item.node))
    while wanted or pending:
        while wanted:
            name = wanted.pop()
            if name in seen_names:
                continue
            seen_names.add(name)
            fixture = scope.fixture(name)
            if fixture is not None:
                add("fixture", name, fixture.node, replace(scope, module=fixture.module))
        if pending:
            node, where = pending.pop()
            if node is not item.node and fixture_decorator(node) is not None:
                wanted += _params(node)
            for helper, helper_scope in _helpers(node, where):
                add("helper", helper.name, helper, helper_scope)
    return sorted(found.values(), key=lambda d: (d.kind, d.rel, d.name))


def _helpers(node: FunctionNode, scope: Scope) -> list[tuple[FunctionNode, Scope]]:
    out: list[tuple[FunctionNode, Scope]] = []
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        func = sub.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                func.value.id in ("self", "cls"):
            method = scope.method(func.attr)
            if method is not None:
                out.append(method)
            continue
        if isinstance(func, ast.Name):
            target = scope.module.functions.get(func.id)
            if target is not None and func.id not in scope.module.fixtures:
                out.append((target, replace(scope, classes=[], class_modules=[])))
                continue
        origin = scope.module.origin(dotted(func) or "")
        if "." in origin:
            mod_name, _, fname = origin.rpartition(".")
            support = scope.index.support_module(mod_name)
            if support is not None and fname in support.functions:
                out.append((support.functions[fname], Scope(support, scope.index,
                                                             scope.helpers)))
    return out


def test_fingerprint(item: TestItem, mod: ModuleTables, index: ProjectIndex) -> str:
    """``v1:<sha256>`` of the test's normalised code and everything it depends on."""
    digest = hashlib.sha256(FINGERPRINT_VERSION.encode())
    digest.update(normalised(item.node).encode())
    for dep in dependencies(item, mod, index):
        digest.update(f"\0{dep.kind}\0{dep.name}\0{dep.code}".encode())
    return f"v{FINGERPRINT_VERSION}:{digest.hexdigest()[:32]}"
