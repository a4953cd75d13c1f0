"""RF202 mock-typo: a mock "assertion" that does nothing.

What it does
    Flags calls on mocks that look like assertions but are not methods of ``unittest.mock`` on
    the running Python, so they silently return a new child mock: ``called_once_with``,
    ``has_calls``, ``not_called``, ``was_called``, ``assert_called_once`` without the call
    parentheses, and ``assert m.assert_called_with(...)`` (the method returns None). The list
    of real methods is read from ``unittest.mock`` itself, not from a typo table.

Why is this bad
    The line reads like a check and never fails. With ``unsafe=True`` even ``assret_*``
    misspellings pass. It is one of the most common ways a mock-heavy test checks nothing.

Example
    def test_notify():
        notify(user, mailer)
        mailer.send.called_once_with(user.email)

Use instead
    def test_notify():
        notify(user, mailer)
        mailer.send.assert_called_once_with(user.email)
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static import runtime_api
from refute.static.facts import Kind, Strength
from refute.static.names import MOCK_UNSAFE_PREFIXES
from refute.static.rules.base import Hit, TestView, each_check

CODE = "RF202"
NAME = "mock-typo"
SEVERITY = Severity.ERROR
PHASE = 1


def _closest(name: str) -> str:
    import difflib

    candidates = sorted(runtime_api.MOCK_ASSERT_METHODS)
    bare = name if name.startswith("assert_") else "assert_" + name.lstrip("_")
    match = difflib.get_close_matches(bare, candidates, n=1, cutoff=0.5)
    return match[0] if match else "assert_called_once_with"


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.MOCK):
        target = f"{chk.receiver}.{chk.name}"
        if chk.name not in runtime_api.REAL_MOCK_ATTRIBUTES:
            unsafe = any(m.unsafe for m in view.facts.mocks)
            if chk.name.startswith(MOCK_UNSAFE_PREFIXES) and not unsafe:
                msg = (f"mock typo: `{target}` is not a mock method; it raises AttributeError "
                       f"instead of checking anything. Did you mean `{_closest(chk.name)}`?")
            else:
                msg = (f"mock typo: `{target}()` is not a mock assertion, it returns a new "
                       f"Mock and never fails. Did you mean `{_closest(chk.name)}`?")
            yield Hit(chk.line, chk.col, msg, chk, Strength.NONE)
        elif not chk.called:
            yield Hit(chk.line, chk.col,
                      f"mock typo: `{target}` is never called (missing parentheses), so it "
                      "checks nothing", chk, Strength.NONE)
        elif chk.in_assert:
            yield Hit(chk.line, chk.col,
                      f"mock typo: `assert {target}(...)` asserts the method's return value "
                      "(None); call it without `assert`", chk, Strength.NONE)
