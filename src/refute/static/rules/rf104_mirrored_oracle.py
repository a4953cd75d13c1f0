"""RF104 mirrored-oracle: the expected value is computed by the code under test itself.

What it does
    Flags comparisons whose expected side comes from the same call to the code under test as
    the actual side, for example ``expected = slugify(title)`` followed by
    ``assert slugify(title) == expected``, or the same call written on both sides
    (``assert slugify(t) == slugify(t)``). Two constructions of a class (``C(1) == C(1)``) are
    not flagged: they check the class's ``__eq__``; nor are two calls made in different
    ``with`` blocks: they compare the code with itself under two environments; nor ``is``
    (``default() is default()`` checks that both calls give the same object) or a value
    ``in`` itself (``closed(1, 2) in closed(1, 2)`` checks containment).

Why is this bad
    Whatever the function returns, right or wrong, it returns it twice and the comparison
    holds. The test re-runs the implementation instead of stating what the answer should be.

Example
    def test_slug():
        expected = slugify("Hello World")
        assert slugify("Hello World") == expected

Use instead
    def test_slug():
        assert slugify("Hello World") == "hello-world"
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from refute.model import Severity
from refute.static.facts import Kind, Strength, all_nodes
from refute.static.names import same_tree
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView, each_check, render

CODE = "RF104"
NAME = "mirrored-oracle"
SEVERITY = Severity.ERROR
PHASE = 1

_ORACLE_WORDS = ("expect", "want", "wanted", "correct", "should", "oracle", "reference", "exp")


def _oracle_name(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        lowered = node.id.lower()
        return any(lowered.startswith(w) or lowered.endswith(w) for w in _ORACLE_WORDS)
    return False


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.ASSERT, Kind.UNITTEST):
        for part in view.parts(chk):
            if part.right is None or part.op not in ("==", "is", "in"):
                continue
            (lnode, lval), (rnode, rval) = part.left, part.right
            if part.op == "is":
                continue  # `b() is b()`: the same object from both calls (a singleton, a cache)
            if same_tree(lnode, rnode):
                if part.op == "in":
                    continue  # `closed(1, 2) in closed(1, 2)`: a value that contains itself
                called = _project_function_call(view, lnode)
                if called is not None:
                    yield Hit(chk.line, chk.col,
                              f"mirrored oracle: `{render(called)}` is called on both sides; "
                              "whatever it returns equals itself", chk, Strength.NONE)
                    break
                continue
            if not (lval.calls and rval.calls and lval.sut and rval.sut):
                continue
            if not (_oracle_name(lnode) or _oracle_name(rnode)):
                continue
            if isinstance(lnode, ast.Name) and isinstance(rnode, ast.Name) and \
                    lnode.id in view.facts.unpacked and \
                    view.facts.unpacked[lnode.id] == view.facts.unpacked.get(rnode.id):
                continue  # `for got, want in zip(result, expected)`: two positions of one value
            shared = frozenset(ast.dump(c) for c in lval.calls) & frozenset(
                ast.dump(c) for c in rval.calls)
            if not shared or _in_other_contexts(view, shared, lval.calls, rval.calls):
                continue
            call = next(c for c in (*lval.calls, *rval.calls) if ast.dump(c) in shared)
            yield Hit(chk.line, chk.col,
                      f"mirrored oracle: `{render(lnode)}` and `{render(rnode)}` both come from "
                      f"`{render(call)}`; the expected value must not be computed by the code "
                      "under test", chk, Strength.NONE)
            break


def _in_other_contexts(view: TestView, shared: frozenset[str], left: Iterable[ast.Call],
                       right: Iterable[ast.Call]) -> bool:
    """The shared call runs on each side inside a different ``with`` block (or one side
    outside any): ``with tzpath(a): expected = gettz(n)`` then ``with tzpath(b): zone =
    gettz(n)`` compares the code with itself under two environments, a differential test."""
    known = view.memo.get("rf104-with")
    where: dict[int, int] = known if isinstance(known, dict) else {}
    if not isinstance(known, dict):
        for node in all_nodes(view.facts.node):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for stmt in node.body:  # outer blocks first: an inner one overrides
                    for sub in walk(stmt):
                        where[id(sub)] = id(node)
        view.memo["rf104-with"] = where
    sides = [{where.get(id(c)) for c in calls if ast.dump(c) in shared}
             for calls in (left, right)]
    return not sides[0] & sides[1]


def _project_function_call(view: TestView, node: ast.expr) -> ast.Call | None:
    """A call in ``node`` that reaches a function (not a class) of the project."""
    calls = {id(c.node): c.qualname for c in view.facts.project_calls}
    for sub in walk(node):
        if isinstance(sub, ast.Call) and id(sub) in calls:
            qualname = calls[id(sub)]
            if view.index.lookup_class(qualname) is None and \
                    view.index.lookup_function(qualname) is not None:
                return sub
    return None


