"""The assertion API of the running Python's ``unittest`` and ``unittest.mock`` (the "target
Python" of RF202): read from the classes themselves, not from a list that can go stale."""

from __future__ import annotations

import unittest
import unittest.mock


def _real_mock_attributes() -> frozenset[str]:
    names: set[str] = set()
    for cls in (unittest.mock.NonCallableMock, unittest.mock.Mock, unittest.mock.MagicMock,
                unittest.mock.AsyncMock):
        names.update(a for a in dir(cls) if not a.startswith("_"))
    return frozenset(names)


#: Every public attribute of the running Python's mock classes (the "target Python").
REAL_MOCK_ATTRIBUTES = _real_mock_attributes()
MOCK_ASSERT_METHODS = frozenset(a for a in REAL_MOCK_ATTRIBUTES if a.startswith("assert_"))

UNITTEST_ASSERTS = frozenset(
    a for a in dir(unittest.TestCase)
    if a.startswith(("assert", "fail")) and a != "failureException"
) | {"assertEquals", "assertNotEquals", "assertAlmostEquals", "assertNotAlmostEquals",
     "assert_", "failUnless", "failIf", "failUnlessEqual", "failIfEqual", "assertItemsEqual",
     "failUnlessRaises", "assertRaisesRegexp", "assertRegexpMatches", "assertDictContainsSubset"}
