"""``walk``: every node under a node, as ``ast.walk`` yields them but for the expression
contexts, as a list, faster.

``ast.walk`` runs three Python generators per node (``walk``, ``iter_child_nodes``,
``iter_fields``) and looks at every field, names and numbers included. The audit walks
hundreds of thousands of subtrees (every argument handed to the code under test, every
test body), so this version keeps one list as its queue and reads, for each node type,
only the fields that can hold nodes. The order is ``ast.walk``'s (breadth first, fields in
declaration order), which a test checks on whole files.

The ``ctx`` of a name, attribute, subscript, starred expression, list or tuple (``Load``,
``Store``, ``Del``) is not yielded: a third of a test's nodes, which no part of the audit
looks for in a walk (it asks ``name.ctx`` of the name), and which where it stands follows
from the tree (a target stores, a ``del`` deletes, everything else loads).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from typing import Any

# fields that never hold a node, whatever the node type (identifiers, numbers, flags), and
# the expression contexts, which are not walked (see above); not ``name``, which is a node in
# 3.12's ``TypeAlias``
_SCALAR = frozenset({"id", "attr", "arg", "asname", "module", "level", "kind", "type_comment",
                     "conversion", "is_async", "simple", "tag", "ctx"})
_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def _fields_of(kind: type) -> tuple[str, ...]:
    fields = tuple(f for f in kind._fields if f not in _SCALAR)  # type: ignore[attr-defined]
    _FIELDS[kind] = fields
    return fields


def walk(node: ast.AST) -> list[ast.AST]:
    """``walk(node)``."""
    out = [node]
    walkers = _WALKERS.get
    append, extend = out.append, out.extend
    for current in out:  # the list grows while it is read: a queue without a deque
        children = walkers(type(current), _UNKNOWN)
        if children is _UNKNOWN:
            children = _walker_of(type(current))
        if children is not None:
            mark = len(out)
            try:
                children(current, append, extend)
            except AttributeError:  # a node made by hand, without all its fields
                del out[mark:]
                _children_by_name(current, append, extend)
    return out


# For each node type, a function that hands its children to ``append`` (a node) and
# ``extend`` (a list of nodes), made from the node type's signature in its docstring
# (``Call(expr func, expr* args, keyword* keywords)``): reading the fields by name, as
# ``ast.iter_child_nodes`` does, costs a fifth more. None for a type without children.
_ChildrenOf = Callable[[ast.AST, Callable[[ast.AST], None], Callable[[Iterable[ast.AST]], None]],
                       None]
_WALKERS: dict[type, _ChildrenOf | None] = {}
_UNKNOWN: Any = object()
_SIGNATURE_FIELD = re.compile(r"(\w+)([*?]?) (\w+)")
# the ASDL types of fields that hold no node (and the contexts, which are not walked)
_VALUE_TYPES = frozenset({"identifier", "string", "constant", "int", "expr_context"})
# lists that may hold something else than nodes: None among a dict's keys (``**spread``) or a
# function's keyword-only defaults, the names of ``global``, a class pattern's attributes
MIXED_LISTS = frozenset({"keys", "kw_defaults", "names", "kwd_attrs"})


def signature(kind: type) -> list[tuple[str, str, str]]:
    """A node type's fields as its docstring declares them, in order: the ASDL type, ``*``
    for a list or ``?`` for an optional field, and the name (``Call(expr func, expr* args,
    keyword* keywords)``). Empty if the docstring does not say."""
    doc = kind.__doc__ or ""
    fields = kind._fields  # type: ignore[attr-defined]
    return [(typ, mark, name)
            for typ, mark, name in _SIGNATURE_FIELD.findall(doc[doc.find("(") + 1:doc.rfind(")")])
            if name in fields]


def holds_value(typ: str) -> bool:
    """A field of this ASDL type holds a value, not a node."""
    return typ in _VALUE_TYPES


def _walker_of(kind: type) -> _ChildrenOf | None:
    fields = kind._fields  # type: ignore[attr-defined]
    lines = []
    declared = signature(kind)
    for typ, mark, name in declared:
        if typ in _VALUE_TYPES:
            continue
        if mark == "*" and name in MIXED_LISTS:
            lines.append(f"    extend([v for v in n.{name} if isinstance(v, AST)])")
        elif mark == "*":
            lines.append(f"    extend(n.{name})")
        else:
            lines.append(f"    v = n.{name}\n    if v is not None:\n        append(v)")
    found: _ChildrenOf | None = None
    if not declared and [f for f in fields if f not in _SCALAR]:
        found = _children_by_name  # a type whose docstring does not say (not in 3.10-3.13)
    elif lines:
        namespace: dict[str, Any] = {"AST": ast.AST}
        exec("def children(n, append, extend):\n" + "\n".join(lines), namespace)
        found = namespace["children"]
    _WALKERS[kind] = found
    return found


def _children_by_name(node: ast.AST, append: Callable[[ast.AST], None],
                      extend: Callable[[Iterable[ast.AST]], None]) -> None:
    fields = _FIELDS.get(type(node))
    if fields is None:
        fields = _fields_of(type(node))
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            append(value)
        elif isinstance(value, list):
            extend([item for item in value if isinstance(item, ast.AST)])


def children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes(node)`` as a list, without the expression contexts (as in
    ``walk``): a node's direct children, field by field."""
    out: list[ast.AST] = []
    found = _WALKERS.get(type(node), _UNKNOWN)
    if found is _UNKNOWN:
        found = _walker_of(type(node))
    if found is not None:
        try:
            found(node, out.append, out.extend)
        except AttributeError:  # a node made by hand, without all its fields
            out.clear()
            _children_by_name(node, out.append, out.extend)
    return out


_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def own_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, not those of the functions, lambdas and classes
    nested in it (nor the nested definitions themselves), last statement first; no
    expression contexts, as in ``walk``."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [stmt for stmt in node.body if not isinstance(stmt, _NESTED)]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend([child for child in children(current) if not isinstance(child, _NESTED)])
    return out
