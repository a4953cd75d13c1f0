"""Which functions of a test module pytest would collect, with pytest's node ids."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from fnmatch import fnmatch

from refute.config import PytestConfig
from refute.static.index import ProjectIndex
from refute.static.module import FunctionNode, ModuleTables, fixture_decorator
from refute.static.names import dotted, leaf

UNITTEST_BASES = {"TestCase", "IsolatedAsyncioTestCase", "AsyncTestCase", "SimpleTestCase",
                  "TransactionTestCase", "LiveServerTestCase", "APITestCase",
                  "StaticLiveServerTestCase", "AioHTTPTestCase", "FunctionTestCase"}


@dataclass
class TestItem:
    id: str
    node: FunctionNode
    rel: str  # the file that defines the function
    classes: list[ast.ClassDef] = field(default_factory=list)
    class_modules: list[ModuleTables] = field(default_factory=list)
    unittest: bool = False


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if any(ch in pattern for ch in "*?["):
            if fnmatch(name, pattern):
                return True
        elif name.startswith(pattern):
            return True
    return False


def _disabled(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__test__" for t in stmt.targets
        ) and isinstance(stmt.value, ast.Constant) and not stmt.value.value:
            return True
    return False


def _unaliased(name: str, mod: ModuleTables) -> str:
    """``ppt.Base`` where the module set ``ppt = pp.testing``: ``pp.testing.Base``."""
    head, _, rest = name.partition(".")
    value = mod.constants.get(head) if rest and head not in mod.imports else None
    target = dotted(value) if isinstance(value, (ast.Name, ast.Attribute)) else None
    return f"{target}.{rest}" if target and target.partition(".")[0] != head else name


class Collector:
    def __init__(self, mod: ModuleTables, cfg: PytestConfig, index: ProjectIndex) -> None:
        self.mod = mod
        self.cfg = cfg
        self.index = index

    def _resolve_base(self, base: ast.expr, mod: ModuleTables
                      ) -> tuple[ast.ClassDef, ModuleTables] | None:
        name = dotted(base)
        if not name:
            return None
        if name in mod.classes:
            return mod.classes[name], mod
        origin = mod.origin(_unaliased(name, mod))
        owner, _, cls_name = origin.rpartition(".")
        support = self.index.support_module(owner) if owner else None
        if support is not None and cls_name in support.classes:
            return support.classes[cls_name], support
        if owner and self.index.resolve_module(origin) is not None:
            # a TestCase subclass of the project's source, however the package exposes it
            # (``ppt = pp.pyparsing_test`` ... ``class T(ppt.TestParseResultsAsserts, ...)``)
            return self.index.test_base(cls_name)
        return None

    def mro(self, cls: ast.ClassDef, mod: ModuleTables,
            seen: set[int] | None = None) -> list[tuple[ast.ClassDef, ModuleTables]]:
        seen = seen if seen is not None else set()
        if id(cls) in seen:
            return []
        seen.add(id(cls))
        out = [(cls, mod)]
        for base in cls.bases:
            found = self._resolve_base(base, mod)
            if found is not None:
                out.extend(self.mro(found[0], found[1], seen))
        return out

    def is_unittest(self, cls: ast.ClassDef, mod: ModuleTables) -> bool:
        for klass, _ in self.mro(cls, mod):
            for base in klass.bases:
                name = leaf(dotted(base))
                if name in UNITTEST_BASES or name.endswith("TestCase"):
                    return True
        return False

    def collect(self) -> list[TestItem]:
        mod = self.mod
        if _disabled(mod.tree.body):
            return []
        items: list[TestItem] = []
        for stmt in mod.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if _matches(stmt.name, self.cfg.python_functions) and \
                        fixture_decorator(stmt) is None:
                    items.append(TestItem(f"{mod.rel}::{stmt.name}", stmt, mod.rel))
            elif isinstance(stmt, ast.ClassDef):
                items.extend(self._class(stmt, f"{mod.rel}::{stmt.name}", mod, nested=False))
        return items

    def _class(self, cls: ast.ClassDef, prefix: str, mod: ModuleTables,
               nested: bool) -> list[TestItem]:
        if _disabled(cls.body):
            return []
        unittest = self.is_unittest(cls, mod)
        if not unittest and not _matches(cls.name, self.cfg.python_classes):
            return []
        chain = self.mro(cls, mod)
        if not unittest and any(
            isinstance(s, ast.FunctionDef) and s.name == "__init__" for k, _ in chain
            for s in k.body
        ):
            return []  # pytest cannot collect a test class with __init__
        items: list[TestItem] = []
        seen: set[str] = set()
        for klass, kmod in chain:
            for stmt in klass.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if stmt.name in seen:
                    continue
                seen.add(stmt.name)
                wanted = stmt.name.startswith("test") if unittest else _matches(
                    stmt.name, self.cfg.python_functions)
                if wanted and fixture_decorator(stmt) is None:
                    items.append(TestItem(
                        f"{prefix}::{stmt.name}", stmt, kmod.rel,
                        classes=[k for k, _ in chain], class_modules=[m for _, m in chain],
                        unittest=unittest))
        if not unittest:
            for stmt in cls.body:
                if isinstance(stmt, ast.ClassDef):
                    items.extend(self._class(stmt, f"{prefix}::{stmt.name}", mod, nested=True))
        return items
