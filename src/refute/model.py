"""The one data model every analysis produces and every reporter consumes.

Analysis code builds these objects; reporters only read them. Nothing here formats output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Verdict(str, Enum):
    """How much a test can tell about the code it exercises."""

    OK = "ok"
    WEAK = "weak"
    VACUOUS = "vacuous"

    @property
    def rank(self) -> int:
        """Higher is worse: ok < weak < vacuous."""
        return _VERDICT_RANK[self]


_VERDICT_RANK = {Verdict.OK: 0, Verdict.WEAK: 1, Verdict.VACUOUS: 2}


class Severity(str, Enum):
    """How serious a single finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Finding:
    """One rule hit at one place, optionally attached to one test."""

    path: str
    line: int
    column: int
    rule: str
    name: str
    severity: Severity
    message: str
    test: str | None = None


@dataclass(frozen=True)
class AuditedTest:
    """The verdict on one test function (parametrized tests are counted once)."""

    id: str
    path: str
    line: int
    verdict: Verdict
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class FileError:
    """A file that could not be audited, and why."""

    path: str
    message: str


@dataclass(frozen=True)
class Summary:
    files: int
    tests: int
    vacuous: int
    weak: int
    ok: int


@dataclass
class Audit:
    """The result of ``refute check``: every test, every finding, every unreadable file."""

    root: str
    tests: list[AuditedTest] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> Summary:
        counts = {v: 0 for v in Verdict}
        for test in self.tests:
            counts[test.verdict] += 1
        return Summary(
            files=self.files,
            tests=len(self.tests),
            vacuous=counts[Verdict.VACUOUS],
            weak=counts[Verdict.WEAK],
            ok=counts[Verdict.OK],
        )

    def worst(self) -> Verdict | None:
        """The worst verdict of any test, or None when there are no tests."""
        if not self.tests:
            return None
        return max((t.verdict for t in self.tests), key=lambda v: v.rank)
