"""RF307 unawaited-coroutine: the test calls the project's ``async def`` without awaiting it.

What it does
    Flags a call of a project coroutine function (an ``async def`` without a decorator that
    could make it run) made as a bare statement: nothing awaits it, nothing hands it to an
    event loop. When such calls are all the test does with the code under test, every
    assertion of the test is vacuous.

Why is this bad
    Calling an ``async def`` only creates a coroutine; its body runs when the coroutine is
    awaited. The test then checks a state that nothing changed (a mock that was "not
    called", a store that is still empty) and passes whatever the function does. Python
    only warns "coroutine ... was never awaited", in a summary few people read.

Example
    def test_shipped_sends_nothing_twice():
        sender = AsyncMock()
        notify_shipped(sender, order)
        sender.send.assert_not_called()

Use instead
    def test_shipped_sends_one_message():
        sender = AsyncMock()
        asyncio.run(notify_shipped(sender, order))
        sender.send.assert_awaited_once_with(to="ann@example.com", body="Order 7 shipped")
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Strength, all_nodes
from refute.static.rules.base import Hit, TestView, render

CODE = "RF307"
NAME = "unawaited-coroutine"
SEVERITY = Severity.ERROR
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    statements = {id(call.node) for call in view.facts.sut_calls if call.statement}
    unawaited = []
    for call in view.facts.project_calls:
        if id(call.node) not in statements:
            continue
        fn = view.index.lookup_function(call.qualname)
        if fn is not None and fn.coroutine:
            unawaited.append(call.node)
    if unawaited:  # `await call()` is a statement too
        awaited = {id(n.value) for n in all_nodes(view.facts.node)  # type: ignore[attr-defined]
                   if type(n) is ast.Await}
        unawaited = [node for node in unawaited if id(node) not in awaited]
    if not unawaited:
        return
    for node in unawaited:
        yield Hit(node.lineno, node.col_offset,
                  f"unawaited coroutine: `{render(node)}` makes a coroutine that nothing "
                  "awaits; its body never runs")
    never = {id(node) for node in unawaited}
    if all(id(call.node) in never for call in view.facts.sut_calls):
        # nothing else of the code under test runs: no check can fail because of it
        for chk in view.facts.checks:
            yield Hit(chk.line, chk.col, "", chk, Strength.NONE)
