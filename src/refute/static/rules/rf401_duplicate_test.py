"""RF401 duplicate-test: the same test body twice, or the same parametrize case twice.

What it does
    Flags tests whose bodies are identical after renaming local variables and dropping the
    docstring (copy-pasted or regenerated tests under new names), and ``parametrize`` lists that
    repeat a case. Tests that run the same body over different fixtures are not duplicates.

Why is this bad
    Duplicates inflate the test count and the feeling of safety without checking anything new.
    A repeated parametrize case usually means the case that was meant to be there is missing.

Example
    @pytest.mark.parametrize("n, expected", [(1, "1"), (2, "2"), (1, "1")])
    def test_fmt(n, expected):
        assert fmt(n) == expected

Use instead
    @pytest.mark.parametrize("n, expected", [(1, "1"), (2, "2"), (-1, "-1")])
    def test_fmt(n, expected):
        assert fmt(n) == expected
"""

from __future__ import annotations

import ast
import hashlib
import marshal
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from refute.model import Severity
from refute.static.facts import all_nodes
from refute.static.module import parameters, parametrize_names
from refute.static.names import SETUP_METHODS, dotted, leaf
from refute.static.nodes import MIXED_LISTS, holds_value, signature, walk
from refute.static.rules.base import Hit, TestView
from refute.static.suite import Suite, SuiteFinding

CODE = "RF401"
NAME = "duplicate-test"
SEVERITY = Severity.WARNING
PHASE = 1


@dataclass
class PrintMemo:
    """Serialised bodies and class-side definitions, keyed by node identity: whoever holds one keeps
    it no longer than the trees it describes."""

    bodies: dict[int, tuple[bytes | None, tuple[str, ...]]] = field(default_factory=dict)
    definitions: dict[int, bytes] = field(default_factory=dict)
    reads: dict[int, tuple[str, ...]] = field(default_factory=dict)  # a method's self.x
    bound: dict[tuple[int, ...], dict[str, ast.stmt]] = field(default_factory=dict)

    def binders(self, classes: list[ast.ClassDef]) -> dict[str, ast.stmt]:
        """What binds each name on the instances of the first class (see ``_binders``),
        built once per class chain."""
        key = tuple(map(id, classes))
        found = self.bound.get(key)
        if found is None:
            found = self.bound[key] = _binders(classes)
        return found


def fingerprint(node: ast.FunctionDef | ast.AsyncFunctionDef,
                classes: list[ast.ClassDef] | None = None,
                memo: PrintMemo | None = None,
                origin: Callable[[str], str] | None = None, salt: bytes = b"") -> str | None:
    """A hash of the normalised body, or None for bodies too trivial to compare.

    Local names (parametrized parameters and assigned names) are renamed in order of
    appearance; a fixture parameter keeps its name (the same body over two fixtures runs
    against two objects); the docstring does not count; the decorators do. A method that
    reads ``self.x``/``cls.x`` behaves differently in classes that define ``x``
    differently, so what defines each name it reads that way (a method or a class-level
    assignment) joins the fingerprint, as its class chain resolves it, with the set-up
    methods, the bases it cannot follow and the first class's decorators:
    ``self.cache(2)`` in two classes whose ``cache`` methods build different caches are two
    tests. With ``origin`` (the test module's import table), an imported name stands for
    what it was imported from: ``interpreters.is_shareable(obj)`` in a module that imported
    ``_xxsubinterpreters as interpreters`` and in one that imported ``test.support``'s
    ``interpreters`` are calls to two different functions. ``salt``: what else makes the
    same body behave differently (the module's ``__future__`` imports). With a ``memo``, a
    test inherited by several classes is serialised once.
    """
    memo = memo or PrintMemo()
    body = memo.bodies.get(id(node))
    if body is None:
        body = memo.bodies[id(node)] = _body_print(node, origin)
    printed, self_attrs = body
    if printed is None:
        return None
    digest = hashlib.sha1(printed, usedforsecurity=False)
    digest.update(salt)
    if classes and self_attrs:
        # what the body reads on self, as the class chain resolves it, what those methods
        # read on self in turn, and what sets it up
        wanted = [*self_attrs, *SETUP_METHODS]
        binders = memo.binders(classes)
        done: set[str] = set()
        while wanted and len(done) < _MAX_DEFINITIONS:
            name = wanted.pop(0)
            if name in done:
                continue
            done.add(name)
            found = binders.get(name)
            if found is None:
                digest.update(b"\0-" + name.encode())
                continue
            text = memo.definitions.get(id(found))
            if text is None:
                text = memo.definitions[id(found)] = _definition_print(name, found)
            digest.update(text)
            if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)):
                reads = memo.reads.get(id(found))
                if reads is None:
                    reads = memo.reads[id(found)] = tuple(sorted(_self_attrs(walk(found))))
                wanted.extend(reads)
        outside = memo.definitions.get(id(classes[0]))
        if outside is None:
            outside = memo.definitions[id(classes[0])] = _outside_print(classes)
        digest.update(outside)
    return digest.hexdigest()


_MAX_DEFINITIONS = 64  # names followed through a test's methods, at most


def _binders(classes: list[ast.ClassDef]) -> dict[str, ast.stmt]:
    """What defines each name on the instances of the first class, as its chain resolves
    it: the first class that binds the name, by a ``def`` or a class-level assignment, and
    in that class the first statement that does."""
    found: dict[str, ast.stmt] = {}
    for cls in classes:
        own: dict[str, ast.stmt] = {}
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                own.setdefault(stmt.name, stmt)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        own.setdefault(target.id, stmt)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                own.setdefault(stmt.target.id, stmt)
        for name, stmt in own.items():
            found.setdefault(name, stmt)
    return found


def _outside_print(classes: list[ast.ClassDef]) -> bytes:
    """The first class's decorators and the bases of the chain that refute could not follow
    (a mixin in a module it does not see defines methods it cannot compare)."""
    known = {cls.name for cls in classes}
    unseen = [dotted(base) or ast.dump(base) for cls in classes for base in cls.bases
              if leaf(dotted(base)) not in known]
    decorators = classes[0].decorator_list
    return statements_print(decorators, head=[unseen, len(decorators)])


def _definition_print(name: str, *roots: ast.AST) -> bytes:
    return statements_print(roots, head=[name, len(roots)])


_TRIVIAL = 120  # a body (with its decorators) that ast.dump prints shorter is too trivial
# ``_serialise`` counts at least 4 for every node (``Eq``: 2 + 2), so a body of this many
# nodes or more is never trivial, and its print need not count (``_fast_print``)
_NEVER_TRIVIAL = -(-_TRIVIAL // 4)


def _body_print(node: ast.FunctionDef | ast.AsyncFunctionDef,
                origin: Callable[[str], str] | None = None
                ) -> tuple[bytes | None, tuple[str, ...]]:
    """The body and decorators serialised, and the attributes it reads on ``self``/``cls``."""
    body = list(node.body)
    docstring = None
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        docstring, body = body[0], body[1:]
    if not body or all(isinstance(s, (ast.Pass, ast.Expr)) and not isinstance(
            getattr(s, "value", None), ast.Call) for s in body):
        return None, ()
    # a parameter that is a fixture keeps its name: `env` and `async_env` are two different
    # objects, so the same body over each is two tests; parametrized values are renamed
    values = parametrize_names(node)
    local = {name for name in parameters(node) if name in values}
    # the body's nodes out of the function's own walk, which the walker has made: all but the
    # function, its parameters, annotations and decorators and its docstring
    decorators = _walk_all(node.decorator_list)
    outside: list[ast.AST] = [node.args, *getattr(node, "type_params", ())]
    if node.returns is not None:
        outside.append(node.returns)
    if docstring is not None:
        outside.append(docstring)
    skip = {node, *decorators, *_walk_all(outside)}  # nodes hash by identity
    nodes = [n for n in all_nodes(node) if n not in skip]
    Name, Store = ast.Name, ast.Store
    local |= {n.id for n in nodes if type(n) is Name and type(n.ctx) is Store}  # type: ignore[attr-defined]
    items: list[object] = [len(body)]
    if len(nodes) + len(decorators) >= _NEVER_TRIVIAL:
        items.append(len(node.decorator_list))
        self_attrs = _fast_print(nodes, local, items, origin)
        _fast_print(decorators, set(), items)
        return marshal.dumps(items), tuple(sorted(self_attrs))
    size = _serialise(nodes, local, items, origin)
    items.append(len(node.decorator_list))
    size += _serialise(decorators, set(), items)
    if size < _TRIVIAL:
        return None, ()
    return marshal.dumps(items), tuple(sorted(_self_attrs(nodes)))


# how ``_fast_print`` prints each node type: a function made from the type's signature
# (``nodes.signature``) that appends its name, its values (a name, a number, a constant) and,
# of its fields of nodes, what the optional ones and the lists hold (a required child is
# always there); None for a type whose docstring does not say, printed by ``_serialise``
# as a node made by hand is
_Printer = Callable[[ast.AST, Callable[[object], None]], None]
_PRINTERS: dict[type, _Printer | None] = {}
_UNKNOWN: Any = object()


def _printer_of(kind: type) -> _Printer | None:
    fields = signature(kind)
    found: _Printer | None = None
    if fields or not kind._fields:  # type: ignore[attr-defined]
        lines = ["    append(NAME)"]
        for typ, mark, name in fields:
            if typ == "expr_context":
                continue  # implied by the tree (see ``nodes``)
            if holds_value(typ):
                lines.append(f"    append(n.{name})")
            elif mark == "*" and name in MIXED_LISTS:
                lines.append(f"    append(tuple([v if not isinstance(v, AST) else 1 "
                             f"for v in n.{name}]))")
            elif mark == "*":
                lines.append(f"    append(len(n.{name}))")
            elif mark == "?":
                lines.append(f"    append(n.{name} is None)")
        namespace: dict[str, Any] = {"AST": ast.AST, "NAME": kind.__name__}
        exec("def printer(n, append):\n" + "\n".join(lines), namespace)
        found = namespace["printer"]
    _PRINTERS[kind] = found
    return found


def _fast_print(nodes: list[ast.AST], local: set[str], items: list[object],
                origin: Callable[[str], str] | None = None) -> set[str]:
    """``_serialise`` without the count of how long the print is, for bodies too big to be
    trivial: every node in order with its values, and for each field of nodes whether it
    holds one (``1``, or ``None``) or how many it lists, so that equal item lists mean equal
    trees; locals renamed in order of appearance, other names printed by ``origin``. Returns
    the attributes read on ``self``/``cls``."""
    Name, Attribute = ast.Name, ast.Attribute
    append = items.append
    renamed: dict[str, str] = {}
    count = 0
    self_attrs: set[str] = set()
    printers = _PRINTERS.get
    for n in nodes:
        kind = type(n)
        if kind is Name:
            ident = n.id  # type: ignore[attr-defined]
            printed = renamed.get(ident)
            if printed is None:
                if ident in local:
                    printed = f"v{count}"
                    count += 1
                else:
                    printed = "=" + (origin(ident) if origin is not None else ident)
                renamed[ident] = printed
            append(printed)
            continue
        if kind is Attribute:
            value = n.value  # type: ignore[attr-defined]
            if type(value) is Name and value.id in ("self", "cls"):  # type: ignore[attr-defined]
                self_attrs.add(n.attr)  # type: ignore[attr-defined]
        printer = printers(kind, _UNKNOWN)
        if printer is _UNKNOWN:
            printer = _printer_of(kind)
        if printer is not None:
            mark = len(items)
            try:
                printer(n, append)
                continue
            except AttributeError:  # a node made by hand, without all its fields
                del items[mark:]
        _serialise([n], local, items)  # field by field
    return self_attrs


def _self_attrs(nodes: list[ast.AST]) -> set[str]:
    """The attributes read on ``self``/``cls`` among ``nodes``."""
    return {n.attr for n in nodes  # type: ignore[attr-defined]
            if type(n) is ast.Attribute and type(n.value) is ast.Name  # type: ignore[attr-defined]
            and n.value.id in ("self", "cls")}  # type: ignore[attr-defined]


# what an expression context adds to ``ast.dump``'s length: ``Load()``
_CONTEXT_LENGTH: dict[type, int] = {ast.Load: 6, ast.Store: 7, ast.Del: 5}


def _serialise(nodes: list[ast.AST], local: set[str], items: list[object],
               origin: Callable[[str], str] | None = None) -> int:
    """Append every node in walk order with its plain fields, locals renamed in order of
    appearance, and return about the length of ``ast.dump`` for them. Every node shows where
    its children go (``1`` for a child, the length of a list of children), so equal item
    lists mean equal trees. The walk leaves out expression contexts (``Load``...), which
    the tree implies; the length counts them as ``ast.dump`` prints them."""
    Name, AST = ast.Name, ast.AST
    contexts = _CONTEXT_LENGTH
    append = items.append
    names: dict[str, str] = {}
    size = 0
    for n in nodes:
        kind = type(n)
        if kind is Name:
            ident = n.id  # type: ignore[attr-defined]
            if ident in local:
                ident = names.setdefault(ident, f"v{len(names)}")
            elif origin is not None:
                ident = origin(ident)
            append("N")
            append(ident)
            size += len(ident) + 12 + contexts[type(n.ctx)]  # type: ignore[attr-defined]
            continue
        name = kind.__name__
        append(name)
        size += len(name) + 2
        for attr in kind._fields:
            value = getattr(n, attr, None)
            if isinstance(value, AST):
                append(1)
                size += 2 + contexts.get(type(value), 0)
            elif isinstance(value, list):
                if all(isinstance(v, AST) for v in value):
                    append(len(value))
                else:
                    append(tuple(v if not isinstance(v, AST) else 1 for v in value))
                size += 2 + 2 * len(value)
            elif value is None:
                append(None)
                size += 4
            elif isinstance(value, str):
                append(value)
                size += len(value) + 4
            else:
                append(value)
                size += len(repr(value)) + 2
    return size


def statements_print(roots: Sequence[ast.AST], origin: Callable[[str], str] | None = None,
                     head: Sequence[object] = ()) -> bytes:
    """Nodes serialised as a body is, after ``head``; with ``origin``, imported names stand
    for their origins (what a test module does with a module-level name a test uses)."""
    items: list[object] = list(head)
    _fast_print(_walk_all(roots), set(), items, origin)
    return marshal.dumps(items)


def _walk_all(roots: Sequence[ast.AST]) -> list[ast.AST]:
    return [n for root in roots for n in walk(root)]


def check(view: TestView) -> Iterator[Hit]:
    for dec in view.facts.node.decorator_list:
        if not (isinstance(dec, ast.Call) and leaf(dotted(dec.func)) == "parametrize"):
            continue
        if len(dec.args) < 2 or not isinstance(dec.args[1], (ast.List, ast.Tuple)):
            continue
        seen: dict[str, int] = {}
        for i, case in enumerate(dec.args[1].elts):
            if not _is_literal(case):
                continue
            key = ast.dump(case)
            if key in seen:
                yield Hit(case.lineno, case.col_offset + 1,
                          f"duplicate test: parametrize case {i + 1} `{ast.unparse(case)}` "
                          f"repeats case {seen[key] + 1}")
            else:
                seen[key] = i


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def check_suite(suite: Suite) -> Iterator[SuiteFinding]:
    groups: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    places: set[tuple[str, int]] = set()
    for test in suite.tests:
        if test.fingerprint and (test.path, test.line) not in places:
            places.add((test.path, test.line))
            groups[test.fingerprint].append((test.id, test.path, test.line))
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        for test_id, path, line in members[1:]:
            yield SuiteFinding(path, line, 1, test_id,
                               f"duplicate test: same body as `{first[0]}` "
                               f"({first[1]}:{first[2]})")
