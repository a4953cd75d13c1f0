"""Per-test data flow: where every value a check compares comes from.

The ``Flow`` object walks expressions in statement order and keeps an environment from names
(and ``self.x`` attributes) to abstract values (``Val``). A value produced by a call into the
code under test is ``SUT``; mocks, the values configured on them, the test's literals and
``mock.ANY`` are told apart, so that a rule can ask whether an assertion's operands depend on
the code under test at all. Unknown names and calls count as the code under test: when in
doubt, refute assumes the test is doing something real.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TypeVar

from refute.static.facts import LITERAL, SUT, MockCreation, Patch, ProjectCall, Src, SutCall, Val
from refute.static.index import ProjectIndex
from refute.static.module import ModuleTables, imported_origin
from refute.static.names import (
    MOCK_CONSTRUCTORS,
    MOCK_RECORD_ATTRIBUTES,
    PURE_CALLS,
    call_arguments,
    dotted,
    leaf,
    run_by_event_loop,
)
from refute.static.nodes import children, own_nodes, walk

MOCK_MODULES = ("unittest.mock", "mock", "pytest_mock", "asynctest")
MUTATORS = {"append", "extend", "add", "update", "insert", "setdefault", "write", "put",
            "push", "send", "feed", "register", "set", "__setitem__"}
# reading a file: after the code under test ran, what it wrote
FILE_READS = {"read_text", "read_bytes", "read", "readlines"}


def state_key(node: ast.AST) -> str | None:
    """The key under which the flow remembers facts about a name (``x``) or an attribute of
    the test's instance or class (``self.x``; ``cls.x`` is the same key), else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
            node.value.id in ("self", "cls"):
        return f"self.{node.attr}"
    return None


_CONTAINERS = frozenset({"list", "dict", "set", "deque", "defaultdict", "OrderedDict",
                         "Counter", "bytearray"})


def _mutable(node: ast.AST) -> bool:
    """A new mutable container: ``[]``, ``{}``, ``set()``, ``deque()``..."""
    if isinstance(node, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return isinstance(node, ast.Call) and leaf(dotted(node.func)) in _CONTAINERS


def _own_instance(node: ast.expr) -> bool:
    """``self`` or ``cls``: the test case (or the helper's own object), not the code under
    test."""
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def mock_root(path: str) -> str:
    """The object a mock path hangs from: ``m`` for ``m().read``, ``self.m`` for
    ``self.m.get``."""
    head, _, rest = path.partition(".")
    if head in ("self", "cls") and rest:
        return f"{head}.{rest.split('.')[0].split('(')[0].split('[')[0]}"
    return head.split("(")[0].split("[")[0]


def display_elements(node: ast.AST | None) -> list[ast.expr]:
    """The values a display holds: a dict's values, a list's, tuple's or set's elements;
    nothing for anything else."""
    if isinstance(node, ast.Dict):
        return node.values
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return node.elts
    return []


def _held_mocks(val: Val, node: ast.AST | None, env: dict[str, Val]) -> list[str]:
    """The mocks a value is or holds: ``fh``, or the elements of ``[fh1, fh2]`` (a
    ``side_effect`` list)."""
    if val.src & Src.MOCK and val.mock:
        return [mock_root(val.mock)]
    out = []
    for elt in display_elements(node):
        key = dotted(elt)
        held = env.get(key) if key else None
        if held is not None and held.src & Src.MOCK:
            out.append(mock_root(held.mock or key or ""))
    return out


LITERAL_NODES = (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Set, ast.Load, ast.UnaryOp,
                 ast.USub)


def is_literal(node: ast.AST) -> bool:
    """A constant or a display of constants: ``3``, ``{"id": 4}``, ``[1, -2]``."""
    return all(isinstance(sub, LITERAL_NODES) for sub in walk(node))


@dataclass
class Flow:
    """The environment of one function under analysis."""

    module: ModuleTables
    index: ProjectIndex
    env: dict[str, Val] = field(default_factory=dict)
    configured: dict[str, Val] = field(default_factory=dict)
    wired: set[str] = field(default_factory=set)
    # classes the test defines: an object of one that is given a mock holds it, and hands it
    # on to the code under test with itself (`_RequestErrorOnce(request_error).request`)
    local_classes: set[str] = field(default_factory=set)
    # local functions and lambdas -> the enclosing test's names they read (``closure_reads``)
    closure_reads: dict[str, frozenset[str]] = field(default_factory=dict)
    # a mock set as another mock's attribute or return value (``m.open.return_value = fh``)
    # -> the mock it hangs from: the code reaches it when it reaches that one
    links: dict[str, str] = field(default_factory=dict)
    # a loop variable -> the container it iterates (``for h in headers``): the code changing
    # an element changes the container
    elements: dict[str, str] = field(default_factory=dict)
    # names bound to a display that holds mocks (``{"one": Mock()}``): an element read from
    # one is reached when the display is
    holders: set[str] = field(default_factory=set)
    # names bound together by one unpacking (``for got, want in zip(result, expected)``) ->
    # that target's identity: different positions of one value, not two results of one call
    unpacked: dict[str, int] = field(default_factory=dict)
    # literal values (constants and displays of them, as AST dumps) that the test, its
    # fixtures or its set-up configured as a mock's return value
    setup_literals: set[str] = field(default_factory=set)
    # names the test's own import statements bind (``from pkg import mod as m`` inside the
    # test) -> their origin, ahead of the module's imports
    imports: dict[str, str] = field(default_factory=dict)
    patches: list[Patch] = field(default_factory=list)
    mocks: list[MockCreation] = field(default_factory=list)
    sut_calls: list[SutCall] = field(default_factory=list)
    project_calls: list[ProjectCall] = field(default_factory=list)
    raises_stack: list[tuple[str, ...]] = field(default_factory=list)
    _recorded: set[int] = field(default_factory=set)
    _const_guard: set[str] = field(default_factory=set)
    merge: bool = False  # inside a branch: a binding adds to what the name may hold
    # parametrize arguments: data, but when called they are callables (classes, functions)
    # the test was handed, so calling one runs code refute cannot see: it counts as real
    params: set[str] = field(default_factory=set)
    # inside a branch or loop decided by the code under test: what is bound here depends on it
    control: bool = False
    # mocks configured to return None: a command whose result the code ignores, not a stub
    configured_none: set[str] = field(default_factory=set)
    # a mock -> what the test configured as its return value (a dotted name or a dump), and
    # the expressions by which the test reads that value straight back (``m.get()`` in the
    # test itself, or a name bound to it): ``assert m.get() == order`` compares the set-up
    # with itself, whatever ``order`` is made of
    echo_of: dict[str, str] = field(default_factory=dict)
    echoes: dict[int, str] = field(default_factory=dict)
    echo_names: dict[str, str] = field(default_factory=dict)
    # mock attributes configured with a mutable container (``Mock(on_tick=set())``,
    # ``m.items = []``): the code that reaches the mock may fill it
    mutable_config: set[str] = field(default_factory=set)
    # attribute reads of mocks the code can reach that the test did not configure (or
    # configured with a container): what they hold, the code wrote (``resp.status_code``
    # after ``handle(resp)``); ids of the nodes
    code_written: set[int] = field(default_factory=set)
    nonempty: set[str] = field(default_factory=set)  # names bound to non-empty displays
    lengths: dict[str, int] = field(default_factory=dict)  # names bound to literal sequences

    # ------------------------------------------------------------------ classification helpers
    def origin(self, name: str | None) -> str:
        if not name:
            return ""
        if self.imports:  # the test's own imports come first
            found = imported_origin(self.imports, name)
            if found is not None:
                return found
        return self.module.origin(name)

    def is_mock_api(self, name: str | None, attr: str) -> bool:
        """``Mock``, ``mock.MagicMock``, ``mocker.Mock``... for the callee name ``name``."""
        if not name or leaf(name) != attr:
            return False
        parts = name.split(".")
        if parts[0] == "mocker":
            return True
        origin = self.origin(name)
        return origin == attr or origin.startswith(tuple(m + "." for m in MOCK_MODULES))

    def patch_kind(self, call: ast.Call) -> str | None:
        name = dotted(call.func)
        if not name:
            return None
        parts = name.split(".")
        if "patch" not in parts:
            return None
        i = parts.index("patch")
        prefix, suffix = parts[:i], parts[i + 1:]
        if suffix not in ([], ["object"], ["dict"], ["multiple"]):
            return None
        if prefix and prefix[0] != "mocker":
            origin = self.origin(".".join(prefix))
            if not origin.startswith(MOCK_MODULES) and origin not in MOCK_MODULES:
                return None
        elif not prefix:
            origin = self.origin("patch")
            if not origin.startswith(MOCK_MODULES):
                return None
        return "patch" + ("." + suffix[0] if suffix else "")

    # ------------------------------------------------------------------ recording
    def record_patch(self, call: ast.Call) -> Patch | None:
        kind = self.patch_kind(call)
        if kind is None:
            return None
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        specced = any(k in kw for k in ("autospec", "spec", "spec_set", "new_callable"))
        create = isinstance(kw.get("create"), ast.Constant) and bool(kw["create"].value)  # type: ignore[attr-defined]
        patch = Patch(node=call, kind=kind, target=None, create=create, specced=specced)
        if kind == "patch":
            if call.args and isinstance(call.args[0], ast.Constant):
                patch.target = str(call.args[0].value)
            patch.has_new = len(call.args) > 1 or "new" in kw
        elif kind == "patch.object":
            if call.args:
                patch.obj = dotted(call.args[0])
            if len(call.args) > 1 and isinstance(call.args[1], ast.Constant):
                patch.attr = str(call.args[1].value)
            if patch.obj and patch.attr:
                patch.target = f"{self.origin(patch.obj)}.{patch.attr}"
            patch.has_new = len(call.args) > 2 or "new" in kw
        else:
            patch.has_new = True
        if id(call) not in self._recorded:
            self._recorded.add(id(call))
            self.patches.append(patch)
            for arg in [*call.args[1:], *(k.value for k in call.keywords)]:
                self.escape(arg)
        return patch

    def record_mock(self, call: ast.Call, name: str) -> None:
        if id(call) in self._recorded:
            return
        self._recorded.add(id(call))
        kw = {k.arg for k in call.keywords if k.arg}
        specced = bool(call.args) or bool(kw & {"spec", "spec_set", "autospec", "wraps"})
        if leaf(name) in ("create_autospec", "mock_open", "PropertyMock"):
            specced = True
        unsafe = any(k.arg == "unsafe" and isinstance(k.value, ast.Constant) and k.value.value
                     for k in call.keywords)
        self.mocks.append(MockCreation(call, name, specced, bool(unsafe)))

    def escape(self, arg: ast.AST) -> None:
        """A value handed to the code under test: mocks in it are wired, literals may change."""
        kind = type(arg)
        if kind is ast.Constant:
            return
        Name, Attribute = ast.Name, ast.Attribute
        for node in (arg,) if kind is Name else walk(arg):
            if type(node) is Name or type(node) is Attribute:
                key = dotted(node)
                if key and key in self.links.values():
                    # `{"one": m}` handed over: the code reaches the mocks it holds
                    self.wired.update(h for h, owner in self.links.items() if owner == key)
                if key and key in self.env:
                    val = self.env[key]
                    if val.src & Src.MOCK:
                        self.wired.add(mock_root(val.mock or key))
                    elif val.src & Src.LITERAL and not val.src & Src.SUT:
                        self.env[key] = val | SUT
                        container = self.elements.get(key)
                        held = self.env.get(container) if container else None
                        if container and held is not None and not held.src & Src.SUT:
                            self.env[container] = held | SUT

    # ------------------------------------------------------------------ binding
    def bind(self, target: ast.AST, val: Val, value_node: ast.AST | None = None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self.bind(elt.value if isinstance(elt, ast.Starred) else elt,
                          Val(val.src, val.calls, None, None, False), None)
            for elt in target.elts:
                if isinstance(elt, ast.Name):
                    self.unpacked[elt.id] = id(target)
            return
        if self.unpacked and isinstance(target, ast.Name):
            self.unpacked.pop(target.id, None)
        if isinstance(target, ast.Name) and (self.echo_names or self.echoes):
            echo = self.echoes.get(id(value_node)) if value_node is not None else None
            if echo is not None and not self.merge:
                self.echo_names[target.id] = echo
            else:
                self.echo_names.pop(target.id, None)
        if self.lengths:
            self.lengths.pop(state_key(target) or "", None)  # rebound: its length is unknown
        key = dotted(target)
        if isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            if owner.src & Src.MOCK and owner.mock and not owner.src & Src.SUT:
                if isinstance(value_node, (ast.Lambda, ast.Name)) and \
                        target.attr == "side_effect":
                    # the code runs it when it calls the mock: what it touches may change
                    self.escape(value_node.body if isinstance(value_node, ast.Lambda)
                                else value_node)
                self._configure(owner.mock, target.attr, val)
                if value_node is not None and _mutable(value_node):
                    self.mutable_config.add(f"{owner.mock}.{target.attr}")
                configured = dotted(value_node) if value_node is not None else None
                if target.attr == "return_value":
                    if isinstance(value_node, ast.Constant) and value_node.value is None:
                        self.configured_none.add(owner.mock)  # a command's result ignored
                    else:
                        self.configured_none.discard(owner.mock)
                    if value_node is not None:
                        self.echo_of[owner.mock] = configured or ast.dump(value_node)
                        if is_literal(value_node):
                            self.setup_literals.add(ast.dump(value_node))
                elif target.attr == "side_effect":
                    self.echo_of.pop(owner.mock, None)  # the side effect decides what it returns
                for held in _held_mocks(val, value_node, self.env):
                    self.links[held] = mock_root(owner.mock)
                if configured and configured in self.env:
                    self.env[configured] = self.env[configured] | Val(Src.SETUP)
                return
            if val.src & Src.MOCK and val.mock:
                self.wired.add(mock_root(val.mock))
            if owner.sut and not owner.src & Src.MOCK and not (
                    val.src & Src.MOCK and _own_instance(target.value)):
                # set on an object of the code under test: reading it back goes through its
                # class (properties, converters, __setattr__), so it is no longer the test's own.
                # A mock set on the test case itself (``self.store = Mock()`` in setUp) stays a
                # mock; other values kept on it may be changed by the methods the code calls
                val = val | SUT
        if key is None:
            if isinstance(target, ast.Subscript) and value_node is not None:
                self.escape(value_node)
            root = target
            keyed = False  # `seen[code()] = 1`: what the container holds is the code's hashing
            while isinstance(root, (ast.Subscript, ast.Attribute)):
                if isinstance(root, ast.Subscript):
                    keyed = self.eval(root.slice).sut or keyed
                root = root.value
            if isinstance(root, ast.Name) and root.id in self.env and (
                    self.control or val.sut or keyed):
                self.env[root.id] = self.env[root.id] | SUT  # `seen[k] = code(...)`
            return
        if val.src & Src.MOCK and not val.src & Src.SUT and (
            val.mock is None or (value_node is not None and isinstance(value_node, ast.Call))
        ):
            # a fresh mock takes the name it is bound to
            if isinstance(value_node, ast.Call) and val.mock and val.mock.startswith("<"):
                old = val.mock
                for path in [p for p in self.configured if p == old or p.startswith(old + ".")]:
                    self.configured[key + path[len(old):]] = self.configured.pop(path)
                    if path in self.mutable_config:
                        self.mutable_config.discard(path)
                        self.mutable_config.add(key + path[len(old):])
                if old in self.wired:
                    self.wired.discard(old)
                    self.wired.add(mock_root(key))
                for held, hung_from in list(self.links.items()):
                    if hung_from == old:
                        self.links[held] = mock_root(key)
            val = Val(val.src, val.calls, key, val.cls, val.dictlike)
        if isinstance(value_node, (ast.Dict, ast.List, ast.Tuple, ast.Set)) and \
                val.src & Src.MOCK:
            # `proxies = {"one": m, "two": Mock()}`: the mocks it holds hang from it
            self.holders.add(key)
            for held in _held_mocks(Val(Src.LITERAL), value_node, self.env):
                self.links[held] = key
        else:
            self.holders.discard(key)
        if self.control:
            val = val | SUT
        if self.merge and key in self.env:
            val = self.env[key] | val
        self.env[key] = val

    def note_elements(self, target: ast.AST, iterable: ast.AST) -> None:
        container = dotted(iterable)
        if isinstance(target, ast.Name) and container:
            self.elements[target.id] = container
        elif isinstance(target, ast.Name):
            self.elements.pop(target.id, None)

    def is_wired(self, root: str) -> bool:
        """The code under test can reach the mock: it was handed over, is kept on ``self``,
        or hangs from a mock that can be reached."""
        seen: set[str] = set()
        while root not in seen:
            if root in self.wired or root.startswith("self."):
                return True
            seen.add(root)
            owner = self.links.get(root)
            if owner is None:
                return False
            root = owner
        return False

    def _configure_created(self, call: ast.Call, placeholder: str) -> None:
        """``Mock(return_value=X)`` / ``patch(..., side_effect=[a, b])``: configured values,
        and the mocks among them hang from the new one."""
        for kw in call.keywords:
            if kw.arg in ("return_value", "side_effect"):
                val = self.eval(kw.value)
                self.configured[placeholder] = val | Val(Src.SETUP)
                if kw.arg == "return_value" and is_literal(kw.value):
                    self.setup_literals.add(ast.dump(kw.value))
            elif kw.arg is None or kw.arg in ("spec", "spec_set", "name", "unsafe"):
                continue
            else:  # `MagicMock(spec=Logger, log=log)`: an attribute set at creation
                val = self.eval(kw.value)
                if _mutable(kw.value):
                    self._configure(placeholder, kw.arg, val)
                    self.mutable_config.add(f"{placeholder}.{kw.arg}")
            for held in _held_mocks(val, kw.value, self.env):
                self.links[held] = placeholder

    def _configure(self, path: str, attr: str, val: Val) -> None:
        if attr in ("return_value", "side_effect"):
            self.configured[path] = val | Val(Src.SETUP)
        else:
            self.configured[f"{path}.{attr}"] = val | Val(Src.SETUP)

    def calls_code(self, node: ast.AST) -> bool:
        """A local function or lambda body calls imported or code-derived callables.

        Such a function is a wrapper around the code under test (``mk = lambda: list(f(x))``),
        not the test's own arithmetic, so what it returns depends on the code.
        """
        for sub in walk(node):
            if isinstance(node, ast.ClassDef) and isinstance(sub, ast.Name) and \
                    sub.id in self.env and self.env[sub.id].sut:
                return True  # `my_method = compose(...)` built by the code, used as a method
            if not isinstance(sub, ast.Call):
                continue
            name = dotted(sub.func)
            if not name:
                continue
            head = name.partition(".")[0]
            if head in self.env:
                if self.env[head].sut:
                    return True
            elif head in self.module.imports and self.origin(name) not in PURE_CALLS:
                return True
        return False

    # ------------------------------------------------------------------ evaluation
    def eval(self, node: ast.AST | None) -> Val:
        # by exact type (the parser makes no subclasses): cheaper than `isinstance` for each
        # type a node is not
        if node is None or type(node) is ast.Constant:
            return LITERAL
        if type(node) is ast.Name:
            if self.echo_names and node.id in self.echo_names:
                self.echoes[id(node)] = self.echo_names[node.id]
            return self._name(node.id)
        if type(node) is ast.Attribute:
            return self._attribute(node)
        if type(node) is ast.Call:
            return self._call(node)
        if type(node) is ast.Subscript:
            base = self.eval(node.value)
            self.eval(node.slice)
            held = None
            holder = dotted(node.value)
            if holder in self.holders:  # `proxies["one"]` of `proxies = {"one": Mock()}`
                held = f"{holder}[{ast.unparse(node.slice)}]"
            return Val(base.src, base.calls, held, None, False)
        if type(node) is ast.Dict:
            out = Val(Src.LITERAL, dictlike=True)
            for part in [*node.keys, *node.values]:
                if part is not None:
                    out = out | self._drop_path(self.eval(part))
            return out
        if type(node) is ast.BinOp:
            left, right = self.eval(node.left), self.eval(node.right)
            # `mine | Box(...)`: the operator of an object the code built receives the
            # test's own value, and may change it
            if right.cls and left.src & Src.LITERAL:
                self.escape(node.left)
            if left.cls and right.src & Src.LITERAL:
                self.escape(node.right)
            out = self._drop_path(left) | self._drop_path(right)
            return out if out.src else LITERAL
        if type(node) is ast.Lambda:
            return SUT if self.calls_code(node.body) else LITERAL
        if type(node) is ast.NamedExpr:
            val = self.eval(node.value)
            self.bind(node.target, val, node.value)
            return val
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            # a comprehension's variables are its own: `[f"u{r}" for r in range(5)]` leaves
            # the test's `r` (a fixture) as it was
            names = {sub.id for gen in node.generators for sub in walk(gen.target)
                     if isinstance(sub, ast.Name)}
            env, unpacked = _saved(self.env, names), _saved(self.unpacked, names)
            echoes, elements = _saved(self.echo_names, names), _saved(self.elements, names)
            out = LITERAL
            for gen in node.generators:
                it = self.eval(gen.iter)
                self.bind(gen.target, it)
                self.note_elements(gen.target, gen.iter)
                out = out | it
                for cond in gen.ifs:
                    # which elements are kept is the condition's doing: `[c for c in text
                    # if col(c) == 1]` holds what `col` decided
                    out = out | self._drop_path(self.eval(cond))
            elts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            for elt in elts:
                out = out | self._drop_path(self.eval(elt))
            _restore(self.env, env, names)
            _restore(self.unpacked, unpacked, names)
            _restore(self.echo_names, echoes, names)
            _restore(self.elements, elements, names)
            return out
        out = Val(Src.NONE)
        for child in children(node):
            if isinstance(child, ast.expr):
                out = out | self._drop_path(self.eval(child))
        return out if out.src else LITERAL

    @staticmethod
    def _drop_path(val: Val) -> Val:
        return Val(val.src, val.calls, None, None, False) if val.mock or val.cls else val

    def _name(self, name: str) -> Val:
        if name in self.env:
            return self.env[name]
        origin = self.origin(name)
        if origin.endswith("mock.ANY") or (name == "ANY" and origin == "ANY"):
            return Val(Src.ANY)
        if name in self.module.constants and name not in self._const_guard:
            if self.module.literal_constant(name):
                return LITERAL  # what evaluating it gives, without walking it at every use
            self._const_guard.add(name)
            try:
                val = self.eval(self.module.constants[name])
            finally:
                self._const_guard.discard(name)
            return LITERAL if val.src == Src.LITERAL else SUT
        return SUT

    def _attribute(self, node: ast.Attribute) -> Val:
        key = dotted(node)
        if key and key in self.env:
            return self.env[key]
        if key and self.origin(key).endswith("mock.ANY"):
            return Val(Src.ANY)
        if node.attr in MOCK_RECORD_ATTRIBUTES:
            # `m.get.call_count` where `m.get.return_value` was configured: the record of the
            # calls the code made, not the configured value
            base = dotted(node.value)
            root = self.env.get(mock_root(base)) if base else None
            if root is not None and root.src & Src.MOCK and not root.src & Src.SUT:
                return Val(Src.INTERACTION, mock=base)
        owner = self.eval(node.value)
        if owner.src & Src.MOCK and not owner.src & Src.SUT:
            path = owner.mock or "<mock>"
            if node.attr in MOCK_RECORD_ATTRIBUTES:
                return Val(Src.INTERACTION, mock=path)
            if node.attr == "return_value":
                return self.configured.get(path, Val(Src.MOCK | Src.SETUP, mock=path + "()"))
            sub = f"{path}.{node.attr}"
            if sub in self.configured:
                if sub in self.mutable_config and self.is_wired(mock_root(path)):
                    self.code_written.add(id(node))
                return self.configured[sub]
            if self.is_wired(mock_root(path)):
                self.code_written.add(id(node))
            return Val(Src.MOCK, mock=sub)
        if owner.src & Src.INTERACTION:
            return owner
        if owner.sut and node.attr in MOCK_RECORD_ATTRIBUTES:
            # svc.repo.save.called: a mock reached through the object under test
            return Val(Src.INTERACTION, mock=key)
        return Val(owner.src, owner.calls, None, None, False)

    def _args(self, call: ast.Call) -> Val:
        out = Val(Src.NONE)
        for arg in call_arguments(call):
            if type(arg) is ast.Attribute and arg.attr in MUTATORS and \
                    type(arg.value) is ast.Name and arg.value.id in self.env:
                # `finalize(obj, dead.add, "A")`: the code calls the test's collection back
                self.env[arg.value.id] = self.env[arg.value.id] | SUT
            out = out | self._drop_path(self.eval(arg.value if type(arg) is ast.Starred
                                                  else arg))
        return out

    def _call(self, call: ast.Call) -> Val:
        name = dotted(call.func)
        lf = leaf(name)
        # mocks and patches
        if lf in MOCK_CONSTRUCTORS and self.is_mock_api(name, lf):
            self.record_mock(call, lf)
            self._args(call)
            placeholder = f"<mock@{call.lineno}:{call.col_offset}>"
            self._configure_created(call, placeholder)
            return Val(Src.MOCK, mock=placeholder)
        run = run_by_event_loop(call, self.origin(name)) if lf in (
            "run", "run_until_complete") and len(call.args) == 1 and not call.keywords else None
        if run is not None:
            # `asyncio.run(m.fetch())`: the event loop hands back what the coroutine returns;
            # for a mock's coroutine that is the value the test configured
            inner = self.eval(run)
            if inner.src & (Src.MOCK | Src.SETUP) and not inner.src & Src.SUT:
                if id(run) in self.echoes:
                    self.echoes[id(call)] = self.echoes[id(run)]
                return inner
        patch = self.record_patch(call)
        if patch is not None:
            placeholder = f"<mock@{call.lineno}:{call.col_offset}>"
            self.wired.add(placeholder)
            self._configure_created(call, placeholder)
            return Val(Src.MOCK, mock=placeholder)
        if name and name.startswith("mocker.") and lf in ("spy", "stub", "async_stub"):
            self._args(call)
            placeholder = f"<mock@{call.lineno}:{call.col_offset}>"
            self.wired.add(placeholder)
            return Val(Src.MOCK, mock=placeholder)
        # calls on a value
        if isinstance(call.func, ast.Attribute):
            owner = self.eval(call.func.value)
            args = self._args(call)
            if owner.src & Src.MOCK and not owner.src & Src.SUT:
                return self._mock_call(f"{owner.mock or '<mock>'}.{call.func.attr}", call)
            if owner.src & Src.INTERACTION:
                return owner
            if self._patched(call, owner):
                return Val(Src.PATCHED | Src.SETUP)
            if name and self.origin(name) in PURE_CALLS:
                return args if args.src else LITERAL
            if owner.src == Src.LITERAL or owner.src == Src.LITERAL | Src.SETUP:
                if call.func.attr in FILE_READS and self.sut_calls:
                    # `Path("extracted.pot").read_text()` once the code has run (here or in
                    # a subprocess): what it reads is what the code wrote
                    return SUT
                if (args.sut or self.control) and call.func.attr in MUTATORS:
                    key = dotted(call.func.value)
                    if key:
                        self.env[key] = owner | SUT
                return Val(owner.src | args.src, args.calls, dictlike=owner.dictlike)
            return self._sut_call(call, name, owner | args, owner)
        func = self.eval(call.func) if not isinstance(call.func, ast.Name) else None
        if isinstance(call.func, ast.Name) and call.func.id in self.env:
            func = self.env[call.func.id]
        args = self._args(call)
        if func is not None and func.src & Src.MOCK and not func.src & Src.SUT:
            return self._mock_call(func.mock or "<mock>", call)
        if func is not None and func.src == Src.LITERAL and isinstance(call.func, ast.Name) \
                and call.func.id not in self.params:
            if call.func.id in self.local_classes:
                for arg in call_arguments(call):
                    self.escape(arg)
            out = args if args.src else LITERAL  # a local lambda or function
            for free in self.closure_reads.get(call.func.id, ()):
                # `def counts(): return len(cart.items)`: it reads the test's names as they
                # are when it is called
                held = self.env.get(free)
                if held is not None and held.sut:
                    out = out | held
            return out
        if func is None and isinstance(call.func, ast.Name) and \
                call.func.id not in self.env and self._mock_factory(call.func.id):
            return Val(Src.MOCK, mock=f"<mock@{call.lineno}:{call.col_offset}>")
        if self._patched(call, None):
            return Val(Src.PATCHED | Src.SETUP)
        if name and (self.origin(name) in PURE_CALLS or (
                name in PURE_CALLS and self.index.resolve_module(self.origin(name)) is None)):
            # `Path(...)` is pathlib's, unless the project's own (`from anyio import Path`)
            out = args if args.src else LITERAL
            if lf == "dict" or lf in ("loads", "OrderedDict", "defaultdict", "Counter"):
                out = Val(out.src, out.calls, dictlike=True)
            return out
        return self._sut_call(call, name, args)

    def _mock_factory(self, name: str) -> bool:
        """A function of the test module that builds a mock and returns it
        (``def make_response(payload): r = Mock(); r.json.return_value = payload;
        return r``): what it returns is the test's own double, not the code's output.
        Answered once per module, name and test-local imports (which name the mock
        constructors too): a test calls its module's helpers again and again."""
        key = (name, *self.imports.items()) if self.imports else name
        known = self.module.mock_factories.get(key)
        if known is None:
            known = self.module.mock_factories[key] = self._builds_mock(name)
        return known

    def _builds_mock(self, name: str) -> bool:
        node = self.module.functions.get(name)
        if node is None or name in self.module.fixtures:
            return False
        made: set[str] = set()
        other: set[str] = set()
        returned: list[ast.expr | None] = []
        for sub in own_nodes(node):
            if isinstance(sub, ast.Return):
                returned.append(sub.value)
            elif isinstance(sub, ast.Assign):
                for target in sub.targets:
                    if isinstance(target, ast.Name):
                        (made if self._makes_mock(sub.value) else other).add(target.id)
        return bool(returned) and not made & other and all(
            value is not None and (self._makes_mock(value) or (
                isinstance(value, ast.Name) and value.id in made)) for value in returned)

    def _makes_mock(self, value: ast.expr) -> bool:
        if not isinstance(value, ast.Call):
            return False
        name = dotted(value.func)
        return leaf(name) in MOCK_CONSTRUCTORS and self.is_mock_api(name, leaf(name))

    def _mock_call(self, path: str, call: ast.Call) -> Val:
        for arg in call_arguments(call):
            self.eval(arg)
        if path in self.echo_of:
            self.echoes[id(call)] = self.echo_of[path]
        if path in self.configured:
            return self.configured[path]
        return Val(Src.MOCK, mock=path + "()")

    def _sut_call(self, call: ast.Call, name: str | None, inputs: Val,
                  owner: Val | None = None) -> Val:
        for arg in call_arguments(call):
            self.escape(arg)
        if isinstance(call.func, ast.Attribute):
            self.escape(call.func.value)
        if id(call) not in self._recorded:
            self._recorded.add(id(call))
            self.sut_calls.append(SutCall(call, name or "<call>", None, False))
            qual = self.resolve_project(call, owner)
            if qual:
                self.project_calls.append(ProjectCall(
                    call, qual, self.raises_stack[-1] if self.raises_stack else None))
        cls = None
        if name and leaf(name)[:1].isupper():
            cls = self.origin(name)
        return Val(Src.SUT, (call,), None, cls, False)

    def resolve_project(self, call: ast.Call, owner: Val | None = None) -> str | None:
        """The qualified name of a project function or class a call reaches, if known.
        ``owner``: what the receiver of a method call holds, when the caller has it."""
        name = dotted(call.func)
        if name:
            origin = self.origin(name)
            if self.index.lookup_function(origin) or self.index.lookup_class(origin):
                return origin
        if isinstance(call.func, ast.Attribute):
            if owner is None:
                owner = self.eval(call.func.value)
            if owner.cls:
                cls = self.index.lookup_class(owner.cls)
                if cls and call.func.attr in cls.methods:
                    return f"{cls.qualname}.{call.func.attr}"
        return None

    def _patched(self, call: ast.Call, owner: Val | None) -> bool:
        if not self.patches:
            return False
        name = dotted(call.func)
        targets = {p.target for p in self.patches if p.target and not p.has_new}
        targets |= {p.target for p in self.patches if p.target and p.kind == "patch.object"}
        if name and "." in name and self.origin(name) in targets:
            return True
        if isinstance(call.func, ast.Attribute) and owner is not None and owner.cls:
            return f"{owner.cls}.{call.func.attr}" in targets
        return False


_T = TypeVar("_T")


def _saved(table: dict[str, _T], names: set[str]) -> dict[str, _T]:
    return {name: table[name] for name in names if name in table}


def _restore(table: dict[str, _T], saved: dict[str, _T], names: set[str]) -> None:
    """Put back what ``names`` held before a comprehension bound them (or nothing)."""
    for name in names:
        if name in saved:
            table[name] = saved[name]
        else:
            table.pop(name, None)
