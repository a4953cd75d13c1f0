"""RF102 tautology: an assertion that is true whatever the code does.

What it does
    Flags assertions that cannot fail: a constant (``assert True``, ``assertTrue(1)``), a
    non-empty tuple (``assert (x, "msg")``), an expression compared with itself (``x == x``,
    ``assertEqual(a.b, a.b)``), ``len(x) >= 0``, ``isinstance(x, object)``, ``... or True``,
    and ``assertTrue(result, expected)`` where the second argument is only the failure message.
    An object of the code compared with itself by ``==``, ``<=`` or ``>=`` in a test whose
    name says it tests comparisons (``test_eq``, ``test_total_ordering``) is left alone:
    there ``url == url`` runs the class's own ``__eq__``, which can fail. A function's
    result or a mock compared with itself is a tautology whatever the test's name.

Why is this bad
    The assertion looks like a check in review but can never go red. Tuple asserts and
    ``assertTrue(a, b)`` are classic slips; self-comparisons are typical of generated tests.

Example
    def test_total():
        total = cart.total()
        assert total == total
        self.assertTrue(total, 30)

Use instead
    def test_total():
        assert cart.total() == 30
        self.assertEqual(cart.total(), 30)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Check, Kind, Src, Strength
from refute.static.names import dotted, leaf, same_tree
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView, each_check, render

CODE = "RF102"
NAME = "tautology"
SEVERITY = Severity.ERROR
PHASE = 1

_SELF_OPS = (ast.Eq, ast.Is, ast.GtE, ast.LtE)
_MESSAGE_NODES = (ast.JoinedStr, ast.BinOp, ast.Call)


def _same(a: ast.AST, b: ast.AST, identity: bool = False) -> bool:
    """The same expression on both sides, evaluated once each without calls.

    Two calls (``C(1) == C(1)``, ``hash(x) == hash(x)``) build two values: comparing them
    checks ``__eq__``/``__hash__`` or determinism, which can fail. When the called function is
    the code under test, RF104 (mirrored oracle) judges the comparison instead. For an
    ``is`` (``identity``), reading an attribute or an item twice may build two objects too
    (``obj.method is obj.method`` is false; a descriptor may or may not cache what it
    returns), so ``assertIs(Cached.get, Cached.get)`` checks something.
    """
    if not same_tree(a, b):  # nearly always decided at the root: compared first
        return False
    kinds: tuple[type, ...] = (ast.Call, ast.Await, ast.NamedExpr)
    if identity:
        kinds += (ast.Attribute, ast.Subscript)
    return not any(isinstance(n, kinds) for n in walk(a))


def _len_nonneg(left: ast.expr, op: ast.cmpop, right: ast.expr) -> bool:
    is_len = isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and \
        left.func.id == "len"
    if not is_len or not isinstance(right, ast.Constant) or isinstance(right.value, bool):
        return False
    value = right.value
    if not isinstance(value, int):
        return False
    return (isinstance(op, ast.GtE) and value <= 0) or (isinstance(op, ast.Gt) and value < 0)


# words of a test's name that say it tests comparison operators (``test_eq``,
# ``test_identical_equal``, ``test_total_ordering``, ``test_oid_consistency``)
_COMPARISON_WORDS = frozenset({
    "eq", "ne", "lt", "le", "gt", "ge", "equal", "equals", "equality", "unequal",
    "inequality", "comparison", "comparisons", "cmp", "richcmp", "ordering", "reflexive",
    "reflexivity", "consistency", "consistent", "deterministic", "idempotent", "operators"})


def tests_comparison(name: str) -> bool:
    """Whether a test's name says it tests how values compare."""
    return any(word in _COMPARISON_WORDS for word in name.lower().split("_"))


def always_true(expr: ast.expr, reflexive_ok: bool = False) -> str | None:
    """Why ``expr`` is always true, or None. With ``reflexive_ok``, a value compared with
    itself by ``==``, ``<=`` or ``>=`` is a check of its comparison methods."""
    if isinstance(expr, ast.Tuple) and expr.elts:
        return "asserts a non-empty tuple, which is always true"
    if isinstance(expr, ast.Constant) and expr.value:
        return f"asserts the constant `{render(expr)}`, which is always true"
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
        left, op, right = expr.left, expr.ops[0], expr.comparators[0]
        if isinstance(op, _SELF_OPS) and _same(left, right, isinstance(op, ast.Is)) and \
                not (reflexive_ok and not isinstance(op, ast.Is)):
            return f"compares `{render(left)}` with itself"
        if _len_nonneg(left, op, right):
            return f"`{render(expr)}` holds for every collection"
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        if expr.func.id == "isinstance" and len(expr.args) == 2 and \
                isinstance(expr.args[1], ast.Name) and expr.args[1].id == "object":
            return "`isinstance(x, object)` holds for every value"
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
        for value in expr.values:
            if isinstance(value, ast.Constant) and value.value:
                return f"`or {render(value)}` makes the assertion always true"
    return None


def _unittest(check: Check, reflexive_ok: bool = False) -> tuple[str, Strength] | None:
    args = [e for e, _ in check.operands]
    name = check.name
    if not args:
        return None
    if name in ("assertTrue", "assert_", "failUnless"):
        if isinstance(args[0], ast.Constant) and args[0].value:
            return f"`{name}({render(args[0])})` is always true", Strength.NONE
        second = args[1] if len(args) >= 2 else None
        is_msg = second is not None and (
            isinstance(second, _MESSAGE_NODES) or _msg_name(second)
            or (isinstance(second, ast.Constant) and isinstance(second.value, str)))
        # `assertTrue(1 in qoss and 2 in qoss, qoss)`: a condition, with the value shown
        # when it fails; `assertTrue(result, expected)` mistakes the message for an expected
        condition = isinstance(args[0], (ast.Compare, ast.BoolOp)) or (
            isinstance(args[0], ast.UnaryOp) and isinstance(args[0].op, ast.Not)) or (
            isinstance(args[0], ast.Call) and
            leaf(dotted(args[0].func)) in ("hasattr", "isinstance", "issubclass", "callable",
                                           "all", "any"))
        if second is not None and not is_msg and not condition:
            return (f"`{name}({render(args[0])}, {render(args[1])})` only checks that "
                    f"`{render(args[0])}` is truthy: the second argument is the failure "
                    "message, not an expected value", Strength.WEAK)
    if name in ("assertFalse", "failIf") and isinstance(args[0], ast.Constant) and \
            not args[0].value:
        return f"`{name}({render(args[0])})` is always true", Strength.NONE
    if name in ("assertIsNone",) and isinstance(args[0], ast.Constant) and args[0].value is None:
        return "`assertIsNone(None)` is always true", Strength.NONE
    if len(args) >= 2 and name in ("assertEqual", "assertEquals", "assertIs", "assertCountEqual",
                                   "assertListEqual", "assertDictEqual", "assertAlmostEqual",
                                   "assertSequenceEqual", "assertGreaterEqual",
                                   "assertLessEqual", "assertTupleEqual", "assertSetEqual"):
        if _same(args[0], args[1], name == "assertIs") and not (
                reflexive_ok and name != "assertIs"):
            return f"`{name}` compares `{render(args[0])}` with itself", Strength.NONE
    if name == "assertIsInstance" and len(args) >= 2 and isinstance(args[1], ast.Name) and \
            args[1].id == "object":
        return "`assertIsInstance(x, object)` holds for every value", Strength.NONE
    return None


def _msg_name(node: ast.expr) -> bool:
    name = (dotted(node) or "").lower()
    return any(w in name for w in ("msg", "message", "reason", "err", "desc", "note", "why"))


def _an_object_of_the_code(view: TestView, chk: Check) -> bool:
    """The value compared with itself is an object of the code under test that has its own
    comparison methods to run: not a mock, and made by constructing a class (``URL(...)``,
    ``mi.numeric_range(...)``, a fixture's object), not the result of a function
    (``balance = account.deposit(1)``), whose ``==`` is its type's."""
    if not chk.operands:
        return False
    val = chk.operands[0][1]
    if val.src & (Src.MOCK | Src.INTERACTION | Src.ANY) or not val.src & Src.SUT:
        return False
    qualnames = {id(c.node): c.qualname for c in view.facts.project_calls}
    for call in val.calls:
        qualname = qualnames.get(id(call))
        name = leaf(dotted(call.func)) or ""
        if not (name[:1].isupper() or (
                qualname is not None and view.index.lookup_class(qualname) is not None)):
            return False
    return True


def check(view: TestView) -> Iterator[Hit]:
    comparison_test = tests_comparison(view.facts.node.name)
    for chk in each_check(view, Kind.ASSERT, Kind.UNITTEST, Kind.EXTERNAL):
        reflexive_ok = comparison_test and _an_object_of_the_code(view, chk)
        if chk.kind is Kind.ASSERT and chk.expr is not None:
            why = always_true(chk.expr, reflexive_ok)
            if why:
                yield Hit(chk.line, chk.col, f"tautology: {why}", chk, Strength.NONE)
        elif chk.kind is Kind.UNITTEST:
            found = _unittest(chk, reflexive_ok)
            if found:
                yield Hit(chk.line, chk.col, f"tautology: {found[0]}", chk, found[1])
        elif chk.kind is Kind.EXTERNAL:
            args = [e for e, _ in chk.operands]
            if len(args) >= 2 and _same(args[0], args[1]) and not reflexive_ok:
                yield Hit(chk.line, chk.col,
                          f"tautology: `{chk.name}` compares `{render(args[0])}` with itself",
                          chk, Strength.NONE)
