"""What a test-side function gives a loop: something to run over at least once, or not.

RF302 (conditional-assertion) needs to know whether a loop can run zero times. A loop over the
result of one of the suite's own functions runs at least once when that function always gives
something (or stops the test instead):

- a generator whose ``yield`` is reached on every path: at the top level, or in loops over
  non-empty displays and over other such functions (``for parser in available_parsers():
  for flags in (0, NOCACHE): yield ...``);
- a generator that ends with ``if not ran: pytest.skip(...)`` where ``ran`` starts false and
  is only set true beside a ``yield`` (soupsieve's ``available_parsers``);
- a case builder: a ``yield`` at its top level, or a first top-level ``return`` of a
  non-empty list (as the test modules' case generators are written);
- a function that only returns non-empty displays
  (``return (0, NOCACHE) if flags & NOCACHE else (0,)``).

Functions are found through ``Find``, which the walker gives (the test module's functions,
the test class's methods, the support modules' functions).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from refute.static.module import FunctionNode, ModuleTables
from refute.static.names import dotted, leaf
from refute.static.nodes import own_nodes

# a call in a module -> the function it calls and that function's module, when it is the
# suite's own
Find = Callable[[ast.Call, ModuleTables], "tuple[FunctionNode, ModuleTables] | None"]

MAX_DEPTH = 3  # functions followed through the functions they loop over, at most
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_STOPPING = frozenset({"skip", "fail", "xfail", "skipTest", "exit"})
STOP_CALLS = frozenset({"pytest.skip", "pytest.xfail", "pytest.exit", "pytest.fail",
                        "sys.exit", "unittest.skip"})


def literal_length(node: ast.expr) -> int | None:
    """The length of a literal string, bytes or display without ``*`` unpacking."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return len(node.value)
    if isinstance(node, (ast.List, ast.Tuple)) and not any(
            isinstance(e, ast.Starred) for e in node.elts):
        return len(node.elts)
    return None


def nonempty_display(value: ast.expr | None) -> bool:
    """A non-empty literal, or a conditional expression whose two sides are."""
    if value is None:
        return False
    if isinstance(value, ast.IfExp):
        return nonempty_display(value.body) and nonempty_display(value.orelse)
    if isinstance(value, ast.Dict):
        return bool(value.keys)
    if isinstance(value, ast.Set):
        return bool(value.elts)
    return literal_length(value) not in (None, 0)


def gives_something(node: FunctionNode, module: ModuleTables, find: Find,
                    depth: int = 0, memo: dict[int, bool] | None = None) -> bool:
    """A loop over what ``node`` returns runs at least once, or the function stops the test
    (skips, fails, raises) instead. ``memo`` keeps the answers by node, for one file."""
    if memo is not None and id(node) in memo:
        return memo[id(node)]
    answer = _builds_cases(node) or _yields_always(node, module, find, depth) or \
        _guarded_generator(node, module) or _returns_nonempty(node)
    if memo is not None:
        memo[id(node)] = answer
    return answer


def _builds_cases(node: FunctionNode) -> bool:
    """A case builder: a ``yield`` at its top level, or a first top-level ``return`` of a
    non-empty list or tuple."""
    for stmt in node.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, (ast.List, ast.Tuple)):
            return bool(stmt.value.elts)
    return False


def stops(stmt: ast.stmt, module: ModuleTables) -> bool:
    """A raise, or a call that skips or fails the test (``pytest.skip``, ``self.fail``)."""
    if isinstance(stmt, ast.Raise):
        return True
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    name = dotted(stmt.value.func) or ""
    return module.origin(name) in STOP_CALLS or (
        name.startswith("self.") and leaf(name) in _STOPPING)


def _returns_nonempty(node: FunctionNode) -> bool:
    """Every ``return`` of the function (not of those nested in it) gives a non-empty display,
    and its body ends with one: it cannot give an empty or absent result."""
    body = [s for s in node.body if not isinstance(s, _DEFINITIONS)]
    if not body or not isinstance(body[-1], ast.Return):
        return False
    own = own_nodes(node)
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own):
        return False
    return all(nonempty_display(n.value) for n in own if isinstance(n, ast.Return))


def _yields_always(node: FunctionNode, module: ModuleTables, find: Find, depth: int) -> bool:
    """A generator that reaches a ``yield`` on every path: one at the top level, or inside
    ``with`` blocks and loops that run at least once, with nothing before it that could
    return, break out of its loop or skip to the next item."""
    return _reaches(node.body, _Context(module, find, depth, _nonempty_names(node)))


@dataclass(frozen=True)
class _Context:
    """What ``_reaches`` and ``_runs`` need (plain functions, not closures: a closure that
    calls itself is a reference cycle, and through ``find`` it would hold the whole walker
    and its syntax tree until the next collection)."""

    module: ModuleTables
    find: Find
    depth: int
    local: set[str]


def _runs(it: ast.expr, ctx: _Context) -> bool:
    if nonempty_display(it) or (isinstance(it, ast.Name) and it.id in ctx.local):
        return True
    if not isinstance(it, ast.Call):
        return False
    if dotted(it.func) == "range" and len(it.args) == 1 and \
            isinstance(it.args[0], ast.Constant) and isinstance(it.args[0].value, int):
        return it.args[0].value > 0
    if ctx.depth >= MAX_DEPTH:
        return False
    found = ctx.find(it, ctx.module)
    return found is not None and gives_something(found[0], found[1], ctx.find, ctx.depth + 1)


def _reaches(block: list[ast.stmt], ctx: _Context) -> bool:
    for stmt in block:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
            return True
        if isinstance(stmt, (ast.For, ast.AsyncFor)) and _runs(stmt.iter, ctx) and \
                _reaches(stmt.body, ctx):
            return True
        if isinstance(stmt, (ast.With, ast.AsyncWith)) and _reaches(stmt.body, ctx):
            return True
        if isinstance(stmt, _DEFINITIONS):
            continue
        if any(isinstance(n, (ast.Return, ast.Break, ast.Continue)) for n in _own_walk(stmt)):
            return False
    return False


def _own_walk(stmt: ast.stmt) -> list[ast.AST]:
    out: list[ast.AST] = [stmt]
    for current in out:
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, (*_DEFINITIONS, ast.Lambda)):
                out.append(child)
    return out


def _nonempty_names(node: FunctionNode) -> set[str]:
    """Local names bound once, at the function's top level, to a non-empty display
    (``makers = [self.by_hand]``); appending to them later keeps them non-empty."""
    top: dict[str, int] = {}
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name) and nonempty_display(stmt.value):
            top[stmt.targets[0].id] = top.get(stmt.targets[0].id, 0) + 1
    bound: dict[str, int] = {}
    for n in own_nodes(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            bound[n.id] = bound.get(n.id, 0) + 1
    return {name for name, count in top.items() if bound.get(name) == count == 1}


def _guarded_generator(node: FunctionNode, module: ModuleTables) -> bool:
    """A generator that ends with ``if not ran: pytest.skip(...)`` (or a raise, a fail),
    where ``ran`` starts false and is only set true beside a ``yield``: a loop over it runs
    at least once, or the test is skipped or fails."""
    body = node.body
    last = body[-1] if body else None
    if not (isinstance(last, ast.If) and not last.orelse and last.body and
            isinstance(last.test, ast.UnaryOp) and isinstance(last.test.op, ast.Not) and
            isinstance(last.test.operand, ast.Name) and stops(last.body[-1], module)):
        return False
    flag = last.test.operand.id
    top = body[:-1]
    if not any(_sets(s, flag) and isinstance(s.value, ast.Constant) and not s.value.value
               for s in top if isinstance(s, ast.Assign)):
        return False
    truthy = False
    for block in _blocks(top):
        sets = [s for s in block if isinstance(s, ast.Assign) and _sets(s, flag)]
        if not sets:
            continue
        if any(not (isinstance(s.value, ast.Constant) and s.value.value) for s in sets):
            if block is not top:
                return False  # set false again, or to a value not known, somewhere inside
            continue
        if not any(isinstance(s, ast.Expr) and isinstance(s.value, (ast.Yield, ast.YieldFrom))
                   for s in block) or \
                any(isinstance(s, (ast.Continue, ast.Break, ast.Return)) for s in block):
            return False
        truthy = True
    return truthy


def _sets(stmt: ast.Assign, name: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)


def _blocks(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """``body`` and every statement list inside it, not inside nested definitions."""
    out = [body]
    for block in out:
        for stmt in block:
            if isinstance(stmt, _DEFINITIONS):
                continue
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, name, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    out.append(inner)
            for handler in getattr(stmt, "handlers", ()):
                out.append(handler.body)
            for case in getattr(stmt, "cases", ()):
                out.append(case.body)
    return out
