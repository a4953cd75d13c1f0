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


# ---------------------------------------------------------------------------- refute verify


class MutantStatus(str, Enum):
    """What running the covering tests against one mutant showed."""

    KILLED_BY_ASSERTION = "killed-by-assertion"
    KILLED_BY_ERROR = "killed-by-error"
    TIMEOUT = "timeout"
    SURVIVED = "survived"
    NOT_COVERED = "not-covered"

    @property
    def killed(self) -> bool:
        return self in (MutantStatus.KILLED_BY_ASSERTION, MutantStatus.KILLED_BY_ERROR,
                        MutantStatus.TIMEOUT)


class FunctionStatus(str, Enum):
    """Descartes' classification of a covered function."""

    TESTED = "tested"
    PARTIALLY_TESTED = "partially-tested"
    PSEUDO_TESTED = "pseudo-tested"
    NOT_COVERED = "not-covered"
    NOT_MUTATED = "not-mutated"


@dataclass(frozen=True)
class Mutant:
    """One in-memory change to one function, and what the tests made of it."""

    id: str
    function: str  # qualname, e.g. "pkg.mod.Class.method"
    path: str
    line: int
    operator: str  # "extreme:none", "extreme:empty-str", "compare", ...
    extreme: bool
    description: str
    diff: str
    status: MutantStatus
    killed_by: str | None = None  # the test that killed it
    detail: str = ""  # exception type, timeout seconds, signal


@dataclass(frozen=True)
class FunctionResult:
    qualname: str
    path: str
    line: int
    end_line: int
    status: FunctionStatus
    mutants: int
    killed_by_assertion: int
    killed_by_error: int
    survived: int
    timeout: int
    covering_tests: tuple[str, ...]
    reason: str = ""  # why a function was not mutated
    covered_lines: int = 0  # executable lines of the function the baseline ran
    checked: bool = False  # a test caught one of its extreme mutants (checked coverage)


@dataclass(frozen=True)
class TestRun:
    """What the baseline and the mutants showed about one test."""

    id: str
    duration: float
    covers: int  # covered source lines
    assertions_executed: int
    killed_by_assertion: int  # mutants it killed with an assertion
    killed_by_error: int
    verdict: Verdict  # dynamic verdict merged with the static one
    reasons: tuple[str, ...] = ()
    faced: int = 0  # mutants it ran against


@dataclass
class Verification:
    """The result of ``refute verify``."""

    audit: Audit
    functions: list[FunctionResult] = field(default_factory=list)
    mutants: list[Mutant] = field(default_factory=list)
    runs: list[TestRun] = field(default_factory=list)
    source_lines: int = 0  # executable lines in the project's source
    covered_lines: int = 0
    checked_lines: int = 0
    forced_fail_ok: bool = False
    flaky: tuple[str, ...] = ()
    wall_time: float = 0.0
    ideal_time: float = 0.0  # summed durations of the tests each mutant ran / workers
    mutation_time: float = 0.0  # wall time of the mutation phase alone (no start-up, baseline)
    baseline_time: float = 0.0  # wall time of the baseline run
    baseline_ran: int = 0  # tests the baseline ran
    baseline_reused: int = 0  # tests whose stored baseline still held (incremental)
    workers: int = 1
    cached: int = 0  # mutants whose result came from the cache
    notes: list[str] = field(default_factory=list)  # why a run did less than asked
    # test node id -> source file (relative to the root) -> lines it executed in the baseline
    lines_by_test: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)

    @property
    def line_coverage(self) -> float:
        return self.covered_lines / self.source_lines if self.source_lines else 0.0

    @property
    def checked_coverage(self) -> float:
        return self.checked_lines / self.source_lines if self.source_lines else 0.0

    @property
    def mutation_score(self) -> float:
        judged = [m for m in self.mutants if m.status is not MutantStatus.NOT_COVERED]
        killed = [m for m in judged if m.status.killed]
        return len(killed) / len(judged) if judged else 0.0


# ---------------------------------------------------------------------------- provenance


class ClaimSource(str, Enum):
    """Where a claim that a test was generated comes from."""

    MARKER = "marker"  # @pytest.mark.generated(...) on the test, its class or module
    COMMENT = "comment"  # "# refute: generated ..." above the test, its class or module
    CONFIG = "config"  # `generated` patterns in [tool.refute]
    GIT = "git"  # blame commits with a Generated-by / bot trailer, or a bot author


@dataclass(frozen=True)
class Claim:
    """One claim that a test was generated, and by what."""

    source: ClaimSource
    where: str  # "tests/test_a.py:12", "pyproject.toml", "commit 1a2b3c4d"
    by: str = ""
    model: str = ""
    prompt: str = ""


class SignoffStatus(str, Enum):
    """Whether a test's sign-off counts."""

    VALID = "valid"
    MISSING = "missing"
    STALE = "stale"  # the test (or a fixture or helper it uses) changed since
    UNCOMMITTED = "uncommitted"  # the ledger line is not in a commit yet
    FORGED = "forged"  # committed by someone who is not an allowed reviewer
    SELF_SIGNED = "self-signed"  # committed by a bot or by an author of the test
    UNVERIFIED = "unverified"  # no git history to check it against

    @property
    def counts(self) -> bool:
        return self is SignoffStatus.VALID


@dataclass(frozen=True)
class Signoff:
    """One line of the sign-off ledger."""

    test: str
    fingerprint: str
    reviewer: str
    email: str
    date: str
    note: str = ""
    accepted_vacuous: str = ""  # the reason given with --accept-vacuous
    line: int = 0  # line in the ledger file, 1-based


@dataclass(frozen=True)
class TestProvenance:
    id: str
    path: str
    line: int
    generated: bool
    claims: tuple[Claim, ...]
    signoff: Signoff | None
    status: SignoffStatus
    reason: str  # why the sign-off does or does not count
    verdict: Verdict | None
    fingerprint: str


@dataclass
class ProvenanceReport:
    """The result of ``refute provenance``."""

    root: str
    tests: list[TestProvenance] = field(default_factory=list)
    orphans: list[Signoff] = field(default_factory=list)  # sign-offs of tests that are gone
    warnings: list[str] = field(default_factory=list)


class GateReason(str, Enum):
    VACUOUS = "vacuous-test"
    WEAK = "weak-test"
    UNSIGNED = "unsigned-generated"
    COVERAGE = "coverage-without-signoff"
    TEST_REMOVED = "test-removed"
    ASSERTION_REMOVED = "assertion-removed"
    PSEUDO_TESTED = "pseudo-tested"


@dataclass(frozen=True)
class GateFinding:
    reason: GateReason
    test: str
    path: str
    line: int
    message: str
    blocking: bool = True


@dataclass
class GateResult:
    """The result of ``refute gate``: what changed since the base, and what blocks it."""

    root: str
    base: str  # the revision as given
    base_sha: str
    compared_sha: str  # the merge base the head is compared with
    head_sha: str
    repo_prefix: str = ""  # the root's path inside the repository ("" or "sub/dir/")
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)
    removed: list[str] = field(default_factory=list)
    findings: list[GateFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(f.blocking for f in self.findings)
