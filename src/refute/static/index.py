"""The project index: what the source defines and what test-support code provides.

Built once per run (before the test files are analysed in parallel) from the project's source
modules, conftest files and test-support modules. The rules use it for signatures, patch
targets, pass-through functions and explicit raises; the analysis uses it to resolve assertion
helpers and fixtures across files.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from refute.static import source as src_io
from refute.static.module import (
    FunctionNode,
    ModuleTables,
    build_tables,
    defined_names,
    is_context_manager,
    module_name,
    parameters,
)
from refute.static.names import call_arguments, dotted, leaf, raised_name
from refute.static.nodes import own_nodes, walk

NO_NEGATIVE_EXCEPTIONS = {"NotImplementedError", "AssertionError", "StopIteration",
                          "StopAsyncIteration", "KeyboardInterrupt", "SystemExit",
                          "GeneratorExit"}


_EMPTY = ast.Module(body=[], type_ignores=[])


@dataclass
class Signature:
    positional: tuple[str, ...]
    required_positional: int
    varargs: bool
    keyword_only: tuple[str, ...]
    required_keyword_only: tuple[str, ...]
    varkw: bool
    positional_only: int = 0  # how many of ``positional`` come before a ``/``

    @classmethod
    def of(cls, node: FunctionNode, drop_first: bool) -> Signature:
        args = node.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        posonly = len(args.posonlyargs)
        n_defaults = len(args.defaults)
        if drop_first and positional:
            positional = positional[1:]
            posonly = max(0, posonly - 1)
        required = max(0, len(positional) - n_defaults)
        kwonly = tuple(a.arg for a in args.kwonlyargs)
        pairs = zip(args.kwonlyargs, args.kw_defaults, strict=False)
        required_kw = tuple(a.arg for a, d in pairs if d is None)
        return cls(
            positional=tuple(positional),
            required_positional=required,
            varargs=args.vararg is not None,
            keyword_only=kwonly,
            required_keyword_only=required_kw,
            varkw=args.kwarg is not None,
            positional_only=posonly,
        )

    def mismatch(self, call: ast.Call) -> str | None:
        """Why ``call`` cannot bind to this signature, or None when it can (or may)."""
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            return None
        n_pos = len(call.args)
        if not self.varargs and n_pos > len(self.positional):
            return f"takes at most {len(self.positional)} positional arguments, {n_pos} given"
        names = [k.arg for k in call.keywords if k.arg]
        posonly = set(self.positional[:self.positional_only])
        by_keyword = self.positional[self.positional_only:]
        bound = set(self.positional[:n_pos])
        for name in names:
            if name in posonly:
                # `f(self, /, **kwargs)` called with `self=1`: that goes to **kwargs
                if self.varkw:
                    continue
                return f"got positional-only argument {name!r} passed as keyword"
            if name in bound:
                return f"got multiple values for argument {name!r}"
            if name not in self.positional and name not in self.keyword_only and not self.varkw:
                return f"has no parameter named {name!r}"
        filled = n_pos + sum(1 for n in names if n in by_keyword[max(0, n_pos -
                                                                     self.positional_only):])
        if filled < self.required_positional:
            missing = [p for i, p in enumerate(self.positional[:self.required_positional])
                       if i >= n_pos and (p not in names or p in posonly)]
            if missing:
                return f"missing required argument {missing[0]!r}"
        for name in self.required_keyword_only:
            if name not in names:
                return f"missing required keyword argument {name!r}"
        return None


@dataclass
class SourceFunction:
    qualname: str
    rel: str
    line: int
    signature: Signature | None
    returns_value: bool
    raises: tuple[str, ...]
    passthrough: bool
    public: bool
    returns_bool: bool = False  # every return is a comparison, `not`, bool constant, all/any
    # an undecorated ``async def``: a call only makes a coroutine (or an async generator),
    # and the body runs when it is awaited
    coroutine: bool = False
    # the functions of its module whose results it returns where the rest of its returns are
    # bools (``return _sequence_equal(one, two)``): it is a predicate when they all are
    # (``ProjectIndex.settle``)
    bool_via: tuple[str, ...] = ()
    # a validator (``check_type(value, int)``, ``validate(doc)``): named for checking, it
    # raises, and returns nothing or what it was given; raising is its only answer, so a
    # test that calls it on a valid value and ignores the result checks that it accepts it
    validator: bool = False
    # every return is a regular expression's match (``return re.match(URI, uri)``): a match
    # object or None, so ``is not None`` and truthiness are its whole answer
    returns_match: bool = False
    # the project's decorators it is wrapped in, by origin (``validators.utils.validator``)
    decorated_by: tuple[str, ...] = ()
    # a decorator whose wrapper only gives bools or instances of these classes (by origin):
    # with each of them falsy or truthy by its ``__bool__``, what it wraps is a predicate
    # (``ProjectIndex.settle``); None when it is not such a decorator
    bool_wrapper: tuple[str, ...] | None = None
    # a decorator whose wrapper gives something other than what the wrapped function gives:
    # what it wraps answers as the wrapper does, not as its own body does
    changes_result: bool = False


@dataclass
class SourceClass:
    qualname: str
    attrs: set[str]
    bases: list[str]
    closed: bool  # every base is known: attribute lookups can be decided
    init: Signature | None
    methods: dict[str, SourceFunction] = field(default_factory=dict)


@dataclass
class ProjectIndex:
    source_modules: dict[str, ModuleTables] = field(default_factory=dict)
    source_names: dict[str, set[str]] = field(default_factory=dict)
    functions: dict[str, SourceFunction] = field(default_factory=dict)
    classes: dict[str, SourceClass] = field(default_factory=dict)
    support: dict[str, ModuleTables] = field(default_factory=dict)
    conftests: dict[str, ModuleTables] = field(default_factory=dict)  # dir rel -> tables
    reexports: dict[str, list[str]] = field(default_factory=dict)  # origin -> importing modules
    # module constants and class attributes bound to a non-empty list, tuple, set or dict
    # display (`SEPARATORS = ["-", "/"]`): a loop over one runs
    nonempty: set[str] = field(default_factory=set)
    # unittest TestCase subclasses the source defines (a package's own testing helpers:
    # pyparsing's ``pyparsing_test.TestParseResultsAsserts`` mixin), nested ones too, by
    # class name: where they are (file, rel, the class names leading to it). A test class
    # that derives from one inherits its assertion methods; the file is parsed again only
    # when a test needs it (``test_base``), and the facts hold its hash, not its tree
    test_bases: dict[str, list[tuple[str, str, tuple[str, ...]]]] = field(default_factory=dict)
    test_base_files: dict[str, str] = field(default_factory=dict)  # rel -> sha256 of bytes
    # context managers the source defines that assert (a ``@contextmanager`` with an
    # ``assert`` or a ``raise AssertionError``: voluptuous's ``raises(exc, msg)``), by
    # qualified name: where they are (file, rel). As the test bases' files, theirs are
    # parsed again when a test uses one (``assert_manager``) and hashed into the facts
    assert_managers: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the names a source module's literal ``__all__`` lists: what ``from m import *`` binds
    star_exports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _test_base_tables: dict[str, ModuleTables | None] = field(default_factory=dict, repr=False,
                                                              compare=False)
    # support_module's answers for names matched by suffix; the index is complete before
    # any query
    _support_suffixes: dict[str, ModuleTables | None] = field(default_factory=dict, repr=False)
    # _reexported's answers, asked again and again of the same names by every test that
    # calls them; emptied whenever source comes in
    _reexported_memo: dict[str, str | None] = field(default_factory=dict, repr=False,
                                                     compare=False)
    _conftest_chains: dict[str, tuple[ModuleTables, ...]] = field(default_factory=dict,
                                                                  repr=False, compare=False)

    # ---- building -------------------------------------------------------------------------
    def add_source(self, mod: ModuleTables, path: Path | None = None,
                   data: bytes = b"") -> None:
        """Index a source module (read from ``path``, whose bytes are ``data``). What is kept
        of it holds no syntax tree: the trees of the whole source would stay alive in every
        worker through the audit, and a heap full of old trees slows down every later
        parse."""
        self._reexported_memo.clear()
        self.source_modules[mod.dotted] = ModuleTables(
            mod.rel, mod.dotted, _EMPTY, imports=mod.imports, star_sources=mod.star_sources,
            star_import=mod.star_import, has_getattr=mod.has_getattr)
        self.source_names[mod.dotted] = defined_names(mod)
        redefined = _redefined(mod.tree.body)
        for name, node in mod.functions.items():
            fn = replace(
                _source_function(f"{mod.dotted}.{name}", mod.rel, node, drop_first=False),
                decorated_by=_decorator_origins(node, mod),
                bool_wrapper=_bool_wrapper(node, mod),
                changes_result=_changes_result(node))
            if name in redefined:
                # `if sys.version_info >= (3, 12): def f(..., delete_on_close=True)` and an
                # `else:` without it: which one runs is not known here
                fn = replace(fn, signature=None)
            self.functions[f"{mod.dotted}.{name}"] = fn
        for name, cls in mod.classes.items():
            self._add_class(mod, f"{mod.dotted}.{name}", cls)
        for local, origin in mod.imports.items():
            if local == leaf(origin):
                self.reexports.setdefault(origin, []).append(mod.dotted)
        self.nonempty.update(f"{mod.dotted}.{name}" for name, value in mod.constants.items()
                             if _nonempty_display(value))
        bases = list(_test_case_classes(mod.tree.body))
        for names in bases:
            self.test_bases.setdefault(names[-1], []).append((str(path or ""), mod.rel, names))
        listed = mod.constants.get("__all__")
        if isinstance(listed, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in listed.elts):
            self.star_exports[mod.dotted] = tuple(
                e.value for e in listed.elts)  # type: ignore[attr-defined]
        managers = [name for name, node in mod.functions.items() if _asserting_manager(node)]
        for name in managers:
            self.assert_managers[f"{mod.dotted}.{name}"] = (str(path or ""), mod.rel)
        if bases or managers:
            self.test_base_files[mod.rel] = hashlib.sha256(data).hexdigest()

    def add_part(self, part: ProjectIndex) -> None:
        """Take in the source another index holds (``add_source``), as if its modules were
        added here one by one after the ones already added."""
        self._reexported_memo.clear()
        self.nonempty |= part.nonempty
        self.source_modules.update(part.source_modules)
        self.source_names.update(part.source_names)
        self.functions.update(part.functions)
        self.classes.update(part.classes)
        for origin, modules in part.reexports.items():
            self.reexports.setdefault(origin, []).extend(modules)
        for name, found in part.test_bases.items():
            self.test_bases.setdefault(name, []).extend(found)
        self.test_base_files.update(part.test_base_files)
        self.assert_managers.update(part.assert_managers)
        self.star_exports.update(part.star_exports)

    def _add_class(self, mod: ModuleTables, qualname: str, cls: ast.ClassDef) -> None:
        attrs: set[str] = set()
        methods: dict[str, SourceFunction] = {}
        init: Signature | None = None
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                attrs.add(stmt.name)
                static = any(leaf(dotted(d)) == "staticmethod" for d in stmt.decorator_list)
                fn = _source_function(f"{qualname}.{stmt.name}", mod.rel, stmt, not static)
                methods[stmt.name] = fn
                if stmt.name == "__init__":
                    init = fn.signature
                if not cls.bases or stmt.name == "__init__":
                    for node in walk(stmt):
                        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                                and node.value.id == "self"):
                            attrs.add(node.attr)
            elif isinstance(stmt, ast.ClassDef):
                attrs.add(stmt.name)
                self._add_class(mod, f"{qualname}.{stmt.name}", stmt)
            else:
                for node in walk(stmt):
                    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        attrs.add(node.id)
                if isinstance(stmt, ast.Assign) and _nonempty_display(stmt.value):
                    self.nonempty.update(f"{qualname}.{t.id}" for t in stmt.targets
                                         if isinstance(t, ast.Name))
        bases = [mod.origin(b) for b in (dotted(x) for x in cls.bases) if b]
        plain_bases = all(b in ("object",) for b in bases)
        decorated = bool(cls.decorator_list)
        has_meta = any(k.arg == "metaclass" for k in cls.keywords)
        closed = plain_bases and not decorated and not has_meta and len(bases) == len(cls.bases)
        self.classes[qualname] = SourceClass(qualname, attrs, bases, closed,
                                             init if closed or init else None, methods)

    def source_facts(self) -> str:
        """Everything the index knows of the source, in a stable text without line numbers:
        equal facts give equal per-file results (an edit inside a function body that keeps
        its signature, raises and pass-through nature keeps every cached test file)."""
        parts: list[object] = []
        for name, mod in sorted(self.source_modules.items()):
            parts.append((name, mod.rel, sorted(mod.imports.items()), mod.star_sources,
                          mod.star_import, mod.has_getattr, sorted(self.source_names[name])))
        parts.extend(replace(fn, line=0) for _, fn in sorted(self.functions.items()))
        for name, cls in sorted(self.classes.items()):
            parts.append((name, sorted(cls.attrs), cls.bases, cls.closed, cls.init,
                          [replace(m, line=0) for _, m in sorted(cls.methods.items())]))
        parts.extend((origin, sorted(mods)) for origin, mods in sorted(self.reexports.items()))
        parts.append(sorted(self.nonempty))
        # the test bases' files, whole: their methods are analysed as assertion helpers of
        # the tests that inherit them
        parts.append(sorted(self.test_base_files.items()))
        parts.append(sorted((name, rel) for name, (_, rel) in self.assert_managers.items()))
        parts.append(sorted(self.star_exports.items()))
        return repr(parts)

    def settle(self) -> None:
        """With every source module in: a function that returns bools, or what functions of
        its own module return when those are predicates, is a predicate (``equal`` returning
        ``_sequence_equal(...)`` or ``one == two``); so is one wrapped in a decorator whose
        wrapper gives only bools and falsy-or-truthy objects (validators' ``@validator``,
        which gives ``True`` or a ``ValidationError`` whose ``__bool__`` is False)."""
        predicates = {name for name, fn in self.functions.items()
                      if fn.bool_wrapper is not None and all(
                          (cls := self.lookup_class(origin)) is not None and
                          "__bool__" in cls.methods for origin in fn.bool_wrapper)}
        for name, fn in list(self.functions.items()):
            if not fn.decorated_by:
                continue
            if any(d in predicates for d in fn.decorated_by):
                if not fn.returns_bool:
                    self.functions[name] = replace(fn, returns_bool=True)
            elif any((d in self.functions and self.functions[d].changes_result)
                     for d in fn.decorated_by) and (fn.returns_bool or fn.returns_match):
                # `@noted`, whose wrapper answers True or a truthy note: the body's
                # predicate is not what the caller gets
                self.functions[name] = replace(fn, returns_bool=False, returns_match=False,
                                               bool_via=())
        pending = {name: fn for name, fn in self.functions.items()
                   if fn.bool_via and not fn.returns_bool}
        changed = True
        while changed:
            changed = False
            for name, fn in list(pending.items()):
                module = name.rpartition(".")[0]
                callees = [self.functions.get(f"{module}.{callee}") for callee in fn.bool_via]
                if all(c is not None and c.returns_bool for c in callees):
                    self.functions[name] = replace(fn, returns_bool=True)
                    del pending[name]
                    changed = True

    # ---- queries --------------------------------------------------------------------------
    def resolve_module(self, name: str) -> tuple[str, list[str]] | None:
        """Split ``pkg.mod.Cls.attr`` into a known source module and the remaining parts."""
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            candidate = ".".join(parts[:cut])
            if candidate in self.source_modules:
                return candidate, parts[cut:]
        return None

    def lookup_function(self, origin: str) -> SourceFunction | None:
        if origin in self.functions:
            return self.functions[origin]
        owner, _, name = origin.rpartition(".")
        cls = self.classes.get(owner)
        if cls is not None:
            return cls.methods.get(name)
        # a name re-exported by a package __init__: pkg.func -> pkg.mod.func
        resolved = self._reexported(origin)
        return self.functions.get(resolved) if resolved else None

    def lookup_class(self, origin: str) -> SourceClass | None:
        if origin in self.classes:
            return self.classes[origin]
        resolved = self._reexported(origin)
        return self.classes.get(resolved) if resolved else None

    def _reexported(self, origin: str) -> str | None:
        """Where a re-exported name is defined, through as many packages as re-export it
        (``validators.bsc_address`` -> ``validators.crypto_addresses.bsc_address`` ->
        ``validators.crypto_addresses.bsc_address.bsc_address``)."""
        memo = self._reexported_memo
        if origin in memo:
            return memo[origin]
        found = memo[origin] = self._follow_reexports(origin)
        return found

    def _follow_reexports(self, origin: str) -> str | None:
        seen = {origin}
        resolved = self._follow_import(origin)
        while resolved and resolved not in seen and resolved not in self.functions and \
                resolved not in self.classes:
            seen.add(resolved)
            resolved = self._follow_import(resolved)
        return resolved if resolved and resolved != origin else None

    def _follow_import(self, origin: str) -> str | None:
        found = self.resolve_module(origin)
        if found is None:
            return None
        module, rest = found
        if not rest and "." in origin:
            # the name of a submodule that its package's __init__ rebinds to what it
            # imported (`from .bsc_address import bsc_address`): the package's binding wins
            module, _, last = origin.rpartition(".")
            if module not in self.source_modules or \
                    last not in self.source_modules[module].imports:
                return None
            rest = [last]
        if len(rest) != 1:
            return None
        tables = self.source_modules[module]
        target = tables.imports.get(rest[0])
        if target is None:
            for star in tables.star_sources:  # `from .more import *` in a package __init__
                if f"{star}.{rest[0]}" in self.functions or f"{star}.{rest[0]}" in self.classes:
                    return f"{star}.{rest[0]}"
        return target

    def test_base(self, name: str) -> tuple[ast.ClassDef, ModuleTables] | None:
        """The source's TestCase subclass of this name, when there is exactly one, from its
        file parsed again (once per process)."""
        found = self.test_bases.get(name, [])
        if len(found) != 1:
            return None
        path, rel, names = found[0]
        tables = self._parsed_again(path, rel)
        body = tables.tree.body if tables is not None else []
        cls: ast.ClassDef | None = None
        for part in names:
            cls = next((s for s in body if isinstance(s, ast.ClassDef) and s.name == part), None)
            if cls is None:
                return None
            body = cls.body
        return (cls, tables) if cls is not None and tables is not None else None

    def star_names(self, module: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """What ``from module import *`` binds, for a source module: its ``__all__`` when
        it lists one, else its public names and those it star-imports in turn."""
        if module in self.star_exports:
            return list(self.star_exports[module])
        tables = self.source_modules.get(module)
        if tables is None or module in seen:
            return []
        names = [n for n in sorted(self.source_names.get(module, ())) if not n.startswith("_")]
        for star in tables.star_sources:
            names.extend(self.star_names(star, seen | {module}))
        return names

    def expand_star_imports(self, mod: ModuleTables) -> None:
        """Bind in a test module the names its ``from m import *`` of source modules bring:
        after ``from funcy.colls import *``, ``all`` is funcy's, not the builtin. Names the
        module binds itself stay its own."""
        bound = set(mod.imports) | set(mod.functions) | set(mod.classes) | set(mod.constants)
        for star in mod.star_sources:
            for name in self.star_names(star):
                if name not in bound:
                    mod.imports[name] = f"{star}.{name}"
                    bound.add(name)
        mod.forget_origins()

    def assert_manager(self, origin: str) -> tuple[FunctionNode, ModuleTables] | None:
        """The source's asserting context manager imported as ``origin`` (directly, or
        re-exported by as many packages as re-export it), from its file parsed again (once
        per process)."""
        found = self.assert_managers.get(origin)
        if found is None:
            origin = self._reexported(origin) or ""
            found = self.assert_managers.get(origin)
        if found is None:
            return None
        tables = self._parsed_again(*found)
        node = tables.functions.get(origin.rpartition(".")[2]) if tables is not None else None
        return (node, tables) if node is not None and tables is not None else None

    def _parsed_again(self, path: str, rel: str) -> ModuleTables | None:
        if rel not in self._test_base_tables:
            try:
                tree = src_io.load(Path(path), rel).tree
            except src_io.SourceError:
                self._test_base_tables[rel] = None
            else:
                self._test_base_tables[rel] = build_tables(rel, tree)
        return self._test_base_tables[rel]

    def support_function(self, origin: str) -> tuple[FunctionNode, ModuleTables] | None:
        """The function of a test-side module a dotted origin names
        (``tests.paho_test.packet_matches``), with that module's tables."""
        owner, _, name = origin.rpartition(".")
        support = self.support_module(owner) if owner else None
        node = support.functions.get(name) if support is not None else None
        return (node, support) if node is not None and support is not None else None

    def parsed_test_module(self, rel: str) -> ast.Module | None:
        """The tree of a test-side module the index holds (one that other test modules
        import from), for the analysis of its own tests: the same file is not parsed twice.
        Nothing changes a tree (every note the audit keeps on a node is a memo)."""
        tables = self.support.get(module_name(rel))
        return tables.tree if tables is not None and tables.rel == rel else None

    def support_module(self, origin_module: str) -> ModuleTables | None:
        if origin_module in self.support:
            return self.support[origin_module]
        if origin_module in self._support_suffixes:
            return self._support_suffixes[origin_module]
        found = None
        for name, mod in self.support.items():
            if name.endswith("." + origin_module) or origin_module.endswith("." + name):
                found = mod
                break
        self._support_suffixes[origin_module] = found
        return found

    def conftest_chain(self, rel: str) -> tuple[ModuleTables, ...]:
        """conftest tables that apply to a file, nearest first (once per file: the conftests
        are all in before any test asks)."""
        found = self._conftest_chains.get(rel)
        if found is not None:
            return found
        out = []
        parent = PurePosixPath(rel).parent
        for directory in (parent, *parent.parents):
            key = directory.as_posix()
            if key in self.conftests:
                out.append(self.conftests[key])
        found = self._conftest_chains[rel] = tuple(out)
        return found


def _test_case_classes(body: list[ast.stmt], outer: tuple[str, ...] = ()
                       ) -> Iterator[tuple[str, ...]]:
    """The classes among ``body`` (and nested in its classes) that derive directly from a
    class named ``...TestCase``, as the class names leading to each."""
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            names = (*outer, stmt.name)
            if any(leaf(dotted(base)).endswith("TestCase") for base in stmt.bases):
                yield names
            yield from _test_case_classes(stmt.body, names)


def _source_function(qualname: str, rel: str, node: FunctionNode,
                     drop_first: bool) -> SourceFunction:
    returns_value = False
    raises: list[str] = []
    own = own_nodes(node)
    for sub in own:
        if (isinstance(sub, ast.Return) and sub.value is not None and not (
            isinstance(sub.value, ast.Constant) and sub.value.value is None
        )) or isinstance(sub, (ast.Yield, ast.YieldFrom)):
            returns_value = True
        elif isinstance(sub, ast.Raise) and sub.exc is not None:
            name = raised_name(sub)
            if name and name[0].isupper() and name not in NO_NEGATIVE_EXCEPTIONS:
                raises.append(name)
    decorators = {leaf(dotted(d.func if isinstance(d, ast.Call) else d))
                  for d in node.decorator_list}
    signature = None
    # a property's getter is never called with the call's arguments: `obj.prop(x)` calls
    # the value it gives
    if not (decorators - {"staticmethod", "classmethod"}):
        signature = Signature.of(node, drop_first)
    return SourceFunction(
        qualname=qualname,
        rel=rel,
        line=node.lineno,
        signature=signature,
        returns_value=returns_value,
        raises=tuple(dict.fromkeys(raises)),
        passthrough=_is_passthrough(node),
        public=not node.name.startswith("_") and "._" not in qualname,
        returns_bool=_returns_bool(own),
        bool_via=_bool_via(own),
        coroutine=isinstance(node, ast.AsyncFunctionDef) and not (
            decorators - {"staticmethod", "classmethod"}),
        validator=_is_validator(node, own),
        returns_match=_returns_match(own),
    )


_MATCHES = frozenset({"match", "fullmatch", "search"})


def _returns_match(own: list[ast.AST]) -> bool:
    """Every ``return`` gives ``re.match(...)`` (``fullmatch``, ``search``) or the same
    method of a compiled pattern kept under a pattern's name (``URI_RE.match(uri)``)."""
    returns = [n for n in own if isinstance(n, ast.Return)]
    return bool(returns) and all(_is_match_call(r.value) for r in returns)


def _is_match_call(value: ast.expr | None) -> bool:
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and
            value.func.attr in _MATCHES):
        return False
    owner = dotted(value.func.value) or ""
    name = leaf(owner) or ""
    return owner == "re" or name.isupper() or name.lower().endswith(
        ("_re", "_regex", "pattern", "_rx"))


def _redefined(body: list[ast.stmt]) -> set[str]:
    """Module-level functions defined more than once (in the branches of an ``if`` or a
    ``try``, or one after the other)."""
    seen: set[str] = set()
    twice: set[str] = set()
    blocks = [body]
    for block in blocks:
        for stmt in block:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                (twice if stmt.name in seen else seen).add(stmt.name)
            elif isinstance(stmt, ast.If):
                blocks += [stmt.body, stmt.orelse]
            elif isinstance(stmt, ast.Try):
                blocks += [stmt.body, stmt.orelse, stmt.finalbody,
                           *(h.body for h in stmt.handlers)]
    return twice


def _decorator_origins(node: FunctionNode, mod: ModuleTables) -> tuple[str, ...]:
    """The origins of the decorators of ``node`` (called or not) that are names: imported
    ones by what they import, the module's own by their qualified name."""
    out = []
    for dec in node.decorator_list:
        name = dotted(dec.func if isinstance(dec, ast.Call) else dec)
        if not name:
            continue
        if name in mod.functions:
            out.append(f"{mod.dotted}.{name}")
        else:
            out.append(mod.origin(name))
    return tuple(out)


def _wrapper(node: FunctionNode) -> ast.FunctionDef | None:
    """The nested function a decorator returns (``def wrapper(...)`` then ``return
    wrapper``), if that is what it does."""
    body = node.body
    if not body or not (isinstance(body[-1], ast.Return) and isinstance(body[-1].value, ast.Name)):
        return None
    returned = body[-1].value.id
    return next((s for s in body if isinstance(s, ast.FunctionDef) and s.name == returned),
                None)


def _changes_result(node: FunctionNode) -> bool:
    """A decorator whose wrapper returns something other than the call of the function it
    wraps (``return func(*args, **kwargs)``)."""
    wrapper = _wrapper(node)
    params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
    if wrapper is None or not params:
        return False
    wrapped = params[0]
    return any(not (isinstance(r.value, ast.Call) and isinstance(r.value.func, ast.Name) and
                    r.value.func.id == wrapped)
               for r in own_nodes(wrapper) if isinstance(r, ast.Return))


def _bool_wrapper(node: FunctionNode, mod: ModuleTables) -> tuple[str, ...] | None:
    """For a decorator that returns its own nested wrapper: the classes (by origin) whose
    instances the wrapper returns besides bools; None when it returns anything else, or
    is not such a decorator."""
    wrapper = _wrapper(node)
    if wrapper is None:
        return None
    classes: list[str] = []
    returns = [n for n in own_nodes(wrapper) if isinstance(n, ast.Return)]
    if not returns or not all(_bool_like(r.value, mod, classes) for r in returns):
        return None
    return tuple(dict.fromkeys(classes))


def _bool_like(value: ast.expr | None, mod: ModuleTables, classes: list[str]) -> bool:
    """A bool, or an instance of one of the module's (or imported) classes, whose origin
    is added to ``classes``."""
    if value is None:
        return False
    if isinstance(value, ast.IfExp):
        return _bool_like(value.body, mod, classes) and _bool_like(value.orelse, mod, classes)
    if _is_bool_expr(value):
        return True
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        name = value.func.id
        if name in mod.classes:
            classes.append(f"{mod.dotted}.{name}")
            return True
        if name in mod.imports and leaf(name)[:1].isupper():
            classes.append(mod.origin(name))
            return True
    return False


_VALIDATOR_NAME = re.compile(r"_*(check|validate|verify|ensure|require)(_|[A-Z]|$)")


def _is_validator(node: FunctionNode, own: list[ast.AST]) -> bool:
    """Named for checking (``check_type``, ``validate``, ``ensure_valid``), raises, and every
    ``return`` gives nothing, None, True or one of its parameters unchanged."""
    if isinstance(node, ast.AsyncFunctionDef) or not _VALIDATOR_NAME.match(node.name):
        return False
    params = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
    raises = False
    for sub in own:
        if isinstance(sub, (ast.Yield, ast.YieldFrom)):
            return False
        if isinstance(sub, ast.Raise):
            raises = True
        elif isinstance(sub, ast.Return) and sub.value is not None and \
                not _gives_nothing_new(sub.value, params):
            return False
    return raises


def _gives_nothing_new(value: ast.expr, params: set[str]) -> bool:
    """``None``, ``True`` or a parameter as it came."""
    if isinstance(value, ast.Constant):
        return value.value is None or value.value is True
    return isinstance(value, ast.Name) and value.id in params


_BOOL_CALLS = {"all", "any", "isinstance", "issubclass", "callable", "hasattr", "bool"}
# methods and functions whose names ask a yes-or-no question: `return tz.is_ambiguous(dt)`
_BOOL_PREFIXES = ("is_", "has_", "can_", "should_")
_BOOL_METHODS = {"startswith", "endswith", "isdisjoint", "issubset", "issuperset", "isdigit",
                 "isalpha", "isalnum", "isspace", "isupper", "islower", "isidentifier",
                 "isnumeric", "isdecimal", "isprintable", "istitle", "isascii", "exists",
                 "is_file", "is_dir", "compare_digest"}


def _is_bool_expr(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, bool)
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not)
    if isinstance(node, ast.BoolOp):
        return all(_is_bool_expr(v) for v in node.values)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in _BOOL_CALLS:
            return True
        name = leaf(dotted(node.func)) or ""
        return name.lstrip("_").startswith(_BOOL_PREFIXES) or name in _BOOL_METHODS
    return False


def _nonempty_display(value: ast.expr) -> bool:
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return bool(value.elts)
    return isinstance(value, ast.Dict) and bool(value.keys)


def _bool_via(own: list[ast.AST]) -> tuple[str, ...]:
    """The plain-name calls among the returns of a function whose other returns are bools,
    or () when some return is neither."""
    names: list[str] = []
    for sub in own:
        if not isinstance(sub, ast.Return):
            continue
        value = sub.value
        if value is None:
            return ()
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
                not _is_bool_expr(value):
            names.append(value.func.id)
        elif not _is_bool_expr(value):
            return ()
    return tuple(dict.fromkeys(names))


def is_predicate_function(node: FunctionNode) -> bool:
    """A function (of the suite's own, say) whose every ``return`` gives a bool."""
    return _returns_bool(own_nodes(node))


def _returns_bool(own: list[ast.AST]) -> bool:
    """A predicate: every ``return`` among a function's ``own_nodes`` gives a bool (so its
    truthiness is the specific answer)."""
    values = [sub.value for sub in own if isinstance(sub, ast.Return)]
    return bool(values) and all(v is not None and _is_bool_expr(v) for v in values)


def delegated_call(node: FunctionNode, returned_only: bool = True) -> ast.Call | None:
    """The call a one-statement function hands its parameters to unchanged, if it is one.

    ``return dep(a, b)`` (or, unless ``returned_only``, a bare ``dep(a, b)`` statement);
    docstrings are ignored and ``await`` is looked through.
    """
    body = [s for s in node.body
            if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1:
        return None
    stmt = body[0]
    kinds = (ast.Return,) if returned_only else (ast.Return, ast.Expr)
    value = stmt.value if isinstance(stmt, kinds) else None
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call):
        return None
    params = set(parameters(node))
    args = call_arguments(value)
    if not all(isinstance(a, ast.Name) and a.id in params for a in args):
        return None
    return value


def _is_passthrough(node: FunctionNode) -> bool:
    """``return self.x.y(...)`` / ``return dep(...)`` with only parameters passed on."""
    call = delegated_call(node)
    return call is not None and isinstance(call.func, ast.Attribute)


def _asserting_manager(node: FunctionNode) -> bool:
    """A ``@contextmanager`` generator that asserts or raises AssertionError."""
    return is_context_manager(node) and any(
        isinstance(sub, ast.Assert) or
        (isinstance(sub, ast.Raise) and raised_name(sub) == "AssertionError")
        for sub in walk(node))
