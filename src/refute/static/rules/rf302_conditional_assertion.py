"""RF302 conditional-assertion: every assertion may be skipped.

What it does
    Flags a test whose every effective assertion sits under an ``if``, in an ``except`` handler,
    in a loop or comprehension that may run zero times (a loop over the result of the code under
    test), or in a ``while`` loop. Loops over non-empty literals and ``range(n)`` count as run,
    and so does a helper's ``if expected is not None:`` when the test passes ``expected``.
    So do loops over a name the test first guards with ``if not names: pytest.skip(...)``,
    and over what the suite's own functions give when they always give something: a
    generator whose ``yield`` is reached on every path, one that skips the test when it
    yielded nothing, a method that returns only non-empty displays.

Why is this bad
    When the branch is not taken or the collection is empty, the test passes without checking
    anything: an empty result, which is often the bug, is exactly the case that goes green.

Example
    def test_active_users():
        for user in active_users(db):
            assert user.active

Use instead
    def test_active_users():
        users = active_users(db)
        assert [u.name for u in users] == ["ann", "bob"]
        assert all(u.active for u in users)
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Strength
from refute.static.rules.base import Hit, TestView

CODE = "RF302"
NAME = "conditional-assertion"
SEVERITY = Severity.WARNING
PHASE = 2


def check(view: TestView) -> Iterator[Hit]:
    live = [c for c in view.facts.checks if view.effective(c) > Strength.NONE]
    if not live or any(not c.conditional for c in live):
        return
    strong = [c for c in live if view.effective(c) == Strength.STRONG]
    first = min(strong or live, key=lambda c: c.line)
    yield Hit(first.line, first.col,
              "conditional assertion: every assertion of this test is under a condition or in a "
              "loop that may run zero times; the test passes when it is skipped", None, None)
    for chk in strong:
        yield Hit(chk.line, chk.col, "", chk, Strength.WEAK)
