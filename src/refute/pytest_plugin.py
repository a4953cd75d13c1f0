"""refute's pytest plugin (entry point ``pytest11``): registers the ``generated`` marker.

    @pytest.mark.generated(by="copilot", model="gpt-5", prompt="tests for the cache layer")

The marker changes nothing in how pytest runs a test; ``refute provenance`` and ``refute
gate`` read it. Registering it keeps ``--strict-markers`` suites valid.
"""

from __future__ import annotations

import pytest

MARKER = ("generated(by=None, model=None, prompt=None): the test was written by a code "
          "generator; refute requires a reviewer's sign-off before it counts")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)
