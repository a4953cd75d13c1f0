"""Name tables shared by the analysis: mock API, unittest API, pure builtins.

The tables read from the running Python's ``unittest`` are in ``runtime_api``: importing
``unittest.mock`` costs 20 ms (it imports asyncio), which ``refute verify``'s parent, a user
of this module through the project index, does not pay."""

from __future__ import annotations

import ast
import re

MOCK_CLASSES = {"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock",
                "PropertyMock", "create_autospec", "mock_open", "seal"}
MOCK_CONSTRUCTORS = MOCK_CLASSES - {"seal"}


MOCK_RECORD_ATTRIBUTES = frozenset({"called", "call_count", "call_args", "call_args_list",
                                    "mock_calls", "method_calls", "await_count", "await_args",
                                    "await_args_list", "awaited"})
MOCK_EXACT_ASSERTS = frozenset({"assert_called_with", "assert_called_once_with",
                                "assert_any_call", "assert_has_calls", "assert_awaited_with",
                                "assert_awaited_once_with", "assert_any_await",
                                "assert_has_awaits"})
#: Leading verbs of methods that change the world outside the code (a command, not a
#: query): a test may configure what such a call returns (a response, an id) and still check
#: the call's exact arguments as the code's output (``session.post``, ``client.create_label``,
#: ``broker.addQueue``).
COMMAND_VERBS = frozenset({
    "add", "append", "post", "put", "patch", "delete", "remove", "send", "sendall", "publish",
    "emit", "write", "writelines", "save", "store", "insert", "create", "update", "upsert",
    "submit", "enqueue", "push", "upload", "notify", "dispatch", "set", "register", "schedule",
    "cancel", "charge", "transfer", "deliver", "broadcast", "persist", "commit"})
_LEADING_WORD = re.compile(r"_*([a-z]+)")


def is_command(method: str) -> bool:
    """``post``, ``create_label``, ``addQueue``: a method named for a command verb."""
    found = _LEADING_WORD.match(method)
    return found is not None and found.group(1) in COMMAND_VERBS


COROUTINE_RUNNERS = frozenset({"asyncio.run", "run_until_complete", "anyio.run", "trio.run"})
_RUNNER_TAILS = frozenset(runner.rpartition(".")[2] for runner in COROUTINE_RUNNERS)


def run_by_event_loop(value: ast.expr, name: str | None = None) -> ast.Call | None:
    """What an event loop runs: ``check()`` in ``asyncio.run(check())`` or
    ``loop.run_until_complete(check())``, and ``check`` called with the rest of the arguments
    in ``anyio.run(check, 1)`` / ``trio.run(check, 1)``. ``name`` is the callee's name as the
    caller resolved it through the module's imports (``run`` of ``from asyncio import run``);
    by default its dotted name."""
    if not isinstance(value, ast.Call) or not value.args:
        return None
    if not name:
        func = value.func  # the callee's last name first: nearly every call is no runner's
        kind = type(func)
        tail = func.attr if kind is _Attribute else func.id if kind is _Name else None  # type: ignore[attr-defined]
        if tail not in _RUNNER_TAILS:
            return None
    name = name or dotted(value.func) or ""
    if name not in COROUTINE_RUNNERS and name.rpartition(".")[2] not in COROUTINE_RUNNERS:
        return None
    first = value.args[0]
    if isinstance(first, ast.Call):
        return first
    if isinstance(first, ast.Name) and name in ("anyio.run", "trio.run"):
        return ast.Call(func=first, args=value.args[1:], keywords=[], lineno=value.lineno,
                        col_offset=value.col_offset, end_lineno=value.end_lineno,
                        end_col_offset=value.end_col_offset)
    return None


#: Mock methods that raise AttributeError when misspelt (mock's "unsafe" prefixes).
MOCK_UNSAFE_PREFIXES = ("assert", "assret", "asert", "aseert", "assrt")

UNITTEST_RAISES = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp",
                             "assertWarns", "assertWarnsRegex", "assertLogs", "assertNoLogs",
                             "failUnlessRaises"})
UNITTEST_SKIPS = frozenset({"skipTest"})

#: Builtins and stdlib callables whose result depends only on their arguments.
PURE_CALLS = frozenset({
    "len", "str", "int", "float", "bool", "bytes", "bytearray", "list", "tuple", "dict", "set",
    "frozenset", "sorted", "reversed", "sum", "min", "max", "abs", "round", "repr", "type",
    "range", "enumerate", "zip", "map", "filter", "any", "all", "ord", "chr", "hex", "oct", "bin",
    "format", "divmod", "pow", "hash", "id", "iter", "next", "complex", "slice", "object",
    "json.dumps", "json.loads", "copy.copy", "copy.deepcopy", "Decimal", "decimal.Decimal",
    "Fraction", "fractions.Fraction", "Path", "pathlib.Path", "PurePath", "OrderedDict",
    "collections.OrderedDict", "defaultdict", "Counter", "collections.Counter", "namedtuple",
    "textwrap.dedent", "re.compile", "re.escape", "pytest.approx", "approx", "call", "mock.call",
    "unittest.mock.call", "datetime", "datetime.datetime", "datetime.date", "date",
    "timedelta", "datetime.timedelta", "uuid.UUID", "UUID", "math.isclose", "math.sqrt",
    "isinstance", "issubclass", "hasattr", "getattr", "callable", "vars", "dir", "print",
})

PREDICATE_PREFIXES = ("is_", "has_", "can_", "should_", "was_", "were_", "will_", "does_",
                      "contains", "exists", "startswith", "endswith", "match", "fullmatch",
                      "search", "equals", "issubset", "issuperset", "isdisjoint", "is",
                      "verify", "validate", "check", "allows", "accepts", "supports",
                      "includes", "satisfies", "needs_", "must_", "isclose", "samefile",
                      "compare_digest", "allclose", "array_equal", "permits", "matches", "raises",
                      "throws", "fails", "succeeds", "passes")

# methods that set a test class's instances up before each test (unittest, pytest, nose)
SETUP_METHODS = ("setUp", "setup_method", "asyncSetUp", "setup", "setUpClass", "setup_class")

# calls that end a test without a pass: a skip (or an exit), or a failure
SKIP_CALLS = frozenset({"pytest.skip", "pytest.xfail", "pytest.exit", "sys.exit",
                        "unittest.skip"})
FAIL_CALLS = frozenset({"pytest.fail"})
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "builtins.Exception",
                              "builtins.BaseException", "Warning", "UserWarning"})
ASSERTION_CATCHERS = frozenset({"AssertionError", "Exception", "BaseException"})


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None. (Exact node types: the parser makes
    no subclasses, and the audit asks this of nearly every expression it meets, many times
    of the same attribute chains: their answer is kept on the node.)"""
    kind = type(node)
    if kind is _Name:
        return node.id  # type: ignore[attr-defined, no-any-return]
    if kind is not _Attribute:
        return None
    known = node.__dict__.get("_refute_dotted", _NOT_YET)
    if known is not _NOT_YET:
        return known  # type: ignore[no-any-return]
    parts: list[str] = []
    current = node
    while type(current) is _Attribute:
        parts.append(current.attr)  # type: ignore[attr-defined]
        current = current.value  # type: ignore[attr-defined]
    found = None
    if type(current) is _Name:
        parts.append(current.id)  # type: ignore[attr-defined]
        found = ".".join(reversed(parts))
    node._refute_dotted = found  # type: ignore[attr-defined]
    return found


_NOT_YET = object()
_Name, _Attribute = ast.Name, ast.Attribute


def raised_name(stmt: ast.Raise) -> str:
    """The name of what a ``raise`` raises (``raise errors.Invalid("x")`` -> ``Invalid``);
    "" for a bare ``raise`` or an expression with no name."""
    exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
    return leaf(dotted(exc)) if exc is not None else ""


def is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def same_tree(a: object, b: object) -> bool:
    """Structural equality of two AST values (what ``ast.dump(a) == ast.dump(b)`` says),
    stopping at the first difference instead of rendering both trees."""
    if type(a) is not type(b):
        return False
    if isinstance(a, ast.AST):
        return all(same_tree(getattr(a, f, None), getattr(b, f, None)) for f in a._fields)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def call_name(node: ast.AST) -> str | None:
    """The dotted name of the callee of a call, or of a call chain's root attribute."""
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return None


def call_arguments(call: ast.Call) -> list[ast.expr]:
    """A call's arguments, positional then keyword values (``**kwargs`` included), in a new
    list."""
    if call.keywords:
        return [*call.args, *[k.value for k in call.keywords]]
    return list(call.args)


def leaf(name: str | None) -> str:
    return name.rpartition(".")[2] if name else ""


# yes-or-no methods and attributes of the standard library's objects: `queue.empty()`,
# `future.done()`, `lock.locked()`, `file.closed`
PREDICATE_NAMES = frozenset({"empty", "full", "done", "cancelled", "running", "locked",
                             "closed"})


def is_predicate_name(name: str) -> bool:
    name = name.lstrip("_").lower()
    return name in PREDICATE_NAMES or name.startswith(PREDICATE_PREFIXES)
