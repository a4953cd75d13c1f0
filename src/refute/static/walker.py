"""Walks a test (or helper) body and records every check with its context.

Context is what decides whether a check can fire: under an ``if`` or a loop that may run zero
times (conditional), inside a ``try`` whose handler swallows ``AssertionError`` (swallowed),
after a ``return``/``skip`` (unreachable), inside a raises block.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from refute.static import runtime_api
from refute.static.facts import (
    LITERAL,
    SUT,
    Capture,
    Check,
    Kind,
    Src,
    Strength,
    TestFacts,
    Val,
    all_nodes,
    escapes,
)
from refute.static.flow import MUTATORS, Flow, display_elements, mock_root, state_key
from refute.static.index import ProjectIndex
from refute.static.libraries import (
    BUILTIN_ERRORS,
    CHECK_HELPER,
    LINE_MATCHERS,
    REGRESSION_FIXTURES,
    checking_name,
    fluent_operands,
)
from refute.static.loops import (
    emptiness_guard,
    literal_length,
    never_runs,
    runs_at_least_once,
    zipped,
)
from refute.static.module import (
    Fixture,
    FunctionNode,
    ModuleTables,
    argnames,
    fixture_decorator,
    given_arguments,
    import_bindings,
    is_context_manager,
    package_of,
    parameters,
    parametrize_names,
)
from refute.static.names import (
    ASSERTION_CATCHERS,
    FAIL_CALLS,
    SETUP_METHODS,
    SKIP_CALLS,
    UNITTEST_RAISES,
    call_arguments,
    dotted,
    is_command,
    is_none,
    leaf,
    raised_name,
    run_by_event_loop,
)
from refute.static.nodes import walk

MOCK_TYPO = re.compile(
    r"^(a+s+e*r+t|ass?ret|called|has_call|not_called|was_|awaited|any_call|calls_|"
    r"called_with|once_with)"
)
BUILTIN_SUT_FIXTURES = {"capsys", "capfd", "capsysbinary", "capfdbinary", "caplog",
                        "tmp_path", "tmpdir", "recwarn", "request", "monkeypatch", "pytester",
                        "testdir", "tmp_path_factory", "tmpdir_factory", "record_property"}


Lookup = tuple[str, str, int | None]  # ("method" | "fixture" | "super", name, id of the node found)


@dataclass
class HelperJudge:
    """Strength of assertion helpers and asserting fixtures, memoised, cycle-safe."""

    judge: Callable[[TestFacts, Scope], tuple[Strength, tuple[str, ...]]]
    memo: dict[tuple[int, bool, frozenset[str]], tuple[Strength, tuple[str, ...]] | None] = \
        field(default_factory=dict)
    # per helper (by id of its node): the parameters its ``if`` tests only for being set
    guards: dict[int, frozenset[str]] = field(default_factory=dict)
    # per class chain (by ids): the methods it finds by name, with their modules
    methods: dict[tuple[int, ...], dict[str, tuple[FunctionNode, ModuleTables]]] = field(
        default_factory=dict)
    # fixtures by name, as a module and a class chain of this file resolve them (``Scope``)
    named_fixtures: dict[tuple[object, ...], Fixture | None] = field(default_factory=dict)
    # the flow state set up by a class's setUp methods, shared by all its tests
    setup_memo: dict[tuple[int, ...], tuple[dict[str, Any], list[Lookup]]] = field(
        default_factory=dict)
    # per class (by id): a test double whose methods assert (``_asserting_methods``)
    doubles: dict[int, bool] = field(default_factory=dict)
    # per class chain (by ids): ``self.x`` for its attributes bound to non-empty displays
    displays: dict[tuple[int, ...], tuple[str, ...]] = field(default_factory=dict)
    # per class chain (by ids): its fixture methods by name, the first of each name
    class_fixtures: dict[tuple[int, ...], dict[str, Fixture]] = field(default_factory=dict)
    # per fixture (by id of its node): what it gives, and the literals it configured
    fixtures: dict[int, tuple[Val, frozenset[str]]] = field(default_factory=dict)
    # per function (by id of its node): whether anything in it looks like a check
    may_check: dict[int, bool] = field(default_factory=dict)
    # per function (by id of its node): whether a loop over what it gives runs (loops.py)
    gives: dict[int, bool] = field(default_factory=dict)

    def looks_checking(self, node: FunctionNode) -> bool:
        """An ``assert``, a ``raise``, or a call named like a check (``assert_*``,
        ``nameCheck``, ``fail``, ``expect``...) anywhere in ``node``: the cheap test before
        a helper is analysed for its strength."""
        known = self.may_check.get(id(node))
        if known is None:
            known = self.may_check[id(node)] = any(
                isinstance(sub, (ast.Assert, ast.Raise)) or (
                    isinstance(sub, ast.Call) and checking_name(sub.func))
                for sub in walk(node))
        return known

    def judged(self, scope: Scope, node: FunctionNode, sut_args: bool,
               supplied: frozenset[str] = frozenset()
               ) -> tuple[Strength, tuple[str, ...]] | None:
        """The helper's strength and the rules behind it. ``supplied``: parameters the call
        gives a value other than None, among those the helper's ``if`` tests only for being
        set (``if expected is not None: assert ...``): there the branch runs."""
        key = (id(node), sut_args, supplied)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = None  # cycle guard
        facts = analyze(scope, node, param_val=SUT if sut_args else LITERAL, helper=True,
                        supplied=supplied)
        result = self.judge(facts, scope) if facts.checks else None
        self.memo[key] = result
        return result

    def guarded(self, node: FunctionNode) -> frozenset[str]:
        """The parameters the helper's ``if`` statements test only for being set
        (``if p is not None``)."""
        found = self.guards.get(id(node))
        if found is None:
            params = set(parameters(node))
            found = self.guards[id(node)] = frozenset(
                name for sub in walk(node) if isinstance(sub, ast.If)
                for name in [_set_test(sub.test)] if name in params)
        return found

    def strength(self, scope: Scope, node: FunctionNode, sut_args: bool) -> Strength | None:
        judged = self.judged(scope, node, sut_args)
        return judged[0] if judged else None


@dataclass
class Scope:
    module: ModuleTables
    index: ProjectIndex
    helpers: HelperJudge
    classes: list[ast.ClassDef] = field(default_factory=list)
    class_modules: list[ModuleTables] = field(default_factory=list)
    params_literal: set[str] = field(default_factory=set)
    # every method and fixture looked up by name, with what was found: a test inherited by
    # another class is analysed the same way there when the same lookups find the same nodes
    lookups: list[Lookup] = field(default_factory=list)
    _chain: tuple[int, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def chain(self) -> tuple[int, ...]:
        """The class chain by identity: the key of what is found once per chain."""
        found = self._chain
        if found is None:
            found = self._chain = tuple(map(id, self.classes))
        return found

    def _in(self, module: ModuleTables) -> Scope:
        """This scope, for code in ``module`` (``dataclasses.replace``, without its cost)."""
        return Scope(module, self.index, self.helpers, self.classes, self.class_modules,
                     self.params_literal, self.lookups)

    def method(self, name: str) -> tuple[FunctionNode, Scope] | None:
        found = self._method(name)
        self.lookups.append(("method", name, id(found[0]) if found else None))
        return found

    def _method(self, name: str) -> tuple[FunctionNode, Scope] | None:
        chain = self.chain()
        methods = self.helpers.methods.get(chain)
        if methods is None:
            methods = self.helpers.methods[chain] = _methods(self.classes, self.class_modules)
        found = methods.get(name)
        return None if found is None else (found[0], self._in(found[1]))

    def fixture(self, name: str) -> Fixture | None:
        found = self._fixture(name)
        self.lookups.append(("fixture", name, id(found.node) if found else None))
        return found

    def inherited(self, name: str, below: FunctionNode) -> tuple[FunctionNode, Scope] | None:
        """The method ``name`` that ``super().name()`` in ``below`` (one of the class chain's)
        runs: the next one up the chain."""
        key = f"{name}:{id(below)}"
        found = self._inherited(key)
        self.lookups.append(("super", key, id(found[0]) if found else None))
        return None if found is None else (found[0], self._in(found[1]))

    def _inherited(self, key: str) -> tuple[FunctionNode, ModuleTables] | None:
        name, _, below = key.rpartition(":")
        seen = False
        for stmt, mod in _chain_defs(self.classes, self.class_modules):
            if stmt.name == name:
                if seen:
                    return stmt, mod
                seen = str(id(stmt)) == below
        return None

    def finds(self, lookups: list[Lookup]) -> bool:
        """Whether each of these lookups finds the same node in this scope."""
        for kind, name, node_id in lookups:
            if kind == "method":
                method = self._method(name)
                found = id(method[0]) if method else None
            elif kind == "super":
                above = self._inherited(name)
                found = id(above[0]) if above else None
            else:
                fixture = self._fixture(name)
                found = id(fixture.node) if fixture else None
            if found != node_id:
                return False
        return True

    def _fixture(self, name: str) -> Fixture | None:
        key = (name, id(self.module), *self.chain())
        named = self.helpers.named_fixtures
        if key in named:
            return named[key]
        found = named[key] = self._find_fixture(name)
        return found

    def _find_fixture(self, name: str) -> Fixture | None:
        if self.classes:
            key = self.chain()
            methods = self.helpers.class_fixtures.get(key)
            if methods is None:
                methods = self.helpers.class_fixtures[key] = _fixture_methods(
                    self.classes, self.class_modules)
            if name in methods:
                return methods[name]
        if name in self.module.fixtures:
            return self.module.fixtures[name]
        if name in self.module.imports:
            origin = self.module.imports[name]
            support = self.index.support_module(origin.rpartition(".")[0])
            if support and name in support.fixtures:
                return support.fixtures[name]
        for conf in self.index.conftest_chain(self.module.rel):
            if name in conf.fixtures:
                return conf.fixtures[name]
        return None


def _chain_defs(classes: list[ast.ClassDef],
                modules: list[ModuleTables]) -> Iterator[tuple[FunctionNode, ModuleTables]]:
    """Every ``def`` of a class chain, in the chain's order, with the module of its class."""
    for cls, mod in zip(classes, modules, strict=False):
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield stmt, mod


def _methods(classes: list[ast.ClassDef],
             modules: list[ModuleTables]) -> dict[str, tuple[FunctionNode, ModuleTables]]:
    """The methods a class chain finds by name: the first ``def`` of each name."""
    found: dict[str, tuple[FunctionNode, ModuleTables]] = {}
    for stmt, mod in _chain_defs(classes, modules):
        found.setdefault(stmt.name, (stmt, mod))
    return found


# the last names of the calls that stop a test (``_terminates``)
_STOPPING_TAILS = frozenset({*(call.rpartition(".")[2] for call in SKIP_CALLS), "skipTest"})


def _fixture_methods(classes: list[ast.ClassDef],
                     modules: list[ModuleTables]) -> dict[str, Fixture]:
    """The fixture methods of a class chain by name: of those named alike, the first in the
    chain's order (a method of that name that is not a fixture hides none)."""
    found: dict[str, Fixture] = {}
    for stmt, mod in _chain_defs(classes, modules):
        if stmt.name not in found and fixture_decorator(stmt) is not None:
            found[stmt.name] = Fixture(stmt.name, stmt, mod)
    return found


def chain_key(classes: list[ast.ClassDef]) -> tuple[object, ...]:
    """What the walker reads from a test's class chain without a lookup by name: whether
    there is a class, the class attributes bound to non-empty displays, and the first class's
    decorators that may patch (by identity; a skip condition changes nothing the walker
    sees). Lookups of methods and fixtures by name are recorded in ``Scope.lookups``
    instead."""
    decorators = tuple(id(dec) for dec in classes[0].decorator_list
                       if _may_patch(dec)) if classes else None
    return tuple(sorted(_class_displays(classes))), decorators


def _may_patch(dec: ast.expr) -> bool:
    """A class decorator the walker may take for a patch (``Flow.patch_kind`` reads only
    calls whose dotted name has a ``patch`` part)."""
    return isinstance(dec, ast.Call) and "patch" in (dotted(dec.func) or "").split(".")


def _class_displays(classes: list[ast.ClassDef]) -> set[str]:
    """Class attributes bound to non-empty list or tuple displays (``test_inputs = [...]``)."""
    nonempty: set[str] = set()
    for cls in classes:
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, (ast.List, ast.Tuple)) \
                    and stmt.value.elts:
                nonempty.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return nonempty


@dataclass
class Ctx:
    conditional: bool = False
    swallowed: str | None = None
    unreachable: str | None = None
    raises: Check | None = None


def _asserting_methods(cls: ast.ClassDef) -> bool:
    """A test double that checks how it is called: no test methods of its own, and a method
    with an ``assert``, a ``self.assert*`` call or ``pytest.fail``."""
    methods = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if any(m.name.startswith("test") for m in methods):
        return False
    for method in methods:
        for node in walk(method):
            if isinstance(node, ast.Assert):
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                    node.func.attr.startswith("assert") or node.func.attr == "fail"):
                return True
    return False


def _warning_action(call: ast.Call) -> str | None:
    action = call.args[0] if call.args else next(
        (k.value for k in call.keywords if k.arg == "action"), None)
    if isinstance(action, ast.Constant) and isinstance(action.value, str):
        return action.value
    return None


_PLAIN_BUILDERS = {"dict", "list", "tuple", "set", "frozenset", "str", "bytes", "int", "float",
                   "complex", "bool", "range", "bytearray"}


def _parametrize_built(node: FunctionNode,
                       of_project: Callable[[str], bool] = lambda name: False,
                       constants: dict[str, ast.expr] | None = None) -> set[str]:
    """Parametrize arguments some of whose values are built by calls
    (``[(Service(repo), 6)]``) or are the project's own objects (``[(fields.Int,
    fields.Integer)]``, as ``of_project`` tells a dotted name): objects of the code, not the
    test's own data, as a fixture's value would be. Values that are not a list or tuple
    display, nor a module constant bound to one (``weirdzone_cases()["offset"]``, a table
    imported from elsewhere), may hold anything: their arguments count as built."""
    out: set[str] = set()
    for dec in node.decorator_list:
        if not (isinstance(dec, ast.Call) and leaf(dotted(dec.func)) == "parametrize"
                and len(dec.args) >= 2):
            continue
        names = argnames(dec.args[0])
        if names is None:
            continue
        rows = dec.args[1]
        if isinstance(rows, ast.Name) and constants is not None and rows.id in constants:
            rows = constants[rows.id]
        if not isinstance(rows, (ast.List, ast.Tuple)):
            if _builds(rows, of_project) or isinstance(rows, (ast.Name, ast.Attribute)):
                out.update(names)
            continue
        for row in rows.elts:
            if isinstance(row, ast.Call) and leaf(dotted(row.func)) == "param":
                values = list(row.args)
            elif len(names) == 1:
                values = [row]
            elif isinstance(row, (ast.Tuple, ast.List)):
                values = list(row.elts)
            else:
                continue
            for name, value in zip(names, values, strict=False):
                if _builds(value, of_project):
                    out.add(name)
    return out


def _given_built(node: FunctionNode, of_project: Callable[[str], bool],
                 suite_strategy: Callable[[str], bool]) -> set[str]:
    """hypothesis ``given`` arguments whose values are objects of the code, not plain data:
    a parameter annotated with a project class (``version: Version``), or one drawn from a
    strategy that builds objects (``st.builds``, ``st.from_type``) or that the suite writes
    itself (``specifier_sets()``, a ``@composite`` of its own), in whole or in part."""
    out: set[str] = set()
    annotations = {a.arg: a.annotation for a in [*node.args.args, *node.args.kwonlyargs]
                   if a.annotation is not None}
    for dec in node.decorator_list:
        if not (isinstance(dec, ast.Call) and leaf(dotted(dec.func)) == "given"):
            continue
        for name, strategy in given_arguments(dec, node):
            annotation = annotations.get(name)
            if isinstance(annotation, (ast.Name, ast.Attribute)) and \
                    of_project(dotted(annotation) or ""):
                out.add(name)
                continue
            for sub in walk(strategy):
                called = dotted(sub.func) if isinstance(sub, ast.Call) else None
                if called and (leaf(called) in ("builds", "from_type")
                               or suite_strategy(called)):
                    out.add(name)
                    break
    return out


def _builds(value: ast.expr, of_project: Callable[[str], bool]) -> bool:
    """A call other than a plain container or number builder, or a project name, in
    ``value``."""
    for sub in walk(value):
        if (isinstance(sub, ast.Call) and leaf(dotted(sub.func)) not in _PLAIN_BUILDERS) or (
                isinstance(sub, (ast.Name, ast.Attribute)) and of_project(dotted(sub) or "")):
            return True
    return False


class Walker:
    def __init__(self, scope: Scope, node: FunctionNode, param_val: Val | None,
                 helper: bool) -> None:
        self.scope = scope
        self.node = node
        self.helper = helper
        self.flow = Flow(scope.module, scope.index)
        self.facts = TestFacts(node=node)
        self.param_val = param_val
        self.captures: dict[str, Capture] = {}
        # functions defined in the test's own body: called, they are its assertion helpers
        self.local_functions: dict[str, tuple[FunctionNode, Val]] = {}
        self._params: frozenset[str] | None = None
        # classes defined there: ``Local("test").test()`` runs a method of one
        self.local_classes: dict[str, tuple[ast.ClassDef, Val]] = {}
        # functions defined there, decorated or not, until rebound: handed to the code, it
        # may call them (the value the code's calls give their names does not tell)
        self.local_callbacks: dict[str, FunctionNode] = {}
        # local functions a decorator hands to the code (`@app.route("/")`), with the
        # context of their definition
        self.registered: list[tuple[FunctionNode, Ctx]] = []
        # the test's names a local function rebinds or mutates (`nonlocal seen`)
        self.callback_state: set[str] = set()
        self._double_names: set[str] | None = None
        # a helper's parameters its caller set (``HelperJudge.judged``)
        self.supplied: frozenset[str] = frozenset()

    # ---------------------------------------------------------------- setup
    def prepare(self) -> None:
        node, flow = self.node, self.flow
        params = parameters(node)
        if params and params[0] in ("self", "cls") and self.scope.classes:
            params = params[1:]
            self._setup_state()
        # `test_inputs = [(...), ...]` on the test class
        classes = self.scope.classes
        if classes:
            key = self.scope.chain()
            displays = self.scope.helpers.displays.get(key)
            if displays is None:
                displays = self.scope.helpers.displays[key] = tuple(
                    f"self.{name}" for name in _class_displays(classes))
            flow.nonempty.update(displays)
        built = _parametrize_built(node, self._of_project, self.scope.module.constants) | \
            _given_built(node, self._of_project, self._suite_strategy)
        literal = (parametrize_names(node) - built) | self.scope.params_literal
        patch_decorators = []
        for dec in [*self._class_patch_decorators(), *node.decorator_list]:
            if isinstance(dec, ast.Call):
                patch = flow.record_patch(dec)
                if patch is not None and not patch.has_new:
                    patch_decorators.append(dec)
        injected = list(reversed(patch_decorators))
        for i, name in enumerate(params):
            if i < len(injected):
                flow.env[name] = Val(Src.MOCK, mock=name)
                flow.wired.add(name)
                for kw in injected[i].keywords:
                    if kw.arg in ("return_value", "side_effect"):
                        flow.configured[name] = flow.eval(kw.value) | Val(Src.SETUP)
            elif self.param_val is not None:
                flow.env[name] = self.param_val
            elif name in literal:
                flow.env[name] = LITERAL
                flow.params.add(name)
            elif name in built:
                flow.env[name] = SUT
            else:
                flow.env[name] = self._fixture_value(name)
        if node.args.vararg:
            flow.env[node.args.vararg.arg] = self.param_val or LITERAL
        if node.args.kwarg:
            flow.env[node.args.kwarg.arg] = self.param_val or LITERAL

    def _suite_strategy(self, name: str) -> bool:
        """A function the test suite defines or imports from elsewhere than hypothesis (a
        ``@composite`` strategy of its own), by the dotted name a call uses."""
        head = name.partition(".")[0]
        if head in self.scope.module.imports:
            return not self.flow.origin(name).startswith("hypothesis")
        return head in self.scope.module.functions

    def _of_project(self, name: str) -> bool:
        """A dotted name the test module imported from the project (``fields.Int``)."""
        return self._imported_from_project(name) is True

    def _imported_from_project(self, name: str | None) -> bool | None:
        """Whether a dotted name the module imported comes from the project (True) or from
        elsewhere (False, ``threading.Thread``); None when its head is not an import."""
        head = name.partition(".")[0] if name else ""
        if not head or (head not in self.scope.module.imports and
                        head not in self.flow.imports):
            return None  # the module's imports, or the test's own
        return self.scope.index.resolve_module(self.flow.origin(name)) is not None

    def _class_patch_decorators(self) -> list[ast.expr]:
        if not self.scope.classes or self.helper:
            return []
        return list(self.scope.classes[0].decorator_list)

    _SETUP_FIELDS = ("env", "configured", "configured_none", "echo_of", "mutable_config",
                     "wired", "links", "holders", "patches", "nonempty", "lengths", "_recorded",
                     "_const_guard")

    def _setup_state(self) -> None:
        """``self.x`` values assigned in setUp / setup_method (and their bases), evaluated once
        per class and copied into each of its tests."""
        key = self.scope.chain()
        memo = self.scope.helpers.setup_memo
        lookups = self.scope.lookups
        if key in memo:
            state, made = memo[key]
            flow = self.flow  # made for this test: what the state leaves empty is empty
            for name, value in state.items():  # dicts, sets and lists
                setattr(flow, name, value.copy())
            lookups.extend(made)  # what the state depends on, as if evaluated again
            return
        first = len(lookups)
        self._evaluate_setup()
        # the fields the set-up filled (a test's flow starts with every field empty)
        filled = {name: getattr(self.flow, name) for name in self._SETUP_FIELDS}
        memo[key] = ({name: value.copy() for name, value in filled.items() if value},
                     lookups[first:])

    def _evaluate_setup(self) -> None:
        for name in SETUP_METHODS:
            found = self.scope.method(name)
            if found is None:
                continue
            chain = [found[0]]
            while _calls_super(chain[-1], name):
                # `super().setUp()`: the bases' set-up runs too, first
                above = self.scope.inherited(name, chain[-1])
                if above is None or above[0] in chain:
                    break
                chain.append(above[0])
            for stmt in [s for setup in reversed(chain) for s in walk(setup)]:
                if isinstance(stmt, ast.Assign):
                    val = self.flow.eval(stmt.value)
                    for target in stmt.targets:
                        self.flow.bind(target, val, stmt.value)
                        self._note_nonempty(target, stmt.value)
                elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                    self.flow.eval(stmt.value)
        # setUp mocks are handed to the objects they build there
        for key, val in list(self.flow.env.items()):
            if key.startswith("self.") and val.src & Src.MOCK:
                self.flow.wired.add(mock_root(key))
        self.flow.sut_calls.clear()
        self.flow.project_calls.clear()
        self.flow.mocks.clear()

    def _note_nonempty(self, target: ast.expr, value: ast.expr) -> None:
        """``cases = [(...), ...]`` (or ``self.cases = ...`` in setUp) then ``for c in cases``:
        the loop runs."""
        key = state_key(target)
        if key is None:
            return
        if runs_at_least_once(value, self.scope.module, self.flow, self._find,
                               self.scope.helpers.gives):
            self.flow.nonempty.add(key)
        else:
            self.flow.nonempty.discard(key)
        length = literal_length(value)
        if length is None:
            self.flow.lengths.pop(key, None)
        else:
            self.flow.lengths[key] = length  # `for i in range(1, len(data))`

    def _fixture_value(self, name: str) -> Val:
        fixture = self.scope.fixture(name)
        if fixture is None:
            if "mock" in name.lower() or name.lower().startswith(("fake_", "stub_", "spy_")):
                self.flow.wired.add(name)
                return Val(Src.MOCK, mock=name)
            return SUT
        value = _fixture_result(fixture, self.scope, self.flow.setup_literals)
        if value.src & Src.MOCK and not value.src & Src.SUT:
            self.flow.wired.add(name)
            for path, val in value_configured(fixture, self.scope).items():
                self.flow.configured[name + path] = val
            return Val(Src.MOCK, mock=name)
        if value.src & ~(Src.LITERAL | Src.SETUP):
            # `return OrderStore()`: the project class it built, so that `store.get(7)` is
            # known as a call of `OrderStore.get`
            return Val(Src.SUT, cls=value.cls) if value.cls else SUT
        return LITERAL

    # ---------------------------------------------------------------- walking
    def run(self) -> TestFacts:
        self.prepare()
        self.block(self.node.body, Ctx())
        self.finish()
        return self.facts

    def block(self, body: list[ast.stmt], ctx: Ctx, decided_by: Val | None = None) -> None:
        """Walk a block; ``decided_by`` is the value of the condition that selects it."""
        unreachable = ctx.unreachable
        saved, saved_control = self.flow.merge, self.flow.control
        self.flow.merge = ctx.conditional
        if decided_by is not None and decided_by.sut:
            self.flow.control = True  # `found = True` under `if code(): ...` depends on the code
        try:
            self._block(body, ctx, unreachable)
        finally:
            self.flow.merge, self.flow.control = saved, saved_control

    def _block(self, body: list[ast.stmt], ctx: Ctx, unreachable: str | None) -> None:
        for stmt in body:
            here = ctx if unreachable == ctx.unreachable else replace(ctx, unreachable=unreachable)
            self.stmt(stmt, here)
            if unreachable is None:
                unreachable = self._terminates(stmt)

    def _terminates(self, stmt: ast.stmt) -> str | None:
        if isinstance(stmt, ast.Return):
            return f"`return` on line {stmt.lineno}"
        if isinstance(stmt, ast.Raise):
            return f"`raise` on line {stmt.lineno}"
        if isinstance(stmt, (ast.Continue, ast.Break)):
            return None
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            if type(func) is ast.Attribute and func.attr not in _STOPPING_TAILS:
                return None  # what a method call's name resolves to ends with the method
            name = dotted(func)
            origin = self.flow.origin(name)
            if origin in SKIP_CALLS or (name or "").endswith(".skipTest"):
                return f"`{name}()` on line {stmt.lineno}"
        return None

    def add(self, check: Check, ctx: Ctx) -> Check:
        check.conditional = check.conditional or ctx.conditional
        check.swallowed = ctx.swallowed
        check.unreachable = ctx.unreachable
        self.facts.checks.append(check)
        return check

    def stmt(self, stmt: ast.stmt, ctx: Ctx) -> None:
        flow = self.flow
        # by exact type, the commonest first (the parser makes no subclasses)
        if type(stmt) is ast.Expr:
            self._expr_stmt(stmt, ctx)
        elif type(stmt) is ast.Assign:
            before = len(flow.sut_calls)
            self._helpers_in(stmt.value, stmt, ctx)
            val = flow.eval(stmt.value)
            self._asserting_double(stmt.value, stmt, ctx)
            inner = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            if isinstance(inner, ast.Call):
                self._handed_callbacks(inner, stmt, ctx, before)
            for target in stmt.targets:
                flow.bind(target, val, stmt.value)
                self._note_nonempty(target, stmt.value)
                if isinstance(target, ast.Name):
                    self.local_functions.pop(target.id, None)  # rebound: no longer the def
                    self.local_callbacks.pop(target.id, None)
                    if isinstance(stmt.value, ast.Lambda):
                        flow.closure_reads[target.id] = _free_reads(stmt.value)
                    else:
                        flow.closure_reads.pop(target.id, None)
                    if target.id in self.callback_state and target.id in flow.env:
                        # reset by the test, set again whenever the code calls back
                        flow.env[target.id] = flow.env[target.id] | SUT
            self._note_bound_call(stmt.value, stmt.targets)
            self._note_capture(stmt.value, stmt.targets)
        elif type(stmt) is ast.Assert:
            self._assert(stmt, ctx)
        elif type(stmt) is ast.AnnAssign:
            if stmt.value is not None:
                flow.bind(stmt.target, flow.eval(stmt.value), stmt.value)
                self._note_bound_call(stmt.value, [stmt.target])
        elif type(stmt) is ast.AugAssign:
            key = dotted(stmt.target)
            val = flow.eval(stmt.value)
            if key:
                new = flow.eval(stmt.target) | val
                # `count += 1` in a loop over the code's iterator counts what the code yields
                flow.env[key] = new | SUT if flow.control else new
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            self._with(stmt, ctx)
        elif type(stmt) is ast.If:
            self._if(stmt, ctx)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            it = flow.eval(stmt.iter)
            pairs = zipped(stmt.target, stmt.iter, flow)
            if pairs is None:
                flow.bind(stmt.target, it)
            else:
                # `for node, expected in zip(tree.walk(), EXPECTED)`: each name takes what its
                # own iterable holds
                flow.bind(stmt.target, it)  # the names' pairing, as any unpacking
                for elt, arg in pairs:
                    val = flow.eval(arg)
                    flow.bind(elt, Val(val.src, val.calls, None, None, False))
            flow.note_elements(stmt.target, stmt.iter)
            runs = runs_at_least_once(stmt.iter, self.scope.module, flow, self._find,
                                       self.scope.helpers.gives)
            body_ctx = replace(ctx, conditional=ctx.conditional or not runs)
            if not runs and ctx.unreachable is None and never_runs(stmt.iter):
                empty = ast.unparse(stmt.iter)
                body_ctx = replace(body_ctx, unreachable=f"in a loop over `{empty}`, which runs "
                                   "zero times")
            self.block(stmt.body, body_ctx, it)
            self.block(stmt.orelse, replace(ctx, conditional=True), it)
        elif type(stmt) is ast.While:
            cond = flow.eval(stmt.test)
            always = isinstance(stmt.test, ast.Constant) and bool(stmt.test.value)
            self.block(stmt.body, replace(ctx, conditional=ctx.conditional or not always), cond)
            self.block(stmt.orelse, replace(ctx, conditional=True), cond)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self._try(stmt, ctx)  # type: ignore[arg-type]
        elif type(stmt) is ast.Raise:
            self._raise(stmt, ctx)
        elif type(stmt) is ast.Return:
            value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            # `return check_total(prices, expected)`: a helper that hands back what the
            # assertion helper it calls returns still runs its assertions
            if not (isinstance(value, ast.Call) and self._call_check(value, ctx, stmt)) and \
                    stmt.value is not None:
                flow.eval(stmt.value)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for dec in stmt.decorator_list:
                if isinstance(dec, ast.Call) and self.scope.index.resolve_module(
                        flow.origin(dotted(dec.func))) is not None:
                    # `@log_calls(log.append)`: the code is handed the test's list to fill
                    flow.eval(dec)
            # a decorated local function (`@curry def f`) or a class built on project classes
            # is shaped by the code under test; a plain local function is the test's own
            shaped = bool(stmt.decorator_list) or flow.calls_code(stmt) or (
                isinstance(stmt, ast.ClassDef) and (bool(stmt.bases) or any(
                    getattr(sub, "decorator_list", None) for sub in walk(stmt))))
            # a value of its own: a later `name = ...` never looks like the def's binding
            flow.env[stmt.name] = Val(SUT.src) if shaped else Val(LITERAL.src)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                flow.closure_reads[stmt.name] = _free_reads(stmt)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and all(
                    self._imported_from_project(dotted(d.func if isinstance(d, ast.Call) else d))
                    for d in stmt.decorator_list):
                # undecorated, or wrapped by the code under test (`@freeze_time(...)`), which
                # calls it: its assertions are the test's
                self.local_functions[stmt.name] = (stmt, flow.env[stmt.name])
            else:
                self.local_functions.pop(stmt.name, None)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.local_callbacks[stmt.name] = stmt
                registered = any(self._registers(d) for d in stmt.decorator_list)
                if registered:
                    self.registered.append((stmt, ctx))
                if registered or any(self._project_decorator_call(d)
                                     for d in stmt.decorator_list):
                    # the code may call it back (`@repeat(every().minute)` then
                    # `run_all()`): the mocks it calls are handed to the code
                    for sub in walk(stmt):
                        if isinstance(sub, ast.Name) and sub.id in flow.env and \
                                flow.env[sub.id].src & Src.MOCK:
                            flow.wired.add(mock_root(sub.id))
            if isinstance(stmt, ast.ClassDef):
                self.local_classes[stmt.name] = (stmt, flow.env[stmt.name])
                flow.local_classes.add(stmt.name)
            for shared in _closure_mutated(stmt):
                if shared not in flow.env:
                    if shaped:
                        # a function the code wraps, bound after the def (`@memoize def
                        # inc` then `calls = []`): marked when it is bound
                        self.callback_state.add(shared)
                elif not flow.env[shared].src & Src.MOCK:
                    # the test's own state, changed whenever the code calls this function back
                    flow.env[shared] = flow.env[shared] | SUT
                    self.callback_state.add(shared)
        elif type(stmt) is ast.Match:
            subject = flow.eval(stmt.subject)
            for case in stmt.cases:
                self.block(case.body, replace(ctx, conditional=True), subject)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            bound, _ = import_bindings(stmt, package_of(self.scope.module))
            for local, origin in bound.items():
                flow.env[local] = SUT
                flow.imports[local] = origin
        elif type(stmt) is ast.Delete:
            for target in stmt.targets:
                flow.eval(target)

    # ---------------------------------------------------------------- statements
    def _assert(self, stmt: ast.Assert, ctx: Ctx) -> None:
        test = stmt.test
        if isinstance(test, ast.Constant) and not test.value:
            self.add(Check(Kind.FAIL, stmt, name="assert False"), ctx)
            return
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute):
            method = test.func.attr
            if method in runtime_api.MOCK_ASSERT_METHODS or (
                MOCK_TYPO.match(method) and method not in runtime_api.REAL_MOCK_ATTRIBUTES
                and self._mockish(test.func.value)
            ):
                self._mock_check(test, method, ctx, in_assert=True, node=stmt)
                return
        if self._vacuous_when_empty(test):
            ctx = replace(ctx, conditional=True)
        self._compare_check(Kind.ASSERT, stmt, test, ctx)
        if stmt.msg is not None:
            self.flow.eval(stmt.msg)

    def _vacuous_when_empty(self, test: ast.expr) -> bool:
        """``all(<comprehension>)`` (or ``not any(...)``) is true when nothing is iterated."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test, name = test.operand, "any"
        else:
            name = "all"
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name)
                and test.func.id == name and len(test.args) == 1):
            return False
        comp = test.args[0]
        if not isinstance(comp, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            return False
        first = comp.generators[0]
        return bool(first.ifs) or not runs_at_least_once(
            first.iter, self.scope.module, self.flow, self._find, self.scope.helpers.gives)

    def _compare_check(self, kind: Kind, node: ast.AST, expr: ast.expr, ctx: Ctx,
                       operands: list[ast.expr] | None = None, name: str = "") -> Check:
        # the operands make up the whole expression (``_operands``): evaluated once
        exprs = operands if operands is not None else _operands(expr)
        ops = [(e, self.flow.eval(e)) for e in exprs]
        return self.add(Check(kind, node, name=name, expr=expr, operands=ops), ctx)

    def _mockish(self, receiver: ast.expr) -> bool:
        """A mock, or named like one (``mock_cache``, ``spy``) when what it holds is not
        known; one the test built with a call that is not a mock's (botocore's
        ``self.stubber = Stubber(client)``) is what that call made."""
        val = self.flow.eval(receiver)
        if val.src & (Src.MOCK | Src.INTERACTION):
            return True
        if val.calls:
            return False
        text = (dotted(receiver) or "").lower()
        return "mock" in text or "spy" in text or "stub" in text

    def _expr_stmt(self, stmt: ast.Expr, ctx: Ctx) -> None:
        value = stmt.value
        if isinstance(value, ast.Await):
            value = value.value
        run = run_by_event_loop(value)
        if run is not None and isinstance(run.func, ast.Name) and \
                run.func.id in self.local_functions:
            # `asyncio.run(check())`: the event loop runs the local coroutine's body as an
            # `await check()` would
            value = run
        elif value is stmt.value and self.local_functions and self._local_coroutine(value):
            self.flow.eval(value)  # `check()` of a local coroutine, never awaited: never runs
            return
        if isinstance(value, ast.Attribute) and value.attr in runtime_api.MOCK_ASSERT_METHODS:
            self._mock_check(None, value.attr, ctx, node=stmt, receiver=value.value)
            return
        if isinstance(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) and isinstance(
            value.elt, ast.Call
        ):
            for gen in value.generators:
                self.flow.bind(gen.target, self.flow.eval(gen.iter))
            inner = ast.Expr(value=value.elt, lineno=value.elt.lineno,
                             col_offset=value.elt.col_offset)
            self._expr_stmt(inner, replace(ctx, conditional=True))
            return
        fluent = self._fluent(value)
        if fluent is not None:
            # `expect(x).to.equal(y)`, `x.should.be.empty`
            self._compare_check(Kind.EXTERNAL, stmt, value, ctx, operands=fluent,
                                name=dotted(value.func if isinstance(value, ast.Call)
                                            else value) or "")
            return
        if not isinstance(value, ast.Call):
            self.flow.eval(value)
            return
        if self._asserting_double(value, stmt, ctx):
            self.flow.eval(value)
            return
        if not self._call_check(value, ctx, stmt):
            before = len(self.flow.sut_calls)
            projects = len(self.flow.project_calls)
            self.flow.eval(value)
            for call in self.flow.sut_calls[before:]:
                if call.node is value:
                    call.statement = True
            self._validator_check(value, stmt, ctx, projects)
            self._handed_callbacks(value, stmt, ctx, before)
            self._note_capture(value, [])

    def _fluent(self, value: ast.expr) -> list[ast.expr] | None:
        """A fluent assertion library's statement, and its operands (``libraries.py``)."""
        func = value.func if isinstance(value, ast.Call) else None
        if isinstance(func, ast.Name) or (
                isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and
                (func.value.id in self.flow.env or func.value.id == "self")):
            # `f(x)`, `self.assertEqual(a, b)`, `mock.assert_called()`: no chain, and no
            # library's name (pytest-check's `check.equal(a, b)` goes on)
            return None
        return fluent_operands(value, self.flow.env, self.flow.origin)

    def _validator_check(self, value: ast.Call, stmt: ast.Expr, ctx: Ctx, since: int) -> None:
        """``check_type(3, int)`` as a statement: the project's validator answers by raising,
        so the test checks that it accepts the value (``SourceFunction.validator``)."""
        for call in self.flow.project_calls[since:]:
            if call.node is not value:
                continue
            fn = self.scope.index.lookup_function(call.qualname)
            if fn is not None and fn.validator:
                self.add(Check(Kind.VALIDATOR, stmt, name=call.qualname), ctx)

    def _local_function(self, name: str) -> FunctionNode | None:
        """The function the test defines under ``name``, bound by its def and not rebound
        since; None otherwise."""
        local = self.local_functions.get(name)
        return local[0] if local is not None and self.flow.env.get(name) is local[1] else None

    def _local_coroutine(self, value: ast.expr) -> bool:
        """A call of an ``async def`` the test defines."""
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            isinstance(self._local_function(value.func.id), ast.AsyncFunctionDef)

    def _asserting_double(self, value: ast.expr, stmt: ast.stmt, ctx: Ctx) -> bool:
        """``supplier = FakeSupplier(expected_context=ctx)``: an object of a class the test
        module defines whose methods assert; the code under test calls them, and their
        assertions fail the test. Counted as a check where it is made."""
        if not self._class_calls():
            return False
        for node in walk(value):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name = node.func.id
            if name in self.local_classes:
                cls: ast.ClassDef | None = self.local_classes[name][0]
            elif name in self.flow.env:
                continue
            else:
                cls = self.scope.module.classes.get(name)
            if cls is None:
                continue
            doubles = self.scope.helpers.doubles
            if id(cls) not in doubles:
                doubles[id(cls)] = _asserting_methods(cls)
            if doubles[id(cls)]:
                self.add(Check(Kind.HELPER, stmt, name=name, expr=node, helper_name=name), ctx)
                return True
        return False

    def _handed_callbacks(self, call: ast.Call, stmt: ast.stmt, ctx: Ctx, before: int) -> None:
        """``runner.invoke(cli, catch_exceptions=False)`` where ``cli`` is a function the test
        defines and whose body asserts: the code under test calls it, and its assertions fail
        the test. Counted as a check with the function's own strength, when the call reaches
        the code (``sut_calls`` from ``before`` on) and does not catch what the callback
        raises: ``catch_exceptions`` other than False, or a CLI runner's ``invoke`` that
        catches by default. A callback handed to a library (a thread's target) is not."""
        if not self.local_callbacks or not any(
                c.node is call for c in self.flow.sut_calls[before:]):
            return
        if self._imported_from_project(dotted(call.func)) is False:
            return  # a library's function: `threading.Thread(target=check)`
        catch = next((k.value for k in call.keywords if k.arg == "catch_exceptions"), None)
        if catch is None and isinstance(call.func, ast.Attribute) and call.func.attr == "invoke":
            return
        if catch is not None and not (isinstance(catch, ast.Constant) and catch.value is False):
            return
        handed: list[ast.expr] = []
        for arg in call_arguments(call):
            handed.extend(display_elements(arg) or [arg])  # `hooks={"response": check}`
        for arg in handed:
            if not isinstance(arg, ast.Name) or arg.id not in self.local_callbacks:
                continue
            node = self.local_callbacks[arg.id]
            judged = self.scope.helpers.judged(self.scope, node, True)
            if judged is not None:
                self.add(Check(Kind.HELPER, stmt, name=arg.id, expr=call, base=judged[0],
                               helper_name=node.name, helper_rules=judged[1]), ctx)

    def _registers(self, dec: ast.expr) -> bool:
        """A decorator that hands the function to an object of the code under test
        (``@app.route("/")``, ``@bp.before_request``), which calls it back: not a library's
        (``@functools.wraps``) nor a plain name's."""
        target = dec.func if isinstance(dec, ast.Call) else dec
        # a name or an attribute chain (`app.route`): reading it records no call
        if not isinstance(target, ast.Attribute) or dotted(target) is None:
            return False
        if self._imported_from_project(dotted(target)) is False:
            return False
        return bool(self.flow.eval(target.value).src & Src.SUT)

    def _project_decorator_call(self, dec: ast.expr) -> bool:
        """``@repeat(every().minute)``: a call of a function of the project's, which takes
        the decorated function (and may keep it, to call it later)."""
        return isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name) and \
            self._imported_from_project(dec.func.id) is True

    def _registered_checks(self) -> None:
        """The assertions of a local function the code was handed by a decorator count for
        the test, as a handed callback's do, when the test calls the code after defining it
        (flask's view functions that assert, then ``client.get("/")``)."""
        for node, ctx in self.registered:
            if not any(getattr(c.node, "lineno", 0) > (node.end_lineno or node.lineno)
                       for c in self.flow.sut_calls):
                continue
            judged = self.scope.helpers.judged(self.scope, node, True)
            if judged is not None:
                self.add(Check(Kind.HELPER, node, name=node.name, base=judged[0],
                               helper_name=node.name, helper_rules=judged[1]), ctx)

    def _class_calls(self) -> set[str]:
        """The names the function calls that name a class of the module or one it defines
        itself: only a call of one of them can make an asserting test double."""
        if self._double_names is None:
            module_classes = self.scope.module.classes
            nodes = all_nodes(self.node)
            ClassDef, Call, Name = ast.ClassDef, ast.Call, ast.Name  # read once, not per node
            local = {n.name for n in nodes if type(n) is ClassDef}  # type: ignore[attr-defined]
            self._double_names = {
                n.func.id for n in nodes  # type: ignore[attr-defined]
                if type(n) is Call and type(n.func) is Name  # type: ignore[attr-defined]
                and (n.func.id in module_classes or n.func.id in local)}  # type: ignore[attr-defined]
        return self._double_names

    def _call_check(self, call: ast.Call, ctx: Ctx, stmt: ast.stmt,
                    helper: tuple[FunctionNode, Scope] | None = None) -> bool:
        """Record ``call`` as a check when it is one; True when it was. ``helper``: the
        function it calls, when the caller has resolved it already."""
        flow = self.flow
        name = dotted(call.func) or ""
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        # `proxies["one"].clear.assert_called_once_with()`: no dotted name, still a method
        lf = call.func.attr if isinstance(call.func, ast.Attribute) else leaf(name)
        origin = flow.origin(name)
        recv_name = dotted(receiver) if receiver is not None else None
        on_self = recv_name in ("self", "cls")
        if origin in ("warnings.simplefilter", "warnings.filterwarnings") and \
                _warning_action(call) == "error":
            # `with warnings.catch_warnings(): warnings.simplefilter("error"); code()`: the
            # documented way to check that code does not warn; a warning fails the test
            self.add(Check(Kind.FAIL, stmt, name=name), ctx)
            return True
        if origin in FAIL_CALLS or (on_self and lf == "fail") or (on_self and _always_fails(call)):
            for arg in call.args:
                flow.eval(arg)
            self.add(Check(Kind.FAIL, stmt, name=name), ctx)
            return True
        if on_self and lf in UNITTEST_RAISES:
            if len(call.args) >= 2:
                fn_call = ast.Call(func=call.args[1], args=list(call.args[2:]),
                                   keywords=[k for k in call.keywords if k.arg != "msg"],
                                   lineno=call.lineno, col_offset=call.col_offset)
                check = self._raises_check(call, lf, call.args[:1], [], ctx)
                flow.raises_stack.append(check.exceptions)
                flow.eval(fn_call)
                flow.raises_stack.pop()
                check.body = [ast.Expr(value=fn_call, lineno=call.lineno,
                                       col_offset=call.col_offset)]
                return True
            return False
        if on_self and lf in runtime_api.UNITTEST_ASSERTS:
            self._compare_check(Kind.UNITTEST, stmt, call, ctx, operands=list(call.args),
                                name=lf)
            for kw in call.keywords:
                flow.eval(kw.value)
            return True
        if origin in ("pytest.raises", "pytest.warns") and len(call.args) >= 2:
            fn_call = ast.Call(func=call.args[1], args=list(call.args[2:]),
                               keywords=[k for k in call.keywords if k.arg != "match"],
                               lineno=call.lineno, col_offset=call.col_offset)
            check = self._raises_check(call, lf, call.args[:1], call.keywords, ctx)
            flow.raises_stack.append(check.exceptions)
            flow.eval(fn_call)
            flow.raises_stack.pop()
            check.body = [ast.Expr(value=fn_call, lineno=call.lineno, col_offset=call.col_offset)]
            return True
        if lf in LINE_MATCHERS and receiver is not None:
            # pytester's `result.stdout.fnmatch_lines([...])` fails when no line matches
            self._compare_check(Kind.EXTERNAL, stmt, call, ctx,
                                operands=[receiver, *call_arguments(call)],
                                name=name)
            return True
        if lf == "check" and recv_name in REGRESSION_FIXTURES and \
                recv_name in self._parameters():
            # pytest-regressions: `data_regression.check(data)` fails when the data differs
            # from the recorded file
            self._compare_check(Kind.EXTERNAL, stmt, call, ctx,
                                operands=call_arguments(call),
                                name=name)
            return True
        if lf == "match" and isinstance(receiver, ast.Call) and len(receiver.args) >= 2 and \
                flow.origin(dotted(receiver.func) or "") == "pytest.raises":
            # `pytest.raises(E, f, x).match("message")`: the raises, and its message matched
            before = len(self.facts.checks)
            self._call_check(receiver, ctx, stmt)
            for check in self.facts.checks[before:]:
                if check.kind is Kind.RAISES:
                    check.has_match = True
            for arg in call.args:
                flow.eval(arg)
            return True
        if receiver is not None:
            if lf in runtime_api.MOCK_ASSERT_METHODS:
                self._mock_check(call, lf, ctx, node=stmt)
                return True
            if MOCK_TYPO.match(lf) and lf not in runtime_api.REAL_MOCK_ATTRIBUTES and not on_self \
                    and self._mockish(receiver):
                self._mock_check(call, lf, ctx, node=stmt)
                return True
        helper = helper or self._resolve_helper(call, name, on_self)
        if helper is not None:
            node, scope = helper
            args = call_arguments(call)
            vals = [flow.eval(a) for a in args]
            sut_args = any(v.src & (Src.SUT | Src.INTERACTION) for v in vals) or (
                on_self and not args)
            guarded = scope.helpers.guarded(node)
            supplied = _supplied(call, node, bound=on_self or receiver is not None) & guarded \
                if guarded else frozenset()
            judged = scope.helpers.judged(scope, node, sut_args, supplied)
            if judged is not None:
                for arg in args:
                    flow.escape(arg)
                self.add(Check(Kind.HELPER, stmt, name=name, expr=call, base=judged[0],
                               operands=list(zip(args, vals, strict=False)), helper_name=node.name,
                               helper_rules=judged[1]), ctx)
                return True
            if not sut_args and scope.helpers.strength(scope, node, True) is not None:
                self.add(Check(Kind.HELPER, stmt, name=name, expr=call, base=Strength.NONE,
                               operands=list(zip(args, vals, strict=False)),
                               helper_name=node.name), ctx)
                return True
            return False
        if lf.startswith("assert") and lf not in ("assert_",) and (
            on_self or not (receiver is not None and self._mockish(receiver))
        ):
            # custom assert* of a TestCase base we cannot see, or numpy.testing & co.; an
            # object's own (`recorder.assert_sent(...)`, botocore's `stubber.
            # assert_no_pending_responses()`) checks what the object holds as well
            holder = [receiver] if receiver is not None and not on_self and \
                (recv_name or "").partition(".")[0] in flow.env else []
            self._compare_check(Kind.EXTERNAL, stmt, call, ctx,
                                operands=[*holder, *call_arguments(call)],
                                name=name)
            return True
        return False

    def _find(self, call: ast.Call, module: ModuleTables
              ) -> tuple[FunctionNode, ModuleTables] | None:
        """The suite's own function that ``call``, in ``module``, runs: one of the module's, a
        method of the test's class chain (``self.x()``), or one of a support module's."""
        name = dotted(call.func)
        if name is None:
            return None
        if isinstance(call.func, ast.Name):
            if module is self.scope.module and name in self.flow.env:
                return None
            node = module.functions.get(name)
            return (node, module) if node is not None and name not in module.fixtures else None
        head, _, attr = name.partition(".")
        if head == "self" and "." not in attr:
            found = self.scope.method(attr)
            return (found[0], found[1].module) if found is not None else None
        return self.scope.index.support_function(module.origin(name))

    def _resolve_helper(self, call: ast.Call, name: str,
                        on_self: bool) -> tuple[FunctionNode, Scope] | None:
        scope = self.scope
        if on_self and isinstance(call.func, ast.Attribute):
            return scope.method(call.func.attr)
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and \
                isinstance(func.value.func, ast.Name):
            local_class = self.local_classes.get(func.value.func.id)
            if local_class is not None and \
                    self.flow.env.get(func.value.func.id) is local_class[1]:
                in_class = replace(scope, classes=[local_class[0]],
                                   class_modules=[scope.module])
                return in_class._method(func.attr)
        if isinstance(call.func, ast.Name):
            fname = call.func.id
            local = self._local_function(fname)
            if local is not None:
                return local, scope
            factory = self._factory_fixture(fname)
            if factory is not None:
                return factory
            if fname in self.flow.env:
                return None
            node = scope.module.functions.get(fname)
            if node is not None and fname not in scope.module.fixtures:
                return node, replace(scope, classes=[], class_modules=[], params_literal=set())
        found = scope.index.support_function(self.flow.origin(name))
        return (found[0], Scope(found[1], scope.index, scope.helpers)) if found else None

    def _parameters(self) -> frozenset[str]:
        if self._params is None:
            self._params = frozenset(parameters(self.node))
        return self._params

    def _helpers_in(self, value: ast.expr, stmt: ast.stmt, ctx: Ctx) -> None:
        """Assertion helpers whose results the test keeps: ``err = assert_printed(...)``,
        ``lines = [assert_log_message(...), ...]`` run their assertions all the same."""
        inner = value.value if isinstance(value, ast.Await) else value
        # `x = helper(...)`, `a, b = helper(...)`, `lines = [helper(...), helper(...)]`
        # and the calls handed to them: `task = self.new_task(loop, main())`
        calls = [inner] if isinstance(inner, ast.Call) else [
            e for e in inner.elts if isinstance(e, ast.Call)] \
            if isinstance(inner, (ast.List, ast.Tuple, ast.Set)) else []
        calls += [a for c in list(calls) for a in call_arguments(c) if isinstance(a, ast.Call)]
        for sub in calls:
            name = dotted(sub.func) or ""
            head = name.partition(".")[0]
            if not name or ("." in name and head in self.flow.env and head not in ("self", "cls")):
                continue  # a method of one of the test's values: never a helper of the suite
            on_self = name.startswith(("self.", "cls.")) and name.count(".") == 1
            helper = self._resolve_helper(sub, name, on_self)
            # only a helper that checks the code for real: one that formats a message and
            # sanity-checks what it formats (`debug_results`) adds nothing but its findings
            if helper is not None and self.scope.helpers.looks_checking(helper[0]) and \
                    self.scope.helpers.strength(
                    helper[1], helper[0], True) is Strength.STRONG:
                self._call_check(sub, ctx, stmt, helper)

    def _factory_fixture(self, name: str) -> tuple[FunctionNode, Scope] | None:
        """A fixture the test requests (or, inside a fixture's function, one that fixture
        requests) that returns a function it defines: calling ``name(...)`` runs that
        function (colorlog's ``create_and_test_logger(fmt=...)``)."""
        requested = name in self._parameters() if not self.helper else \
            name not in self.flow.env
        module = self.scope.module
        if not requested or (name in module.functions and name not in module.fixtures):
            return None
        fixture = self.scope.fixture(name)
        if fixture is None:
            return None
        made = {s.name: s for s in fixture.node.body if isinstance(s, ast.FunctionDef)}
        for stmt in fixture.node.body:
            value = stmt.value if isinstance(stmt, ast.Return) else (
                stmt.value.value if isinstance(stmt, ast.Expr) and
                isinstance(stmt.value, ast.Yield) else None)
            if isinstance(value, ast.Name) and value.id in made:
                return made[value.id], Scope(fixture.module, self.scope.index,
                                             self.scope.helpers)
        return None

    def _shipped_manager(self, origin: str) -> tuple[FunctionNode, Scope] | None:
        """An asserting context manager of the project's own source (``with raises(E,
        msg):`` in voluptuous's tests), judged as a helper in its module."""
        scope = self.scope
        found = scope.index.assert_manager(origin) if "." in origin else None
        return (found[0], Scope(found[1], scope.index, scope.helpers)) if found else None

    def _mock_check(self, call: ast.Call | None, method: str, ctx: Ctx, node: ast.AST,
                    in_assert: bool = False, receiver: ast.expr | None = None) -> None:
        flow = self.flow
        if call is not None:
            assert isinstance(call.func, ast.Attribute)
            receiver = call.func.value
        assert receiver is not None
        val = flow.eval(receiver)
        path = val.mock or dotted(receiver)
        operands: list[tuple[ast.expr, Val]] = []
        if call is not None:
            for arg in call_arguments(call):
                operands.append((arg, flow.eval(arg)))
        via_sut = bool(val.src & Src.SUT)
        wired = True
        if path and val.src & Src.MOCK and not via_sut:
            wired = flow.is_wired(mock_root(path))
        # a stub: a query whose answer the test supplied (``cache.get.return_value = V``); a
        # command (``session.post``, ``repo.save``) or a mock told to return None is not one
        stub = bool(path and path in flow.configured and path not in flow.configured_none
                    and not is_command(path.rpartition(".")[2]))
        self.add(Check(Kind.MOCK, node, name=method, expr=call, operands=operands,
                       receiver=path, receiver_val=val, stub=stub, wired=wired,
                       called=call is not None, in_assert=in_assert), ctx)

    def _raises_check(self, node: ast.AST, name: str, exc_args: list[ast.expr],
                      keywords: list[ast.keyword], ctx: Ctx) -> Check:
        exceptions: list[str] = []
        for arg in exc_args:
            elts = arg.elts if isinstance(arg, ast.Tuple) else [arg]
            for elt in elts:
                exceptions.append(leaf(dotted(elt)) or "?")
        has_match = any(k.arg in ("match", "expected_regex", "expected_regexp") for k in keywords)
        if "Regex" in name or "Regexp" in name:
            has_match = True
        check = Check(Kind.RAISES, node, name=name, exceptions=tuple(exceptions),
                      has_match=has_match)
        self.facts.expected_exceptions.update(exceptions)
        return self.add(check, ctx)

    def _with(self, stmt: ast.With | ast.AsyncWith, ctx: Ctx) -> None:
        flow = self.flow
        raises: Check | None = None
        entered: list[ast.stmt] = []  # the items entered inside a raises block
        for item in stmt.items:
            if raises is not None:
                # `with pytest.raises(E), r.lock("name"):`: entering it is what should raise
                entered.append(ast.Expr(value=item.context_expr, lineno=stmt.lineno,
                                        col_offset=stmt.col_offset))
            expr = self._shared_manager(item.context_expr)
            name = dotted(expr.func) if isinstance(expr, ast.Call) else None
            origin = flow.origin(name)
            lf = leaf(name)
            on_self = (name or "").startswith(("self.", "cls."))
            is_raises = isinstance(expr, ast.Call) and (
                origin in ("pytest.raises", "pytest.warns", "pytest.deprecated_call")
                or (on_self and (lf in UNITTEST_RAISES or _custom_raises(lf)))
            )
            if is_raises and isinstance(expr, ast.Call):
                exc_args = expr.args[:1]
                if origin == "pytest.deprecated_call":
                    exc_args = [ast.Name(id="DeprecationWarning")]
                if lf in ("assertLogs", "assertNoLogs"):
                    exc_args = [ast.Name(id="LogRecord")]
                raises = self._raises_check(stmt, lf, exc_args, expr.keywords, ctx)
                for kw in expr.keywords:
                    flow.eval(kw.value)
                if item.optional_vars is not None:
                    raises.binding = dotted(item.optional_vars)
                    flow.bind(item.optional_vars, SUT)
                    if raises.binding:
                        self.captures[raises.binding] = Capture(
                            stmt, f"{lf} binding", raises.binding)
                continue
            helper = (self._resolve_helper(expr, name, on_self) or
                      self._shipped_manager(origin)) \
                if isinstance(expr, ast.Call) and name else None
            if isinstance(expr, ast.Call) and helper is not None and \
                    is_context_manager(helper[0]) and \
                    self._call_check(expr, ctx, stmt, helper):
                # `with self.assert_logged("saved"):`, a context manager of the test's
                # helpers or its TestCase bases that asserts, when what it checks is known:
                # strong, or named by the rules that judged it
                last = self.facts.checks[-1]
                if last.kind is not Kind.HELPER or last.base is Strength.STRONG or \
                        last.helper_rules:
                    if item.optional_vars is not None:
                        flow.bind(item.optional_vars, SUT)
                    continue
                self.facts.checks.pop()
            if raises is not None:
                flow.raises_stack.append(raises.exceptions)
            val = flow.eval(expr)
            if raises is not None:
                flow.raises_stack.pop()
            if item.optional_vars is not None:
                flow.bind(item.optional_vars, val, expr)
        if raises is not None:
            raises.body = [*entered, *stmt.body]
            raises.entered = len(entered)
            flow.raises_stack.append(raises.exceptions)
            self.block(stmt.body, replace(ctx, raises=raises))
            flow.raises_stack.pop()
        else:
            self.block(stmt.body, ctx)

    def _shared_manager(self, expr: ast.expr) -> ast.expr:
        """``SE = raises(SchemaError)`` at the module's top, then ``with SE:``: the module's
        call stands for the name (a raises block made once and used again)."""
        if isinstance(expr, ast.Name) and expr.id not in self.flow.env:
            value = self.scope.module.constants.get(expr.id)
            if isinstance(value, ast.Call) and \
                    self.scope.module.origin(dotted(value.func) or "") == "pytest.raises":
                return value
        return expr

    def _if(self, stmt: ast.If, ctx: Ctx) -> None:
        flow = self.flow
        cond = flow.eval(stmt.test)
        # in a helper named for checking (`assert_performance`), `if <bad>: raise
        # ValueError(...)` is how it fails
        raises = self.helper and CHECK_HELPER.match(self.node.name) is not None and \
            bool(stmt.body) and isinstance(stmt.body[-1], ast.Raise) and \
            raised_name(stmt.body[-1]) in BUILTIN_ERRORS  # not a signal its caller catches
        if (_fails(stmt.body, flow) or raises) and not stmt.orelse:
            # if <bad>: pytest.fail(...)  is an assertion of `not <bad>`
            check = Check(Kind.ASSERT, stmt, expr=_invert(stmt.test),
                          operands=[(e, flow.eval(e)) for e in _operands(_invert(stmt.test))])
            self.add(check, ctx)
            return
        guarded = emptiness_guard(stmt, self.scope.module)
        if guarded is not None:
            # `if not parsers: pytest.skip(...)`: past it, a loop over `parsers` runs
            self.block(stmt.body, replace(ctx, conditional=True), cond)
            flow.nonempty.add(guarded)
            return
        always = (isinstance(stmt.test, ast.Constant) and bool(stmt.test.value)) or \
            _set_test(stmt.test) in self.supplied
        first = len(self.facts.checks)
        self.block(stmt.body, replace(ctx, conditional=ctx.conditional or not always), cond)
        middle = len(self.facts.checks)
        self.block(stmt.orelse, replace(ctx, conditional=True), cond)
        # `if c: assert f(x) else: assert not f(x)`: one of the two always runs
        top = [[c for c in self.facts.checks[first:middle] if any(c.node is s for s in stmt.body)],
               [c for c in self.facts.checks[middle:] if any(c.node is s for s in stmt.orelse)]]
        if top[0] and top[1]:
            for check in top[0] + top[1]:
                check.conditional = ctx.conditional

    def _raise(self, stmt: ast.Raise, ctx: Ctx) -> None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        name = raised_name(stmt)
        if isinstance(stmt.exc, ast.Call):
            for arg in stmt.exc.args:
                self.flow.eval(arg)
        if name in ("AssertionError", "failureException") or (
            exc is not None and (dotted(exc) or "").endswith("failureException")
        ):
            self.add(Check(Kind.FAIL, stmt, name="raise AssertionError"), ctx)

    def _try(self, stmt: ast.Try, ctx: Ctx) -> None:
        swallow = None
        caught: list[str] = []
        for handler in stmt.handlers:
            names = _handler_names(handler)
            caught.extend(names)
            reraises = any(isinstance(n, ast.Raise) for n in _walk_block(handler.body)) or \
                _fails(handler.body, self.flow) or _checks_again(handler.body)
            if not reraises and (not names or set(names) & ASSERTION_CATCHERS):
                swallow = "bare `except:`" if not names else f"`except {', '.join(names)}`"
        before = len(self.facts.checks)
        self.block(stmt.body, replace(ctx, swallowed=swallow or ctx.swallowed))
        body_checks = self.facts.checks[before:]
        certain = _raises_into(stmt)
        for handler in stmt.handlers:
            if handler.name:
                self.flow.env[handler.name] = SUT
            self.block(handler.body, replace(
                ctx, conditional=ctx.conditional or handler is not certain))
        self.block(stmt.orelse, ctx)
        after_else = self.facts.checks[before:]
        self.block(stmt.finalbody, ctx)
        self._try_expect(stmt, ctx, caught, body_checks, after_else, swallow)

    def _try_expect(self, stmt: ast.Try, ctx: Ctx, caught: list[str],
                    body_checks: list[Check], all_checks: list[Check],
                    swallow: str | None) -> None:
        """``try: call() except E: ...`` used to expect an exception."""
        if not stmt.handlers or not caught:
            return
        if any(c.kind is not Kind.FAIL for c in body_checks):
            return
        handler_bodies = [s for h in stmt.handlers for s in h.body]
        if any(isinstance(s, (ast.Raise, ast.Assign, ast.AugAssign, ast.Return, ast.Continue,
                              ast.Break))
               for s in _walk_block(handler_bodies)):
            return  # a fallback (`except KeyError: value = None`), not an expectation
        if any(isinstance(s, (ast.Return, ast.Continue, ast.Break))
               for s in _walk_block(stmt.orelse)):
            return  # `else: continue`: a probe that branches on the outcome
        if any(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
               and self.flow.origin(dotted(s.value.func)) in SKIP_CALLS
               for s in _walk_block(handler_bodies)):
            return
        if _fails(handler_bodies, self.flow):
            return  # except E: pytest.fail(...): a "does not raise" check
        if any(isinstance(s, ast.Raise) for s in stmt.body):
            return  # `try: raise ValueError(...) except ValueError: code()`: sets exc_info
        calls = [n for s in stmt.body for n in walk(s) if isinstance(n, ast.Call)]
        if not calls:
            return
        # `try: call(); assert False except Exception: pass`: the handler catches the
        # AssertionError of the body's own failure, which then enforces nothing
        caught_fails = [c for c in body_checks if c.kind is Kind.FAIL and swallow
                        and not escapes(c, swallow)]
        fail_in_body = any(c.kind is Kind.FAIL and c not in caught_fails for c in body_checks)
        fail_in_else = _fails(stmt.orelse, self.flow)
        # inside `with pytest.raises(...)`, the block fails when nothing is raised
        check = Check(Kind.TRY_EXPECT, stmt, name="try/except", exceptions=tuple(caught),
                      enforced=fail_in_body or fail_in_else or ctx.raises is not None,
                      body=list(stmt.body))
        for fail in [c for c in all_checks if c.kind is Kind.FAIL and c not in caught_fails]:
            if fail in self.facts.checks:
                self.facts.checks.remove(fail)
        self.facts.expected_exceptions.update(caught)
        self.add(check, ctx)

    # ---------------------------------------------------------------- bookkeeping
    def _note_bound_call(self, value: ast.expr, targets: list[ast.expr]) -> None:
        inner = value.value if isinstance(value, ast.Await) else value
        if isinstance(inner, ast.Call) and len(targets) == 1:
            for call in self.flow.sut_calls:
                if call.node is inner:
                    call.bound = dotted(targets[0])

    def _note_capture(self, value: ast.expr, targets: list[ast.expr]) -> None:
        if not isinstance(value, ast.Call):
            return
        name = dotted(value.func) or ""
        target = dotted(targets[0]) if len(targets) == 1 else None
        if len(targets) == 1 and isinstance(targets[0], (ast.Tuple, ast.List)):
            # `out, err = capsys.readouterr()`: checked when either part is
            target = ", ".join(n for n in map(dotted, targets[0].elts) if n) or None
        if name.endswith("readouterr") and name.split(".")[0] in (
            "capsys", "capfd", "capsysbinary", "capfdbinary"
        ):
            label = target or "<discarded>"
            self.captures[label] = Capture(value, "captured output", label)
        elif target and name.rsplit(".", 1)[-1] in ("call_args", "call_args_list"):
            self.captures[target] = Capture(value, "mock call record", target)

    def finish(self) -> None:
        facts, flow = self.facts, self.flow
        facts.mocks = flow.mocks
        facts.patches = flow.patches
        facts.unpacked = flow.unpacked
        facts.imports = flow.imports
        facts.sut_calls = flow.sut_calls
        facts.project_calls = flow.project_calls
        facts.echoes = flow.echoes
        facts.setup_literals = flow.setup_literals
        facts.code_written = flow.code_written
        self._registered_checks()
        if self.helper:
            return
        nodes = all_nodes(self.node)
        # mock call records bound to names
        Assign = ast.Assign
        for stmt in [n for n in nodes if type(n) is Assign]:
            val = stmt.value  # type: ignore[attr-defined]
            if len(stmt.targets) == 1 and isinstance(val, ast.Attribute) and \
                    val.attr in ("call_args", "call_args_list", "mock_calls"):  # type: ignore[attr-defined]
                target = dotted(stmt.targets[0])  # type: ignore[attr-defined]
                if target:
                    self.captures.setdefault(target, Capture(stmt, "mock call record", target))
        if self.captures:
            # how often each name is used: a capture used again is compared or handed on
            Name = ast.Name
            uses = Counter([n.id for n in nodes if type(n) is Name])  # type: ignore[attr-defined]
            for cap in self.captures.values():
                if cap.name == "<discarded>":
                    cap.used = False
                else:
                    cap.used = any(part in facts.names_read_in_checks or uses[part] > 1
                                   for part in cap.name.split(", "))
        if "caplog" in [a.arg for a in self.node.args.args]:
            caplog_used = any(k.startswith("caplog.") and k.split(".")[1] in (
                "text", "records", "messages", "record_tuples", "get_records")
                for k in _dotted_uses(self.node))
            if not caplog_used:
                facts.captures.append(Capture(self.node, "caplog capture", "caplog"))
        facts.captures.extend(self.captures.values())


def _dotted_uses(node: ast.AST) -> set[str]:
    out = set()
    for sub in walk(node):
        if isinstance(sub, ast.Attribute):
            d = dotted(sub)
            if d:
                out.add(d)
    return out


def _walk_block(body: list[ast.stmt]) -> list[ast.AST]:
    return [n for s in body for n in walk(s)]


_NOT_EXCEPTIONS = frozenset({"BaseException", "KeyboardInterrupt", "SystemExit",
                             "GeneratorExit"})  # what ``except Exception`` lets through


def _raises_into(stmt: ast.Try) -> ast.ExceptHandler | None:
    """The handler that runs whenever the body does: the body ends by raising an exception
    of a named class that the only handler catches (``try: raise ValueError("x") except
    ValueError as exc: assert ...``), and nothing before the raise can leave the body
    another way than by an exception."""
    if len(stmt.handlers) != 1:
        return None
    *before, last = stmt.body
    if not isinstance(last, ast.Raise) or last.exc is None or any(
            not isinstance(s, (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign))
            for s in before):
        return None
    raised = raised_name(last)
    handler = stmt.handlers[0]
    names = _handler_names(handler)
    if not raised or not raised[0].isupper():  # `raise err`: an instance, of any class
        return None
    if names and raised not in names and not (
            "BaseException" in names or ("Exception" in names and raised not in _NOT_EXCEPTIONS)):
        return None
    return handler


def _handler_names(handler: ast.ExceptHandler) -> list[str]:
    if handler.type is None:
        return []
    elts = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [leaf(dotted(e)) or "?" for e in elts]


def _always_fails(call: ast.Call) -> bool:
    """``self.assertTrue(False)`` or ``self.assertFalse(True)``: ``self.fail()`` written as
    an assertion of a constant (``try: call(); self.assertTrue(False) except Error: pass``)."""
    if not (isinstance(call.func, ast.Attribute) and call.args and
            isinstance(call.args[0], ast.Constant)):
        return False
    value = call.args[0].value
    if call.func.attr in ("assertTrue", "assert_", "failUnless"):
        return not value
    return call.func.attr in ("assertFalse", "failIf") and bool(value)


def _fails(body: list[ast.stmt], flow: Flow) -> bool:
    """Does this block end the test with a failure (pytest.fail, self.fail, raise Assert...)?"""
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            name = dotted(stmt.value.func) or ""
            if flow.origin(name) in FAIL_CALLS or name in ("self.fail", "cls.fail") or (
                    name.startswith(("self.", "cls.")) and _always_fails(stmt.value)):
                return True
        if isinstance(stmt, ast.Raise) and raised_name(stmt) in ("AssertionError",
                                                                 "failureException"):
            return True
        if isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Constant) and \
                not stmt.test.value:
            return True
    return False


def _checks_again(body: list[ast.stmt]) -> bool:
    """Does this handler assert something itself (``try: assert a == x`` ``except
    AssertionError: assert a == y``)? Then a failure of both fails the test: the two form
    one check that passes when either holds, nothing is swallowed."""
    return any(isinstance(node, ast.Assert) or (
        isinstance(node, ast.Call) and (leaf(dotted(node.func)) or "").startswith("assert"))
        for node in _walk_block(body))


def _invert(expr: ast.expr) -> ast.expr:
    inverse = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
               ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Lt: ast.GtE, ast.GtE: ast.Lt,
               ast.Gt: ast.LtE, ast.LtE: ast.Gt}
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return expr.operand
    if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
        op = inverse[type(expr.ops[0])]()
        return ast.copy_location(ast.Compare(left=expr.left, ops=[op],
                                             comparators=expr.comparators), expr)
    return ast.copy_location(ast.UnaryOp(op=ast.Not(), operand=expr), expr)


def _operands(expr: ast.expr) -> list[ast.expr]:
    if isinstance(expr, ast.Compare):
        return [expr.left, *expr.comparators]
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.And):
        return [o for value in expr.values for o in _operands(value)]
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return _operands(expr.operand)
    return [expr]


_FIXTURE_DEPTH = 4  # fixtures followed through the fixtures they use, at most


def _fixture_result(fixture: Fixture, scope: Scope, literals: set[str], depth: int = 0) -> Val:
    """What a fixture gives the test; the literals it, or a fixture it uses, configured as a
    mock's return value are added to ``literals``. A fixture it uses that gives a mock is
    that mock inside it (``def service(repo): return Service(repo)`` hands the service the
    mock ``repo`` configured); any other parameter stands for the code under test."""
    memo = scope.helpers.fixtures
    key = id(fixture.node)
    if key in memo:
        value, found = memo[key]
        literals |= found
        return value
    memo[key] = (SUT, frozenset())  # a fixture that reaches itself: the code under test
    sub = Scope(fixture.module, scope.index, scope.helpers)
    walker = Walker(sub, fixture.node, SUT, helper=True)
    walker.prepare()
    if depth < _FIXTURE_DEPTH:
        for param in parameters(fixture.node):
            inner = sub.fixture(param)
            if inner is None or inner.node is fixture.node:
                continue
            given = _fixture_result(inner, sub, walker.flow.setup_literals, depth + 1)
            if given.src & Src.MOCK and not given.src & Src.SUT:
                walker.flow.env[param] = Val(Src.MOCK, mock=param)
                walker.flow.wired.add(param)
                for path, val in value_configured(inner, sub).items():
                    walker.flow.configured[param + path] = val
    out: Val | None = None
    for stmt in fixture.node.body:
        walker.stmt(stmt, Ctx())
        for node in walk(stmt):
            if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None:
                out = walker.flow.eval(node.value)
        if out is not None:
            break
    value = out if out is not None else SUT
    memo[key] = (value, frozenset(walker.flow.setup_literals))
    literals |= walker.flow.setup_literals
    return value


def value_configured(fixture: Fixture, scope: Scope) -> dict[str, Val]:
    """``{".get": Val}`` for the return values a mock-returning fixture configures."""
    sub = Scope(fixture.module, scope.index, scope.helpers)
    walker = Walker(sub, fixture.node, SUT, helper=True)
    walker.prepare()
    walker.block(fixture.node.body, Ctx())
    name = None
    for node in walk(fixture.node):
        if isinstance(node, (ast.Return, ast.Yield)) and isinstance(node.value, ast.Name):
            name = node.value.id
    if name is None:
        return {}
    return {path[len(name):]: val for path, val in walker.flow.configured.items()
            if path == name or path.startswith(name + ".")}


def _calls_super(node: FunctionNode, name: str) -> bool:
    """``super().name(...)`` or ``Base.name(self, ...)`` in ``node``."""
    for sub in walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and \
                sub.func.attr == name:
            owner = sub.func.value
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and \
                    owner.func.id == "super":
                return True
            if isinstance(owner, (ast.Name, ast.Attribute)) and sub.args and \
                    isinstance(sub.args[0], ast.Name) and sub.args[0].id in ("self", "cls"):
                return True
    return False


def _free_reads(node: FunctionNode | ast.Lambda) -> frozenset[str]:
    """The names a local function or lambda reads and neither takes nor binds itself: the
    enclosing test's (or the module's), looked up when it is called."""
    bound: set[str] = set()
    loaded: set[str] = set()
    for sub in walk(node):
        if isinstance(sub, ast.arg):
            bound.add(sub.arg)
        elif isinstance(sub, ast.Name):
            (loaded if isinstance(sub.ctx, ast.Load) else bound).add(sub.id)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and \
                sub is not node:
            bound.add(sub.name)
    return frozenset(loaded - bound)


def _closure_mutated(node: ast.stmt) -> set[str]:
    """Names of the enclosing test a local function or class rebinds or mutates."""
    out: set[str] = set()
    for sub in walk(node):
        if isinstance(sub, ast.Nonlocal):
            out.update(sub.names)
        elif isinstance(sub, (ast.Assign, ast.AugAssign)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            for target in targets:
                while isinstance(target, (ast.Subscript, ast.Attribute)):
                    target = target.value
                    if isinstance(target, ast.Name):
                        out.add(target.id)
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and \
                isinstance(sub.func.value, ast.Name) and sub.func.attr in MUTATORS:
            out.add(sub.func.value.id)
    return out


def analyze(scope: Scope, node: FunctionNode, param_val: Val | None = None,
            helper: bool = False, supplied: frozenset[str] = frozenset()) -> TestFacts:
    walker = Walker(scope, node, param_val, helper)
    walker.supplied = supplied
    facts = walker.run()
    if not helper:
        for param in [a.arg for a in node.args.args]:
            fixture = scope.fixture(param)
            if fixture is None:
                continue
            judged = scope.helpers.judged(
                Scope(fixture.module, scope.index, scope.helpers), fixture.node, True)
            if judged is not None:
                facts.checks.append(Check(Kind.FIXTURE, node, name=param, base=judged[0],
                                          helper_name=fixture.name, helper_rules=judged[1]))
    return facts


def _set_test(test: ast.expr) -> str | None:
    """The name an ``if`` tests only for being set: ``p is not None`` -> ``p``."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and \
            isinstance(test.ops[0], ast.IsNot) and isinstance(test.left, ast.Name) and \
            isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        return test.left.id
    return None


def _supplied(call: ast.Call, node: FunctionNode, bound: bool) -> frozenset[str]:
    """The helper's parameters the call gives a value other than a literal None (by
    position, after ``self`` for a bound method, or by keyword)."""
    names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
    if bound and names:
        names = names[1:]
    out: set[str] = set()
    for i, arg in enumerate(call.args):
        if i >= len(names) or isinstance(arg, ast.Starred):
            break  # after `*args` positions are unknown
        if not is_none(arg):
            out.add(names[i])
    out |= {k.arg for k in call.keywords if k.arg is not None and not is_none(k.value)}
    return frozenset(out)


def _custom_raises(method: str) -> bool:
    """A TestCase base's own raises context (``assertRaisesParseException``)."""
    return method.startswith("assert") and ("Raises" in method or "Warns" in method)


