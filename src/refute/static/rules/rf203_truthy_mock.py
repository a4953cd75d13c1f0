"""RF203 truthy-mock: an assertion on a mock object, or against ``mock.ANY``.

What it does
    Flags ``assert mock_obj``, ``assertTrue(mock_obj)``, ``assertIsNotNone(mock_obj)``,
    comparisons where both sides come from mocks, and comparisons with ``mock.ANY``.

Why is this bad
    A ``Mock`` is always truthy and never None; two values read from mocks compare the test's
    own doubles; ``mock.ANY`` equals everything. None of these can fail because of the code.

Example
    def test_fetch():
        client = Mock()
        result = fetch(client)
        assert client.get
        assert result == ANY

Use instead
    def test_fetch():
        client = Mock()
        client.get.return_value.json.return_value = {"v": 1}
        assert fetch(client) == 1
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Kind, Src, Strength
from refute.static.rules.base import Hit, TestView, each_check, render

CODE = "RF203"
NAME = "truthy-mock"
SEVERITY = Severity.ERROR
PHASE = 1

_MOCKY = Src.MOCK


def _pure_mock(src: int) -> bool:
    return bool(src & _MOCKY) and not src & (Src.SUT | Src.SETUP | Src.LITERAL |
                                             Src.INTERACTION)


def check(view: TestView) -> Iterator[Hit]:
    for chk in each_check(view, Kind.ASSERT, Kind.UNITTEST):
        for part in view.parts(chk):
            lnode, lval = part.left
            if part.op in ("truth", "is not") and _pure_mock(lval.src) and (
                part.op == "truth" or part.right is not None
            ):
                if part.op == "is not" and part.right is not None and \
                        "None" not in render(part.right[0]):
                    continue
                yield Hit(chk.line, chk.col,
                          f"truthy mock: `{render(lnode)}` is a mock, which is always truthy and "
                          "never None", chk, Strength.NONE)
                break
            if part.right is None:
                continue
            rnode, rval = part.right
            # `== mock.ANY` itself; a display with ANY for one field (`{"id": ANY, "name":
            # "x"}`) still checks the others
            if Src.ANY in (lval.src, rval.src) and part.op in ("==", "is", "!="):
                other = rnode if lval.src == Src.ANY else lnode
                yield Hit(chk.line, chk.col,
                          f"truthy mock: `{render(other)}` is compared with `mock.ANY`, which "
                          "equals anything", chk, Strength.NONE)
                break
            if _pure_mock(lval.src) and _pure_mock(rval.src):
                yield Hit(chk.line, chk.col,
                          f"truthy mock: both `{render(lnode)}` and `{render(rnode)}` come from "
                          "mocks", chk, Strength.NONE)
                break
