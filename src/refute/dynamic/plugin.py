"""The pytest plugin that ``refute verify`` runs inside the user's own pytest session.

pytest collects and imports everything once (the warm parent); the plugin takes over the run
loop: it runs the baseline with per-test coverage contexts, then hands the live session to the
mutation driver, which forks one child per mutant. Hooks are declared here and nowhere else.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Outcome:
    """How one test ended in one run: passed, or the exception that failed it."""

    passed: bool = True
    skipped: bool = False
    xfailed: bool = False
    duration: float = 0.0
    exc_type: str = ""
    by_assertion: bool = False
    where: str = ""  # file of the frame that raised


@dataclass
class PluginState:
    """Everything the plugin observed; the driver reads it, the plugin never formats it."""

    items: list[pytest.Item] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    collect_errors: list[str] = field(default_factory=list)
    baseline_done: bool = False


_ASSERTION_TYPES = ("AssertionError", "Failed", "XFailed")


def _classify(call: pytest.CallInfo[Any], source_files: set[str]) -> tuple[str, bool, str]:
    excinfo = call.excinfo
    if excinfo is None:
        return "", False, ""
    names = [k.__name__ for k in excinfo.type.__mro__]
    where = ""
    try:
        where = str(excinfo.traceback[-1].path)
    except (IndexError, AttributeError):
        where = ""
    assertion = any(n in _ASSERTION_TYPES for n in names) and where not in source_files
    return excinfo.type.__name__, assertion, where


class VerifyPlugin:
    def __init__(self, driver: Callable[[pytest.Session, VerifyPlugin], None],
                 source_files: set[str]) -> None:
        self.driver = driver
        self.source_files = source_files
        self.state = PluginState()
        self.current: dict[str, Outcome] | None = None

    # ---- hooks -------------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        # the user's addopts may carry terminal options (-ra, -v): keep them valid, but
        # refute reports, not pytest's terminal
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            config.pluginmanager.unregister(reporter)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.state.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-600:]}")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.state.items = list(session.items)  # after -k, -m and --deselect

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo[Any]) -> Any:
        result = yield
        report: pytest.TestReport = result.get_result()
        sink = self.current if self.current is not None else self.state.outcomes
        outcome = sink.setdefault(item.nodeid, Outcome())
        xfail = hasattr(report, "wasxfail")
        if report.skipped and not xfail:
            outcome.skipped = True
        if report.skipped and xfail:
            outcome.xfailed = True
        if report.failed and outcome.passed:
            outcome.passed = False
            outcome.exc_type, outcome.by_assertion, outcome.where = _classify(
                call, self.source_files)
            if not outcome.exc_type:
                outcome.exc_type = "Failed"  # strict xpass and friends
                outcome.by_assertion = True

    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        if self.state.collect_errors:
            return True  # the driver reports them (pytest's own loop would stop here, as
            # if interrupted: a broken file is not a Ctrl-C)
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            raise session.Interrupted(f"{session.testsfailed} errors during collection")
        self.driver(session, self)
        # every outcome is in: the full collection pytest makes as the session ends (its
        # unraisable-exception plugin: 25-30 ms after a small suite) leaves what the suite
        # made alone; ``verify._verify`` unfreezes once pytest has returned
        gc.freeze()
        return True

    # ---- running tests (parent baseline and forked children) ----------------------------
    @staticmethod
    def short_failure_reports(items: list[pytest.Item]) -> None:
        """Skip pytest's failure formatting, which re-parses the test file to show source.

        Refute reads a failure's outcome and exception type (``_classify``), never pytest's
        text: pytest's terminal is off, and a red baseline is reported by test ids. Formatting
        a failure cost ten times the test itself in a mutant's child, and 50 ms for each
        expected failure (``xfail``) in a baseline: finding the test's source scans every
        imported module once per process, and every watch round is a new process.
        """
        def short(excinfo: pytest.ExceptionInfo[BaseException], *args: Any,
                  **kwargs: Any) -> str:
            return f"{excinfo.typename}: {str(excinfo.value)[:200]}"

        for item in items:
            item.repr_failure = short  # type: ignore[method-assign, assignment]
            item._repr_failure_py = short  # type: ignore[method-assign, assignment]

    @staticmethod
    def reuse_package_imports() -> None:
        """In a mutant's child only: let pytest's package set-up find ``__init__`` modules
        without resolving their paths again.

        A child sets up and tears down each mutant's tests in full, so that no fixture
        outlives the mutant; pytest's ``Package.setup`` then imports the package's
        ``__init__.py`` again each time, resolving the package root through the file system
        (more than a fast test costs, twice per mutant on toolz). The module has been in
        ``sys.modules`` since collection. The package's ``setup_module`` and
        ``teardown_module`` still run each time. Where pytest has no such function, nothing
        changes."""
        import _pytest.python as python

        original = getattr(python, "importtestmodule", None)
        if original is None or getattr(original, "refute_memo", False):
            return
        memo: dict[str, Any] = {}

        def importtestmodule(path: Any, config: pytest.Config) -> Any:
            if getattr(path, "name", "") != "__init__.py":
                return original(path, config)
            key = str(path)
            if key not in memo:
                memo[key] = original(path, config)
            return memo[key]

        importtestmodule.refute_memo = True  # type: ignore[attr-defined]
        python.importtestmodule = importtestmodule

    def run_items(self, items: list[pytest.Item], stop_at_failure: bool = False,
                  on_start: Callable[[pytest.Item], None] | None = None
                  ) -> dict[str, Outcome]:
        """Run items through pytest's own protocol; return their outcomes.

        ``stop_at_failure`` stops at the first failure raised by an assertion in test code. A
        failure by any other error does not stop the run: a later test may still catch the
        same change with an assertion, and whether a mutant counts as checked must not
        depend on the order its tests ran in."""
        self.current = {}
        try:
            for i, item in enumerate(items):
                nxt = items[i + 1] if i + 1 < len(items) else None
                if on_start is not None:
                    on_start(item)
                started = time.perf_counter()
                item.ihook.pytest_runtest_protocol(item=item, nextitem=nxt)
                out = self.current.setdefault(item.nodeid, Outcome())
                # the whole of pytest's protocol for the item (set-up, call, teardown and
                # the hooks around them): what the test costs in the user's own run
                out.duration = time.perf_counter() - started
                if stop_at_failure and not out.passed and out.by_assertion:
                    if nxt is not None:  # tear down what the next item would have reused
                        item.session._setupstate.teardown_exact(None)
                    break
            return self.current
        finally:
            self.current = None
