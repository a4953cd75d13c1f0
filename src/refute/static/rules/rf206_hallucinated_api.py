"""RF206 hallucinated-api: the test assumes an API the project does not have.

What it does
    Checks the test against the project's own source: ``patch("a.b.c")`` whose target does not
    exist (builtins such as ``open`` patched on a module are fine), ``create=True`` on a
    project attribute (it turns that check off), a name patched where it is defined while the
    module under test imported it by name (so the patch never reaches it), and calls to project
    functions, methods or classes with keyword names or a number of arguments their signature
    does not accept. When such a call sits in a ``pytest.raises`` block that accepts
    ``TypeError`` (or any exception), the expected error is the test's own mistake.

Why is this bad
    Generated tests invent helper names and parameters. A patch of a missing attribute errors or,
    with ``create=True``, patches something nobody calls; a wrong call raises ``TypeError``,
    which a broad ``raises`` block then takes for the behaviour under test.

Example
    @patch("shop.pricing.fetch_rates")        # pricing has no fetch_rates
    def test_total(_):
        with pytest.raises(Exception):
            total([10, 20], currency="EUR")    # total() has no 'currency' parameter

Use instead
    @patch("shop.pricing.load_rates", autospec=True)
    def test_total(_):
        with pytest.raises(ValueError, match="negative"):
            total([10, -20])
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import Check, Kind, Patch, Strength
from refute.static.index import Signature
from refute.static.names import dotted, leaf
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView

CODE = "RF206"
NAME = "hallucinated-api"
SEVERITY = Severity.ERROR
PHASE = 1

_SWALLOWS_TYPEERROR = {"TypeError", "Exception", "BaseException"}
# the names ``unittest.mock.patch`` lets a test patch on a module that does not define them
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def _missing_target(view: TestView, patch: Patch) -> str | None:
    if not patch.target:
        return None
    found = view.index.resolve_module(patch.target)
    if found is None:
        return None
    module, rest = found
    if not rest:
        return None
    tables = view.index.source_modules[module]
    if tables.star_import or tables.has_getattr:
        return None
    names = view.index.source_names.get(module, set())
    if rest[0] not in names:
        if len(rest) == 1 and rest[0] in _BUILTINS:
            return None  # mock.patch creates a builtin's name in a module (``mod.open``)
        return f"module `{module}` defines no `{rest[0]}`"
    if len(rest) >= 2:
        cls = view.index.lookup_class(f"{module}.{rest[0]}")
        if cls is not None and cls.closed and rest[1] not in cls.attrs:
            return f"class `{module}.{rest[0]}` has no attribute `{rest[1]}`"
    return None


def _in_project(view: TestView, patch: Patch) -> bool:
    """The patch target is an attribute of the project's own code (``create=True`` on
    ``os.memfd_create`` is a platform's missing function, on ``mod.open`` a builtin)."""
    if not patch.target or patch.target.rsplit(".", 1)[-1] in _BUILTINS:
        return False
    found = view.index.resolve_module(patch.target)
    return found is not None and bool(found[1])


def _imported_elsewhere(view: TestView, patch: Patch) -> str | None:
    if patch.kind != "patch" or not patch.target:
        return None
    users = view.index.reexports.get(patch.target, [])
    if not users:
        return None
    origins = set(view.module.imports.values())
    owner = patch.target.rsplit(".", 1)[0]
    for user in users:
        if user == owner:
            continue
        imports_user = any(o == user or o.startswith(user + ".") for o in origins)
        imports_owner = any(o == owner or o.startswith(owner + ".") for o in origins)
        if imports_user and not imports_owner:
            name = patch.target.rsplit(".", 1)[1]
            return (f"`{user}` imports `{name}` by name, so patching `{patch.target}` does not "
                    f"change what `{user}` calls; patch `{user}.{name}`")
    return None


def _explicit_self(view: TestView, qualname: str, call: ast.Call, sig: Signature) -> bool:
    """``ClusterPubSub._resubscribe(pubsub)``: a method called through its class, with the
    instance as the first argument, binds once that argument stands for ``self``."""
    if not (isinstance(call.func, ast.Attribute) and call.args):
        return False
    owner = qualname.rpartition(".")[0]
    receiver = dotted(call.func.value)
    if view.index.lookup_class(owner) is None or receiver is None or \
            leaf(receiver) != owner.rpartition(".")[2]:
        return False
    unbound = ast.Call(func=call.func, args=call.args[1:], keywords=call.keywords)
    return sig.mismatch(unbound) is None


def _signature(view: TestView, qualname: str) -> Signature | None:
    fn = view.index.lookup_function(qualname)
    if fn is not None:
        return fn.signature
    cls = view.index.lookup_class(qualname)
    if cls is not None and cls.closed:
        return cls.init
    return None


def _raises_around(view: TestView, call: ast.Call) -> Check | None:
    for chk in view.facts.checks:
        if chk.kind in (Kind.RAISES, Kind.TRY_EXPECT) and \
                set(chk.exceptions) & _SWALLOWS_TYPEERROR:
            for stmt in chk.body:
                if any(node is call for node in walk(stmt)):
                    return chk
    return None


def check(view: TestView) -> Iterator[Hit]:
    for patch in view.facts.patches:
        line = getattr(patch.node, "lineno", 1)
        col = getattr(patch.node, "col_offset", 0) + 1
        missing = _missing_target(view, patch)
        if missing and not patch.create:
            yield Hit(line, col, f"hallucinated API: patch target `{patch.target}` does not "
                      f"exist: {missing}")
        elif patch.create and _in_project(view, patch):
            yield Hit(line, col, f"hallucinated API: `create=True` turns off the check that "
                      f"`{patch.target}` exists; a missing or renamed attribute is patched into "
                      "existence and the code under test never calls it")
        elsewhere = _imported_elsewhere(view, patch)
        if elsewhere:
            yield Hit(line, col, f"hallucinated API: {elsewhere}")
    seen: set[int] = set()
    for pcall in view.facts.project_calls:
        if id(pcall.node) in seen:
            continue
        seen.add(id(pcall.node))
        sig = _signature(view, pcall.qualname)
        if sig is None:
            continue
        why = sig.mismatch(pcall.node)
        if why is None or _explicit_self(view, pcall.qualname, pcall.node, sig):
            continue
        around = _raises_around(view, pcall.node)
        short = pcall.qualname.rsplit(".", 2)
        name = ".".join(short[-2:]) if len(short) > 2 else pcall.qualname
        if around is not None:
            yield Hit(pcall.node.lineno, pcall.node.col_offset + 1,
                      f"hallucinated API: `{name}()` {why}; the TypeError this raises is what "
                      f"the `{around.name}` block catches", around, Strength.NONE)
        else:
            yield Hit(pcall.node.lineno, pcall.node.col_offset + 1,
                      f"hallucinated API: `{name}()` {why}")
