"""What the analysis learns about one test: its checks and the values they compare.

These are the facts the rules read. They are internal to the static analysis; the public data
model is ``refute.model``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from enum import Enum, IntEnum

from refute.static.names import dotted
from refute.static.nodes import walk


class Src:
    """Where a value comes from: bit flags, a value can mix origins.

    Plain ints rather than an ``IntFlag``: the data flow combines and tests these flags
    hundreds of thousands of times per suite, and ``IntFlag``'s ``|`` and ``&`` run in
    Python (a tenth of the whole audit's time on CPython's Lib/test).
    """

    NONE = 0
    SUT = 1  # produced or touched by the code under test
    MOCK = 2  # a mock object or an attribute of one
    SETUP = 4  # a value the test configured on a mock (return_value, side_effect)
    LITERAL = 8  # the test's own constant
    ANY = 16  # mock.ANY
    INTERACTION = 32  # a mock's call record (called, call_args, call_count...)
    PATCHED = 64  # the result of calling a function the test patched


class Strength(IntEnum):
    """How much a check can tell about the code under test."""

    NONE = 0
    WEAK = 1
    STRONG = 2


@dataclass(slots=True)
class Val:
    """The abstract value of an expression. Never changed once made (treat it as frozen):
    it is not declared ``frozen`` only because a frozen dataclass's ``__init__`` sets each
    field through ``object.__setattr__``, five times slower, and the data flow makes
    millions of values on a large suite."""

    src: int  # Src flags
    calls: tuple[ast.Call, ...] = ()  # the calls of the code under test it came from
    mock: str | None = None
    cls: str | None = None
    dictlike: bool = False

    def __hash__(self) -> int:
        return hash((self.src, self.calls, self.mock, self.cls, self.dictlike))

    @property
    def sut(self) -> bool:
        return bool(self.src & Src.SUT)

    def __or__(self, other: Val) -> Val:
        # a value joined with nothing is itself (values are never changed once made): the
        # data flow starts most joins from an empty value
        if not (other.src or other.calls or other.mock or other.cls or other.dictlike):
            return self
        if not (self.src or self.calls or self.mock or self.cls or self.dictlike):
            return other
        return Val(
            src=self.src | other.src,
            calls=_merge(self.calls, other.calls),
            mock=self.mock or other.mock,
            cls=self.cls or other.cls,
            dictlike=self.dictlike or other.dictlike,
        )


def _merge(a: tuple[ast.Call, ...], b: tuple[ast.Call, ...]) -> tuple[ast.Call, ...]:
    if not b or a is b:
        return a
    if not a:
        return b
    return a + tuple(c for c in b if all(c is not d for d in a))


def all_nodes(node: ast.AST) -> list[ast.AST]:
    """``walk(node)``, computed once per node: a test is walked by the walker and by
    several rules, and iterating a list is far cheaper than walking the tree again.

    The cache on the node holds the nodes below it, not the node itself: a node that
    referred to itself would make its whole tree a reference cycle, freed only by the
    cyclic garbage collector instead of as soon as the file's analysis drops it."""
    below: list[ast.AST] | None = getattr(node, "_refute_nodes_below", None)
    if below is None:
        below = walk(node)[1:]
        node._refute_nodes_below = below  # type: ignore[attr-defined]
    return [node, *below]


LITERAL = Val(Src.LITERAL)
SUT = Val(Src.SUT)


class Kind(Enum):
    ASSERT = "assert"  # an assert statement (or an if + fail/raise AssertionError)
    UNITTEST = "unittest"  # self.assertX(...)
    MOCK = "mock"  # mock.assert_*(...) or a misspelt one
    RAISES = "raises"  # pytest.raises / assertRaises / warns / assertLogs
    FAIL = "fail"  # pytest.fail / self.fail / raise AssertionError
    HELPER = "helper"  # a call to an assertion helper
    FIXTURE = "fixture"  # a requested fixture that asserts
    EXTERNAL = "external"  # assert_* functions of other libraries (numpy.testing, ...)
    TRY_EXPECT = "try-expect"  # try: call() except E: ... used as an expected-exception check
    VALIDATOR = "validator"  # a call of the project's own validator, which raises to answer


@dataclass
class Check:
    """One place in a test that can make it fail."""

    kind: Kind
    node: ast.AST
    name: str = ""
    expr: ast.expr | None = None
    operands: list[tuple[ast.expr, Val]] = field(default_factory=list)
    base: Strength = Strength.STRONG
    conditional: bool = False
    swallowed: str | None = None
    unreachable: str | None = None
    # raises-like checks
    exceptions: tuple[str, ...] = ()
    has_match: bool = False
    body: list[ast.stmt] = field(default_factory=list)
    entered: int = 0  # how many of ``body`` are context managers entered inside the block
    binding: str | None = None
    enforced: bool = True
    # mock checks
    receiver: str | None = None
    receiver_val: Val | None = None
    stub: bool = False
    wired: bool = True
    called: bool = True
    in_assert: bool = False
    helper_name: str = ""
    helper_rules: tuple[str, ...] = ()

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 1)

    @property
    def col(self) -> int:
        return getattr(self.node, "col_offset", 0) + 1


def escapes(check: Check, swallowed: str) -> bool:
    """Whether the failure ``check`` raises gets past a handler described by ``swallowed``
    (``"`except Exception`"``, ``"bare `except:`"``): pytest's outcomes (``pytest.fail``, a
    ``pytest.raises`` block that saw nothing) are ``BaseException``s, which only ``except
    BaseException`` or a bare ``except`` catch."""
    pytest_outcome = (check.kind is Kind.FAIL and check.name.startswith("pytest")) or (
        check.kind is Kind.RAISES and check.name in ("raises", "warns", "deprecated_call"))
    return pytest_outcome and "BaseException" not in swallowed and "bare" not in swallowed


@dataclass
class MockCreation:
    node: ast.Call
    name: str
    specced: bool
    unsafe: bool


@dataclass
class Patch:
    node: ast.AST
    kind: str  # patch | patch.object | patch.dict | patch.multiple
    target: str | None  # dotted target for patch(), "<obj>.<attr>" for patch.object
    obj: str | None = None
    attr: str | None = None
    create: bool = False
    specced: bool = False
    has_new: bool = False


@dataclass
class SutCall:
    node: ast.Call
    name: str
    bound: str | None  # the variable the result was bound to, if any
    statement: bool  # the call is a bare expression statement (result discarded)


@dataclass
class Capture:
    node: ast.AST
    what: str  # "pytest.raises binding", "capsys capture", "caplog", "mock call record"
    name: str
    used: bool = False


@dataclass
class ProjectCall:
    """A call that resolves to a function or class of the project's source."""

    node: ast.Call
    qualname: str
    in_raises: tuple[str, ...] | None  # the exceptions the surrounding raises block expects


@dataclass
class TestFacts:
    """Everything the rules may look at for one test (or one helper being analysed)."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    checks: list[Check] = field(default_factory=list)
    mocks: list[MockCreation] = field(default_factory=list)
    patches: list[Patch] = field(default_factory=list)
    sut_calls: list[SutCall] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    project_calls: list[ProjectCall] = field(default_factory=list)
    _names_read: set[str] | None = field(default=None, repr=False)
    unpacked: dict[str, int] = field(default_factory=dict)  # see Flow.unpacked
    imports: dict[str, str] = field(default_factory=dict)  # the test's own (Flow.imports)
    echoes: dict[int, str] = field(default_factory=dict)  # see Flow.echoes
    setup_literals: set[str] = field(default_factory=set)  # see Flow.setup_literals
    code_written: set[int] = field(default_factory=set)  # see Flow.code_written
    expected_exceptions: set[str] = field(default_factory=set)
    unittest_style: bool = False

    @property
    def names_read_in_checks(self) -> set[str]:
        """The names and dotted names the checks read (operands, asserted expressions, the
        bodies of raises blocks), each dotted name with its head: computed when a rule or a
        capture first asks, which few tests do."""
        if self._names_read is None:
            self._names_read = names_read(self.checks)
        return self._names_read


def names_read(checks: list[Check]) -> set[str]:
    """See ``TestFacts.names_read_in_checks``."""
    read: set[str] = set()
    roots: list[ast.AST] = []
    for check in checks:
        roots.extend(e for e, _ in check.operands)
        if check.expr is not None:
            roots.append(check.expr)
        roots.extend(check.body)
    # checks share operands and nest in raises blocks: a root met inside an earlier root's
    # subtree has been read whole already
    seen: set[int] = set()
    for root in roots:
        if id(root) in seen:
            continue
        nodes = walk(root)
        seen.update(map(id, nodes))
        for sub in nodes:
            kind = type(sub)
            if kind is ast.Name:
                read.add(sub.id)  # type: ignore[attr-defined]
            elif kind is ast.Attribute:
                key = dotted(sub)
                if key:
                    read.add(key)
                    read.add(key.partition(".")[0])
    return read
