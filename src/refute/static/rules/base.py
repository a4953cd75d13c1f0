"""What a rule module looks like, and the view of one test the rules share.

A rule module defines ``CODE``, ``NAME``, ``SEVERITY``, ``PHASE`` and either ``check(view)``
(per test) or ``check_suite(suite)`` (over the whole suite), and documents itself in its module
docstring in the form What it does / Why is this bad / Example / Use instead.

Phase-1 rules look at single checks and may *cap* a check's strength (a tautology caps to NONE,
an existence check to WEAK). Phase-2 rules look at the capped result of the whole test. A hit
marked ``decisive_only`` is reported only when the test ends up not ok: "every assertion is
existence-only" is a finding only when no other assertion is strong.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from refute.static.facts import Check, Kind, Src, Strength, TestFacts, Val
from refute.static.index import ProjectIndex, SourceFunction, is_predicate_function
from refute.static.module import FunctionNode, ModuleTables
from refute.static.names import BROAD_EXCEPTIONS, dotted, is_predicate_name, leaf
from refute.static.nodes import walk


@dataclass
class Hit:
    line: int
    col: int
    message: str
    check: Check | None = None
    cap: Strength | None = None
    decisive_only: bool = False


@dataclass
class Part:
    """One elementary comparison inside a check: ``op`` over one or two operands."""

    op: str
    left: tuple[ast.expr, Val]
    right: tuple[ast.expr, Val] | None = None
    node: ast.expr | None = None


@dataclass
class TestView:
    facts: TestFacts
    module: ModuleTables
    index: ProjectIndex
    caps: dict[int, Strength] = field(default_factory=dict)
    _parts: dict[int, list[Part]] = field(default_factory=dict)
    memo: dict[str, object] = field(default_factory=dict)  # per-test facts rules share

    def cap(self, check: Check) -> Strength:
        return self.caps.get(id(check), Strength.STRONG)

    def effective(self, check: Check) -> Strength:
        return min(check.base, self.cap(check))

    def neutralised(self, check: Check) -> bool:
        return self.effective(check) == Strength.NONE

    def best(self) -> Strength:
        return max((self.effective(c) for c in self.facts.checks), default=Strength.NONE)

    def parts(self, check: Check) -> list[Part]:
        found = self._parts.get(id(check))
        if found is None:
            found = self._parts[id(check)] = _parts(check)
        return found

    def bound_call(self, name: str) -> str | None:
        """The callee name of the code-under-test call whose result was bound to ``name``."""
        for call in self.facts.sut_calls:
            if call.bound == name:
                return call.name
        return None


def src(val: Val) -> int:
    return val.src


def depends_on_code(val: Val) -> bool:
    return bool(val.src & (Src.SUT | Src.INTERACTION))


def is_empty_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in ("", b"") and not isinstance(node.value, bool)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return False


def render(node: ast.AST, limit: int = 60) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every parsed node
        text = "<expr>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


_CAUGHT = frozenset({"value", "exception", "type"})  # what a raises binding holds


def caught_exception(view: TestView, node: ast.expr) -> Check | None:
    """The raises check whose caught exception ``node`` reads (``excinfo.value``,
    ``cm.exception``, ``type(excinfo.value)``), if it reads one."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id == "type" and len(node.args) == 1:
        node = node.args[0]
    if not (isinstance(node, ast.Attribute) and node.attr in _CAUGHT):
        return None
    binding = dotted(node.value)
    if binding is None:
        return None
    return next((c for c in view.facts.checks
                 if c.kind is Kind.RAISES and c.binding == binding), None)


def specific_exception_classes(node: ast.expr) -> bool:
    """Exception classes by name, none of them a catch-all: ``ResponseError``,
    ``(redis.ResponseError, valkey.ResponseError)``."""
    elts = node.elts if isinstance(node, ast.Tuple) else [node]
    names = [dotted(e) for e in elts]
    return bool(names) and all(
        n is not None and n not in BROAD_EXCEPTIONS and leaf(n) not in BROAD_EXCEPTIONS and
        leaf(n).endswith(("Error", "Exception", "Exit", "Interrupt", "Warning", "Failure"))
        for n in names)


def suite_function(view: TestView, node: ast.Call) -> FunctionNode | None:
    """The function of the test module or of a support module that ``node`` calls by name
    (``packet_matches(...)``, ``paho_test.packet_matches(...)``)."""
    name = dotted(node.func)
    if name is None:
        return None
    if name in view.module.functions:
        return view.module.functions[name]
    found = view.index.support_function(view.module.origin(name))
    return found[0] if found is not None else None


def project_function(view: TestView, node: ast.expr) -> SourceFunction | None:
    """The project's function that the call ``node`` runs, when the index knows it."""
    for call in view.facts.project_calls:
        if call.node is node:
            return view.index.lookup_function(call.qualname)
    return None


def is_predicate_expr(view: TestView, node: ast.expr) -> bool:
    """Is the truth of ``node`` a specific answer (``is_valid(x)``, ``user.is_active``)?"""
    if isinstance(node, ast.Call):
        name = dotted(node.func) or (node.func.attr if isinstance(node.func, ast.Attribute)
                                     else "")
        if is_predicate_name(leaf(name)) or leaf(name) in ("any", "all", "isclose"):
            return True
        fn = project_function(view, node)
        if fn is not None:
            return fn.returns_bool or fn.returns_match
        suite = suite_function(view, node)
        return suite is not None and is_predicate_function(suite)
    if isinstance(node, ast.Attribute):
        return is_predicate_name(node.attr)
    if isinstance(node, ast.Name):
        if is_predicate_name(node.id):
            return True
        bound = view.bound_call(node.id)
        return bool(bound) and is_predicate_name(leaf(bound))
    return isinstance(node, ast.Compare | ast.BoolOp)


_UNITTEST_OPS = {
    "assertEqual": "==", "assertEquals": "==", "failUnlessEqual": "==",
    "assertNotEqual": "!=", "assertNotEquals": "!=", "failIfEqual": "!=",
    "assertAlmostEqual": "==", "assertAlmostEquals": "==", "assertNotAlmostEqual": "!=",
    "assertNotAlmostEquals": "!=", "assertDictEqual": "==", "assertListEqual": "==",
    "assertTupleEqual": "==", "assertSetEqual": "==", "assertSequenceEqual": "==",
    "assertMultiLineEqual": "==", "assertCountEqual": "==", "assertItemsEqual": "==",
    "assertIs": "is", "assertIsNot": "is not", "assertIn": "in", "assertNotIn": "not in",
    "assertGreater": ">", "assertGreaterEqual": ">=", "assertLess": "<",
    "assertLessEqual": "<=", "assertRegex": "regex", "assertNotRegex": "regex",
    "assertRegexpMatches": "regex", "assertDictContainsSubset": "==",
}
_COMPARE_OPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not",
                ast.In: "in", ast.NotIn: "not in", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
                ast.GtE: ">="}


def _val_of(check: Check, node: ast.expr) -> Val:
    for expr, val in check.operands:
        if expr is node:
            return val
    for expr, val in check.operands:
        for sub in walk(expr):
            if sub is node:
                return val
    return Val(Src.SUT)


def _parts(check: Check) -> list[Part]:
    if check.kind is Kind.ASSERT and check.expr is not None:
        return expr_parts(check, check.expr)
    if check.kind in (Kind.UNITTEST, Kind.EXTERNAL):
        ops = check.operands
        if not ops:
            return []
        name = leaf(check.name)
        if check.kind is Kind.UNITTEST:
            if name in _UNITTEST_OPS and len(ops) >= 2:
                return [Part(_UNITTEST_OPS[name], ops[0], ops[1])]
            if name in ("assertTrue", "assert_", "failUnless"):
                return [Part("truth", ops[0])]
            if name in ("assertFalse", "failIf"):
                return [Part("not", ops[0])]
            if name == "assertIsNone":
                return [Part("is", ops[0], (ast.Constant(None), Val(Src.LITERAL)))]
            if name == "assertIsNotNone":
                return [Part("is not", ops[0], (ast.Constant(None), Val(Src.LITERAL)))]
            if name in ("assertIsInstance", "assertNotIsInstance"):
                return [Part("isinstance", ops[0], ops[1] if len(ops) > 1 else None)]
            return [Part("==", ops[0], ops[1] if len(ops) > 1 else None)]
        if len(ops) >= 2:
            return [Part("==", ops[0], ops[1])]
        return [Part("truth", ops[0])]
    return []


def expr_parts(check: Check, expr: ast.expr) -> list[Part]:
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.And):
        out: list[Part] = []
        for value in expr.values:
            out.extend(expr_parts(check, value))
        return out
    if isinstance(expr, ast.Compare):
        out = []
        left = expr.left
        for op, right in zip(expr.ops, expr.comparators, strict=False):
            out.append(Part(_COMPARE_OPS[type(op)], (left, _val_of(check, left)),
                            (right, _val_of(check, right)), expr))
            left = right
        return out
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        inner = expr.operand
        if isinstance(inner, ast.Compare) and len(inner.ops) == 1:
            return [Part("not " + _COMPARE_OPS[type(inner.ops[0])],
                         (inner.left, _val_of(check, inner.left)),
                         (inner.comparators[0], _val_of(check, inner.comparators[0])), expr)]
        return [Part("not", (inner, _val_of(check, inner)), None, expr)]
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.args:
        fname = expr.func.id
        if fname in ("isinstance", "hasattr", "callable", "issubclass"):
            first = expr.args[0]
            second = expr.args[1] if len(expr.args) > 1 else None
            return [Part(fname, (first, _val_of(check, first)),
                         (second, _val_of(check, second)) if second is not None else None,
                         expr)]
    return [Part("truth", (expr, _val_of(check, expr)), None, expr)]


def describe_value(node: ast.expr, val: Val) -> str:
    if val.src & Src.SETUP:
        return f"`{render(node)}` (a value the test configured on a mock)"
    if val.src & Src.MOCK:
        return f"`{render(node)}` (a mock)"
    return f"`{render(node)}` (the test's own value)"


def each_check(view: TestView, *kinds: Kind) -> Iterator[Check]:
    """The checks of ``kinds`` (all kinds if none) that can tell something and that no rule
    has capped yet (``TestView.cap``, read inline: every rule asks this of every check)."""
    caps, strong, none = view.caps, Strength.STRONG, Strength.NONE
    for check in view.facts.checks:
        if (not kinds or check.kind in kinds) and check.base > none and \
                caps.get(id(check), strong) == strong:
            yield check
