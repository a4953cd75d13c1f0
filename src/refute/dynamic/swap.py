"""Put a mutant into the running process: compile it and swap code objects in place.

Only ever called in a forked child, so the parent and the files on disk never change. Every
live function object whose code is the original (the module attribute, a method, the
``__wrapped__`` target of a decorator, a property getter, a static or class method, a closure
made at import time) is found once in the parent by its code object's identity
(file, first line, name) and gets the mutated code.
"""

from __future__ import annotations

import ast
import copy
import gc
import sys
import types
from collections import defaultdict
from typing import Any

from refute.dynamic.functions import CodeKey, FunctionNode, FunctionSpan, docstring_of
from refute.dynamic.lines import walk_code
from refute.dynamic.operators import MutantSpec
from refute.dynamic.pollution import is_cache


class SwapError(Exception):
    """The mutant cannot be put into the process (for example, its closure differs)."""


def code_key(code: types.CodeType) -> CodeKey:
    return (code.co_filename, code.co_firstlineno, code.co_name)


class LiveFunctions:
    """Every function object of the project's source files, by the identity of its code, and
    the ``functools.lru_cache``/``cache`` wrappers around them."""

    def __init__(self, files: set[str], known: LiveFunctions | None = None) -> None:
        """Found by a walk over every object the collector tracks. With ``known`` (found
        earlier in this process or the one it was forked from, whose heap was then frozen:
        ``gc.freeze``), the walk only meets the objects made since, and adds them to it."""
        self.by_key: dict[CodeKey, list[types.FunctionType]] = defaultdict(list)
        self.caches: dict[CodeKey, list[Any]] = defaultdict(list)
        seen: set[int] = set()
        if known is not None:
            for key, functions in known.by_key.items():
                self.by_key[key] = list(functions)
                seen.update(map(id, functions))
            for key, wrappers in known.caches.items():
                self.caches[key] = list(wrappers)
                seen.update(map(id, wrappers))
        function = types.FunctionType  # exact types (neither can be subclassed): 2x faster
        for obj in gc.get_objects():
            kind = type(obj)
            if kind is function:
                if obj.__code__.co_filename in files and id(obj) not in seen:
                    self.by_key[code_key(obj.__code__)].append(obj)
            elif is_cache(obj) and id(obj) not in seen:
                inner = getattr(obj, "__wrapped__", None)
                if isinstance(inner, types.FunctionType) and \
                        inner.__code__.co_filename in files:
                    self.caches[code_key(inner.__code__)].append(obj)

    def loaded(self, span: FunctionSpan) -> bool:
        return span.code_key in self.by_key

    def freevars(self, span: FunctionSpan) -> tuple[str, ...] | None:
        """The free variables of the function's live code (its closure cells)."""
        targets = self.by_key.get(span.code_key)
        return targets[0].__code__.co_freevars if targets else None

    def clear_caches(self) -> None:
        """Empty the caches of project functions. The parent does it before forking: a
        result the baseline cached would answer a mutant's tests without running the
        mutated code. A child does it after each mutant: results the mutant computed must
        not answer the next one."""
        for wrappers in self.caches.values():
            for wrapper in wrappers:
                wrapper.cache_clear()


def _wrap(span: FunctionSpan, node: ast.stmt) -> ast.Module:
    body: ast.stmt = node
    extra: dict[str, object] = {"type_params": []} if sys.version_info >= (3, 12) else {}
    for name in reversed(span.classes):  # methods compile inside their classes (super() cell)
        body = ast.ClassDef(name=name, bases=[], keywords=[], body=[body], decorator_list=[],
                            lineno=node.lineno, col_offset=0,
                            end_lineno=node.end_lineno, end_col_offset=0, **extra)
    return ast.Module(body=[body], type_ignores=[])


def _find_code(code: types.CodeType, key: CodeKey) -> types.CodeType | None:
    return next((c for c in walk_code(code) if c is not code and code_key(c) == key), None)


def _nested(code: types.CodeType) -> dict[tuple[int, str], types.CodeType]:
    return {(c.co_firstlineno, c.co_name): c for c in walk_code(code) if c is not code}


def _keeping(node: FunctionNode, names: list[str]) -> FunctionNode:
    """``node`` with ``if False: (name, ...)`` as its first statement (after a docstring).

    The statement never runs, but the compiler still sees the names as free variables, so
    the mutant keeps the closure cells of the original: a mutant body that no longer calls
    ``super()`` would otherwise lose the ``__class__`` cell, and a function's code can only
    be swapped for code with the same free variables."""
    first = node.body[0]
    keeper = ast.If(test=ast.Constant(value=False), body=[ast.Expr(value=ast.Tuple(
        elts=[ast.Name(id=n, ctx=ast.Load()) for n in names], ctx=ast.Load()))], orelse=[])
    for sub in ast.walk(keeper):
        if "lineno" in sub._attributes:
            ast.copy_location(sub, first)
    kept = copy.copy(node)
    kept.body = [first, keeper, *node.body[1:]] if docstring_of(node.body) else \
        [keeper, *node.body]
    return kept


def compile_mutant(spec: MutantSpec, future_flags: int = 0,
                   freevars: tuple[str, ...] | None = None) -> types.CodeType:
    """The mutated function's code object. With ``freevars`` (the original's), a mutant that
    dropped some of them is compiled again so that it keeps them (see ``_keeping``)."""
    found = _compile(spec, spec.node, future_flags)
    if freevars is not None and found.co_freevars != freevars:
        missing = sorted(set(freevars) - set(found.co_freevars))
        if missing and set(found.co_freevars) <= set(freevars):
            found = _compile(spec, _keeping(spec.node, missing), future_flags)
    return found


def _compile(spec: MutantSpec, node: FunctionNode, future_flags: int) -> types.CodeType:
    span = spec.span
    module = _wrap(span, node)
    try:
        try:
            top = compile(module, str(span.path), "exec", flags=future_flags,
                          dont_inherit=True)
        except (ValueError, TypeError):
            # the operators locate the nodes they create; walking every node of the function
            # to fill in missing positions is the fallback, not the rule
            top = compile(ast.fix_missing_locations(module), str(span.path), "exec",
                          flags=future_flags, dont_inherit=True)
    except (SyntaxError, ValueError, TypeError) as exc:
        raise SwapError(f"the mutant does not compile: {exc}") from exc
    found = _find_code(top, span.code_key)
    if found is None:
        raise SwapError("the mutated code object was not found after compiling")
    return found


Swapped = list[tuple[types.FunctionType, types.CodeType]]  # (function, its original code)


def install(spec: MutantSpec, code: types.CodeType, live: LiveFunctions) -> Swapped:
    """Swap the mutated code into every live function of ``spec``; return what ``restore``
    needs to put the originals back (a child runs several mutants, one after another)."""
    targets = live.by_key.get(spec.span.code_key, [])
    if not targets:
        raise SwapError("no live function object has this code (module not imported?)")
    if any(len(f.__code__.co_freevars) != len(code.co_freevars) for f in targets):
        raise SwapError("the mutant's closure variables differ from the original's")
    swapped: Swapped = []
    new_inner = _nested(code)
    for func in targets:
        old = func.__code__
        func.__code__ = code
        swapped.append((func, old))
        # closures made from the original at import time get the mutated inner code too
        for (line, name), inner_old in _nested(old).items():
            replacement = new_inner.get((line, name))
            if replacement is None:
                continue
            for inner in live.by_key.get(code_key(inner_old), []):
                if len(inner.__code__.co_freevars) == len(replacement.co_freevars):
                    swapped.append((inner, inner.__code__))
                    inner.__code__ = replacement
    return swapped


def restore(swapped: Swapped) -> None:
    """Put back the original code objects, last swapped first."""
    for func, old in reversed(swapped):
        func.__code__ = old
