"""RF401 duplicate-test: the same test body twice, or the same parametrize case twice.

What it does
    Flags tests whose bodies are identical after renaming local variables and dropping the
    docstring (copy-pasted or regenerated tests under new names), and ``parametrize`` lists that
    repeat a case.

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
import re
from collections import defaultdict
from collections.abc import Iterator

from refute.model import Severity
from refute.static.facts import all_nodes
from refute.static.names import dotted, leaf
from refute.static.nodes import walk
from refute.static.rules.base import Hit, TestView
from refute.static.suite import Suite, SuiteFinding

CODE = "RF401"
NAME = "duplicate-test"
SEVERITY = Severity.WARNING
PHASE = 1


_NAME = re.compile(r"Name\('([^']*)'")
_STORE = re.compile(r"Name\('([^']*)', Store\(\)\)")


def fingerprint(node: ast.FunctionDef | ast.AsyncFunctionDef,
                classes: list[ast.ClassDef] | None = None,
                class_texts: dict[int, str] | None = None) -> str | None:
    """A hash of the normalised body, or None for bodies too trivial to compare.

    Local names (parameters and assigned names) are renamed in order of appearance; the
    docstring does not count. A method that reads ``self.x``/``cls.x`` behaves differently in
    classes that set ``x`` differently, so the class-level assignments of its classes join
    the fingerprint. ``class_texts`` memoises those per class for the caller, who keeps it no
    longer than the classes' trees (it is keyed by identity).

    A body is too trivial when its ``ast.dump`` (with the decorators) is shorter than
    ``_TRIVIAL`` characters. Only small bodies are dumped: from ``_LARGE`` nodes on a dump is
    always longer, and the body is serialised flat from the test's cached node list instead
    (one loop, no recursion, no second walk of the tree).
    """
    body = list(node.body)
    docstring = bool(body) and isinstance(body[0], ast.Expr) and isinstance(
        body[0].value, ast.Constant) and isinstance(body[0].value.value, str)
    if docstring:
        body = body[1:]
    if not body or all(isinstance(s, (ast.Pass, ast.Expr)) and not isinstance(
            getattr(s, "value", None), ast.Call) for s in body):
        return None
    local = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)}
    # the signature, decorators and docstring; Load(), Add(), ... are singletons shared with
    # the body, so only nodes with fields are told apart by identity
    decorator_walks = [walk(d) for d in node.decorator_list]
    other_walks = [walk(p) for p in (node.args, node.returns,
                                     node.body[0] if docstring else None)
                   if p is not None]
    outside = {id(n) for walked in (*decorator_walks, *other_walks) for n in walked if n._fields}
    nodes = all_nodes(node)
    decorators = "|".join(ast.dump(d) for d in node.decorator_list)
    # body and decorator nodes (occurrences, singletons included, as ``all_nodes`` counts)
    if len(nodes) - 1 - sum(map(len, other_walks)) >= _LARGE:
        text = _flat(nodes, outside, len(body), local)
    else:
        text = _renamed_dump(body, local)
    text += decorators
    if classes and any(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                       and n.value.id in ("self", "cls") for n in nodes):
        memo = {} if class_texts is None else class_texts
        text += "".join(_class_text(cls, memo) for cls in classes)
    if len(text) < _TRIVIAL:
        return None
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


_TRIVIAL = 120  # characters of dump under which a body is too trivial to call a duplicate
_LARGE = 40  # nodes from which a dump is always longer than _TRIVIAL (each prints 4+ chars)


def _renamed_dump(body: list[ast.stmt], local: set[str]) -> str:
    text = ast.dump(ast.Module(body=body, type_ignores=[]), annotate_fields=False)
    local = local | set(_STORE.findall(text))
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in local:
            return match.group(0)
        return f"Name('{names.setdefault(name, f'v{len(names)}')}'"

    return _NAME.sub(rename, text)


def _flat(nodes: list[ast.AST], outside: set[int], statements: int, local: set[str]) -> str:
    """The body's nodes in walk order with their plain fields, locals renamed in order of
    appearance. Every node shows where its children go (``*`` for a child, the length of a
    list of children), so equal texts mean equal bodies."""
    Name, Store, AST = ast.Name, ast.Store, ast.AST
    body = [n for n in nodes[1:] if id(n) not in outside]
    local = local | {n.id for n in body if type(n) is Name and type(n.ctx) is Store}
    names: dict[str, str] = {}
    parts = [f"flat:{statements}"]
    for n in body:
        kind = type(n)
        if kind is Name:
            ident = n.id  # type: ignore[attr-defined]
            if ident in local:
                ident = names.setdefault(ident, f"v{len(names)}")
            parts.append("N" + ident)
            continue
        fields = kind._fields
        if not fields:
            parts.append(kind.__name__)
            continue
        values: list[object] = []
        for name in fields:
            value = getattr(n, name, None)
            if isinstance(value, AST):
                values.append("*")
            elif isinstance(value, list):
                values.append(len(value) if all(isinstance(v, AST) for v in value)
                              else [v if not isinstance(v, AST) else "*" for v in value])
            else:
                values.append(value)
        parts.append(f"{kind.__name__}{values!r}")
    return ";".join(parts)


def _class_text(cls: ast.ClassDef, memo: dict[int, str]) -> str:
    """The class-level assignments, bases and decorators of a class, dumped once per class
    (every method of a unittest class would otherwise dump the same class body again)."""
    text = memo.get(id(cls))
    if text is None:
        text = "|" + "|".join(ast.dump(s) for s in cls.body
                              if isinstance(s, (ast.Assign, ast.AnnAssign)))
        text += "|" + "|".join(ast.dump(b) for b in cls.bases) + "|" + "|".join(
            ast.dump(d) for d in cls.decorator_list)
        memo[id(cls)] = text
    return text


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
