"""RF305 unchecked-capture: output, logs or an exception are captured and never compared.

What it does
    Flags a ``pytest.raises(...) as excinfo`` binding, a ``capsys.readouterr()`` capture, a
    requested ``caplog`` fixture or a mock's ``call_args`` that the test takes and never uses in
    an assertion.

Why is this bad
    Capturing the output is the first half of checking it. A generated test that stops there
    looks thorough and checks nothing about the message, the log line or the call arguments.

Example
    def test_warns_on_retry(caplog):
        fetch_with_retry(url)
        out = capsys.readouterr()

Use instead
    def test_warns_on_retry(caplog):
        fetch_with_retry(url)
        assert caplog.messages == ["retrying https://x.test (1/3)"]
"""

from __future__ import annotations

from collections.abc import Iterator

from refute.model import Severity
from refute.static.rules.base import Hit, TestView

CODE = "RF305"
NAME = "unchecked-capture"
SEVERITY = Severity.WARNING
PHASE = 1


def check(view: TestView) -> Iterator[Hit]:
    for cap in view.facts.captures:
        if cap.used:
            continue
        node = cap.node
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
        if cap.name == "<discarded>":
            msg = "unchecked capture: `readouterr()` is called and its result thrown away"
        elif cap.name == "caplog":
            msg = "unchecked capture: `caplog` is requested but its records are never compared"
        else:
            msg = f"unchecked capture: {cap.what} `{cap.name}` is never compared"
        yield Hit(line, col, msg)
