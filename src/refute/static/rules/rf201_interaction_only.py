"""RF201 interaction-only: the test only checks that collaborators were called.

What it does
    Flags a test whose only checks are ``assert_called*``, ``called`` or ``call_count`` on
    mocks, or argument checks on stubs the test configured itself (a query such as
    ``cache.get`` whose answer the test supplied), while the value the code under test returns
    is never compared. A check of an outbound call with its exact arguments
    (``mailer.send.assert_called_once_with(to=..., body=...)``) is a real check and is not
    flagged, also when the test configured what the call returns: a command named for what it
    does (``session.post``, ``repo.save``, ``client.create_label``) or a mock told to return
    ``None``.

Why is this bad
    A caching layer whose tests assert ``cache.get.assert_called_once()`` passes when it returns
    the wrong payload, a corrupted payload, or the payload of another user. The interaction is
    checked, the behaviour is not.

Example
    def test_get_profile_uses_cache():
        cache = Mock()
        cache.get.return_value = None
        service = ProfileService(cache, db)
        service.get_profile(7)
        cache.get.assert_called_once_with("profile:7")
        cache.set.assert_called_once()

Use instead
    def test_get_profile_uses_cache():
        profile = ProfileService(cache, db).get_profile(7)
        assert profile == {"id": 7, "name": "Ann"}
        cache.set.assert_called_once_with("profile:7", {"id": 7, "name": "Ann"})
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static import runtime_api
from refute.static.facts import Check, Kind, Src, Strength, all_nodes
from refute.static.names import MOCK_EXACT_ASSERTS
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView, each_check, render

CODE = "RF201"
NAME = "interaction-only"
SEVERITY = Severity.WARNING
PHASE = 1

_COUNT_ATTRS = {"called", "call_count", "await_count", "awaited"}
# A claim that no call happened is complete: there are no arguments left unchecked.
_NEGATIVE = {"assert_not_called", "assert_not_awaited"}


def _returns_nothing(view: TestView, node: ast.Call) -> bool:
    """The call reaches a project function that never returns a value."""
    for call in view.facts.project_calls:
        if call.node is node:
            fn = view.index.lookup_function(call.qualname)
            return fn is not None and not fn.returns_value
    return False


def _ignored_result(view: TestView) -> str:
    read = view.facts.names_read_in_checks
    loads = {n.id for n in all_nodes(view.facts.node)
             if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    calls = [c for c in view.facts.sut_calls if not _returns_nothing(view, c.node)]
    for call in calls:
        if call.bound and call.bound not in read and call.bound not in loads:
            return f"; the value returned by `{render(call.node)}` is never compared"
    for call in calls:
        method = isinstance(call.node.func, ast.Attribute)
        if call.statement and method:
            return f"; the value returned by `{render(call.node)}` is never compared"
    return ""


def _all_any(chk: Check) -> bool:
    return bool(chk.operands) and all(v.src & Src.ANY for _, v in chk.operands)


def _weakness(view: TestView, chk: Check) -> str | None:
    if chk.kind is Kind.MOCK:
        if chk.name not in runtime_api.REAL_MOCK_ATTRIBUTES or not chk.called or chk.in_assert:
            return None  # RF202's business
        if chk.name in _NEGATIVE and not chk.stub and not _ignored_result(view):
            return None
        if chk.name in _NEGATIVE:
            return f"`{chk.receiver}.{chk.name}()` only checks that no call happened"
        if chk.name not in MOCK_EXACT_ASSERTS or not chk.operands:
            return f"`{chk.receiver}.{chk.name}()` only checks that a call happened"
        if _all_any(chk):
            return f"`{chk.receiver}.{chk.name}()` matches any arguments (mock.ANY)"
        if chk.stub:
            return (f"`{chk.receiver}` is a stub the test configured; checking how it was "
                    "queried does not check what the code returns")
        return None
    exprs = [e for e, v in chk.operands if v.src & Src.INTERACTION]
    if not exprs or any(v.src & Src.SUT for _, v in chk.operands):
        return None
    for expr in exprs:
        attrs = {n.attr for n in walk(expr) if isinstance(n, ast.Attribute)}
        if not attrs & _COUNT_ATTRS:
            return None
    return f"`{render(chk.expr or exprs[0])}` only counts calls"


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.MOCK, Kind.ASSERT, Kind.UNITTEST):
        why = _weakness(view, chk)
        if why:
            yield Hit(chk.line, chk.col, f"interaction-only: {why}{_ignored_result(view)}",
                      chk, Strength.WEAK, decisive_only=True)
