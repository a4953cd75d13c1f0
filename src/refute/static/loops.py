"""Whether a loop runs at least once: RF302 (conditional-assertion) asks it of every loop
and comprehension an assertion sits in (``runs_at_least_once``).

Literal displays, ``range(n)``, names the test bound to one (or guarded with ``if not names:
pytest.skip(...)``, ``emptiness_guard``), the project's non-empty constants run. So does a
loop over the result of one of the suite's own functions when that function always gives
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

from refute.static.facts import Src
from refute.static.flow import Flow, state_key
from refute.static.module import FunctionNode, ModuleTables
from refute.static.names import FAIL_CALLS, SKIP_CALLS, dotted, leaf
from refute.static.nodes import children, own_nodes

# a call in a module -> the function it calls and that function's module, when it is the
# suite's own
Find = Callable[[ast.Call, ModuleTables], "tuple[FunctionNode, ModuleTables] | None"]

MAX_DEPTH = 3  # functions followed through the functions they loop over, at most
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_STOPPING = frozenset({"skip", "fail", "xfail", "skipTest", "exit"})


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
    origin = module.origin(name)
    return origin in SKIP_CALLS or origin in FAIL_CALLS or (
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
        out.extend([child for child in children(current)
                    if not isinstance(child, (*_DEFINITIONS, ast.Lambda))])
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


_NONEMPTY_OF_ARGS = {"enumerate", "zip", "sorted", "reversed", "list", "tuple", "iter", "product"}


# stdlib constants that bound loops in test suites (`for proto in range(pickle.HIGHEST_PROTOCOL
# + 1)`), with their values on every supported Python at least this large
_KNOWN_INTS = {"pickle.HIGHEST_PROTOCOL": 5, "pickle.DEFAULT_PROTOCOL": 4,
               "sys.maxsize": 2**31 - 1}


def int_literal(node: ast.expr, module: ModuleTables | None = None,
                 flow: Flow | None = None) -> int | None:
    """The int an expression always has: a literal, a known stdlib constant, the ``len`` of
    a name bound to a literal string or display, or ``+``/``-`` of those."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        left = int_literal(node.left, module, flow)
        right = int_literal(node.right, module, flow)
        if left is None or right is None:
            return None
        return left + right if isinstance(node.op, ast.Add) else left - right
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id == "len" and len(node.args) == 1 and not node.keywords:
        arg = node.args[0]
        key = state_key(arg)
        if key is not None and flow is not None and key in flow.lengths:
            return flow.lengths[key]
        return literal_length(arg)
    name = dotted(node)
    if name is not None and module is not None:
        return _KNOWN_INTS.get(module.origin(name))
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def never_runs(it: ast.expr) -> bool:
    """An empty literal to loop over: ``[]``, ``()``, ``{}``, ``""``, ``range(0)``."""
    if literal_length(it) == 0 or (isinstance(it, ast.Dict) and not it.keys):
        return True
    return isinstance(it, ast.Call) and dotted(it.func) == "range" and len(it.args) == 1 and \
        isinstance(it.args[0], ast.Constant) and isinstance(it.args[0].value, int) and \
        it.args[0].value <= 0


def _project_nonempty(it: ast.Name | ast.Attribute, flow: Flow) -> bool:
    """A constant of the project's, or an attribute of one of its classes, bound to a
    non-empty display (``for sep in DateTimeParser.SEPARATORS``)."""
    name = dotted(it)
    if name is None or not flow.index.nonempty:
        return False
    origin = flow.origin(name)
    if origin in flow.index.nonempty:
        return True
    owner, _, attr = origin.rpartition(".")
    cls = flow.index.lookup_class(owner) if owner else None
    return cls is not None and f"{cls.qualname}.{attr}" in flow.index.nonempty


def emptiness_guard(stmt: ast.If, module: ModuleTables) -> str | None:
    """The name that ``if not NAME: <skip, fail or raise>`` (also ``len(NAME) == 0``, ``not
    len(NAME)``) guards against being empty: after the ``if`` it is not."""
    if stmt.orelse or not stmt.body or not stops(stmt.body[-1], module):
        return None
    test = stmt.test
    subject: ast.expr | None = None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        subject = test.operand
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and \
            isinstance(test.ops[0], ast.Eq) and isinstance(test.comparators[0], ast.Constant) \
            and test.comparators[0].value == 0 and type(test.comparators[0].value) is int:
        subject = test.left
        if not _is_len(subject):
            return None
    if subject is not None and _is_len(subject):
        assert isinstance(subject, ast.Call)
        subject = subject.args[0]
    return state_key(subject) if isinstance(subject, (ast.Name, ast.Attribute)) else None


def _is_len(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
        node.func.id == "len" and len(node.args) == 1 and not node.keywords


def _module_function(call: ast.Call, module: ModuleTables
                     ) -> tuple[FunctionNode, ModuleTables] | None:
    if isinstance(call.func, ast.Name) and call.func.id in module.functions:
        return module.functions[call.func.id], module
    return None


def runs_at_least_once(it: ast.expr, module: ModuleTables, flow: Flow,
                        find: Find | None = None, memo: dict[int, bool] | None = None
                        ) -> bool:
    """Whether a loop over ``it`` runs at least once. ``find`` finds the suite's own functions
    that a call runs (``for state in self.cache_states()``); without it, those of
    ``module``."""
    if isinstance(it, (ast.List, ast.Tuple, ast.Set)):
        return bool(it.elts)
    if isinstance(it, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        # `[{} for _ in range(5)]`: one element per item, none filtered out
        return all(not gen.ifs and runs_at_least_once(gen.iter, module, flow)
                   for gen in it.generators)
    if isinstance(it, ast.Dict):
        return bool(it.keys)
    if isinstance(it, ast.Constant) and isinstance(it.value, (str, bytes)):
        return bool(it.value)
    if isinstance(it, ast.Call):
        name = dotted(it.func) or ""
        if name == "range" and it.args:
            bounds = [int_literal(a, module, flow) for a in it.args]
            if len(bounds) == 1 and bounds[0] is not None:
                return bounds[0] > 0
            if len(bounds) >= 2 and bounds[0] is not None and bounds[1] is not None:
                step = bounds[2] if len(bounds) > 2 else 1
                return step is not None and step != 0 and len(
                    range(bounds[0], bounds[1], step)) > 0
        lf = leaf(name)
        if lf == "zip" and any(k.arg == "strict" and isinstance(k.value, ast.Constant)
                               and k.value.value is True for k in it.keywords):
            # `zip(result, expected, strict=True)`: one non-empty side, and the other either
            # runs the loop or makes zip raise
            return any(runs_at_least_once(a, module, flow) for a in it.args)
        if lf in _NONEMPTY_OF_ARGS and it.args:
            return all(runs_at_least_once(a, module, flow) for a in it.args)
        if lf in ("permutations", "combinations", "combinations_with_replacement", "chain") \
                and it.args:
            return runs_at_least_once(it.args[0], module, flow)
        found = find(it, module) if find is not None else _module_function(it, module)
        if found is not None:
            return gives_something(found[0], found[1], find or _module_function, memo=memo)
        if isinstance(it.func, ast.Attribute) and it.func.attr in ("items", "keys", "values"):
            return runs_at_least_once(it.func.value, module, flow)
    if isinstance(it, ast.Attribute) and state_key(it) in flow.nonempty:
        return True
    if isinstance(it, (ast.Name, ast.Attribute)) and _project_nonempty(it, flow):
        return True
    if isinstance(it, ast.BinOp) and isinstance(it.op, ast.Add):
        return runs_at_least_once(it.left, module, flow) or \
            runs_at_least_once(it.right, module, flow)
    if isinstance(it, ast.Name):
        if it.id in flow.nonempty:
            return True
        val = flow.env.get(it.id)
        if val is not None and val.src == Src.LITERAL and it.id not in module.constants:
            return True  # a literal collection built by the test itself
        if it.id in module.constants:
            return runs_at_least_once(module.constants[it.id], module, flow)
    return False


def zipped(target: ast.expr, it: ast.expr, flow: Flow) -> list[tuple[ast.Name, ast.expr]] | None:
    """``for a, b in zip(x, y)`` (the builtin): each name with the iterable it is taken from;
    None for any other loop."""
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and
            it.func.id == "zip" and "zip" not in flow.env and
            flow.module.origin("zip") == "zip" and isinstance(target, ast.Tuple)):
        return None
    if len(target.elts) != len(it.args) or any(isinstance(a, ast.Starred) for a in it.args) or \
            not all(isinstance(e, ast.Name) for e in target.elts):
        return None
    return [(e, a) for e, a in zip(target.elts, it.args, strict=True)
            if isinstance(e, ast.Name)]
