"""RF204 patched-subject: the test patches the function whose result it asserts.

What it does
    Flags assertions on the result of calling a function or method that the same test replaced
    with ``patch``/``patch.object``/``mocker.patch``: the asserted value comes from the mock.

Why is this bad
    The code under test is not run at all; the test checks that a mock returns what it was told
    to return. Generated tests do this when they "isolate" the very unit they should exercise.

Example
    @patch("shop.pricing.total")
    def test_total(mock_total):
        mock_total.return_value = 30
        assert pricing.total([10, 20]) == 30

Use instead
    def test_total():
        assert pricing.total([10, 20]) == 30
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Kind, Src, Strength
from refute.static.rules.base import Hit, TestView, each_check, render

CODE = "RF204"
NAME = "patched-subject"
SEVERITY = Severity.ERROR
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.ASSERT, Kind.UNITTEST, Kind.EXTERNAL):
        patched = [n for n, v in chk.operands if v.src & Src.PATCHED and not v.src & Src.SUT]
        if patched:
            yield Hit(chk.line, chk.col,
                      f"patched subject: `{render(patched[0])}` calls a function this test "
                      "patched, so the asserted value comes from the mock, not from the code",
                      chk, Strength.NONE)
