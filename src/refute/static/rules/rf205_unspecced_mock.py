"""RF205 unspecced-mock: a mock without ``spec``/``autospec`` accepts any attribute.

What it does
    Reports (as information) ``Mock()``, ``MagicMock()``, ``AsyncMock()``, ``patch(...)`` and
    ``patch.object(...)`` created without ``spec``, ``spec_set`` or ``autospec``, and mocks
    created with ``unsafe=True``.

Why is this bad
    An unspecced mock invents every attribute and call signature on demand. When the real API
    changes (a renamed method, a new required argument), the test keeps passing against an API
    that no longer exists, and typos in mock assertions go unnoticed.

Example
    def test_send(mocker):
        smtp = mocker.patch("app.mail.SMTP")
        send_welcome("ann@example.com")
        smtp.return_value.sendmail.assert_called_once()

Use instead
    def test_send(mocker):
        smtp = mocker.patch("app.mail.SMTP", autospec=True)
        send_welcome("ann@example.com")
        smtp.return_value.sendmail.assert_called_once_with(
            "noreply@example.com", ["ann@example.com"], WELCOME)
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.rules.base import Hit, TestView

CODE = "RF205"
NAME = "unspecced-mock"
SEVERITY = Severity.INFO
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for mock in view.facts.mocks:
        line, col = mock.node.lineno, mock.node.col_offset + 1
        if mock.unsafe:
            yield Hit(line, col, f"unspecced mock: `{mock.name}(unsafe=True)` lets misspelt "
                      "assertion methods pass silently")
        elif not mock.specced:
            yield Hit(line, col, f"unspecced mock: `{mock.name}()` has no spec; it accepts "
                      "attributes and calls the real object does not have")
    for patch in view.facts.patches:
        if patch.kind in ("patch", "patch.object") and not patch.specced and not patch.has_new:
            node = patch.node
            what = patch.target or patch.kind
            yield Hit(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1,
                      f"unspecced mock: `{patch.kind}` of `{what}` without autospec=True")
