"""Per-test facts kept for the rules that look across the whole suite (RF401, RF402)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SuiteTest:
    id: str
    path: str
    line: int
    fingerprint: str | None
    called: frozenset[str] = frozenset()
    called_in_raises: frozenset[str] = frozenset()
    expected: frozenset[str] = frozenset()
    suppressed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RaisingFunction:
    qualname: str
    rel: str
    line: int
    raises: tuple[str, ...]


@dataclass
class Suite:
    tests: list[SuiteTest] = field(default_factory=list)
    raising: list[RaisingFunction] = field(default_factory=list)


@dataclass(frozen=True)
class SuiteFinding:
    path: str
    line: int
    column: int
    test: str | None
    message: str
