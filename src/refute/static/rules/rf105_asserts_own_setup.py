"""RF105 asserts-own-setup: the assertion checks a value the test itself put there.

What it does
    Flags assertions whose operands never depend on the code under test: a mock's configured
    return value read back (``m.get.return_value = V; assert m.get() == V``), literals compared
    with literals, a helper given only the test's own values, a mock that is never handed to the
    code under test (also one that a function of the test module builds and returns, like
    ``make_response(payload)``), a ``pytest.raises`` block that raises the expected exception
    itself (even after a call) and a ``pytest.warns`` block that calls ``warnings.warn``. Also
    flags a configured value that comes back through code that only passes it on (``return
    self.repo.get(id)``): that checks delegation, not behaviour.

Why is this bad
    The test checks its own arrangement. It stays green whatever the code under test does,
    because the code never produced the value being compared.

Example
    def test_lookup():
        repo = Mock()
        repo.find.return_value = {"id": 1}
        assert repo.find(1) == {"id": 1}

Use instead
    def test_lookup():
        repo = Mock()
        repo.find.return_value = {"id": 1, "name": "ann"}
        assert UserService(repo).display_name(1) == "Ann"
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Check, Kind, Src, Strength, all_nodes
from refute.static.flow import is_literal
from refute.static.names import dotted, leaf, run_by_event_loop
from refute.static.nodes import walk
from refute.static.rules.base import (
    Hit,
    TestView,
    depends_on_code,
    describe_value,
    each_check,
    render,
)

CODE = "RF105"
NAME = "asserts-own-setup"
SEVERITY = Severity.ERROR
PHASE = 1

_FOREIGN = Src.MOCK | Src.ANY | Src.PATCHED  # owned by RF203 / RF204




def _configured_literals(view: TestView) -> set[str]:
    """Constants (and displays of them) the test configured as a mock's ``return_value``, as
    AST dumps."""
    cached = view.memo.get(NAME)
    if isinstance(cached, set):
        return cached
    out: set[str] = set(view.facts.setup_literals)  # also in fixtures and set-up
    view.memo[NAME] = out
    Assign = ast.Assign
    for node in [n for n in all_nodes(view.facts.node) if type(n) is Assign]:
        if any(isinstance(t, ast.Attribute) and t.attr == "return_value"
               for t in node.targets) and is_literal(node.value):  # type: ignore[attr-defined]
            out.add(ast.dump(node.value))  # type: ignore[attr-defined]
    return out


def _awaited(node: ast.expr) -> ast.expr:
    """The coroutine call ``await c(...)`` or ``asyncio.run(c(...))`` stands for."""
    if isinstance(node, ast.Await):
        return node.value
    return run_by_event_loop(node) or node


def _passthrough(view: TestView, chk: Check) -> str | None:
    """The pass-through project function a configured value came back through, if any."""
    literals: set[str] | None = None
    for part in view.parts(chk):
        if part.right is None:
            continue
        for (node, val), (other_node, other) in ((part.left, part.right), (part.right, part.left)):
            if not val.sut or depends_on_code(other):
                continue
            if not other.src & Src.SETUP:
                if literals is None:
                    literals = _configured_literals(view)
                if not literals or ast.dump(other_node) not in literals:
                    continue
            node = _awaited(node)
            for call in view.facts.project_calls:
                bound = next((s.bound for s in view.facts.sut_calls if s.node is call.node), None)
                if call.node is node or (bound and isinstance(node, ast.Name)
                                         and node.id == bound):
                    fn = view.index.lookup_function(call.qualname)
                    if fn is not None and fn.passthrough:
                        return call.qualname
    return None


def _written(node: ast.expr, written: set[int]) -> bool:
    """The operand reads a mock attribute the code may have written: ``resp.status_code``,
    ``len(loop.on_tick)``, ``resp.headers["Location"]``."""
    while True:
        if id(node) in written:
            return True
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords and \
                isinstance(node.func, ast.Name) and node.func.id in ("len", "sorted", "list",
                                                                    "set", "dict", "tuple"):
            node = node.args[0]
        else:
            return False


def _echo(view: TestView, chk: Check) -> str | None:
    """``m.get.return_value = order`` then ``assert m.get() == order``: the mock hands back
    the very value it is compared with, whatever that value is made of (a project object
    built by the test is still the test's own)."""
    echoes = view.facts.echoes
    if not echoes:
        return None
    for part in view.parts(chk):
        if part.right is None or part.op not in ("==", "is"):
            continue
        for (node, _), (other, _) in ((part.left, part.right), (part.right, part.left)):
            key = echoes.get(id(node))
            if key is not None and key == (dotted(other) or ast.dump(other)):
                verb = "holds" if isinstance(node, ast.Name) else "returns"
                return (f"asserts own setup: `{render(node)}` {verb} what the test configured "
                        f"(`{render(other)}`), so this compares the set-up with itself")
    return None


def check(view: TestView) -> Iterator[Hit]:
    facts = view.facts
    for chk in each_check(view):
        if chk.kind in (Kind.ASSERT, Kind.UNITTEST, Kind.EXTERNAL):
            ops = chk.operands
            if not ops or any(depends_on_code(v) for _, v in ops):
                echo = _echo(view, chk) if ops else None
                if echo:
                    yield Hit(chk.line, chk.col, echo, chk, Strength.NONE)
                    continue
                passed = _passthrough(view, chk) if ops else None
                if passed:
                    yield Hit(chk.line, chk.col,
                              f"asserts own setup: `{passed}` only passes the mock's configured "
                              "value on; the assertion checks delegation, not a result",
                              chk, Strength.WEAK)
                continue
            if all(v.src & _FOREIGN and not v.src & (Src.SETUP | Src.LITERAL) for _, v in ops):
                continue
            if any(v.src & Src.PATCHED for _, v in ops):
                continue
            if facts.code_written and any(_written(n, facts.code_written) for n, _ in ops):
                continue  # `handle(resp)` then `resp.status_code == 404`: the code wrote it
            node, val = next(((n, v) for n, v in ops if v.src & Src.SETUP), ops[0])
            yield Hit(chk.line, chk.col,
                      f"asserts own setup: compares only {describe_value(node, val)}; nothing "
                      "here comes from the code under test", chk, Strength.NONE)
        elif chk.kind is Kind.HELPER and chk.base == Strength.NONE and not chk.helper_rules:
            yield Hit(chk.line, chk.col,
                      f"asserts own setup: helper `{chk.helper_name}` is given only the test's "
                      "own values", chk, Strength.NONE)
        elif chk.kind is Kind.MOCK and chk.called and chk.name.startswith("assert"):
            if not chk.wired:
                yield Hit(chk.line, chk.col,
                          f"asserts own setup: mock `{chk.receiver}` is never handed to the code "
                          f"under test, so `{chk.name}` checks only calls the test made itself",
                          chk, Strength.NONE)
            elif not facts.sut_calls and not facts.project_calls and not any(
                    depends_on_code(v) for c in facts.checks for _, v in c.operands):
                # nothing called, and nothing compared comes from the code (a property
                # read on an object the code built runs the code too)
                yield Hit(chk.line, chk.col,
                          f"asserts own setup: the test never calls the code under test, so "
                          f"`{chk.name}` on `{chk.receiver}` checks only the test's own calls",
                          chk, Strength.NONE)
        elif chk.kind is Kind.RAISES and chk.body:
            hit = _raises_itself(chk, {c.name for c in facts.captures if c.used})
            if hit:
                yield Hit(chk.line, chk.col, f"asserts own setup: the `{chk.name}` block {hit}",
                          chk, Strength.NONE)


_WARN_CALLS = {"warn", "warnings.warn", "warn_explicit", "warnings.warn_explicit"}


def _raises_itself(chk: Check, used: set[str]) -> str | None:
    """Why a raises/warns block is satisfied by the test's own statements, or None.

    A block whose captured exception is inspected afterwards (``raise E(...)`` inside
    ``pytest.raises(E) as ei``, then ``ei.value``) is a way to obtain the exception object,
    not an expectation, and is left alone.
    """
    if chk.binding and chk.binding in used:
        return None
    warns = "warn" in chk.name.lower()
    for stmt in chk.body:
        if isinstance(stmt, ast.Raise) and stmt.exc is not None and not warns:
            target = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            name = leaf(dotted(target))
            if name in chk.exceptions or len(chk.body) == 1:
                return f"raises `{name}` itself on line {stmt.lineno}"
        if warns and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
                dotted(stmt.value.func) in _WARN_CALLS:
            return f"warns by itself on line {stmt.lineno}"
    calls = [n for s in chk.body for n in walk(s) if isinstance(n, ast.Call)]
    if not calls and all(isinstance(s, (ast.Raise, ast.Pass, ast.Expr)) for s in chk.body) \
            and not _touches_code(chk.body):
        return "runs no code under test"
    return None


def _touches_code(body: list[ast.stmt]) -> bool:
    for stmt in body:
        for node in walk(stmt):
            if isinstance(node, (ast.Subscript, ast.Attribute, ast.BinOp, ast.Call)):
                return True
            if isinstance(node, ast.Name) and leaf(dotted(node)) not in ("pass",):
                return True
    return False
